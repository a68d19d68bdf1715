"""Find an IANA time zone from what someone types: `berlin`, `EST`, `UTC+2`, `Asia/Kolkata`.

What is typed is tried, in order, as: an exact IANA name; an offset (`UTC+2`, `GMT+5:30`,
`+3`); an abbreviation (`EST`, `CET`, `IST`); a zone's everyday name (`eastern time`,
`central european`); a city or country (`new york`, `wien`, `japan`); and last, a city
with a small typo (`berln`). Each abbreviation or name stands for ONE representative zone,
chosen in the tables below with the reason where there was a choice.

Fuzzy matching never sees legacy alias names (`Canada/Eastern`, `US/Pacific`,
`Australia/West`, `Etc/GMT+5`, `Cuba`, `GB`…): typed exactly they still work, but "est" must
not become `Australia/West` because it looks like "west". Input shorter than four letters is
never matched fuzzily: three letters are an abbreviation or nothing.
"""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from collections.abc import Callable, Mapping
from functools import cache

from rapidfuzz import fuzz, process

from jobs.pure import input_wording as says
from jobs.pure.time_input import InputError

ZONE_EXAMPLE = "/timezone Europe/Berlin (or /timezone new york, EST, UTC+2)"

# Zones offered as buttons: the most common homes of our users, one per offset region.
COMMON_ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
)

_NEW_YORK, _CHICAGO, _DENVER, _LOS_ANGELES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
)
# CET and CEST: Berlin and Paris have kept the same rules since 1980; Berlin is a button.
_CENTRAL_EUROPE = "Europe/Berlin"
# EET and EEST: every EU country on it shares the EU's switch dates; Athens stands for them.
_EASTERN_EUROPE = "Europe/Athens"

# Abbreviations, matched only exactly (after case folding). Where one abbreviation is used
# for several zones, the one most people who type it mean: CST is US Central, not China
# Standard Time (type "china" or "beijing" for that); IST is India, not Ireland or Israel;
# MST is Denver (Arizona, which keeps MST all year, is "arizona" or "phoenix"); GMT is the
# UK's everyday name for its own time, so it follows the UK into BST ("UTC" or "UTC+0" is
# the fixed one). AST is left out: Atlantic and Arabia Standard Time both use it.
_ABBREVIATIONS = {
    "et": _NEW_YORK,
    "est": _NEW_YORK,
    "edt": _NEW_YORK,
    "ct": _CHICAGO,
    "cst": _CHICAGO,
    "cdt": _CHICAGO,
    "mt": _DENVER,
    "mst": _DENVER,
    "mdt": _DENVER,
    "pt": _LOS_ANGELES,
    "pst": _LOS_ANGELES,
    "pdt": _LOS_ANGELES,
    "akst": "America/Anchorage",
    "akdt": "America/Anchorage",
    "hst": "Pacific/Honolulu",
    "hast": "Pacific/Honolulu",
    "adt": "America/Halifax",
    "nst": "America/St_Johns",
    "ndt": "America/St_Johns",
    "gmt": "Europe/London",
    "bst": "Europe/London",
    "utc": "UTC",
    "uct": "UTC",
    "z": "UTC",
    "wet": "Europe/Lisbon",
    "cet": _CENTRAL_EUROPE,
    "cest": _CENTRAL_EUROPE,
    "met": _CENTRAL_EUROPE,
    "mest": _CENTRAL_EUROPE,
    "eet": _EASTERN_EUROPE,
    "eest": _EASTERN_EUROPE,
    "msk": "Europe/Moscow",
    "trt": "Europe/Istanbul",
    "gst": "Asia/Dubai",
    "irst": "Asia/Tehran",
    "pkt": "Asia/Karachi",
    "ist": "Asia/Kolkata",
    "npt": "Asia/Kathmandu",
    "ict": "Asia/Bangkok",
    "wib": "Asia/Jakarta",
    "wita": "Asia/Makassar",
    "wit": "Asia/Jayapura",
    "sgt": "Asia/Singapore",
    "myt": "Asia/Kuala_Lumpur",
    "hkt": "Asia/Hong_Kong",
    "pht": "Asia/Manila",
    "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul",
    "awst": "Australia/Perth",
    "acst": "Australia/Adelaide",
    "acdt": "Australia/Adelaide",
    "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney",
    "nzst": "Pacific/Auckland",
    "nzdt": "Pacific/Auckland",
    "sast": "Africa/Johannesburg",
    "wat": "Africa/Lagos",
    "cat": "Africa/Maputo",
    "eat": "Africa/Nairobi",
    "brt": "America/Sao_Paulo",
    "art": "America/Argentina/Buenos_Aires",
    "clt": "America/Santiago",
    "clst": "America/Santiago",
    "cot": "America/Bogota",
    "pet": "America/Lima",
}

