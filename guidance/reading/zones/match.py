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

import unicodedata
import zoneinfo
from collections.abc import Callable, Mapping
from functools import cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from guidance.reading import problems as says
from guidance.reading.times import InputError
from guidance.reading.zones.names import (
    _ABBREVIATIONS,
    _FIXED,
    _FUZZY_MIN_LETTERS,
    _FUZZY_SCORE,
    _LEGACY_AREAS,
    _LEGACY_AUSTRALIA,
    _OFFSET,
    _PART_HOUR_ZONES,
    _PLACES,
    _SEVERAL_ZONES,
    _SINGLE_WORD_ZONES,
    _TRAILING_WORDS,
    _WORDS_NOT_PLACES,
    _ZONE_WORDS,
    ZONE_EXAMPLE,
)


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


def nearest_zone(name: str) -> str | None:
    """Return the zone of the known place nearest a name said in answer to "which time
    zone?" ("mumbuy", "lundun"): one slip from four letters, two from six; None when the
    nearest places are in different zones ("brisbain": Brisbane or Britain?)."""
    query = fold_name(name)
    letters = len(query.replace(" ", ""))
    if letters < _FUZZY_MIN_LETTERS:
        return None
    most = 2 if letters >= 6 else 1
    found = process.extract(query, _fuzzy_names(), scorer=OSA.distance, score_cutoff=most)
    if not found:
        return None
    best = min(distance for _, distance, _ in found)
    zones = {_index()[place] for place, distance, _ in found if distance == best}
    return zones.pop() if len(zones) == 1 else None


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
