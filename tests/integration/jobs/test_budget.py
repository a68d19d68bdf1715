"""One send budget per bot, one sliding window: replies to people go first, nudges take what
is left."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.wording.nudges import NudgeTexts
from jobs.delivery.budget import TALKING_BATCH, YIELD_SECONDS, SendBudget
from jobs.delivery.contracts import OutboxSettings
from jobs.delivery.outbox import Outbox
from jobs.services.planner import NudgePlanner
from storage.models import NudgeKind, ScheduledNudge
from tests.support.factories import DrivenClock, RecordingSender, make_ready_user

MONDAY_10 = datetime(2025, 6, 2, 10, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def test_nudges_get_a_seconds_worth_and_claims_keep_their_slots_for_a_window() -> None:
    clock = DrivenClock(MONDAY_10)
    budget = SendBudget(30, clock)
    assert budget.allowance(500) == 30
    assert budget.allowance(10) == 10  # never more than asked for
    budget.spend(30)
    assert budget.allowance(500) == 0
    clock.advance(SECOND / 2)
    assert budget.allowance(500) == 0  # claimed, not yet sent: their slots are kept
    clock.advance(SECOND / 2)
    assert budget.allowance(500) == 30  # a claim never sent gives its slot back


async def test_a_sent_nudge_holds_its_slot_a_window_from_when_it_left() -> None:
    clock = DrivenClock(MONDAY_10)
    budget = SendBudget(30, clock)
    budget.spend(20)
    clock.advance(SECOND / 2)
    for _ in range(20):
        await budget.before_send()  # they leave half a second after their claim
    assert budget.allowance(500) == 10
    clock.advance(SECOND * 3 / 4)
    assert budget.allowance(500) == 10  # they left a quarter of a second before the claims
    clock.advance(SECOND / 4)
    assert budget.allowance(500) == 30


async def test_no_second_on_the_wire_holds_more_than_the_rate_however_late_sends_leave() -> None:
    """Claims at each tick take what the bucket allows; the sends leave at varying delays
    after their claim (a slow claim, a busy loop), so two ticks' sends could meet in one
    second: the window before each send keeps every one-second span within the rate."""
    rate = 20
    clock = DrivenClock(MONDAY_10)
    budget = SendBudget(rate, clock)
    sent: list[datetime] = []
    leaving: list[datetime] = []  # when each claimed nudge is ready to leave
    delays = [0.0, 0.95, 0.3, 0.99, 0.0, 0.5, 0.97, 0.1]

    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))  # the clock moves while the nudge waits

    step = 0
    with patch("jobs.delivery.budget.asyncio.sleep", sleep):
        while clock.now() < MONDAY_10 + 6 * SECOND:
            if clock.now() >= MONDAY_10 + step * SECOND:  # a tick
                allowed = budget.allowance(500)
                budget.spend(allowed)
                leaving += [clock.now() + SECOND * delays[step % len(delays)]] * allowed
                step += 1
            for ready in sorted(at for at in leaving if at <= clock.now()):
                leaving.remove(ready)
                await budget.before_send()
                sent.append(clock.now())
            clock.advance(SECOND / 100)
    assert len(sent) >= 4 * rate  # nudges do flow, about at the rate
    for start in sent:
        assert sum(start <= at < start + SECOND for at in sent) <= rate


async def test_a_send_waits_for_the_window_only_when_a_seconds_worth_just_left() -> None:
    clock = DrivenClock(MONDAY_10)
    budget = SendBudget(3, clock)
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(timedelta(seconds=seconds))

    with patch("jobs.delivery.budget.asyncio.sleep", sleep):
        budget.take_reply()  # replies count on the wire too, and never wait
        clock.advance(SECOND / 4)
        await budget.before_send()
        await budget.before_send()
        assert slept == []
        await budget.before_send()  # the reply left 0.25 s ago: wait 0.75 s
        assert slept == [0.75]
        clock.advance(SECOND)
        await budget.before_send()
        assert slept == [0.75]


def test_a_reply_takes_its_token_at_once_and_the_nudges_yield() -> None:
    clock = DrivenClock(MONDAY_10)
    budget = SendBudget(30, clock)
    for _ in range(10):
        budget.take_reply()
    assert budget.allowance(500) == 20


async def test_replies_go_out_even_when_nudges_took_every_slot() -> None:
    clock = DrivenClock(MONDAY_10)
    budget = SendBudget(30, clock)
    budget.spend(budget.allowance(500))
    for _ in range(30):
        await budget.before_send()
    for _ in range(15):
        budget.take_reply()  # never refused, never waits: replies may go over by themselves
    assert budget.allowance(500) == 0
    clock.advance(SECOND)
    assert budget.allowance(500) == 30  # a window later, all of it again


def test_a_burst_of_replies_costs_the_nudges_at_most_one_window() -> None:
    clock = DrivenClock(MONDAY_10)
    budget = SendBudget(30, clock)
    for _ in range(1_000):
        budget.take_reply()
    assert budget.allowance(500) == 0
    clock.advance(SECOND)
    assert budget.allowance(500) == 30


def test_zero_means_unlimited_for_replies_and_nudges() -> None:
    clock = DrivenClock(MONDAY_10)
    budget = SendBudget(0, clock)
    for _ in range(100):
        budget.take_reply()
    budget.spend(10_000)
    assert budget.allowance(500) == 500


def test_a_429_holds_the_nudges_for_its_wait_even_unlimited() -> None:
    clock = DrivenClock(MONDAY_10)
    for rate in (30.0, 0.0):
        budget = SendBudget(rate, clock)
        budget.hold(5)
        budget.hold(2)  # a shorter wait does not cut a longer one short
        assert budget.held()
        assert budget.allowance(500) == 0
        clock.advance(5 * SECOND)
        assert not budget.held()
        assert budget.allowance(500) == (30 if rate else 500)


async def test_the_outbox_sends_what_the_replies_left(
    sessionmaker: async_sessionmaker[AsyncSession], texts: NudgeTexts
) -> None:
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    async with sessionmaker.begin() as session:
        for telegram_id in range(100, 170):
            user = await make_ready_user(session, telegram_id)
            session.add(ScheduledNudge(user_id=user.id, kind=NudgeKind.WATER, due_at=clock.now()))
    budget = SendBudget(30, clock)
    engine = Outbox(
        sessionmaker,
        sender,
        clock,
        NudgePlanner(texts.choices),
        OutboxSettings(messages_per_second=30),
        budget=budget,
    )
    for _ in range(12):
        budget.take_reply()
    assert (await engine.tick()).sent == 18
    clock.advance(SECOND)
    budget.hold(3)  # a reply met flood control: the nudges wait it out too
    assert (await engine.tick()).sent == 0
    clock.advance(3 * SECOND)
    assert (await engine.tick()).sent == 30


async def test_nudges_yield_the_loop_while_an_update_is_answered() -> None:
    budget = SendBudget(30, DrivenClock(MONDAY_10))
    with budget.answering():
        waiting = asyncio.create_task(budget.after_replies())
        await asyncio.sleep(0)
        assert not waiting.done()  # the outbox waits for the reply
    await asyncio.wait_for(waiting, timeout=1)  # and goes on once it is out


async def test_nudges_wait_for_replies_only_so_long_under_a_steady_stream() -> None:
    budget = SendBudget(30, DrivenClock(MONDAY_10))
    with budget.answering():
        await asyncio.wait_for(budget.after_replies(), timeout=YIELD_SECONDS * 5)


def test_the_outbox_claims_fewer_rows_at_a_time_while_people_talk() -> None:
    budget = SendBudget(1000, DrivenClock(MONDAY_10))
    assert budget.batch(500) == 500
    with budget.answering():
        pass
    assert budget.batch(500) == TALKING_BATCH
    assert budget.batch(10) == 10