# A zone's everyday name, once words such as "time" and "standard" are taken off the end
# ("Eastern Standard Time" → "eastern"). These are also matched with small typos.
_ZONE_WORDS = {
    "eastern": _NEW_YORK,
    "us eastern": _NEW_YORK,
    "central": _CHICAGO,
    "us central": _CHICAGO,
    "mountain": _DENVER,
    "us mountain": _DENVER,
    "pacific": _LOS_ANGELES,
    "us pacific": _LOS_ANGELES,
    "alaska": "America/Anchorage",
    "alaskan": "America/Anchorage",
    "hawaii": "Pacific/Honolulu",
    "hawaiian": "Pacific/Honolulu",
    "hawaii aleutian": "Pacific/Honolulu",
    "arizona": "America/Phoenix",
    "atlantic": "America/Halifax",
    "newfoundland": "America/St_Johns",
    "greenwich": "Europe/London",
    "greenwich mean": "Europe/London",
    "british": "Europe/London",
    "irish": "Europe/Dublin",
    "western european": "Europe/Lisbon",
    "central european": _CENTRAL_EUROPE,
    "middle european": _CENTRAL_EUROPE,
    "eastern european": _EASTERN_EUROPE,
    "universal": "UTC",
    "coordinated universal": "UTC",
    "zulu": "UTC",
    "indian": "Asia/Kolkata",
    "arabian": "Asia/Riyadh",
    "gulf": "Asia/Dubai",
    "indochina": "Asia/Bangkok",
    "western indonesia": "Asia/Jakarta",
    "western indonesian": "Asia/Jakarta",
    "chinese": "Asia/Shanghai",
    "beijing": "Asia/Shanghai",
    "japanese": "Asia/Tokyo",
    "korean": "Asia/Seoul",
    "philippine": "Asia/Manila",
    "australian eastern": "Australia/Sydney",
    "australian central": "Australia/Adelaide",
    "australian western": "Australia/Perth",
    "south african": "Africa/Johannesburg",
    "west africa": "Africa/Lagos",
    "west african": "Africa/Lagos",
    "central africa": "Africa/Maputo",
    "central african": "Africa/Maputo",
    "east africa": "Africa/Nairobi",
    "east african": "Africa/Nairobi",
    "brasilia": "America/Sao_Paulo",
    "argentina": "America/Argentina/Buenos_Aires",
    "argentinian": "America/Argentina/Buenos_Aires",
}

# Words taken off the end before looking a name up: "Pacific Time", "India Standard Time".
_TRAILING_WORDS = frozenset({"time", "zone", "standard", "daylight", "summer", "saving", "tz"})

