"""Taking back the last log for ten minutes (issue 27 item 2), on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.services import care, schedule, undo
from jobs.services.undo import Undid
from storage.kinds import NudgeKind, Treatment
from storage.models import CareSession, Event, PainCheckin, ScheduledNudge
from tests.support.factories import make_ready_user

NOW = datetime(2025, 6, 2, 8, 30, tzinfo=UTC)  # Monday 10:30 in Berlin
Sessions = async_sessionmaker[AsyncSession]


async def count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_the_last_glass_is_taken_back_and_only_that_one(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await schedule.log_water(session, user, now=NOW - timedelta(minutes=4))
        await schedule.log_water(session, user, ml=500, now=NOW - timedelta(minutes=2))
        undone = await undo.undo_last(session, user, now=NOW)
        left = (await session.scalars(select(Event.amount_ml))).all()
    assert undone is not None
    assert (undone.what, undone.amount_ml) == (Undid.WATER, 500)
    assert list(left) == [250]


async def test_nothing_older_than_ten_minutes_is_taken_back(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await schedule.log_done(session, user, NudgeKind.POSTURE, now=NOW - timedelta(minutes=11))
        undone = await undo.undo_last(session, user, now=NOW)
        assert undone is None
        assert await count(session, Event) == 1


async def test_a_break_or_the_stretch_logged_last_is_taken_back(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await schedule.log_water(session, user, now=NOW - timedelta(minutes=6))
        await schedule.log_done(session, user, NudgeKind.STRETCH, now=NOW - timedelta(minutes=1))
        first = await undo.undo_last(session, user, now=NOW)
        second = await undo.undo_last(session, user, now=NOW)
        third = await undo.undo_last(session, user, now=NOW)
    assert first is not None
    assert second is not None
    assert (first.what, second.what, third) == (Undid.STRETCH, Undid.WATER, None)


async def test_a_pain_score_is_taken_back(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await care.start_flare(session, user, now=NOW - timedelta(hours=1))
        await care.log_pain(session, user, 7, now=NOW - timedelta(minutes=1))
        undone = await undo.undo_last(session, user, now=NOW)
        assert undone is not None
        assert (undone.what, undone.score) == (Undid.PAIN, 7)
        assert await count(session, PainCheckin) == 0


async def test_a_session_started_by_mistake_goes_with_its_timer(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await care.start_flare(session, user, now=NOW - timedelta(hours=1))
        await care.start_session(session, user, Treatment.ICE, now=NOW - timedelta(minutes=1))
        undone = await undo.undo_last(session, user, now=NOW)
        timers = await session.scalar(
            select(func.count()).where(ScheduledNudge.kind == NudgeKind.SESSION_END)
        )
        assert undone is not None
        assert (undone.what, undone.treatment) == (Undid.SESSION, Treatment.ICE)
        assert await count(session, CareSession) == 0
        assert timers == 0
