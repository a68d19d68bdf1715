"""The outbox on SQLite and PostgreSQL: once, on time, never at night, never lost."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.wording.nudges import NudgeTexts
from jobs.delivery.contracts import Claimed, OutboxSettings, Planned
from jobs.delivery.outbox import Outbox
from jobs.delivery.sending import Ambiguous, Denied, RetryLater, Unreachable
from jobs.services import schedule
from jobs.services.planner import NudgePlanner
from storage.database import create_engine, create_sessionmaker
from storage.migrate import upgrade
from storage.models import Delivery, DeliveryStatus, NudgeKind, ScheduledNudge, User
from tests.support.factories import DrivenClock, RecordingSender, make_ready_user

Sessions = async_sessionmaker[AsyncSession]
DAILY = (NudgeKind.WATER, NudgeKind.POSTURE, NudgeKind.STRETCH)

# Monday 2 June 2025, 10:00 in Berlin (UTC+2): awake, at work.
MONDAY_10 = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)


async def due_now(sessions: Sessions, clock: DrivenClock, *telegram_ids: int) -> None:
    """Create ready people whose three nudges are all due at the clock's time."""
    async with sessions.begin() as session:
        for telegram_id in telegram_ids:
            user = await make_ready_user(session, telegram_id)
            for kind in DAILY:
                session.add(ScheduledNudge(user_id=user.id, kind=kind, due_at=clock.now()))


def outbox(
    sessions: Sessions,
    sender: RecordingSender,
    clock: DrivenClock,
    texts: NudgeTexts,
    **kw: object,
) -> Outbox:
    """Build an outbox with the rate limit off unless given."""
    settings = OutboxSettings(**{"messages_per_second": 0, **kw})  # type: ignore[arg-type]
    return Outbox(sessions, sender, clock, NudgePlanner(texts.choices), settings)


async def deliveries(sessions: Sessions) -> Counter[DeliveryStatus]:
    """Count deliveries by status."""
    async with sessions() as session:
        rows = await session.execute(
            select(Delivery.status, func.count()).group_by(Delivery.status)
        )
        return Counter({status: count for status, count in rows})


