"""The outbox engine: each tick claims due rows, sends what the planner wrote, records why.

It knows nothing of nudge kinds: a `Planner` (see `jobs.services.nudging`) says which
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
import enum
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, assert_never, cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.delivery.budget import SendBudget
from jobs.delivery.clock import Clock
from jobs.delivery.sending import (
    Ambiguous,
    Denied,
    Rejected,
    RetryLater,
    Sender,
    Unreachable,
)
from jobs.pure.nudges import Edit, NudgeMessage
from storage.models import Delivery, DeliveryStatus, ScheduledNudge, User

log = logging.getLogger(__name__)

# About one message a second per chat: a row of someone already sent to in this tick waits.
PER_CHAT_GAP = timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class OutboxSettings:
    """How fast and how hard the outbox works."""

    messages_per_second: float = 30.0
    batch_size: int = 500
    # Shorter than the shortest grace, so a crashed process's sends are finished in time.
    lease: timedelta = timedelta(seconds=30)
    # Sends in flight: Telegram's 30/s needs a few; more only costs CPU (see bench/).
    concurrency: int = 8
    # Answers are recorded in groups this small, so a crash re-sends at most about this many.
    record_every: int = 50
    # Sends are marked attempted in groups this small just before they go out (the next
    # group's mark overlaps this one's sends): a crash leaves a few groups marked and not
    # yet sent (55-64 of 20,000 in the failover test), dropped as ambiguous rather than
    # risked twice. Smaller
    # groups cost throughput (one commit each): 16 cost 10-40 %, 32 cost 6-19 %, 50 about
    # nothing, measured on two noisy cores (see the README).
    mark_every: int = 32
    first_backoff: timedelta = timedelta(seconds=2)
    max_backoff: timedelta = timedelta(minutes=5)
    # Without a rate limit, a tick keeps claiming full batches for at most this long.
    max_tick: timedelta = timedelta(seconds=5)


@dataclass(slots=True)
class TickReport:
    """What one tick did."""

    sent: int = 0
    merged: int = 0  # rows that went out as a part of another row's message
    skipped: int = 0
    deferred: int = 0
    retried: int = 0
    failed: int = 0
    deactivated: int = 0
    # Refused with a 403 that was not a block (retried, or failed once out of time).
    denied: int = 0
    dropped_stale: int = 0
    # Attempted before a crash and never answered: maybe delivered, so not sent again.
    dropped_ambiguous: int = 0
    # Claimed, then the person used /forget before it left: never sent, never recorded.
    forgotten: int = 0
    # Wall time in each phase, in seconds (they overlap: a batch is sent while the next is
    # claimed).
    leftovers_s: float = 0.0
    claim_s: float = 0.0
    send_s: float = 0.0
    record_s: float = 0.0

    def add(self, other: TickReport) -> None:
        """Add another report's counts to this one."""
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


class Outcome(enum.Enum):
    """What became of one send."""

    UNSENT = "unsent"
    SENT = "sent"
    HELD = "held"  # flood control came first: not attempted
    RETRY = "retry"  # Telegram said to wait (429)
    BLOCKED = "blocked"  # they blocked the bot, or deleted their account (403)
    DENIED = "denied"  # any other 403: held and tried again, nobody deactivated
    REJECTED = "rejected"  # Telegram refused this message (400)
    AMBIGUOUS = "ambiguous"  # it went out and no answer came: maybe delivered
    TRANSIENT = "transient"  # network trouble or a timeout before it went out
    GONE = "gone"  # its person used /forget before it left: dropped, nothing recorded


@dataclass(slots=True)
class _Job:
    delivery_id: int
    user_id: int
    chat_id: int
    message: NudgeMessage
    attempts: int
    due_at: datetime
    outcome: Outcome = Outcome.UNSENT
    message_id: int | None = None
    error: str | None = None
    wait: float = 0.0
    sent_at: datetime | None = None
    # Earlier messages to edit once this one is out (not kept: a crash loses only those).
    edits: tuple[Edit, ...] = ()
    # Its row is gone (the person used /forget): it must not leave.
    gone: bool = False


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


# The hot path uses Core statements on the tables: no ORM objects or unit of work per row.
_SCHEDULE = cast(Table, ScheduledNudge.__table__)
_DELIVERIES = cast(Table, Delivery.__table__)


