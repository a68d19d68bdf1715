"""The names people type for zones: the tables."""

from __future__ import annotations

import re
from importlib import resources

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
    place: zone
    for place, _, zone in (
        line.partition("\t")
        for line in resources.files("guidance.reading.zones")
        .joinpath("places.tsv")
        .read_text(encoding="utf-8")
        .splitlines()
        if line and not line.startswith("#")
    )
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
