"""Time zones as people type them: abbreviations, names, offsets, places; legacy names kept out."""

from __future__ import annotations

import string
import tomllib
from datetime import UTC, datetime, timedelta
from itertools import product
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidance.reading.times import InputError
from guidance.reading.zones import match, names
from guidance.reading.zones.gazetteer import city_zones
from guidance.reading.zones.match import (
    fold_name,
    is_fixed_offset,
    is_legacy,
    is_zone,
    match_zone,
    zone_for_offset,
    zone_label,
)
from tests.support.paths import TESTS
from tests.support.refusals import refusal

TYPED = tomllib.loads((TESTS / "jobs" / "typed_zones.toml").read_text("utf-8"))
WINTER = datetime(2026, 1, 15, 12, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 12, tzinfo=UTC)


def typed_zone(text: str) -> str:
    """Read a zone the way the settings flow does: with the shipped gazetteer behind it."""
    return match_zone(text, cities=city_zones)


@pytest.mark.parametrize(("typed", "zone"), TYPED["zones"], ids=[t for t, _ in TYPED["zones"]])
def test_a_typed_zone_becomes_its_representative_iana_zone(typed: str, zone: str) -> None:
    assert typed_zone(typed) == zone
    assert is_zone(zone)


@pytest.mark.parametrize("typed", TYPED["refused"])
def test_a_zone_nobody_has_is_refused_in_one_line_with_an_example(typed: str) -> None:
    with pytest.raises(InputError) as refused:
        typed_zone(typed)
    said = refusal(refused.value)
    assert "\n" not in said
    assert said.endswith(f"For example: {names.ZONE_EXAMPLE}")
    assert names.ZONE_EXAMPLE.startswith("/timezone Europe/Berlin")


def test_the_table_has_forty_zones_and_twenty_more_refused_or_not() -> None:
    assert len(TYPED["zones"]) >= 40
    assert len({typed for typed, _ in TYPED["zones"]}) == len(TYPED["zones"])


def test_est_is_new_york_and_not_australia_west_which_it_looks_like() -> None:
    # The regression: "est" was 86 % like "west", the city part of Australia/West.
    assert typed_zone("EST") == "America/New_York"
    assert typed_zone("est") == "America/New_York"
    assert ZoneInfo(typed_zone("EST")).utcoffset(WINTER) == timedelta(hours=-5)


@pytest.mark.parametrize("typed", ["eastern", "pacific", "central", "mountain"])
def test_a_us_zone_word_is_the_us_city_zone_and_not_a_canada_alias(typed: str) -> None:
    assert typed_zone(typed).startswith("America/")


def test_cst_stays_us_central_and_china_is_asked_for_by_name() -> None:
    assert typed_zone("CST") == "America/Chicago"
    assert typed_zone("china") == typed_zone("beijing") == "Asia/Shanghai"


@pytest.mark.parametrize(
    "typed", ["Canada/Eastern", "US/Pacific", "Australia/West", "Etc/GMT+5", "Asia/Calcutta"]
)
def test_a_legacy_name_typed_in_full_still_works(typed: str) -> None:
    assert typed_zone(typed) == typed
    assert typed_zone(typed.lower()) == typed


def test_no_legacy_alias_is_in_reach_of_a_typo() -> None:
    reachable = {match._index()[name] for name in match._fuzzy_names()}
    assert not [zone for zone in reachable if is_legacy(zone)]
    assert all(len(name.replace(" ", "")) >= 4 for name in match._fuzzy_names())


@given(st.text(alphabet=string.ascii_letters, min_size=1, max_size=3))
@settings(max_examples=300, deadline=None)
def test_under_four_letters_is_an_exact_name_or_nothing(typed: str) -> None:
    key = fold_name(typed)
    # In the order match_zone tries them, the last one winning.
    exact = {**city_zones(), **match._index(), **names._ABBREVIATIONS, **match._exact_names()}
    try:
        zone = typed_zone(typed)
    except InputError:
        assert key not in exact or key in names._SEVERAL_ZONES
    else:
        assert zone == exact[key]


def test_every_word_of_one_to_three_letters_is_an_exact_name_or_nothing() -> None:
    exact = {**city_zones(), **match._index(), **names._ABBREVIATIONS, **match._exact_names()}
    letters = string.ascii_lowercase
    words = [*letters, *product(letters, repeat=2), *product(letters, repeat=3)]
    loose = []
    for word in map("".join, words):
        try:
            zone = typed_zone(word)
        except InputError:
            continue
        if exact.get(word) != zone:
            loose.append((word, zone))
    assert loose == []


@given(
    hours=st.integers(min_value=-12, max_value=14),
    shape=st.sampled_from(["UTC{:+d}", "utc {:+d}", "GMT{:+d}", "{:+d}", "UTC {:+d}:00"]),
    moment=st.datetimes(
        min_value=datetime(1990, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
        max_value=datetime(2050, 1, 1),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
)
def test_any_whole_hour_offset_is_a_zone_with_that_offset_at_any_moment(
    hours: int, shape: str, moment: datetime
) -> None:
    zone = typed_zone(shape.format(hours))
    assert ZoneInfo(zone).utcoffset(moment) == timedelta(hours=hours)


@given(hours=st.integers(min_value=-12, max_value=14))
def test_a_fixed_offset_is_said_the_way_it_was_typed_and_reads_back(hours: int) -> None:
    zone = zone_for_offset(hours * 60)
    assert zone is not None
    label = zone_label(zone)
    assert label == ("UTC" if hours == 0 else f"UTC{hours:+d}")
    assert typed_zone(label) == zone
    assert is_fixed_offset(zone) == (hours != 0)


@pytest.mark.parametrize(("minutes", "zone"), sorted(names._PART_HOUR_ZONES.items()))
def test_a_part_hour_offset_is_a_real_zone_that_keeps_it_in_winter_or_summer(
    minutes: int, zone: str
) -> None:
    offsets = {ZoneInfo(zone).utcoffset(moment) for moment in (WINTER, SUMMER)}
    assert timedelta(minutes=minutes) in offsets


@pytest.mark.parametrize(("typed", "zone"), [("Europe/Berlin", "Europe/Berlin"), ("UTC", "UTC")])
def test_a_zone_that_is_not_fixed_is_said_by_its_own_name(typed: str, zone: str) -> None:
    assert zone_label(typed_zone(typed)) == zone
    assert not is_fixed_offset(zone)
