"""The outbox tells its observer each send's outcome, by kind, with how late it went out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.wording.nudges import NudgeTexts
from jobs.delivery.contracts import OutboxSettings
from jobs.delivery.outbox import Outbox
from jobs.delivery.sending import Denied, Unreachable
from jobs.services.planner import NudgePlanner
from storage.models import NudgeKind, ScheduledNudge
from tests.integration.jobs.test_outbox import MONDAY_10
from tests.support.factories import DrivenClock, RecordingSender, make_ready_user


class Watcher:
    """Keeps what the outbox reported."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any, float | None]] = []

    def sent(self, kind: Any, lateness_s: float) -> None:
        """Keep a send."""
        self.events.append(("sent", kind, lateness_s))

    def failed(self, kind: Any) -> None:
        """Keep a failure."""
        self.events.append(("failed", kind, None))

    def retried(self, kind: Any) -> None:
        """Keep a retry."""
        self.events.append(("retried", kind, None))

    def denied(self, kind: Any) -> None:
        """Keep a 403 that was not a block."""
        self.events.append(("denied", kind, None))


async def test_the_observer_hears_each_sent_failed_retried_and_denied_nudge_by_kind(
    sessionmaker: async_sessionmaker[AsyncSession], texts: NudgeTexts
) -> None:
    clock, sender, watcher = DrivenClock(MONDAY_10), RecordingSender(), Watcher()
    due = clock.now() - timedelta(seconds=42)
    async with sessionmaker.begin() as session:
        for telegram_id in (1, 2, 3, 4):
            user = await make_ready_user(session, telegram_id)
            session.add(ScheduledNudge(user_id=user.id, kind=NudgeKind.WATER, due_at=due))
    sender.failures[2] = [ConnectionError("network down")]
    sender.failures[3] = [Unreachable("Forbidden: bot was blocked by the user")]
    sender.failures[4] = [Denied("Forbidden: bot can't initiate conversation with a user")]
    outbox = Outbox(
        sessionmaker,
        sender,
        clock,
        NudgePlanner(texts.choices),
        OutboxSettings(messages_per_second=0),
        observer=watcher,
    )

    report = await outbox.tick()

    assert (report.sent, report.retried, report.failed, report.denied) == (1, 2, 1, 1)
    assert sorted(watcher.events, key=lambda event: event[0]) == [
        ("denied", NudgeKind.WATER, None),
        ("failed", NudgeKind.WATER, None),
        ("retried", NudgeKind.WATER, None),
        ("retried", NudgeKind.WATER, None),
        ("sent", NudgeKind.WATER, 42.0),
    ]


async def test_an_outbox_without_an_observer_sends_as_before(
    sessionmaker: async_sessionmaker[AsyncSession], texts: NudgeTexts
) -> None:
    clock, sender = DrivenClock(MONDAY_10), RecordingSender()
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, 1)
        session.add(ScheduledNudge(user_id=user.id, kind=NudgeKind.WATER, due_at=clock.now()))
    outbox = Outbox(sessionmaker, sender, clock, NudgePlanner(texts.choices))
    assert (await outbox.tick()).sent == 1
