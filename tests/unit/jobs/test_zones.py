"""Time zones are found from what people type, forgivingly, and unknown ones are refused."""

from __future__ import annotations

import pytest

from guidance.reading.zones.match import is_zone, match_zone
from guidance.reading.zones.names import COMMON_ZONES
from tests.support.refusals import refused


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("asia/kolkata", "Asia/Kolkata"),
        ("kolkata", "Asia/Kolkata"),
        ("mumbai", "Asia/Kolkata"),
        ("berln", "Europe/Berlin"),
        ("los angeles", "America/Los_Angeles"),
        ("sao paulo", "America/Sao_Paulo"),
        ("UTC", "UTC"),
        ("Australia/Lord_Howe", "Australia/Lord_Howe"),
    ],
)
def test_a_city_or_zone_name_finds_its_zone(typed: str, zone: str) -> None:
    assert match_zone(typed) == zone


@pytest.mark.parametrize("typed", ["Mars/Olympus", "hogwarts castle", "q", "", "x" * 100])
def test_an_unknown_place_is_refused_with_an_example(typed: str) -> None:
    with refused("Europe/Berlin"):
        match_zone(typed)


def test_every_button_zone_is_a_real_zone() -> None:
    assert all(is_zone(zone) for zone in COMMON_ZONES)
