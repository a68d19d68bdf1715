"""The weekly summary: when it falls due, what the composer makes of it, and what it says."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.wording.answers import ANSWER_WORDS
from bot.wording.nudges import GET_CHECKED, NudgeTexts
from guidance import Guide
from jobs.composer.content import Topic, WeeklySummary
from jobs.composer.core import compose
from jobs.composer.decisions import ALONE_WAIT, Due, Verdict
from jobs.composer.nudge import NudgeMessage, WeekPhase
from jobs.rules import flare, planning, rules
from jobs.rules.flare import DoctorReason
from jobs.rules.planning import Facts
from jobs.rules.progress import DayProgress, Progress
from storage.kinds import NudgeKind
from tests.support.factories import a_person as person
from tests.support.factories import said

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SUNDAY = date(2025, 6, 8)
SUNDAY_18_BERLIN = datetime(2025, 6, 8, 16, 0, tzinfo=UTC)
CAPTION_LIMIT = 1024  # Telegram's, for a picture's caption


def a_week(*, water: int = 2000, stretches: int = 1, pain: int | None = None) -> Progress:
    days = tuple(
        DayProgress(
            SUNDAY - timedelta(days=6 - i),
            water_ml=water,
            breaks_taken=3,
            breaks_offered=6,
            stretches=stretches,
            pain=pain,
        )
        for i in range(7)
    )
    return Progress(days, 2000, water_streak=7 if water >= 2000 else 0, flare=pain is not None)


def summary_due(at: datetime = SUNDAY_18_BERLIN, row: int = 9) -> Due:
    return Due(row, NudgeKind.WEEKLY_SUMMARY, at)


# -- when ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "now", "expected"),
    [
        # Monday in Berlin: the coming Sunday 18:00 (16:00 UTC in summer).
        ("Europe/Berlin", datetime(2025, 6, 2, 8, 0, tzinfo=UTC), "2025-06-08 18:00 Sun"),
        # Sunday 18:00 itself has just passed: a week later.
        ("Europe/Berlin", SUNDAY_18_BERLIN, "2025-06-15 18:00 Sun"),
        # The same UTC moment is Sunday noon in New York: tonight at 18:00 there.
        ("America/New_York", SUNDAY_18_BERLIN, "2025-06-08 18:00 Sun"),
        # Across the autumn clock change (Berlin, 26 October 2025): still 18:00 local.
        ("Europe/Berlin", datetime(2025, 10, 20, 8, 0, tzinfo=UTC), "2025-10-26 18:00 Sun"),
    ],
)
def test_the_summary_comes_on_the_chosen_evening_in_the_persons_zone(
    zone: str, now: datetime, expected: str
) -> None:
    due = planning.next_due(person(zone=zone), NudgeKind.WEEKLY_SUMMARY, Facts(), now=now)
    assert due is not None
    assert f"{due.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M %a}" == expected


def test_a_summary_time_in_quiet_hours_moves_to_the_next_wake_up() -> None:
    late = person(summary_time=time(23, 30))  # awake until 23:00
    due = planning.next_due(
        late, NudgeKind.WEEKLY_SUMMARY, Facts(), now=datetime(2025, 6, 2, 8, tzinfo=UTC)
    )
    assert due is not None
    local = due.astimezone(BERLIN)
    assert (local.date(), local.hour) == (date(2025, 6, 9), 7)
    assert not rules.in_quiet_hours(planning.rhythm(late), due)


def test_a_summary_switched_off_is_never_due() -> None:
    off = person(weekly_summary=False)
    assert planning.next_due(off, NudgeKind.WEEKLY_SUMMARY, Facts(), now=SUNDAY_18_BERLIN) is None


def test_another_day_and_time_can_be_chosen() -> None:
    friday = person(summary_day=4, summary_time=time(17))
    due = planning.next_due(
        friday, NudgeKind.WEEKLY_SUMMARY, Facts(), now=datetime(2025, 6, 2, 8, tzinfo=UTC)
    )
    assert due is not None
    assert f"{due.astimezone(BERLIN):%a %d %H:%M}" == "Fri 06 17:00"


# -- what the composer makes of it -------------------------------------------------------------


def test_the_summary_goes_out_with_its_chart_and_comes_back_next_week(texts: NudgeTexts) -> None:
    week = a_week()
    [decision] = compose(
        person(), Facts(week=week), [summary_due()], now=SUNDAY_18_BERLIN, choices=texts.choices
    )
    assert decision.verdict is Verdict.SEND
    assert decision.message is not None
    assert decision.message.chart == week
    assert said(decision.message).buttons == ()
    assert decision.next_due == SUNDAY_18_BERLIN + timedelta(days=7)


def test_the_summary_never_goes_out_at_night(texts: NudgeTexts) -> None:
    night = datetime(2025, 6, 8, 22, 30, tzinfo=UTC)  # 00:30 on Monday in Berlin
    [decision] = compose(
        person(), Facts(week=a_week()), [summary_due(night)], now=night, choices=texts.choices
    )
    assert decision.verdict is Verdict.HOLD
    assert decision.next_due is not None
    assert not rules.in_quiet_hours(planning.rhythm(person()), decision.next_due)


def test_a_week_with_nothing_logged_sends_no_summary(texts: NudgeTexts) -> None:
    empty = Progress(tuple(DayProgress(SUNDAY - timedelta(days=i)) for i in range(7)), 2000)
    [decision] = compose(
        person(), Facts(week=empty), [summary_due()], now=SUNDAY_18_BERLIN, choices=texts.choices
    )
    assert decision.verdict is Verdict.HOLD
    assert decision.next_due == SUNDAY_18_BERLIN + timedelta(days=7)


def test_the_summary_goes_alone_and_waits_a_minute_for_another_nudge(texts: NudgeTexts) -> None:
    rows = [Due(1, NudgeKind.WATER, SUNDAY_18_BERLIN), summary_due()]
    decisions = compose(
        person(), Facts(week=a_week()), rows, now=SUNDAY_18_BERLIN, choices=texts.choices
    )
    verdicts = {d.kind: (d.verdict, d.next_due) for d in decisions}
    assert verdicts[NudgeKind.WATER][0] is Verdict.SEND
    assert verdicts[NudgeKind.WEEKLY_SUMMARY] == (Verdict.HOLD, SUNDAY_18_BERLIN + ALONE_WAIT)
    water = next(d for d in decisions if d.kind is NudgeKind.WATER)
    assert water.message is not None
    assert water.message.chart is None
    assert [part.kind for part in water.message.parts] == [NudgeKind.WATER]


def test_a_summary_coming_due_soon_does_not_join_another_message(texts: NudgeTexts) -> None:
    decisions = compose(
        person(),
        Facts(week=a_week()),
        [Due(1, NudgeKind.WATER, SUNDAY_18_BERLIN)],
        now=SUNDAY_18_BERLIN,
        choices=texts.choices,
        soon=[summary_due(SUNDAY_18_BERLIN + timedelta(minutes=5))],
    )
    assert [(d.kind, d.verdict) for d in decisions] == [(NudgeKind.WATER, Verdict.SEND)]


# -- what it says ---------------------------------------------------------------------------


def test_the_summary_says_what_went_well_and_one_thing_from_the_guidance(
    texts: NudgeTexts,
) -> None:
    guide = Guide.load(words=ANSWER_WORDS)
    text = said(texts.choices.weekly_summary(a_week(stretches=0))).text
    lines = text.splitlines()
    assert lines[0] == "📅 Your week with BackCare"
    assert "🌱 What went well: water goal met on 7 of 7 days; " in text
    # No stretch all week: the stretch is the thing to try, with its caution and sources.
    (tip,) = [line for line in lines if line.startswith("💡 One thing to try: ")]
    assert any(item.name in tip and item.how in tip for item in guide.stretches())
    assert guide.stretch_caution() in tip
    assert lines[-1].startswith("Sources: ")
    assert len(text) <= CAPTION_LIMIT


def test_in_a_flare_the_thing_to_try_is_gentle_movement(texts: NudgeTexts) -> None:
    guide = Guide.load(words=ANSWER_WORDS)
    text = said(texts.choices.weekly_summary(a_week(water=500, pain=5))).text
    assert f"💡 One thing to try: {guide.gentle_walk()}" in text
    assert "🩹 Pain (0-10):" in text
    assert len(text) <= CAPTION_LIMIT


def test_the_summary_survives_the_outbox() -> None:
    says = WeeklySummary(Topic.DOCTOR, doctor=DoctorReason.WORSE)
    message = NudgeMessage(NudgeKind.WEEKLY_SUMMARY, says, (), chart=a_week(pain=3))
    assert NudgeMessage.from_payload(message.to_payload()) == message


def test_after_a_warning_sign_the_thing_to_try_is_getting_checked(texts: NudgeTexts) -> None:
    text = said(texts.choices.weekly_summary(a_week(pain=8), phase=WeekPhase.SEEKING_HELP)).text
    assert f"💡 One thing to try: {GET_CHECKED}" in text
    assert "walk" not in text.split("💡")[1]
    assert len(text) <= CAPTION_LIMIT


def test_on_a_spasms_first_day_the_thing_to_try_is_rest(texts: NudgeTexts) -> None:
    text = said(texts.choices.weekly_summary(a_week(pain=7), phase=WeekPhase.RESTING)).text
    assert texts.positions in text
    assert "walk" not in text.split("💡")[1]


def test_when_the_episode_needs_a_doctor_the_thing_to_try_says_so(texts: NudgeTexts) -> None:
    text = said(
        texts.choices.weekly_summary(
            a_week(pain=9),
            phase=WeekPhase.DOCTOR,
            doctor_reason="your pain has stayed at 8 or more (a cautious rule of my own)",
        )
    ).text
    assert "💡 One thing to try: See a doctor (your pain has stayed at 8 or more" in text
    assert len(text) <= CAPTION_LIMIT


def test_the_composer_picks_the_phase_from_what_it_knows(texts: NudgeTexts) -> None:
    plan = flare.CarePlan(started_at=SUNDAY_18_BERLIN - timedelta(hours=3))
    known = Facts(plan=plan, week=a_week(pain=8))
    (sent,) = compose(
        person(), known, [summary_due()], now=SUNDAY_18_BERLIN, choices=texts.choices
    )
    assert sent.message is not None
    assert texts.positions in said(sent.message).text  # the first day: rest
    helped = replace(known, seeking_help=True)
    (sent,) = compose(
        person(), helped, [summary_due()], now=SUNDAY_18_BERLIN, choices=texts.choices
    )
    assert sent.message is not None
    assert GET_CHECKED in said(sent.message).text
