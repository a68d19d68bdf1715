"""The outbox engine: each tick claims due rows, sends what the planner wrote, records why.

It knows nothing of nudge kinds: a `Planner` (see `jobs.services.planner`) says which
kinds are claimed first, how late each may go out, whether an unanswered one is sent
again, and, for the rows claimed, what goes out and where each row moves next.

Delivery is an outbox. Claiming a due schedule row, moving it on to its next due time and
recording the delivery as `pending` (with a lease) happen in one transaction; the send
happens after it; the result is recorded in another. A pending delivery whose lease ran
out (its process crashed, or it waits for a retry) is taken over by whichever process
sweeps first; one never attempted that is later than its grace is dropped, not sent stale.

Before a group of sends goes out, its deliveries are marked `attempted_at` in one small
UPDATE, and the mark is cleared when the answer is recorded. So a pending delivery that
still has the mark after a crash went out, or was about to, and its answer was never
recorded: it is *ambiguous*. A time-critical one is sent again within its grace (twice
beats never); any other is marked failed and never sent twice.

A person's rows go with them when they use `/forget`, claimed ones included, and the outbox
looks at its rows again before anything leaves: the mark is made only on rows still there,
so a send whose row is gone is dropped before it leaves, and an answer whose row is gone is
never recorded (its UPDATE finds nothing). A `/forget` handled in this process also drops
that person's claimed sends at once (`forget`), those already marked included; one handled
in another process is seen at the next group's mark.

Only the holder of the sending lease (`jobs.delivery.lease`) claims: one process per bot
sends, so the rate limit is the bot's. Before each claim the outbox checks the lease is
still held, and stops sending at once when it is not.

On PostgreSQL rows are claimed with `FOR UPDATE SKIP LOCKED`, so even two outboxes never
send one nudge twice. The send rate is paced on the injected clock by the bot's one send
budget (`messages_per_second`, the bot's rate since only the lease holder sends nudges; 0
means unlimited), shared with the replies to people, which go first; rows not yet claimed
simply wait in the schedule in due order.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.delivery.budget import SendBudget
from jobs.delivery.claims import OutboxClaims
from jobs.delivery.clock import Clock
from jobs.delivery.contracts import (
    Lease,
    OutboxObserver,
    OutboxSettings,
    Outcome,
    Planner,
    TickReport,
    Unobserved,
    _Job,
)
from jobs.delivery.records import OutboxRecords
from jobs.delivery.sending import (
    Ambiguous,
    Denied,
    Rejected,
    RetryLater,
    Sender,
    Unreachable,
)
from storage.models import Delivery, DeliveryStatus

log = logging.getLogger(__name__)


class _Attempts:
    """A batch's marks: each group is marked attempted before its first send, the next
    group's mark starting as this one's sends do, so the marks overlap the sends."""

    def __init__(self, outbox: Outbox, jobs: Sequence[_Job]) -> None:
        size = max(outbox.settings.mark_every, 1)
        self.outbox = outbox
        self.groups = [jobs[start : start + size] for start in range(0, len(jobs), size)]
        self.group_of = {
            id(job): number for number, group in enumerate(self.groups) for job in group
        }
        self.marks: dict[int, asyncio.Task[bool]] = {}

    def _start(self, number: int) -> asyncio.Task[bool]:
        task = self.marks.get(number)
        if task is None:
            task = self.marks[number] = asyncio.create_task(
                self.outbox._mark_attempted(self.groups[number])
            )
        return task

    async def marked(self, job: _Job) -> bool:
        """Wait until this job's group is marked; tell whether it may go out."""
        number = self.group_of[id(job)]
        mine = self._start(number)
        if number + 1 < len(self.groups):
            self._start(number + 1)
        return await asyncio.shield(mine)

    def cancel(self) -> None:
        """Stop marks no send will wait for (the tick was cancelled)."""
        for task in self.marks.values():
            task.cancel()


