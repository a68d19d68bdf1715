"""What people read: words that fit what happened."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.wording.flare import flare_ended
from bot.wording.settings import confirmation, settings_menu, summary
from jobs.pure.flare import FlareSummary
from jobs.pure.person import Person
from jobs.pure.windows import TimeWindow, WorkDays
from jobs.services.profile import SetZone, parse_field


@pytest.mark.parametrize(
    ("pain", "opening"),
    [
        ([7, 5, 3], "🌤 Glad it's easing."),
        ([9, 9], "Care mode is off. Your pain hasn't eased; if it stays, please see a doctor."),
        ([4, 6], "🩺 Care mode is off, but your pain has got worse: please see a doctor."),
        ([6], "🌤 Care mode is off."),
        ([], "🌤 Care mode is off."),
    ],
)
def test_better_says_what_the_pain_trend_says(pain: list[int], opening: str) -> None:
    said = flare_ended(FlareSummary(3, 2, 1, 0, pain))
    assert said.startswith(f"{opening} This episode: 3 days; sessions: 2 ice, 1 heat; pain: ")
    assert said.endswith("Your everyday nudges carry on; take it slowly.")


def person_in(zone: str | None) -> Person:
    """Return someone set up in a zone, with the usual defaults."""
    return Person(
        id=7,
        chat_id=7,
        zone=zone,
        waking=TimeWindow(time(7), time(23)),
        work=TimeWindow(time(9), time(17)),
        work_days=WorkDays.from_mask(0b0011111),
        water=True,
        water_goal_ml=2000,
        water_glass_ml=250,
        posture=True,
        posture_every_minutes=60,
        stretch=True,
        stretch_time=time(19),
        paused_until=None,
        onboarding_step=None,
    )


WINTER_NOON_UTC = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("EST", "Time zone set to America/New_York (it's 07:00 there now)."),
        ("IST", "Time zone set to Asia/Kolkata (it's 17:30 there now)."),
        (
            "UTC+2",
            "Time zone set to UTC+2 (it's 14:00 there now). A fixed offset: type your city "
            "instead to follow daylight saving.",
        ),
        (
            "utc -5",
            "Time zone set to UTC-5 (it's 07:00 there now). A fixed offset: type your city "
            "instead to follow daylight saving.",
        ),
    ],
)
def test_a_zone_is_confirmed_with_the_local_time_there_now(typed: str, said: str) -> None:
    change = parse_field("tz", typed)
    assert isinstance(change, SetZone)
    assert confirmation(change, person_in(change.zone), now=WINTER_NOON_UTC) == said


def test_a_fixed_offset_is_named_as_typed_in_the_plan_and_the_menu() -> None:
    profile = person_in("Etc/GMT-2")
    assert "🕒 Time zone: UTC+2\n" in summary(profile, now=WINTER_NOON_UTC).text
    menu = settings_menu(profile, now=WINTER_NOON_UTC)
    assert menu.rows[0][0][0] == "🕒 UTC+2"