# Big cities that are not themselves zone names, names that zones have since changed
# (Calcutta, Kiev), names in their own language (Wien, München), and countries that keep a
# single zone. Keys are folded: lower case, no accents, spaces for `_` and `-`.
_PLACES = {
    # the Americas
    "nyc": _NEW_YORK,
    "brooklyn": _NEW_YORK,
    "boston": _NEW_YORK,
    "washington": _NEW_YORK,
    "washington dc": _NEW_YORK,
    "dc": _NEW_YORK,
    "philadelphia": _NEW_YORK,
    "miami": _NEW_YORK,
    "atlanta": _NEW_YORK,
    "orlando": _NEW_YORK,
    "tampa": _NEW_YORK,
    "charlotte": _NEW_YORK,
    "baltimore": _NEW_YORK,
    "pittsburgh": _NEW_YORK,
    "cleveland": _NEW_YORK,
    "columbus": _NEW_YORK,
    "raleigh": _NEW_YORK,
    "montreal": "America/Toronto",
    "ottawa": "America/Toronto",
    "quebec": "America/Toronto",
    "houston": _CHICAGO,
    "dallas": _CHICAGO,
    "austin": _CHICAGO,
    "san antonio": _CHICAGO,
    "minneapolis": _CHICAGO,
    "st louis": _CHICAGO,
    "saint louis": _CHICAGO,
    "kansas city": _CHICAGO,
    "nashville": _CHICAGO,
    "new orleans": _CHICAGO,
    "milwaukee": _CHICAGO,
    "salt lake city": _DENVER,
    "albuquerque": _DENVER,
    "calgary": "America/Edmonton",
    "san francisco": _LOS_ANGELES,
    "sf": _LOS_ANGELES,
    "la": _LOS_ANGELES,
    "seattle": _LOS_ANGELES,
    "san diego": _LOS_ANGELES,
    "san jose": _LOS_ANGELES,
    "portland": _LOS_ANGELES,
    "las vegas": _LOS_ANGELES,
    "sacramento": _LOS_ANGELES,
    "ciudad de mexico": "America/Mexico_City",
    "cdmx": "America/Mexico_City",
    "guadalajara": "America/Mexico_City",
    "rio de janeiro": "America/Sao_Paulo",
    "rio": "America/Sao_Paulo",
    "brasil": "America/Sao_Paulo",
    "buenos aires": "America/Argentina/Buenos_Aires",
    "cuba": "America/Havana",
    "jamaica": "America/Jamaica",
    "colombia": "America/Bogota",
    "peru": "America/Lima",
    "chile": "America/Santiago",
    # Europe
    "uk": "Europe/London",
    "gb": "Europe/London",
    "united kingdom": "Europe/London",
    "great britain": "Europe/London",
    "britain": "Europe/London",
    "england": "Europe/London",
    "scotland": "Europe/London",
    "wales": "Europe/London",
    "manchester": "Europe/London",
    "birmingham": "Europe/London",
    "leeds": "Europe/London",
    "liverpool": "Europe/London",
    "bristol": "Europe/London",
    "edinburgh": "Europe/London",
    "glasgow": "Europe/London",
    "cardiff": "Europe/London",
    "ireland": "Europe/Dublin",
    "cork": "Europe/Dublin",
    "portugal": "Europe/Lisbon",
    "lisboa": "Europe/Lisbon",
    "porto": "Europe/Lisbon",
    "spain": "Europe/Madrid",
    "espana": "Europe/Madrid",
    "barcelona": "Europe/Madrid",
    "valencia": "Europe/Madrid",
    "sevilla": "Europe/Madrid",
    "seville": "Europe/Madrid",
    "france": "Europe/Paris",
    "lyon": "Europe/Paris",
    "marseille": "Europe/Paris",
    "toulouse": "Europe/Paris",
    "germany": "Europe/Berlin",
    "deutschland": "Europe/Berlin",
    "munich": "Europe/Berlin",
    "munchen": "Europe/Berlin",
    "muenchen": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "cologne": "Europe/Berlin",
    "koln": "Europe/Berlin",
    "koeln": "Europe/Berlin",
    "stuttgart": "Europe/Berlin",
    "dusseldorf": "Europe/Berlin",
    "duesseldorf": "Europe/Berlin",
    "leipzig": "Europe/Berlin",
    "dresden": "Europe/Berlin",
    "hannover": "Europe/Berlin",
    "nuremberg": "Europe/Berlin",
    "nurnberg": "Europe/Berlin",
    "austria": "Europe/Vienna",
    "wien": "Europe/Vienna",
    "switzerland": "Europe/Zurich",
    "geneva": "Europe/Zurich",
    "geneve": "Europe/Zurich",
    "genf": "Europe/Zurich",
    "basel": "Europe/Zurich",
    "bern": "Europe/Zurich",
    "italy": "Europe/Rome",
    "italia": "Europe/Rome",
    "roma": "Europe/Rome",
    "milan": "Europe/Rome",
    "milano": "Europe/Rome",
    "naples": "Europe/Rome",
    "napoli": "Europe/Rome",
    "turin": "Europe/Rome",
    "torino": "Europe/Rome",
    "florence": "Europe/Rome",
    "firenze": "Europe/Rome",
    "netherlands": "Europe/Amsterdam",
    "holland": "Europe/Amsterdam",
    "rotterdam": "Europe/Amsterdam",
    "the hague": "Europe/Amsterdam",
    "den haag": "Europe/Amsterdam",
    "utrecht": "Europe/Amsterdam",
    "belgium": "Europe/Brussels",
    "bruxelles": "Europe/Brussels",
    "brussel": "Europe/Brussels",
    "antwerp": "Europe/Brussels",
    "antwerpen": "Europe/Brussels",
    "denmark": "Europe/Copenhagen",
    "kobenhavn": "Europe/Copenhagen",
    "sweden": "Europe/Stockholm",
    "gothenburg": "Europe/Stockholm",
    "goteborg": "Europe/Stockholm",
    "norway": "Europe/Oslo",
    "iceland": "Atlantic/Reykjavik",
    "finland": "Europe/Helsinki",
    "poland": "Europe/Warsaw",
    "polska": "Europe/Warsaw",
    "warszawa": "Europe/Warsaw",
    "krakow": "Europe/Warsaw",
    "wroclaw": "Europe/Warsaw",
    "gdansk": "Europe/Warsaw",
    "czechia": "Europe/Prague",
    "czech republic": "Europe/Prague",
    "praha": "Europe/Prague",
    "hungary": "Europe/Budapest",
    "romania": "Europe/Bucharest",
    "bucuresti": "Europe/Bucharest",
    "greece": "Europe/Athens",
    "athina": "Europe/Athens",
    "thessaloniki": "Europe/Athens",
    "turkey": "Europe/Istanbul",
    "turkiye": "Europe/Istanbul",
    "ankara": "Europe/Istanbul",
    "ukraine": "Europe/Kyiv",
    "kiev": "Europe/Kyiv",
    "kharkiv": "Europe/Kyiv",
    "odesa": "Europe/Kyiv",
    "odessa": "Europe/Kyiv",
    "lviv": "Europe/Kyiv",
    "moskva": "Europe/Moscow",
    "st petersburg": "Europe/Moscow",
    "saint petersburg": "Europe/Moscow",
    "minsk": "Europe/Minsk",
    # Africa and the Middle East
    "egypt": "Africa/Cairo",
    "nigeria": "Africa/Lagos",
    "abuja": "Africa/Lagos",
    "kenya": "Africa/Nairobi",
    "ethiopia": "Africa/Addis_Ababa",
    "ghana": "Africa/Accra",
    "south africa": "Africa/Johannesburg",
    "cape town": "Africa/Johannesburg",
    "durban": "Africa/Johannesburg",
    "pretoria": "Africa/Johannesburg",
    "morocco": "Africa/Casablanca",
    "libya": "Africa/Tripoli",
    "israel": "Asia/Jerusalem",
    "tel aviv": "Asia/Jerusalem",
    "iran": "Asia/Tehran",
    "iraq": "Asia/Baghdad",
    "saudi arabia": "Asia/Riyadh",
    "jeddah": "Asia/Riyadh",
    "uae": "Asia/Dubai",
    "abu dhabi": "Asia/Dubai",
    # Asia and Oceania
    "india": "Asia/Kolkata",
    "calcutta": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "bombay": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata",
    "chennai": "Asia/Kolkata",
    "madras": "Asia/Kolkata",
    "hyderabad": "Asia/Kolkata",
    "pune": "Asia/Kolkata",
    "ahmedabad": "Asia/Kolkata",
    "jaipur": "Asia/Kolkata",
    "kochi": "Asia/Kolkata",
    "pakistan": "Asia/Karachi",
    "lahore": "Asia/Karachi",
    "islamabad": "Asia/Karachi",
    "bangladesh": "Asia/Dhaka",
    "sri lanka": "Asia/Colombo",
    "nepal": "Asia/Kathmandu",
    "katmandu": "Asia/Kathmandu",
    "myanmar": "Asia/Yangon",
    "rangoon": "Asia/Yangon",
    "thailand": "Asia/Bangkok",
    "vietnam": "Asia/Ho_Chi_Minh",
    "saigon": "Asia/Ho_Chi_Minh",
    "ho chi minh city": "Asia/Ho_Chi_Minh",
    "hanoi": "Asia/Ho_Chi_Minh",
    "malaysia": "Asia/Kuala_Lumpur",
    "philippines": "Asia/Manila",
    "china": "Asia/Shanghai",
    "shenzhen": "Asia/Shanghai",
    "guangzhou": "Asia/Shanghai",
    "chengdu": "Asia/Shanghai",
    "hongkong": "Asia/Hong_Kong",
    "taiwan": "Asia/Taipei",
    "japan": "Asia/Tokyo",
    "osaka": "Asia/Tokyo",
    "kyoto": "Asia/Tokyo",
    "yokohama": "Asia/Tokyo",
    "korea": "Asia/Seoul",
    "south korea": "Asia/Seoul",
    "busan": "Asia/Seoul",
    "canberra": "Australia/Sydney",
    "gold coast": "Australia/Brisbane",
    "new zealand": "Pacific/Auckland",
    "nz": "Pacific/Auckland",
    "wellington": "Pacific/Auckland",
    "christchurch": "Pacific/Auckland",
    "samoa": "Pacific/Apia",
    "easter island": "Pacific/Easter",
    "christmas island": "Indian/Christmas",
    "wake island": "Pacific/Wake",
}

