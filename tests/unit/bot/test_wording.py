"""What people read: words that fit what happened."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.render import MAX_ALERT_LENGTH
from bot.wording.answers import ANSWER_WORDS
from bot.wording.common import CANNOT_SAVE, at
from bot.wording.flare import HEAT_IN_ICE_PHASE, flare_ended, session_started
from bot.wording.nudges import NudgeTexts
from bot.wording.settings import confirmation, settings_menu, summary
from guidance import Guide
from jobs.rules.changes import Pause, SetEnabled, SetStretchTime, SetWaking, SetZone
from jobs.rules.fields import parse_field
from jobs.rules.flare import FlareSummary
from jobs.rules.person import Person
from jobs.rules.windows import TimeWindow
from jobs.services.care import SessionStarted
from storage.kinds import Treatment
from storage.models import NudgeKind
from tests.support.factories import a_person

BERLIN = ZoneInfo("Europe/Berlin")


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
    return a_person(zone=zone)


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


MONDAY_MORNING = datetime(2026, 12, 7, 9, 0, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        (MONDAY_MORNING.replace(hour=15), "today at 15:00"),
        (MONDAY_MORNING.replace(hour=7), "today at 07:00"),
        (MONDAY_MORNING + timedelta(days=1, hours=-2), "tomorrow at 07:00"),
        (MONDAY_MORNING + timedelta(days=2), "Wed 9 Dec at 09:00"),
        (MONDAY_MORNING + timedelta(hours=168, minutes=80), "Mon 14 Dec at 10:20"),
        (MONDAY_MORNING - timedelta(days=1), "Sun 6 Dec at 09:00"),
    ],
)
def test_a_time_says_today_tomorrow_or_its_date(moment: datetime, said: str) -> None:
    assert at(moment.astimezone(UTC), "Europe/Berlin", now=MONDAY_MORNING) == said


def test_today_is_the_persons_day_not_utcs() -> None:
    # 23:30 UTC on Monday is already 00:30 on Tuesday in Berlin.
    now = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)
    assert at(now + timedelta(hours=8), "Europe/Berlin", now=now) == "today at 08:30"
    assert at(now + timedelta(hours=8), "America/New_York", now=now) == "tomorrow at 02:30"


def test_no_time_is_said_as_not_scheduled() -> None:
    assert at(None, "Europe/Berlin", now=MONDAY_MORNING) == "not scheduled"


def test_a_pause_of_a_week_names_the_day_and_date_it_ends() -> None:
    person = a_person(paused_until=MONDAY_MORNING + timedelta(hours=168, minutes=80))
    said = confirmation(Pause(timedelta(hours=168)), person, now=MONDAY_MORNING)
    assert said == "Nudges paused until Mon 14 Dec at 10:20. /resume brings them back."


def test_water_amounts_show_in_the_persons_unit() -> None:
    ounces = dataclasses.replace(person_in("Europe/Berlin"), water_unit="oz")
    plan = summary(ounces, now=WINTER_NOON_UTC).text
    assert "Water: 68 oz a day in 8 oz glasses (8 glasses)" in plan
    menu = settings_menu(ounces, now=WINTER_NOON_UTC)
    labels = [label for row in menu.rows for label, _ in row]
    assert "Goal 68 oz" in labels
    assert "Show in ml" in labels
    millilitres = summary(person_in("Europe/Berlin"), now=WINTER_NOON_UTC).text
    assert "Water: 2000 ml a day in 250 ml glasses (8 glasses)" in millilitres


def test_heat_started_in_the_ice_phase_says_in_one_line_that_ice_comes_first() -> None:
    texts = NudgeTexts(Guide.load(words=ANSWER_WORDS))
    now = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)
    steps = [(Treatment.HEAT, timedelta(minutes=15))]
    early = SessionStarted(Treatment.HEAT, now + timedelta(minutes=15), steps, True)
    later = dataclasses.replace(early, heat_in_ice_phase=False)
    said = session_started(early, texts, zone="Europe/Berlin", now=now)
    assert HEAT_IN_ICE_PHASE in said
    assert HEAT_IN_ICE_PHASE not in session_started(later, texts, zone="Europe/Berlin", now=now)


def test_a_stretch_time_in_quiet_hours_says_it_comes_at_the_wake_up_instead() -> None:
    awake_7_to_23 = a_person(stretch_time=time(0))
    said = confirmation(SetStretchTime(time(0)), awake_7_to_23, now=MONDAY_MORNING)
    assert said == (
        "Daily stretch at 00:00, which is in your quiet hours (23:00-07:00): "
        "it comes when you wake up, at 07:00."
    )


def test_a_stretch_time_in_waking_hours_is_confirmed_alone() -> None:
    said = confirmation(SetStretchTime(time(19)), a_person(), now=MONDAY_MORNING)
    assert said == "Daily stretch at 19:00."


def test_waking_hours_that_leave_the_stretch_in_quiet_hours_say_so() -> None:
    early = a_person(waking=TimeWindow(time(6), time(18)), stretch_time=time(19))
    said = confirmation(SetWaking(early.waking), early, now=MONDAY_MORNING)
    assert said == (
        "Awake 06:00-18:00; I'll stay quiet from 18:00 to 06:00. Your daily stretch at "
        "19:00 is in your quiet hours (18:00-06:00): it comes when you wake up, at 06:00."
    )
    stretch_off = a_person(waking=early.waking, stretch=False)
    said = confirmation(SetWaking(early.waking), stretch_off, now=MONDAY_MORNING)
    assert said == "Awake 06:00-18:00; I'll stay quiet from 18:00 to 06:00."


def test_turning_on_a_stretch_that_falls_in_quiet_hours_says_when_it_comes() -> None:
    night = a_person(waking=TimeWindow(time(22), time(6)), stretch_time=time(19))
    said = confirmation(SetEnabled(NudgeKind.STRETCH, True), night, now=MONDAY_MORNING)
    assert said == (
        "Stretch nudges on. Your daily stretch at 19:00 is in your quiet hours "
        "(06:00-22:00): it comes when you wake up, at 22:00."
    )


def test_i_cant_save_says_what_still_works_and_fits_a_button_alert() -> None:
    assert "try again later" in CANNOT_SAVE
    assert "Warning signs still get an answer" in CANNOT_SAVE
    # Telegram counts an alert's length in UTF-16 code units.
    assert len(CANNOT_SAVE.encode("utf-16-le")) // 2 <= MAX_ALERT_LENGTH


def test_every_setting_that_can_be_typed_says_what_to_type() -> None:
    from bot.wording.asking import PROMPTS
    from jobs.rules.fields import FIELDS

    assert set(PROMPTS) == set(FIELDS)
