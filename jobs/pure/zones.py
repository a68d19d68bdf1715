"""Find an IANA time zone from what someone types: `berlin`, `new york`, `Asia/Kolkata`."""

from __future__ import annotations

import zoneinfo
from functools import cache

from rapidfuzz import fuzz, process

from jobs.pure import input_wording as says
from jobs.pure.time_input import InputError

ZONE_EXAMPLE = "/timezone Europe/Berlin (or a city: /timezone new york)"

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

# Big cities that are not themselves zone names.
_CITY_ZONES = {
    "mumbai": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata",
    "chennai": "Asia/Kolkata",
    "hyderabad": "Asia/Kolkata",
    "beijing": "Asia/Shanghai",
    "munich": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "cologne": "Europe/Berlin",
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "san diego": "America/Los_Angeles",
    "boston": "America/New_York",
    "washington": "America/New_York",
    "miami": "America/New_York",
    "atlanta": "America/New_York",
    "philadelphia": "America/New_York",
    "nyc": "America/New_York",
    "houston": "America/Chicago",
    "dallas": "America/Chicago",
    "austin": "America/Chicago",
    "san antonio": "America/Chicago",
    "salt lake city": "America/Denver",
    "manchester": "Europe/London",
    "edinburgh": "Europe/London",
    "glasgow": "Europe/London",
    "barcelona": "Europe/Madrid",
    "milan": "Europe/Rome",
    "st petersburg": "Europe/Moscow",
    "osaka": "Asia/Tokyo",
    "kyoto": "Asia/Tokyo",
    "rio de janeiro": "America/Sao_Paulo",
    "rio": "America/Sao_Paulo",
    "melbourne": "Australia/Melbourne",
    "canberra": "Australia/Sydney",
    "uk": "Europe/London",
    "germany": "Europe/Berlin",
    "india": "Asia/Kolkata",
    "japan": "Asia/Tokyo",
}


def _key(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


@cache
def _index() -> dict[str, str]:
    """Map each searchable name (full IANA name, its city part, known cities) to its zone."""
    names: dict[str, str] = {}
    zones = sorted(zoneinfo.available_timezones())
    for zone in zones:
        if zone.startswith(("Etc/", "SystemV/")) or ("/" not in zone and zone != "UTC"):
            continue
        names[_key(zone)] = zone
        names.setdefault(_key(zone.rsplit("/", 1)[-1]), zone)
    names.update(_CITY_ZONES)
    names["utc"] = "UTC"
    return names


def is_zone(name: str) -> bool:
    """Tell whether a name is a usable IANA zone."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return "/" in name or name == "UTC"


def match_zone(text: str) -> str:
    """Return the IANA zone someone means, forgiving case, spaces and small typos."""
    query = _key(text)
    if len(query) < 2 or len(query) > 64:
        raise InputError(says.NO_ZONE, example=ZONE_EXAMPLE)
    exact = text.strip()
    if is_zone(exact):
        return exact
    index = _index()
    if query in index:
        return index[query]
    best = process.extractOne(query, index.keys(), scorer=fuzz.ratio, score_cutoff=85)
    if best is None:
        raise InputError(says.unknown_zone(text), example=ZONE_EXAMPLE)
    return index[best[0]]