# IANA's single-word legacy names, typed exactly, as the zone each stands for today (never
# matched loosely). EST, MST and HST are here only as abbreviations: the IANA zones of those
# names never change for daylight saving, which is not what someone who types EST means.
_SINGLE_WORD_ZONES = {
    "cst6cdt": _CHICAGO,
    "est5edt": _NEW_YORK,
    "mst7mdt": _DENVER,
    "pst8pdt": _LOS_ANGELES,
    "egypt": "Africa/Cairo",
    "eire": "Europe/Dublin",
    "gb": "Europe/London",
    "gb eire": "Europe/London",
    "gmt0": "UTC",
    "hongkong": "Asia/Hong_Kong",
    "iceland": "Atlantic/Reykjavik",
    "iran": "Asia/Tehran",
    "israel": "Asia/Jerusalem",
    "jamaica": "America/Jamaica",
    "japan": "Asia/Tokyo",
    "kwajalein": "Pacific/Kwajalein",
    "libya": "Africa/Tripoli",
    "navajo": _DENVER,
    "nz": "Pacific/Auckland",
    "nz chat": "Pacific/Chatham",
    "poland": "Europe/Warsaw",
    "portugal": "Europe/Lisbon",
    "prc": "Asia/Shanghai",
    "roc": "Asia/Taipei",
    "rok": "Asia/Seoul",
    "singapore": "Asia/Singapore",
    "turkey": "Europe/Istanbul",
    "uct": "UTC",
    "universal": "UTC",
    "w su": "Europe/Moscow",
    "zulu": "UTC",
}