class Outbox(OutboxClaims, OutboxRecords):
    """Claims due rows, sends what the planner wrote through a Sender, records what happened."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        sender: Sender,
        clock: Clock,
        planner: Planner,
        settings: OutboxSettings | None = None,
        *,
        observer: OutboxObserver | None = None,
        lease: Lease | None = None,
        budget: SendBudget | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        # None: this outbox is the only sender (tests, one process on SQLite).
        self.lease = lease
        self.sender = sender
        self.clock = clock
        self.planner = planner
        self.settings = settings or OutboxSettings()
        self.observer: OutboxObserver = observer or Unobserved()
        # The bot's send budget, shared with its replies (which go first); its own if none.
        self.budget = budget or SendBudget(self.settings.messages_per_second, clock)
        # Answers that could not be recorded yet (the database failed): (changes, blocked).
        self._unrecorded: list[tuple[list[dict[str, object]], set[int]]] = []
        # The sends this tick claimed, by person, until the tick ends: `forget` drops them.
        self._in_hand: dict[int, list[_Job]] = {}

    def forget(self, user_id: int) -> None:
        """Drop a person's claimed sends that have not left yet: they used /forget here.

        Called in the transaction that deletes them, so no claim of theirs can come after it
        (their rows are locked, then gone). A send already on the wire cannot be called back;
        its answer finds no row to record.
        """
        for job in self._in_hand.get(user_id, ()):
            job.gone = True

    async def tick(self) -> TickReport:
        """Send what is due now (within the rate), then return what was done.

        Batches go through a two-stage pipeline: while one batch is on the wire, the next
        is claimed and the one before is recorded, so the database's time (another thread
        for SQLite, another process for PostgreSQL) overlaps Telegram's.
        """
        await self._write_unrecorded()
        report = TickReport()
        started = self.clock.now()
        sending: asyncio.Task[None] | None = None
        users: set[int] = set()  # one message per person per tick: about one a second
        first = True
        try:
            while True:
                await self.budget.after_replies()  # people's updates first
                jobs, full = await self._claim(report, users, leftovers=first)
                first = False
                if sending is not None:
                    await sending
                    sending = None
                if jobs:
                    sending = asyncio.create_task(self._send(jobs, report))
                if not full or self.clock.now() - started >= self.settings.max_tick:
                    break
        except asyncio.CancelledError:
            # The tick overran its deadline: stop sending too; the leases finish the rest.
            if sending is not None:
                sending.cancel()
            raise
        finally:
            # Whatever went out is recorded, even if claiming failed meanwhile.
            try:
                if sending is not None and not sending.cancelled():
                    await sending
            finally:
                self._in_hand.clear()
        return report

    async def sweep(self) -> TickReport:
        """Finish what a crash left pending (at start-up): send if recent, drop if stale."""
        await self._write_unrecorded()
        report = TickReport()
        try:
            jobs = await self._claim_leftovers(self.clock.now(), self.settings.batch_size, report)
            if jobs:
                await self._send(jobs, report)
        finally:
            self._in_hand.clear()
        return report

    async def prune(self, *, keep: timedelta, batch: int = 10_000) -> int:
        """Delete sent and failed deliveries older than `keep`, in batches; return how many."""
        cutoff = self.clock.now() - keep
        removed = 0
        while True:
            async with self.sessionmaker.begin() as session:
                old = (
                    select(Delivery.id)
                    .where(
                        Delivery.status.in_([DeliveryStatus.SENT, DeliveryStatus.FAILED]),
                        Delivery.created_at < cutoff,
                    )
                    .limit(batch)
                    .scalar_subquery()
                )
                result = await session.execute(delete(Delivery).where(Delivery.id.in_(old)))
            count = result.rowcount or 0  # type: ignore[attr-defined]
            removed += count
            if count < batch:
                return removed

    # -- sending ----------------------------------------------------------------------------

    async def _send(self, jobs: Sequence[_Job], report: TickReport) -> None:
        """Send a batch and record the answers in small groups as they arrive.

        A few workers share the batch (one task per nudge would cost more than the send).
        Recording as they go means a crash can only leave unrecorded (and so send again
        after its lease) what was on the wire or in the last small group, not the batch.
        """
        started = time.perf_counter()
        queue = iter(jobs)
        answered: list[_Job] = []
        attempts = _Attempts(self, jobs)

        async def worker() -> None:
            for job in queue:
                await self.budget.after_replies()  # people's updates first
                if not await attempts.marked(job):
                    job.outcome = Outcome.HELD  # not marked (lease lost, database failed)
                elif job.gone:
                    job.outcome = Outcome.GONE  # its row went before the mark (/forget)
                else:
                    await self.budget.before_send()  # never over the rate on the wire
                    await self._send_one(job)
                answered.append(job)
                if len(answered) >= self.settings.record_every:
                    group = answered[:]
                    answered.clear()
                    await self._record(group, report)

        try:
            await asyncio.gather(
                *(worker() for _ in range(min(self.settings.concurrency, len(jobs))))
            )
            if answered:
                await self._record(answered, report)
        finally:
            attempts.cancel()
            # The answers are recorded as they come: the send phase includes that time.
            report.send_s += time.perf_counter() - started

    async def _send_one(self, job: _Job) -> None:
        # Checked after the last wait and right before the request, with no await between.
        if job.gone:
            job.outcome = Outcome.GONE  # forgotten here while it waited its turn
            return
        if self.budget.held():
            job.outcome = Outcome.HELD  # flood control hit meanwhile: not attempted
            return
        try:
            job.message_id = await self.sender.send(job.chat_id, job.message)
            job.outcome, job.sent_at = Outcome.SENT, self.clock.now()
            await self._edit(job)
        except RetryLater as error:
            job.outcome, job.wait, job.error = Outcome.RETRY, error.seconds, str(error)
            self.budget.hold(error.seconds)
        except Unreachable as error:
            job.outcome, job.error = Outcome.BLOCKED, str(error) or "blocked"
        except Denied as error:
            job.outcome, job.error = Outcome.DENIED, str(error) or "forbidden"
        except Rejected as error:
            job.outcome, job.error = Outcome.REJECTED, str(error) or "rejected"
        except Ambiguous as error:
            job.outcome, job.error = Outcome.AMBIGUOUS, str(error) or "no answer"
        except Exception as error:
            # Anything else (network trouble, a timeout) is worth another try.
            job.outcome, job.error = Outcome.TRANSIENT, f"{type(error).__name__}: {error}"

    async def _edit(self, job: _Job) -> None:
        """Make the edits that go with a sent message; each is a courtesy, not a duty: one
        that fails (too old to edit, deleted by the person) is let go. A person forgotten
        meanwhile gets none."""
        for edit in job.edits:
            if job.gone:
                return
            try:
                await self.sender.edit(job.chat_id, edit.message_id, edit.message, edit.with_text)
            except Exception:
                log.debug("could not edit message %s", edit.message_id, exc_info=True)