@dataclass(frozen=True, slots=True)
class Claimed:
    """A claimed schedule row, as plain values: the outbox reads `kind` as an opaque name."""

    id: int
    user_id: int
    kind: Any
    due_at: datetime
    payload: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message to send now for a claimed row, and earlier messages to edit once it is out."""

    user_id: int
    chat_id: int
    message: NudgeMessage
    edits: tuple[Edit, ...] = ()


@dataclass(frozen=True, slots=True)
class Planned:
    """Where a claimed row goes next (None removes it), and what it sends now, if anything."""

    row_id: int
    due: datetime | None
    send: Outgoing | None = None
    # Goes out now as a part of another row's message.
    joined: bool = False


class Lease(Protocol):
    """The sending lease: only its holder claims and sends (see `jobs.delivery.lease`)."""

    @property
    def held(self) -> bool:
        """Tell whether this process holds the lease, as last known (no I/O)."""
        ...

    async def check(self) -> bool:
        """Make sure the lease is still held (its connection answers); tell whether it is."""
        ...


class Planner(Protocol):
    """What the outbox needs to know about the rows it claims; it knows nothing else."""

    @property
    def critical(self) -> frozenset[Any]:
        """Kinds claimed ahead of the rest, sent at night too, retried when ambiguous."""
        ...

    def grace(self, kind: Any) -> timedelta:
        """How late a row of this kind may still go out."""
        ...

    async def plan(
        self, session: AsyncSession, rows: Sequence[Claimed], *, now: datetime
    ) -> list[Planned]:
        """Decide what each claimed row sends and where it moves (in the claim's transaction)."""
        ...


class OutboxObserver(Protocol):
    """Told each send's outcome as it is recorded (for metrics), by the message's kind."""

    def sent(self, kind: Any, lateness_s: float) -> None:
        """Note a nudge that went out, `lateness_s` seconds after it was due."""
        ...

    def failed(self, kind: Any) -> None:
        """Note a nudge given up on."""
        ...

    def retried(self, kind: Any) -> None:
        """Note a nudge to be tried again."""
        ...

    def denied(self, kind: Any) -> None:
        """Note a send refused with a 403 that was not a block."""
        ...


class Unobserved:
    """The observer when nobody watches: does nothing."""

    def sent(self, kind: Any, lateness_s: float) -> None:
        """Do nothing."""

    def failed(self, kind: Any) -> None:
        """Do nothing."""

    def retried(self, kind: Any) -> None:
        """Do nothing."""

    def denied(self, kind: Any) -> None:
        """Do nothing."""


_MOVE = (
    update(_SCHEDULE).where(_SCHEDULE.c.id == bindparam("row_id")).values(due_at=bindparam("due"))
)
# Each change names the columns it sets; the first one's keys make the SET clause.
_RECORD = update(_DELIVERIES).where(_DELIVERIES.c.id == bindparam("delivery_id"))


async def _move(session: AsyncSession, due: dict[int, datetime | None]) -> None:
    """Move claimed rows on with one executemany UPDATE, and remove the rest with one DELETE."""
    later = [{"row_id": key, "due": at} for key, at in due.items() if at is not None]
    gone = [key for key, at in due.items() if at is None]
    if later:
        await session.execute(_MOVE, later)
    if gone:
        await session.execute(delete(_SCHEDULE).where(_SCHEDULE.c.id.in_(gone)))


class Outbox:
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

    def _hold(self, jobs: Sequence[_Job]) -> None:
        """Keep claimed sends in hand until the tick ends, where `forget` can reach them.

        Done inside the claim's transaction: a /forget that waits for its rows finds them.
        """
        for job in jobs:
            self._in_hand.setdefault(job.user_id, []).append(job)

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
        try:
            while True:
                await self.budget.after_replies()  # people's updates first
                jobs, full = await self._claim(report, users)
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

    async def _claim(self, report: TickReport, users: set[int]) -> tuple[list[_Job], bool]:
        """Claim the next batch within the rate; tell whether it was a full one."""
        now = self.clock.now()
        batch = self.budget.batch(self.settings.batch_size)  # smaller while people talk
        allowance = self.budget.allowance(batch)
        if allowance <= 0:
            return [], False
        before = report.skipped + report.merged + report.deferred + report.dropped_stale
        started = time.perf_counter()
        jobs = await self._claim_leftovers(now, allowance, report)
        claimed = time.perf_counter()
        report.leftovers_s += claimed - started
        if len(jobs) < allowance:
            jobs += await self._claim_due(now, allowance - len(jobs), report, users)
            report.claim_s += time.perf_counter() - claimed
        self.budget.spend(len(jobs))
        # Rows skipped (stale after downtime, paused) count too: a batch of them is full,
        # and the rows due behind them are claimed in the same tick, not a second later.
        passed_over = report.skipped + report.merged + report.deferred + report.dropped_stale
        passed_over -= before
        return jobs, len(jobs) + passed_over >= allowance == batch

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

    # -- claiming ---------------------------------------------------------------------------

    async def _claim_leftovers(self, now: datetime, limit: int, report: TickReport) -> list[_Job]:
        # The lease's health is checked before each claim (leftovers come first in each).
        if self.lease is not None and not await self.lease.check():
            return []
        async with self.sessionmaker.begin() as session:
            rows = (
                await session.execute(
                    select(Delivery, User.chat_id)
                    .join(User, User.id == Delivery.user_id)
                    .where(Delivery.status == DeliveryStatus.PENDING, Delivery.lease_until <= now)
                    .order_by(Delivery.lease_until)
                    .limit(limit)
                    .with_for_update(of=Delivery, skip_locked=True)
                )
            ).all()
            jobs = []
            for delivery, chat_id in rows:
                # Attempted (it went out, or was about to) and its answer never recorded.
                attempted = delivery.attempted_at is not None
                if attempted and self._settled_as_ambiguous(delivery, now, report):
                    continue
                never_tried = delivery.attempts == 0 and not attempted
                late = now - delivery.due_at > self.planner.grace(delivery.kind)
                if never_tried and late:
                    delivery.status = DeliveryStatus.FAILED
                    delivery.error = "stale: not sent within its grace after a restart"
                    delivery.lease_until = None
                    report.dropped_stale += 1
                    continue
                delivery.lease_until = now + self.settings.lease
                delivery.attempted_at = None
                jobs.append(
                    _Job(
                        delivery.id,
                        delivery.user_id,
                        chat_id,
                        NudgeMessage.from_payload(delivery.payload or {}),
                        delivery.attempts,
                        delivery.due_at,
                    )
                )
            self._hold(jobs)
        return jobs

    def _settled_as_ambiguous(self, delivery: Delivery, now: datetime, report: TickReport) -> bool:
        """Settle a delivery attempted before a crash; tell whether it is done with.

        A time-critical one is sent again within its grace, as any ambiguous failure is
        (twice beats never); any other is marked failed, never sent twice.
        """
        delivery.attempts += 1
        if delivery.kind in self.planner.critical:
            if now - delivery.due_at <= self.planner.grace(delivery.kind):
                return False
            error = "ambiguous after a crash, and past its grace"
        else:
            error = "ambiguous after a crash: maybe delivered, so not sent again"
        delivery.status = DeliveryStatus.FAILED
        delivery.error = error
        delivery.lease_until = None
        report.dropped_ambiguous += 1
        return True

    async def _claim_due(
        self, now: datetime, limit: int, report: TickReport, users: set[int]
    ) -> list[_Job]:
        if self.lease is not None and not self.lease.held:
            return []
        async with self.sessionmaker.begin() as session:
            # Time-critical rows (a session to take off) go ahead of the rest.
            claimed = await self._lock_due(session, now, limit, urgent=True)
            if len(claimed) < limit:
                claimed += await self._lock_due(session, now, limit - len(claimed), urgent=False)
            if not claimed:
                return []
            moves: dict[int, datetime | None] = {}
            fresh = []
            for row in claimed:
                if row.user_id in users:
                    # About one message per second per chat: this one waits a moment.
                    moves[row.id] = now + PER_CHAT_GAP
                    report.deferred += 1
                else:
                    fresh.append(row)
            outbox: list[dict[str, object]] = []
            jobs: dict[int, _Job] = {}
            kinds = {row.id: row for row in fresh}
            for planned in await self.planner.plan(session, fresh, now=now):
                moves[planned.row_id] = planned.due
                if planned.send is None:
                    if planned.joined:
                        report.merged += 1
                    else:
                        report.skipped += 1
                    continue
                row, out = kinds[planned.row_id], planned.send
                users.add(out.user_id)
                outbox.append(
                    {
                        "user_id": out.user_id,
                        "kind": row.kind,
                        "due_at": row.due_at,
                        "status": DeliveryStatus.PENDING,
                        "attempts": 0,
                        "lease_until": now + self.settings.lease,
                        "payload": out.message.to_payload(),
                        "created_at": now,
                    }
                )
                jobs[out.user_id] = _Job(
                    0, out.user_id, out.chat_id, out.message, 0, row.due_at, edits=out.edits
                )
            await _move(session, moves)
            if outbox:
                # One multi-row INSERT; a batch holds at most one delivery per person, so ids
                # map back by user.
                created = await session.execute(
                    insert(_DELIVERIES).returning(_DELIVERIES.c.id, _DELIVERIES.c.user_id), outbox
                )
                for delivery_id, user_id in created:
                    jobs[user_id].delivery_id = delivery_id
                self._hold(list(jobs.values()))
        return list(jobs.values())

    async def _lock_due(
        self, session: AsyncSession, now: datetime, limit: int, *, urgent: bool
    ) -> list[Claimed]:
        # The claim locks schedule rows alone, as plain rows (no ORM objects, no joins): a
        # join with eager loads would make SQLAlchemy wrap the LIMIT in a subquery, whose
        # condition PostgreSQL does not re-check after waiting on a row, and two processes
        # could claim it.
        critical = _SCHEDULE.c.kind.in_(self.planner.critical)
        found = await session.execute(
            select(
                _SCHEDULE.c.id,
                _SCHEDULE.c.user_id,
                _SCHEDULE.c.kind,
                _SCHEDULE.c.due_at,
                _SCHEDULE.c.payload,
            )
            .where(_SCHEDULE.c.due_at <= now, critical if urgent else ~critical)
            .order_by(_SCHEDULE.c.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [Claimed(*row) for row in found]

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