# Countries that span several zones: naming one asks for a city instead of guessing.
_SEVERAL_ZONES = frozenset(
    {
        "usa",
        "us",
        "united states",
        "america",
        "canada",
        "australia",
        "russia",
        "brazil",
        "mexico",
        "indonesia",
        "kazakhstan",
    }
)

# Offsets with no whole hour: no Etc/ zone exists for them, so each is the real zone that
# has this offset in standard or in daylight time (a typed offset needs no clock to read).
# +10:30 is Adelaide's summer time (1.4 million people) rather than Lord Howe's winter.
_PART_HOUR_ZONES = {
    -570: "Pacific/Marquesas",
    -210: "America/St_Johns",
    -150: "America/St_Johns",
    210: "Asia/Tehran",
    270: "Asia/Kabul",
    330: "Asia/Kolkata",
    345: "Asia/Kathmandu",
    390: "Asia/Yangon",
    525: "Australia/Eucla",
    570: "Australia/Darwin",
    630: "Australia/Adelaide",
    765: "Pacific/Chatham",
    825: "Pacific/Chatham",
}
_OFFSET = re.compile(
    r"^(?:utc|gmt|z)?\s*([+\-−])\s*(\d{1,2})(?:(?:[:.h]\s*)?(\d{2})|(\.5))?\s*(?:h|hrs?|hours?)?$"
)
_FIXED = re.compile(r"^Etc/GMT([+-])(\d{1,2})$")

