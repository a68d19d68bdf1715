"""Keeping someone's schedule right as they drink, take breaks, snooze, skip and move."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.rules.changes import Pause, SetEnabled, SetWaking, SetZone
from jobs.rules.person import person_of
from jobs.rules.planning import rhythm
from jobs.rules.rules import in_quiet_hours
from jobs.rules.windows import TimeWindow
from jobs.services import schedule
from jobs.services.profile import apply_change
from storage.models import NudgeKind, ScheduledNudge, User
from tests.support.factories import make_ready_user, make_user

Sessions = async_sessionmaker[AsyncSession]
BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_10 = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)  # 10:00 in Berlin


async def rows(session: AsyncSession, user: User) -> dict[NudgeKind, datetime]:
    """Return someone's scheduled nudges by kind."""
    found = await session.scalars(select(ScheduledNudge).where(ScheduledNudge.user_id == user.id))
    return {row.kind: row.due_at for row in found}


async def test_nobody_is_scheduled_before_finishing_onboarding(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        planned = await schedule.reschedule(session, user, now=MONDAY_10)
        assert planned == dict.fromkeys(schedule.ALL_KINDS)
        assert await rows(session, user) == {}


async def test_a_ready_person_gets_one_row_per_kind_all_in_the_future(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await schedule.reschedule(session, user, now=MONDAY_10)
        due = await rows(session, user)
    assert set(due) == {
        NudgeKind.WATER,
        NudgeKind.POSTURE,
        NudgeKind.STRETCH,
        NudgeKind.WEEKLY_SUMMARY,
    }
    assert all(moment > MONDAY_10 for moment in due.values())
    stretch = due[NudgeKind.STRETCH].astimezone(BERLIN)
    assert time(19) <= stretch.time() <= time(19, 10)
    # The weekly summary: the coming Sunday at 18:00 in their zone.
    summary = due[NudgeKind.WEEKLY_SUMMARY].astimezone(BERLIN)
    assert (summary.strftime("%a %H:%M"), (summary.date() - MONDAY_10.date()).days) == (
        "Sun 18:00",
        6,
    )


async def test_a_glass_pushes_the_next_water_nudge_back(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        before = (await schedule.reschedule(session, user, now=MONDAY_10))[NudgeKind.WATER]
        assert before is not None
        drink_time = before - timedelta(minutes=5)
        logged = await schedule.log_water(session, user, now=drink_time)
    assert logged.glasses == 1
    assert logged.next_due is not None
    assert logged.next_due > before


async def test_reaching_the_goal_congratulates_once_and_stops_water_for_the_day(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        results = [
            await schedule.log_water(session, user, ml=500, now=MONDAY_10 + timedelta(minutes=i))
            for i in range(5)
        ]
    assert [result.goal_reached_now for result in results] == [False, False, False, True, False]
    assert results[3].glasses == 8
    tomorrow_wake = datetime(2025, 6, 3, 6, 0, tzinfo=UTC)  # 08:00 in Berlin
    assert results[3].next_due is not None
    assert results[3].next_due >= tomorrow_wake


async def test_a_snooze_never_lands_in_quiet_hours(sessionmaker: Sessions) -> None:
    late = datetime(2025, 6, 2, 19, 50, tzinfo=UTC)  # 21:50 in Berlin, asleep from 22:00
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        due = await schedule.snooze(session, user, NudgeKind.WATER, now=late)
    assert due is not None
    assert not in_quiet_hours(rhythm(person_of(user)), due)
    assert due.astimezone(BERLIN).time() >= time(8)


async def test_skipping_the_stretch_moves_it_to_tomorrow(sessionmaker: Sessions) -> None:
    evening = datetime(2025, 6, 2, 17, 5, tzinfo=UTC)  # 19:05 in Berlin
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        due = await schedule.skip(session, user, NudgeKind.STRETCH, now=evening)
    assert due is not None
    assert due.astimezone(BERLIN).date() == evening.date() + timedelta(days=1)


async def test_pausing_a_kind_for_today_brings_it_back_tomorrow(sessionmaker: Sessions) -> None:
    noon = datetime(2025, 6, 2, 10, 0, tzinfo=UTC)  # 12:00 in Berlin
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        due = await schedule.rest_today(session, user, NudgeKind.WATER, now=noon)
        kept = await session.scalar(
            select(ScheduledNudge.due_at).where(ScheduledNudge.kind == NudgeKind.WATER)
        )
    assert due is not None
    assert due.astimezone(BERLIN).date() == noon.date() + timedelta(days=1)
    assert kept == due


async def test_a_break_taken_is_counted_today_and_the_next_comes_an_interval_later(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        due = await schedule.log_done(session, user, NudgeKind.POSTURE, now=MONDAY_10)
        report = await schedule.today(session, user, now=MONDAY_10 + timedelta(minutes=1))
    assert due == MONDAY_10 + timedelta(hours=1)
    assert report.breaks == 1
    assert report.next_due[NudgeKind.POSTURE] == due


async def test_changing_zone_or_hours_reschedules_at_once(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await schedule.reschedule(session, user, now=MONDAY_10)
        berlin = await rows(session, user)
        apply_change(user, SetZone("America/New_York"), now=MONDAY_10)
        apply_change(user, SetWaking(TimeWindow(time(6), time(23))), now=MONDAY_10)
        await schedule.reschedule(session, user, now=MONDAY_10)
        new_york = await rows(session, user)
    assert new_york != berlin
    stretch = new_york[NudgeKind.STRETCH].astimezone(ZoneInfo("America/New_York"))
    assert time(19) <= stretch.time() <= time(19, 10)


async def test_turning_a_nudge_off_or_pausing_updates_its_row(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await schedule.reschedule(session, user, now=MONDAY_10)
        apply_change(user, SetEnabled(NudgeKind.POSTURE, False), now=MONDAY_10)
        apply_change(user, Pause("today"), now=MONDAY_10)
        await schedule.reschedule(session, user, now=MONDAY_10)
        due = await rows(session, user)
    assert NudgeKind.POSTURE not in due
    assert user.paused_until is not None
    assert all(moment >= user.paused_until for moment in due.values())


async def test_a_posture_break_snoozed_at_the_end_of_work_waits_for_the_next_work_day(
    sessionmaker: Sessions,
) -> None:
    almost_home = datetime(2025, 6, 2, 14, 55, tzinfo=UTC)  # 16:55 in Berlin, work ends 17:00
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        due = await schedule.snooze(session, user, NudgeKind.POSTURE, now=almost_home)
    assert due is not None
    local = due.astimezone(BERLIN)
    assert local.date() == date(2025, 6, 3)
    assert time(9) < local.time() < time(17)


async def test_a_posture_break_snoozed_mid_morning_comes_back_in_ten_minutes(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        due = await schedule.snooze(session, user, NudgeKind.POSTURE, now=MONDAY_10)
    assert due == MONDAY_10 + timedelta(minutes=10)


async def test_a_day_past_ten_litres_is_confirmed_before_it_is_logged(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        morning = datetime(2025, 6, 2, 9, tzinfo=UTC)
        for _ in range(5):
            await schedule.log_water(session, user, ml=2000, now=morning)
        with pytest.raises(schedule.NeedsConfirmation) as asked:
            await schedule.log_water(session, user, ml=250, now=morning)
        assert asked.value.total_ml == 10_250
        logged = await schedule.log_water(session, user, ml=250, now=morning, confirmed=True)
    assert logged.glasses == 41