async def test_due_nudges_are_sent_once_and_move_to_their_next_slot(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    await due_now(sessionmaker, clock, 1, 2)
    engine = outbox(sessionmaker, sender, clock, texts)

    first = await engine.tick()
    # One message per person: what is due at once goes out together, each part its own.
    assert first.sent == 2
    for _ in range(3):
        clock.advance(timedelta(seconds=1))
        assert (await engine.tick()).sent == 0

    assert sender.kinds() == {(chat, kind): 1 for chat in (1, 2) for kind in DAILY}
    assert len(sender.sent) == 2
    assert await deliveries(sessionmaker) == {DeliveryStatus.SENT: 2}
    async with sessionmaker() as session:
        due = (await session.scalars(select(ScheduledNudge.due_at))).all()
    assert len(due) == 6
    assert all(moment > clock.now() for moment in due)


async def test_a_water_nudge_says_where_the_day_stands(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, 7)
        await schedule.log_water(session, user, now=clock.now() - timedelta(hours=1))
        await schedule.log_water(session, user, now=clock.now() - timedelta(minutes=50))
        await session.execute(
            update(ScheduledNudge)
            .where(ScheduledNudge.user_id == user.id, ScheduledNudge.kind == NudgeKind.WATER)
            .values(due_at=clock.now())
        )
    await outbox(sessionmaker, sender, clock, texts).tick()
    [(_, message)] = [sent for sent in sender.sent if sent[1].kind is NudgeKind.WATER]
    assert "2 of 8 glasses" in message.text
    assert [action for _, action in message.buttons] == ["drink", "snooze", "skip"]


async def test_nothing_is_sent_at_night_and_the_nudge_moves_to_the_morning(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    night = datetime(2025, 6, 2, 1, 0, tzinfo=UTC)  # 03:00 in Berlin, awake 08:00-22:00
    clock, sender = DrivenClock(night), RecordingSender()
    await due_now(sessionmaker, clock, 3)
    report = await outbox(sessionmaker, sender, clock, texts).tick()
    assert sender.sent == []
    assert report.skipped == 3
    async with sessionmaker() as session:
        due = (await session.scalars(select(ScheduledNudge.due_at))).all()
    assert all(moment >= datetime(2025, 6, 2, 6, 0, tzinfo=UTC) for moment in due)


async def test_a_paused_person_gets_nothing_until_the_pause_ends(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    await due_now(sessionmaker, clock, 4)
    async with sessionmaker.begin() as session:
        await session.execute(update(User).values(paused_until=clock.now() + timedelta(hours=2)))
    await outbox(sessionmaker, sender, clock, texts).tick()
    assert sender.sent == []
    async with sessionmaker() as session:
        due = (await session.scalars(select(ScheduledNudge.due_at))).all()
    assert all(moment >= clock.now() + timedelta(hours=2) for moment in due)


async def test_a_nudge_late_beyond_its_grace_is_skipped_not_sent_stale(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, 5)
        session.add(
            ScheduledNudge(
                user_id=user.id, kind=NudgeKind.POSTURE, due_at=clock.now() - timedelta(hours=1)
            )
        )
    report = await outbox(sessionmaker, sender, clock, texts).tick()
    assert sender.sent == []
    assert report.skipped == 1
    async with sessionmaker() as session:
        row = (await session.scalars(select(ScheduledNudge))).one()
    assert row.due_at > clock.now()


class DiesBeforeMarking(Outbox):
    """An outbox whose process dies after claiming, before its sends are marked attempted."""

    marking = asyncio.Event()

    async def _mark_attempted(self, jobs: Sequence[object]) -> bool:
        self.marking.set()
        await asyncio.Event().wait()  # never set: the process "dies" here
        return False


async def crash_before_marking(sessions: Sessions, clock: DrivenClock, texts: NudgeTexts) -> None:
    """Claim what is due and die before anything is marked attempted."""
    dying = DiesBeforeMarking(
        sessions, RecordingSender(), clock, NudgePlanner(texts.choices), OutboxSettings(0)
    )
    dying.marking = asyncio.Event()
    crashing = asyncio.create_task(dying.tick())
    await asyncio.wait_for(dying.marking.wait(), timeout=10)
    crashing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await crashing


async def crash_mid_send(sessions: Sessions, clock: DrivenClock, texts: NudgeTexts) -> None:
    """Claim what is due and die while its request is on the wire (marked attempted)."""
    stuck = RecordingSender()
    stuck.block = asyncio.Event()  # never set: the process "dies" while sending
    crashing = asyncio.create_task(outbox(sessions, stuck, clock, texts).tick())
    await asyncio.wait_for(stuck.sending.wait(), timeout=10)
    crashing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await crashing


async def test_a_crash_between_claim_and_send_is_finished_by_the_start_up_sweep(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock = DrivenClock(MONDAY_10)
    await due_now(sessionmaker, clock, 6)
    await crash_before_marking(sessionmaker, clock, texts)
    assert await deliveries(sessionmaker) == {DeliveryStatus.PENDING: 1}

    sender = RecordingSender()
    clock.advance(timedelta(seconds=31))  # past the dead process's lease
    restarted = outbox(sessionmaker, sender, clock, texts)
    report = await restarted.sweep()
    assert report.sent == 1
    assert len(sender.sent) == 1
    assert (await restarted.sweep()).sent == 0
    assert await deliveries(sessionmaker) == {DeliveryStatus.SENT: 1}


async def test_a_send_in_flight_at_a_crash_is_not_sent_again_but_marked_ambiguous(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock = DrivenClock(MONDAY_10)
    await due_now(sessionmaker, clock, 16)
    await crash_mid_send(sessionmaker, clock, texts)

    sender = RecordingSender()
    clock.advance(timedelta(seconds=31))
    report = await outbox(sessionmaker, sender, clock, texts).sweep()
    assert sender.sent == []
    assert report.dropped_ambiguous == 1
    async with sessionmaker() as session:
        delivery = (await session.scalars(select(Delivery))).one()
    assert delivery.status is DeliveryStatus.FAILED
    assert delivery.error is not None
    assert delivery.error.startswith("ambiguous after a crash")


async def test_a_time_critical_send_in_flight_at_a_crash_is_sent_again_within_its_grace(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock = DrivenClock(MONDAY_10)
    await due_now(sessionmaker, clock, 17)
    await crash_mid_send(sessionmaker, clock, texts)
    # As if it were a timer ("take the ice off"): twice beats never.
    critical = sorted(NudgePlanner(texts.choices).critical)[0]
    async with sessionmaker.begin() as session:
        await session.execute(update(Delivery).values(kind=critical))

    sender = RecordingSender()
    clock.advance(timedelta(seconds=31))
    report = await outbox(sessionmaker, sender, clock, texts).sweep()
    assert report.sent == 1
    assert len(sender.sent) == 1
    async with sessionmaker() as session:
        delivery = (await session.scalars(select(Delivery))).one()
    assert (delivery.status, delivery.attempts, delivery.attempted_at) == (
        DeliveryStatus.SENT,
        2,
        None,
    )


async def test_a_delivery_left_pending_longer_than_its_grace_is_dropped(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock = DrivenClock(MONDAY_10)
    await due_now(sessionmaker, clock, 8)
    await crash_before_marking(sessionmaker, clock, texts)

    clock.advance(timedelta(hours=3))  # down for longer than any grace
    sender = RecordingSender()
    report = await outbox(sessionmaker, sender, clock, texts).sweep()
    assert sender.sent == []
    assert report.dropped_stale == 1
    assert await deliveries(sessionmaker) == {DeliveryStatus.FAILED: 1}


class FakeLease:
    """A sending lease a test takes away."""

    def __init__(self) -> None:
        self.held = True

    async def check(self) -> bool:
        return self.held


async def test_an_outbox_without_the_sending_lease_claims_and_sends_nothing(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock, sender, lease = DrivenClock(MONDAY_10), RecordingSender(), FakeLease()
    await due_now(sessionmaker, clock, 18, 19)
    engine = Outbox(
        sessionmaker, sender, clock, NudgePlanner(texts.choices), OutboxSettings(0), lease=lease
    )
    lease.held = False
    assert (await engine.tick()).sent == 0
    assert sender.sent == []
    assert await deliveries(sessionmaker) == {}
    lease.held = True
    assert (await engine.tick()).sent == 2


async def test_flood_control_waits_for_retry_after_and_loses_nothing(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    await due_now(sessionmaker, clock, 9)
    sender.failures[9] = [RetryLater(5)]
    engine = outbox(sessionmaker, sender, clock, texts)

    assert (await engine.tick()).retried == 1
    clock.advance(timedelta(seconds=3))
    assert (await engine.tick()).sent == 0  # still inside retry_after
    sent = 0
    for _ in range(6):
        clock.advance(timedelta(seconds=1))
        sent += (await engine.tick()).sent
    assert sent == 1  # the one message, with its three parts
    assert sender.kinds() == {(9, kind): 1 for kind in DAILY}


async def test_flood_control_amid_batches_in_flight_loses_and_repeats_nothing(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    async with sessionmaker.begin() as session:
        for telegram_id in range(1, 13):
            user = await make_ready_user(session, telegram_id)
            session.add(ScheduledNudge(user_id=user.id, kind=NudgeKind.WATER, due_at=clock.now()))
    sender.failures[3] = [RetryLater(5)]
    # Batches of 4: while the first is sent (and hits the 429), the next is being claimed.
    engine = outbox(sessionmaker, sender, clock, texts, batch_size=4, concurrency=1)
    first = await engine.tick()
    assert first.retried >= 1
    assert first.sent < 12
    for _ in range(8):
        clock.advance(timedelta(seconds=1))
        await engine.tick()
    assert sender.kinds() == {(chat, NudgeKind.WATER): 1 for chat in range(1, 13)}
    assert await deliveries(sessionmaker) == {DeliveryStatus.SENT: 12}


async def test_a_person_who_blocked_the_bot_gets_no_more_nudges(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    await due_now(sessionmaker, clock, 10, 11)
    sender.failures[10] = [Unreachable("Forbidden: bot was blocked by the user")]
    report = await outbox(sessionmaker, sender, clock, texts).tick()
    assert report.deactivated == 1
    async with sessionmaker() as session:
        blocked = (await session.scalars(select(User).where(User.telegram_id == 10))).one()
        left = await session.scalar(
            select(func.count())
            .select_from(ScheduledNudge)
            .where(ScheduledNudge.user_id == blocked.id)
        )
        failure = (
            await session.scalars(select(Delivery).where(Delivery.user_id == blocked.id))
        ).one()
    assert blocked.active is False
    assert left == 0
    assert failure.status is DeliveryStatus.FAILED
    assert failure.error is not None
    assert "blocked" in failure.error
    assert [chat for chat, _ in sender.sent] == [11]


async def test_a_403_that_is_not_a_block_is_retried_and_deactivates_nobody(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, 14)
        session.add(ScheduledNudge(user_id=user.id, kind=NudgeKind.WATER, due_at=clock.now()))
    sender.failures[14] = [Denied("Forbidden: bot can't initiate conversation with a user")] * 3
    engine = outbox(sessionmaker, sender, clock, texts)
    denied = 0
    for _ in range(8):  # backoffs of 2, 4 and 8 s
        report = await engine.tick()
        denied += report.denied
        assert report.deactivated == 0
        clock.advance(timedelta(seconds=2))
    assert denied == 3
    assert [chat for chat, _ in sender.sent] == [14]
    async with sessionmaker() as session:
        person = (await session.scalars(select(User).where(User.telegram_id == 14))).one()
        left = await session.scalar(select(func.count()).select_from(ScheduledNudge))
    assert person.active is True
    assert left == 1  # the water nudge moved on to its next slot
    assert await deliveries(sessionmaker) == {DeliveryStatus.SENT: 1}


async def test_network_errors_are_retried_with_backoff_until_the_grace_ends(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, 12)
        session.add(ScheduledNudge(user_id=user.id, kind=NudgeKind.STRETCH, due_at=clock.now()))
    sender.failures[12] = [ConnectionError("timed out")] * 2
    engine = outbox(sessionmaker, sender, clock, texts)
    await engine.tick()
    clock.advance(timedelta(seconds=1))
    assert (await engine.tick()).sent == 0  # first backoff is 2 s
    clock.advance(timedelta(seconds=2))
    await engine.tick()  # second failure, backoff 4 s
    clock.advance(timedelta(seconds=4))
    assert (await engine.tick()).sent == 1

    # An outage far longer than five tries: still sent, as long as it ends within the grace.
    sender.failures[12] = [ConnectionError("down")] * 9
    async with sessionmaker.begin() as session:
        await session.execute(update(ScheduledNudge).values(due_at=clock.now()))
    for _ in range(50):
        await engine.tick()
        clock.advance(timedelta(minutes=1))
    assert await deliveries(sessionmaker) == {DeliveryStatus.SENT: 2}

    # One that outlasts the stretch's hour of grace is given up, not sent stale.
    sender.failures[12] = [ConnectionError("down")] * 1000
    async with sessionmaker.begin() as session:
        await session.execute(update(ScheduledNudge).values(due_at=clock.now()))
    for _ in range(90):
        await engine.tick()
        clock.advance(timedelta(minutes=1))
    assert await deliveries(sessionmaker) == {DeliveryStatus.SENT: 2, DeliveryStatus.FAILED: 1}


async def test_an_unanswered_send_is_not_repeated_unless_it_is_time_critical(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, 13)
        session.add(ScheduledNudge(user_id=user.id, kind=NudgeKind.STRETCH, due_at=clock.now()))
    sender.failures[13] = [Ambiguous("no answer within the read timeout")]
    engine = outbox(sessionmaker, sender, clock, texts)
    for _ in range(5):
        await engine.tick()
        clock.advance(timedelta(seconds=30))
    assert sender.sent == []  # maybe delivered: an ordinary nudge is not sent twice
    assert await deliveries(sessionmaker) == {DeliveryStatus.FAILED: 1}


async def test_the_send_rate_is_paced_on_the_clock(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    async with sessionmaker.begin() as session:
        for telegram_id in range(100, 170):
            user = await make_ready_user(session, telegram_id)
            session.add(ScheduledNudge(user_id=user.id, kind=NudgeKind.WATER, due_at=clock.now()))
    engine = outbox(sessionmaker, sender, clock, texts, messages_per_second=30)
    counts = []
    for _ in range(3):
        counts.append((await engine.tick()).sent)
        clock.advance(timedelta(seconds=1))
    assert counts == [30, 30, 10]


async def test_a_tick_sends_batch_after_batch_and_records_each(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    await due_now(sessionmaker, clock, *range(1, 24))
    # Batches of 5 rows, batch after batch within one tick: each of the 23 people gets one
    # message, their other rows joining it even when claimed in another batch's place.
    report = await outbox(sessionmaker, sender, clock, texts, batch_size=5).tick()
    assert report.sent == 23
    assert sorted(chat for chat, _ in sender.sent) == list(range(1, 24))
    assert sender.kinds() == {(chat, kind): 1 for chat in range(1, 24) for kind in DAILY}
    assert await deliveries(sessionmaker) == {DeliveryStatus.SENT: 23}


class _Planner(NudgePlanner):
    """The real planner, with a hook that runs inside the claim's transaction first."""

    def __init__(self, texts: NudgeTexts, before: Callable[[AsyncSession, int], Awaitable[None]]):
        super().__init__(texts.choices)
        self.before, self.calls = before, 0

    async def plan(
        self, session: AsyncSession, rows: Sequence[Claimed], *, now: datetime
    ) -> list[Planned]:
        self.calls += 1
        await self.before(session, self.calls)
        return await super().plan(session, rows, now=now)


async def test_what_went_out_is_recorded_even_when_the_next_claim_fails(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    await due_now(sessionmaker, clock, *range(1, 11))

    async def failing_second(_session: AsyncSession, calls: int) -> None:
        if calls == 2:
            raise ConnectionError("database went away")

    planner = _Planner(texts, failing_second)
    engine = Outbox(sessionmaker, sender, clock, planner, OutboxSettings(0, batch_size=15))
    with pytest.raises(ConnectionError):
        await engine.tick()
    assert len(sender.sent) == 5
    assert await deliveries(sessionmaker) == {DeliveryStatus.SENT: 5}


async def test_a_person_deleted_while_their_nudge_is_claimed_is_passed_over(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    await due_now(sessionmaker, clock, 1, 2)

    async def forget_the_first(session: AsyncSession, _calls: int) -> None:
        # /forget ran between claiming person 1's rows and reading person 1.
        await session.execute(delete(User).where(User.telegram_id == 1))

    planner = _Planner(texts, forget_the_first)
    report = await Outbox(sessionmaker, sender, clock, planner, OutboxSettings(0)).tick()
    assert report.sent == 1
    assert [chat for chat, _ in sender.sent] == [2]
    async with sessionmaker() as session:
        kept = await session.scalars(select(ScheduledNudge.user_id).distinct())
        assert len(kept.all()) == 1


@pytest.mark.postgres
async def test_two_outboxes_on_one_postgres_database_send_each_nudge_once(
    postgres_url: str, texts: NudgeTexts
) -> None:
    first_engine, second_engine = create_engine(postgres_url), create_engine(postgres_url)
    await upgrade(first_engine)
    sessionmaker = create_sessionmaker(first_engine)
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    people = 300  # two outboxes of 200-row batches still contend for every row
    async with sessionmaker.begin() as session:
        for telegram_id in range(1, people + 1):
            user = await make_ready_user(session, telegram_id)
            for kind in DAILY:
                session.add(ScheduledNudge(user_id=user.id, kind=kind, due_at=clock.now()))
    try:
        engines = [
            outbox(sessionmaker, sender, clock, texts, batch_size=200),
            outbox(create_sessionmaker(second_engine), sender, clock, texts, batch_size=200),
        ]

        async def run(engine: Outbox) -> int:
            total = 0
            for _ in range(5):
                total += (await engine.tick()).sent
                await asyncio.sleep(0)
            return total

        totals = [0, 0]
        for _ in range(4):
            shares = await asyncio.gather(*(run(engine) for engine in engines))
            totals = [total + share for total, share in zip(totals, shares, strict=True)]
            clock.advance(timedelta(seconds=1))
        statuses = await deliveries(sessionmaker)
    finally:
        await first_engine.dispose()
        await second_engine.dispose()
    assert sender.kinds() == {(chat, kind): 1 for chat in range(1, people + 1) for kind in DAILY}
    assert people <= len(sender.sent) <= 3 * people  # merged, unless the other held a row
    assert statuses == {DeliveryStatus.SENT: len(sender.sent)}
    assert min(totals) > 0, f"one outbox did all the work: {totals}"


async def test_old_deliveries_are_pruned_and_recent_or_pending_ones_kept(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock, sender = DrivenClock(MONDAY_10 - timedelta(days=40)), RecordingSender()
    await due_now(sessionmaker, clock, 20)
    engine = outbox(sessionmaker, sender, clock, texts)
    await engine.tick()  # sent 40 days ago
    clock.set(MONDAY_10)
    async with sessionmaker.begin() as session:
        await session.execute(update(ScheduledNudge).values(due_at=clock.now()))
    await engine.tick()  # sent now
    stuck = RecordingSender()
    stuck.failures[20] = [RetryLater(600)]
    clock.advance(timedelta(hours=1))
    async with sessionmaker.begin() as session:
        await session.execute(update(ScheduledNudge).values(due_at=clock.now()))
    await outbox(sessionmaker, stuck, clock, texts).tick()  # pending, waiting to retry

    assert await engine.prune(keep=timedelta(days=30), batch=1) == 1
    assert await deliveries(sessionmaker) == {DeliveryStatus.SENT: 1, DeliveryStatus.PENDING: 1}


async def _claimed(sessions: Sessions, telegram_id: int) -> None:
    """Wait until someone's delivery is claimed (pending in the outbox)."""
    for _ in range(1000):
        async with sessions() as session:
            found = await session.scalar(
                select(Delivery.id)
                .join(User, User.id == Delivery.user_id)
                .where(User.telegram_id == telegram_id, Delivery.status == DeliveryStatus.PENDING)
            )
        if found is not None:
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"nothing was claimed for {telegram_id}")


async def _forget(sessions: Sessions, telegram_id: int) -> int:
    """Delete someone as /forget does (their rows go by cascade); return their id."""
    async with sessions.begin() as session:
        user = (await session.scalars(select(User).where(User.telegram_id == telegram_id))).one()
        await session.execute(delete(User).where(User.id == user.id))
    return user.id


async def test_a_person_forgotten_after_the_claim_and_before_the_mark_is_never_sent(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    # Another process handled /forget: this outbox learns of it only from its rows.
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    async with sessionmaker.begin() as session:
        for telegram_id, early in ((1, 60), (2, 0)):
            user = await make_ready_user(session, telegram_id)
            due = clock.now() - timedelta(seconds=early)
            session.add(ScheduledNudge(user_id=user.id, kind=NudgeKind.WATER, due_at=due))
    sender.block = asyncio.Event()
    # Batches of one: person 2's is claimed while person 1's is on the wire, and is marked
    # only once that send is answered.
    engine = outbox(sessionmaker, sender, clock, texts, batch_size=1)
    tick = asyncio.create_task(engine.tick())
    await sender.sending.wait()
    await _claimed(sessionmaker, 2)
    await _forget(sessionmaker, 2)
    sender.block.set()
    report = await tick
    assert [chat for chat, _ in sender.sent] == [1]
    assert report.forgotten == 1
    assert await deliveries(sessionmaker) == {DeliveryStatus.SENT: 1}


async def test_a_person_forgotten_here_while_their_marked_nudge_waits_is_never_sent(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    # This process handled /forget: its claimed and marked sends for them are dropped.
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    async with sessionmaker.begin() as session:
        for telegram_id, early in ((1, 60), (2, 0)):
            user = await make_ready_user(session, telegram_id)
            due = clock.now() - timedelta(seconds=early)
            session.add(ScheduledNudge(user_id=user.id, kind=NudgeKind.WATER, due_at=due))
    sender.block = asyncio.Event()
    # One sender: person 2's nudge, claimed and marked with person 1's, waits its turn.
    engine = outbox(sessionmaker, sender, clock, texts, concurrency=1)
    tick = asyncio.create_task(engine.tick())
    await sender.sending.wait()
    engine.forget(await _forget(sessionmaker, 2))
    sender.block.set()
    report = await tick
    assert [chat for chat, _ in sender.sent] == [1]
    assert report.forgotten == 1
    assert await deliveries(sessionmaker) == {DeliveryStatus.SENT: 1}


async def test_a_person_forgotten_while_their_nudge_is_on_the_wire_leaves_no_record(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    await due_now(sessionmaker, clock, 1)
    sender.block = asyncio.Event()
    sender.failures[1] = [Unreachable("Forbidden: bot was blocked by the user")]
    engine = outbox(sessionmaker, sender, clock, texts)
    tick = asyncio.create_task(engine.tick())
    await sender.sending.wait()
    engine.forget(await _forget(sessionmaker, 1))
    sender.block.set()
    await tick
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 0
        assert await session.scalar(select(func.count()).select_from(Delivery)) == 0
        assert await session.scalar(select(func.count()).select_from(ScheduledNudge)) == 0