# Legacy alias names: kept for exact use, left out of every name that is matched loosely.
_LEGACY_AREAS = frozenset({"Etc", "SystemV", "US", "Canada", "Mexico", "Brazil", "Chile"})
_LEGACY_AUSTRALIA = frozenset(
    {"ACT", "Canberra", "Currie", "LHI", "NSW", "North", "Queensland", "South", "Tasmania"}
    | {"Victoria", "West", "Yancowinna"}
)
_FUZZY_MIN_LETTERS = 4
# One letter off in six (`berln`, `easten`): 90 % alike. At 85 "pain" became "spain".
_FUZZY_SCORE = 90
# Zones' city parts that are everyday words ("wake", "easter") more often than anyone's home:
# typed alone they are not taken as a place (the full names, and "easter island", work).
# Antarctica's stations are left to their full names for the same reason ("davis", "casey").
_WORDS_NOT_PLACES = frozenset({"center", "christmas", "easter", "oral", "virgin", "wake"})


def fold_name(text: str) -> str:
    """Fold a name for lookup: lower case, accents off, `_` and `-` as spaces, `.` dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.replace("_", " ").replace("-", " ").replace(".", "").split())


def _without_trailing_words(key: str) -> str:
    words = key.split()
    while len(words) > 1 and words[-1] in _TRAILING_WORDS:
        words.pop()
    return " ".join(words)


def is_legacy(zone: str) -> bool:
    """Tell whether a zone name is a legacy alias (`US/Eastern`, `Australia/West`, `GB`)."""
    if "/" not in zone:
        return zone != "UTC"
    area, _, place = zone.partition("/")
    return area in _LEGACY_AREAS or (area == "Australia" and place in _LEGACY_AUSTRALIA)


@cache
def _index() -> dict[str, str]:
    """Map each name matched loosely (zone, city part, place, zone word) to its zone."""
    names: dict[str, str] = {}
    for zone in sorted(_available()):
        if is_legacy(zone):
            continue
        names[fold_name(zone)] = zone
        place = fold_name(zone.rsplit("/", 1)[-1])
        if place not in _WORDS_NOT_PLACES and not zone.startswith("Antarctica/"):
            names.setdefault(place, zone)
    names.update(_PLACES)
    names.update(_ZONE_WORDS)
    names["utc"] = "UTC"
    return names


@cache
def _exact_names() -> dict[str, str]:
    """Map every IANA name, legacy ones too, case-folded, to its spelling (or, for a
    single-word legacy name, to the zone it stands for)."""
    names = {fold_name(zone): zone for zone in _available() if "/" in zone}
    return names | _SINGLE_WORD_ZONES


@cache
def _fuzzy_names() -> tuple[str, ...]:
    """Return the names a typo may reach: long enough, and no legacy alias among them."""
    return tuple(name for name in _index() if len(name.replace(" ", "")) >= _FUZZY_MIN_LETTERS)


def is_zone(name: str) -> bool:
    """Tell whether a name is a usable IANA zone."""
    # Only the listed names: zoneinfo would also open `right/…` (leap seconds) and `posix/…`
    # copies, and fail on an area's folder (`Australia`).
    return name in _available() and ("/" in name or name == "UTC")


@cache
def _available() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def zone_label(zone: str) -> str:
    """Name a zone for a person: `Etc/GMT-2` is said as `UTC+2` (Etc's signs are inverted)."""
    fixed = _FIXED.match(zone)
    if fixed is None:
        return zone
    sign = "-" if fixed[1] == "+" else "+"
    return f"UTC{sign}{fixed[2]}"


def is_fixed_offset(zone: str) -> bool:
    """Tell whether a zone is a fixed offset that never changes for daylight saving."""
    return _FIXED.match(zone) is not None


def zone_for_offset(minutes: int) -> str | None:
    """Return the zone for a UTC offset in minutes (east positive), or None if none has it.

    A whole hour becomes the fixed `Etc/GMT∓N` zone (POSIX signs: `Etc/GMT-2` is UTC+2):
    someone who typed an offset asked for that offset, and a city's zone would move it by
    an hour at a daylight-saving change they never asked for. Part hours have no Etc/ zone,
    so they become the real zone that uses them.
    """
    if minutes == 0:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    if rest == 0 and -12 * 60 <= minutes <= 14 * 60:
        return f"Etc/GMT{'-' if minutes > 0 else '+'}{hours}"
    return _PART_HOUR_ZONES.get(minutes)


def _offset_minutes(query: str) -> int | None:
    match = _OFFSET.match(query.replace(" ", ""))
    if match is None:
        return None
    sign = -1 if match[1] in "-−" else 1
    minutes = 30 if match[4] else int(match[3] or 0)
    return sign * (int(match[2]) * 60 + minutes)


def match_zone(text: str, *, cities: Callable[[], Mapping[str, str]] | None = None) -> str:
    """Return the IANA zone someone means, forgiving case, spaces and small typos.

    `cities` gives a gazetteer (a folded place name to its zone), asked only for a name
    that no zone, abbreviation or known place has.
    """
    exact = text.strip()
    query = fold_name(exact)
    if not query or len(query) > 64:
        raise InputError(says.NO_ZONE, example=ZONE_EXAMPLE)
    if is_zone(exact):
        return exact
    if query in _exact_names():
        return _exact_names()[query]
    offset = _offset_minutes(exact.casefold())
    if offset is not None:
        zone = zone_for_offset(offset)
        if zone is None:
            raise InputError(says.no_zone_at_offset(exact), example=ZONE_EXAMPLE)
        return zone
    if query in _ABBREVIATIONS:
        return _ABBREVIATIONS[query]
    name = _without_trailing_words(query)
    if name in _SEVERAL_ZONES:
        raise InputError(says.several_zones(text), example=ZONE_EXAMPLE)
    index = _index()
    for candidate in (query, name):
        if candidate in index:
            return index[candidate]
    gazetteer = cities() if cities is not None else {}
    for candidate in (query, name):
        # A table made with newer zone data may name a zone this machine lacks.
        if is_zone(gazetteer.get(candidate, "")):
            return gazetteer[candidate]
    if len(name.replace(" ", "")) >= _FUZZY_MIN_LETTERS:
        names = _fuzzy_names()
        best = process.extractOne(name, names, scorer=fuzz.ratio, score_cutoff=_FUZZY_SCORE)
        if best is not None:
            return index[best[0]]
    raise InputError(says.unknown_zone(text), example=ZONE_EXAMPLE)
