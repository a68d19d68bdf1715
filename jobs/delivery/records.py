"""Record the answers of the outbox's sends (a mixin)."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import assert_never

from sqlalchemy import bindparam, delete, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.delivery.budget import SendBudget
from jobs.delivery.claims import _DELIVERIES
from jobs.delivery.clock import Clock
from jobs.delivery.contracts import (
    Lease,
    OutboxObserver,
    OutboxSettings,
    Outcome,
    Planner,
    TickReport,
    _Job,
)
from storage.models import DeliveryStatus, ScheduledNudge, User

log = logging.getLogger(__name__)

# Each change names the columns it sets; the first one's keys make the SET clause.
_RECORD = update(_DELIVERIES).where(_DELIVERIES.c.id == bindparam("delivery_id"))


class OutboxRecords:
    """The outbox's records: the answers of a group of sends, and retries."""

    sessionmaker: async_sessionmaker[AsyncSession]
    lease: Lease | None
    planner: Planner
    settings: OutboxSettings
    budget: SendBudget
    clock: Clock
    observer: OutboxObserver
    _unrecorded: list[tuple[list[dict[str, object]], set[int]]]

    # -- recording --------------------------------------------------------------------------

    async def _record(self, jobs: Sequence[_Job], report: TickReport) -> None:
        started = time.perf_counter()
        try:
            await self._record_answers(jobs, report)
        finally:
            report.record_s += time.perf_counter() - started

    async def _record_answers(self, jobs: Sequence[_Job], report: TickReport) -> None:
        now = self.clock.now()
        changes: list[dict[str, object]] = []
        blocked: set[int] = set()
        observer = self.observer
        for job in jobs:
            kind = job.message.kind
            attempts = job.attempts + (job.outcome is not Outcome.HELD)
            change: dict[str, object] = {
                "delivery_id": job.delivery_id,
                "status": DeliveryStatus.PENDING,
                "attempts": attempts,
                "lease_until": None,
                "error": job.error,
                "sent_at": None,
                "message_id": None,
                "attempted_at": None,  # answered: no longer ambiguous
            }
            if job.outcome is Outcome.DENIED:
                report.denied += 1
                observer.denied(kind)
            match job.outcome:
                case Outcome.GONE:
                    report.forgotten += 1  # its row is gone: nothing to record
                    continue
                case Outcome.SENT:
                    change.update(
                        status=DeliveryStatus.SENT, sent_at=job.sent_at, message_id=job.message_id
                    )
                    report.sent += 1
                    sent_at = job.sent_at or now
                    observer.sent(kind, (sent_at - job.due_at).total_seconds())
                case Outcome.RETRY | Outcome.HELD:
                    hold = self.budget.hold_until or now
                    change.update(lease_until=max(hold, now + timedelta(seconds=job.wait)))
                    report.retried += 1
                    observer.retried(kind)
                case Outcome.TRANSIENT | Outcome.DENIED | Outcome.AMBIGUOUS | Outcome.UNSENT if (
                    self._again(job, attempts, now)
                ):
                    change.update(lease_until=now + self._backoff(attempts))
                    report.retried += 1
                    observer.retried(kind)
                case Outcome.AMBIGUOUS:
                    error = f"{job.error}; maybe delivered, so not sent again"
                    change.update(status=DeliveryStatus.FAILED, error=error)
                    report.failed += 1
                    observer.failed(kind)
                case Outcome.BLOCKED:
                    change.update(status=DeliveryStatus.FAILED)
                    report.failed += 1
                    observer.failed(kind)
                    blocked.add(job.user_id)
                case Outcome.REJECTED | Outcome.TRANSIENT | Outcome.DENIED | Outcome.UNSENT:
                    change.update(status=DeliveryStatus.FAILED)
                    report.failed += 1
                    observer.failed(kind)
                case _:
                    assert_never(job.outcome)
            changes.append(change)
        if not changes:
            return
        try:
            await self._write_records(changes, blocked)
        except BaseException:
            # The database failed (or went silent) as the answers came: keep them, and
            # write them before anything is claimed again, so what went out is not sent
            # again when its lease runs out.
            self._unrecorded.append((changes, blocked))
            raise
        report.deactivated += len(blocked)

    async def _write_records(self, changes: list[dict[str, object]], blocked: set[int]) -> None:
        async with self.sessionmaker.begin() as session:
            await session.execute(_RECORD, changes)
            if blocked:
                # They blocked the bot: no more nudges until they come back with /start.
                await session.execute(
                    update(User).where(User.id.in_(blocked)).values(active=False)
                )
                await session.execute(
                    delete(ScheduledNudge).where(ScheduledNudge.user_id.in_(blocked))
                )

    async def _write_unrecorded(self) -> None:
        """Write answers a failed database could not take, oldest first."""
        while self._unrecorded:
            changes, blocked = self._unrecorded[0]
            await self._write_records(changes, blocked)
            self._unrecorded.pop(0)

    async def _mark_attempted(self, jobs: Sequence[_Job]) -> bool:
        """Mark deliveries attempted, durably, before they go out; tell whether it was done.

        Only rows still there are marked: a job whose row is gone (its person used /forget,
        perhaps in another process) is dropped before it leaves.
        """
        if self.lease is not None and not self.lease.held:
            return False
        mark = (
            update(_DELIVERIES)
            .where(_DELIVERIES.c.id.in_([job.delivery_id for job in jobs]))
            .values(attempted_at=self.clock.now())
            .returning(_DELIVERIES.c.id)
        )
        try:
            async with self.sessionmaker.begin() as session:
                marked = set((await session.execute(mark)).scalars())
        except Exception:
            log.warning("could not mark %d sends as attempted; holding them", len(jobs))
            log.debug("marking failed", exc_info=True)
            return False
        for job in jobs:
            if job.delivery_id not in marked:
                job.gone = True
        return True

    def _again(self, job: _Job, attempts: int, now: datetime) -> bool:
        """Tell whether a failed send is tried again: within its grace, if it is safe.

        A network failure, or a 403 that is not a block, is retried until the nudge's grace
        ends, however long it lasts.
        An ambiguous one (the request went out, no answer came) is retried only for a
        time-critical message ("take the ice off"), where twice beats never; an ordinary
        nudge is not sent twice.
        """
        kind = job.message.kind
        if job.outcome is Outcome.AMBIGUOUS and kind not in self.planner.critical:
            return False
        return now + self._backoff(attempts) <= job.due_at + self.planner.grace(kind)

    def _backoff(self, attempts: int) -> timedelta:
        return min(self.settings.first_backoff * (1 << (attempts - 1)), self.settings.max_backoff)
