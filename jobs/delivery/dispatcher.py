"""The dispatcher: each tick claims due nudges from the database, sends them, records why.

Delivery is an outbox. Claiming a due schedule row, moving it on to its next due time and
recording the delivery as `pending` (with a lease) happen in one transaction; the send
happens after it; the result is recorded in another. A pending delivery whose lease ran
out (its process crashed, or it waits for a retry) is taken over by whichever process
sweeps first; one never attempted that is later than its grace is dropped, not sent stale.

On PostgreSQL several processes share the work: rows are claimed with
`FOR UPDATE SKIP LOCKED`, so each nudge goes out once. The send rate is paced on the
injected clock (`messages_per_second` per process; 0 means unlimited), and rows not yet
claimed simply wait in the schedule in due order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.delivery.clock import Clock
from jobs.delivery.sending import Ambiguous, Rejected, RetryLater, Sender, Unreachable
from jobs.pure import flare, planning, rules
from jobs.pure.nudges import NudgeMessage, NudgeTexts
from jobs.services import care
from jobs.services.schedule import load_facts
from storage.models import (
    CareSession,
    Delivery,
    DeliveryStatus,
    NudgeKind,
    NudgePreferences,
    ScheduledNudge,
    Treatment,
    User,
)

log = logging.getLogger(__name__)

PER_CHAT_GAP = timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class DispatchSettings:
    """How fast and how hard the dispatcher works."""

    messages_per_second: float = 30.0
    batch_size: int = 500
    # Shorter than the shortest grace, so a crashed process's sends are finished in time.
    lease: timedelta = timedelta(seconds=30)
    # Sends in flight: Telegram's 30/s needs a few; more only costs CPU (see bench/).
    concurrency: int = 8
    # Answers are recorded in groups this small, so a crash re-sends at most about this many.
    record_every: int = 50
    first_backoff: timedelta = timedelta(seconds=2)
    max_backoff: timedelta = timedelta(minutes=5)
    # Without a rate limit, a tick keeps claiming full batches for at most this long.
    max_tick: timedelta = timedelta(seconds=5)


@dataclass(slots=True)
class TickReport:
    """What one tick did."""

    sent: int = 0
    skipped: int = 0
    deferred: int = 0
    retried: int = 0
    failed: int = 0
    deactivated: int = 0
    dropped_stale: int = 0

    def add(self, other: TickReport) -> None:
        """Add another report's counts to this one."""
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(slots=True)
class _Job:
    delivery_id: int
    user_id: int
    chat_id: int
    message: NudgeMessage
    attempts: int
    due_at: datetime
    outcome: str = "unsent"
    message_id: int | None = None
    error: str | None = None
    wait: float = 0.0
    sent_at: datetime | None = None


@dataclass(slots=True)
class _Pace:
    """A token bucket on the injected clock: `rate` sends a second, a one-second burst."""

    rate: float
    tokens: float = 0.0
    last: datetime | None = None
    hold_until: datetime | None = field(default=None)

    def allowance(self, now: datetime, ceiling: int) -> int:
        if self.hold_until is not None and now < self.hold_until:
            return 0
        if self.rate <= 0:
            return ceiling
        elapsed = 1.0 if self.last is None else (now - self.last).total_seconds()
        self.last = now
        self.tokens = min(self.rate, self.tokens + max(elapsed, 0.0) * self.rate)
        return min(ceiling, int(self.tokens))

    def spend(self, count: int) -> None:
        if self.rate > 0:
            self.tokens -= count


# The hot path uses Core statements on the tables: no ORM objects or unit of work per row.
_SCHEDULE = cast(Table, ScheduledNudge.__table__)
_DELIVERIES = cast(Table, Delivery.__table__)


@dataclass(frozen=True, slots=True)
class _Due:
    """A claimed schedule row, as plain values."""

    id: int
    user_id: int
    kind: NudgeKind
    due_at: datetime
    payload: dict[str, Any] | None


_MOVE = (
    update(_SCHEDULE).where(_SCHEDULE.c.id == bindparam("row_id")).values(due_at=bindparam("due"))
)


@dataclass(frozen=True, slots=True)
class _Preferences:
    """Someone's nudge settings, copied out of the database (see `planning.Preferences`)."""

    water_enabled: bool
    water_goal_ml: int
    water_glass_ml: int
    posture_enabled: bool
    posture_every_minutes: int
    stretch_enabled: bool
    stretch_time: time


@dataclass(frozen=True, slots=True)
class _Person:
    """Someone whose nudge is due, as plain values (see `planning.Person`)."""

    id: int
    chat_id: int
    timezone: str | None
    wake_time: time
    sleep_time: time
    work_start: time
    work_end: time
    work_days: int
    paused_until: datetime | None
    active: bool
    onboarding_step: str | None
    preferences: _Preferences


_USERS = cast(Table, User.__table__)
_PREFERENCES = cast(Table, NudgePreferences.__table__)
_PEOPLE = select(
    *(_USERS.c[name] for name in _Person.__dataclass_fields__ if name != "preferences"),
    *(_PREFERENCES.c[name] for name in _Preferences.__dataclass_fields__),
).join_from(_USERS, _PREFERENCES, _PREFERENCES.c.user_id == _USERS.c.id)


async def _people(session: AsyncSession, user_ids: set[int]) -> dict[int, _Person]:
    """Read the people behind claimed rows as plain values: no ORM objects per nudge."""
    rows = await session.execute(_PEOPLE.where(_USERS.c.id.in_(user_ids)))
    return {
        row.id: _Person(
            row.id,
            row.chat_id,
            row.timezone,
            row.wake_time,
            row.sleep_time,
            row.work_start,
            row.work_end,
            row.work_days,
            row.paused_until,
            row.active,
            row.onboarding_step,
            _Preferences(
                row.water_enabled,
                row.water_goal_ml,
                row.water_glass_ml,
                row.posture_enabled,
                row.posture_every_minutes,
                row.stretch_enabled,
                row.stretch_time,
            ),
        )
        for row in rows
    }


# Each change names the columns it sets; the first one's keys make the SET clause.
_RECORD = update(_DELIVERIES).where(_DELIVERIES.c.id == bindparam("delivery_id"))


class _Moves:
    """Where claimed schedule rows go next: a new due time, or away (None)."""

    def __init__(self) -> None:
        self.due: dict[int, datetime | None] = {}

    def put(self, row: _Due, due: datetime | None) -> None:
        self.due[row.id] = due

    async def apply(self, session: AsyncSession) -> None:
        """Write every move with one executemany UPDATE and one DELETE."""
        later = [{"row_id": key, "due": due} for key, due in self.due.items() if due is not None]
        gone = [key for key, due in self.due.items() if due is None]
        if later:
            await session.execute(_MOVE, later)
        if gone:
            await session.execute(delete(_SCHEDULE).where(_SCHEDULE.c.id.in_(gone)))


class Dispatcher:
    """Claims due nudges, sends them through a Sender, and records what happened."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        sender: Sender,
        clock: Clock,
        texts: NudgeTexts,
        settings: DispatchSettings | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.sender = sender
        self.clock = clock
        self.texts = texts
        self.settings = settings or DispatchSettings()
        self._pace = _Pace(self.settings.messages_per_second)
        # Answers that could not be recorded yet (the database failed): (changes, blocked).
        self._unrecorded: list[tuple[list[dict[str, object]], set[int]]] = []

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
        chats: set[int] = set()  # one nudge per chat per tick: about one a second
        try:
            while True:
                jobs, full = await self._claim(report, chats)
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
            if sending is not None and not sending.cancelled():
                await sending
        return report

    async def _claim(self, report: TickReport, chats: set[int]) -> tuple[list[_Job], bool]:
        """Claim the next batch within the rate; tell whether it was a full one."""
        now = self.clock.now()
        allowance = self._pace.allowance(now, self.settings.batch_size)
        if allowance <= 0:
            return [], False
        passed_over = report.skipped + report.deferred + report.dropped_stale
        jobs = await self._claim_leftovers(now, allowance, report)
        if len(jobs) < allowance:
            jobs += await self._claim_due(now, allowance - len(jobs), report, chats)
        self._pace.spend(len(jobs))
        # Rows skipped (stale after downtime, paused) count too: a batch of them is full,
        # and the rows due behind them are claimed in the same tick, not a second later.
        passed_over = report.skipped + report.deferred + report.dropped_stale - passed_over
        return jobs, len(jobs) + passed_over >= allowance == self.settings.batch_size

    async def sweep(self) -> TickReport:
        """Finish what a crash left pending (at start-up): send if recent, drop if stale."""
        await self._write_unrecorded()
        report = TickReport()
        jobs = await self._claim_leftovers(self.clock.now(), self.settings.batch_size, report)
        if jobs:
            await self._send(jobs, report)
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
                never_tried = delivery.attempts == 0
                if never_tried and planning.is_stale(delivery.kind, delivery.due_at, now=now):
                    delivery.status = DeliveryStatus.FAILED
                    delivery.error = "stale: not sent within its grace after a restart"
                    delivery.lease_until = None
                    report.dropped_stale += 1
                    continue
                delivery.lease_until = now + self.settings.lease
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
        return jobs

    async def _claim_due(
        self, now: datetime, limit: int, report: TickReport, chats: set[int]
    ) -> list[_Job]:
        async with self.sessionmaker.begin() as session:
            # Time-critical rows (a session to take off) go ahead of the rest.
            claimed = await self._lock_due(session, now, limit, urgent=True)
            if len(claimed) < limit:
                claimed += await self._lock_due(session, now, limit - len(claimed), urgent=False)
            if not claimed:
                return []
            by_id = await _people(session, {row.user_id for row in claimed})
            facts = await load_facts(session, list(by_id.values()), now=now)
            moves = _Moves()
            outbox: list[dict[str, object]] = []
            jobs: dict[int, _Job] = {}
            for row in claimed:
                user = by_id.get(row.user_id)
                if user is None:  # gone meanwhile (/forget): so are their nudges
                    moves.put(row, None)
                    report.skipped += 1
                    continue
                if self._hold(row, user, now):
                    moves.put(row, planning.next_due(user, row.kind, facts[user.id], now=now))
                    report.skipped += 1
                    continue
                if user.chat_id in chats:
                    # About one message per second per chat: this one waits a moment.
                    moves.put(row, now + PER_CHAT_GAP)
                    report.deferred += 1
                    continue
                message = await self._write(session, row, user, facts[user.id], now, moves)
                if message is None:
                    report.skipped += 1
                    continue
                chats.add(user.chat_id)
                outbox.append(
                    {
                        "user_id": user.id,
                        "kind": row.kind,
                        "due_at": row.due_at,
                        "status": DeliveryStatus.PENDING,
                        "attempts": 0,
                        "lease_until": now + self.settings.lease,
                        "payload": message.to_payload(),
                        "created_at": now,
                    }
                )
                jobs[user.id] = _Job(0, user.id, user.chat_id, message, 0, row.due_at)
            await moves.apply(session)
            if outbox:
                # One multi-row INSERT; a batch holds at most one delivery per person, so ids
                # map back by user.
                created = await session.execute(
                    insert(_DELIVERIES).returning(_DELIVERIES.c.id, _DELIVERIES.c.user_id), outbox
                )
                for delivery_id, user_id in created:
                    jobs[user_id].delivery_id = delivery_id
        return list(jobs.values())

    async def _lock_due(
        self, session: AsyncSession, now: datetime, limit: int, *, urgent: bool
    ) -> list[_Due]:
        # The claim locks schedule rows alone, as plain rows (no ORM objects, no joins): a
        # join with eager loads would make SQLAlchemy wrap the LIMIT in a subquery, whose
        # condition PostgreSQL does not re-check after waiting on a row, and two processes
        # could claim it.
        critical = _SCHEDULE.c.kind.in_(planning.TIME_CRITICAL)
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
        return [_Due(*row) for row in found]

    def _hold(self, row: _Due, user: _Person, now: datetime) -> bool:
        """Tell whether a due nudge must not go out now: too late, paused, or at night."""
        if planning.is_stale(row.kind, row.due_at, now=now):
            return True
        if row.kind in planning.TIME_CRITICAL:
            return False  # they just started the session: they are awake
        if user.paused_until is not None and user.paused_until > now:
            return True
        return rules.in_quiet_hours(planning.rhythm(user), now)

    async def _write(
        self,
        session: AsyncSession,
        row: _Due,
        user: _Person,
        known: planning.Facts,
        now: datetime,
        moves: _Moves,
    ) -> NudgeMessage | None:
        """Write the nudge a due row stands for, and move the row on to the next one.

        None means there is nothing to send (the row was dropped or moved).
        """
        kind, zone = row.kind, planning.zone_of(user.timezone)
        if kind is NudgeKind.SESSION_END:
            return await self._session_alarm(session, row, known, now, moves)
        moves.put(row, planning.next_after_sending(user, kind, known, now=now))
        if known.seeking_help and kind in planning.HELD_WHILE_SEEKING_HELP:
            return None  # they said yes to a warning sign: help first, self-care later
        gentle = known.in_acute_flare(now)
        if kind is NudgeKind.WATER:
            goal = planning.water_prefs(user).glasses_per_day
            return self.texts.water(glasses=planning.glasses(user, known), goal=goal)
        if kind is NudgeKind.POSTURE:
            if gentle:
                return self.texts.gentle_posture()
            return self.texts.posture(due_at=row.due_at, zone=zone)
        if kind is NudgeKind.STRETCH:
            if gentle:
                return self.texts.gentle_stretch()
            return self.texts.stretch(due_at=row.due_at, zone=zone)
        if known.plan is None:
            moves.put(row, None)  # the episode ended meanwhile
            return None
        if kind is NudgeKind.CARE_OFFER:
            treatment = known.plan.offered(now)
            if treatment is not Treatment.ICE and not flare.heat_allowed(
                planning.rhythm(user), now
            ):
                # Never offer heat it would refuse: in the hour before sleep, ice or nothing.
                if treatment is Treatment.HEAT:
                    return None
                treatment = Treatment.ICE
            return self.texts.care_offer(known.plan, treatment)
        reason = await self._doctor_reason(session, user, now)
        return self.texts.pain_check(see_doctor=reason)

    async def _session_alarm(
        self,
        session: AsyncSession,
        row: _Due,
        known: planning.Facts,
        now: datetime,
        moves: _Moves,
    ) -> NudgeMessage | None:
        session_id = (row.payload or {}).get("session")
        running = None if session_id is None else await session.get(CareSession, session_id)
        if running is None:
            moves.put(row, None)
            return None
        plan = known.plan or flare.CarePlan(started_at=running.started_at)
        state = flare.Session(
            running.treatment,
            running.started_at,
            running.step,
            running.step_ends_at,
            running.taken_off_at,
            running.checks_sent,
        )
        alarm = flare.ring(plan, state, now)
        if alarm is None:
            moves.put(row, None)
            return None
        running.step, running.step_ends_at = alarm.session.step, alarm.session.step_ends_at
        running.checks_sent = alarm.session.checks_sent
        moves.put(row, alarm.next_due)
        return self.texts.session_alarm(alarm, plan, running.id)

    async def _doctor_reason(
        self, session: AsyncSession, user: _Person, now: datetime
    ) -> str | None:
        """The two-week rule needs no new score: the morning check-in carries it."""
        episode = await care.open_flare(session, user)
        if episode is None:
            return None
        return care.advise_doctor(episode, await care.checkins(session, episode), now=now)

    # -- sending ----------------------------------------------------------------------------

    async def _send(self, jobs: Sequence[_Job], report: TickReport) -> None:
        """Send a batch and record the answers in small groups as they arrive.

        A few workers share the batch (one task per nudge would cost more than the send).
        Recording as they go means a crash can only leave unrecorded (and so send again
        after its lease) what was on the wire or in the last small group, not the batch.
        """
        queue = iter(jobs)
        answered: list[_Job] = []

        async def worker() -> None:
            for job in queue:
                await self._send_one(job)
                answered.append(job)
                if len(answered) >= self.settings.record_every:
                    group = answered[:]
                    answered.clear()
                    await self._record(group, report)

        await asyncio.gather(*(worker() for _ in range(min(self.settings.concurrency, len(jobs)))))
        if answered:
            await self._record(answered, report)

    async def _send_one(self, job: _Job) -> None:
        if self._pace.hold_until is not None and self.clock.now() < self._pace.hold_until:
            job.outcome = "held"  # flood control hit meanwhile: not attempted
            return
        try:
            job.message_id = await self.sender.send(job.chat_id, job.message)
            job.outcome, job.sent_at = "sent", self.clock.now()
        except RetryLater as error:
            job.outcome, job.wait, job.error = "retry", error.seconds, str(error)
            self._pace.hold_until = self.clock.now() + timedelta(seconds=error.seconds)
        except Unreachable as error:
            job.outcome, job.error = "blocked", str(error) or "blocked"
        except Rejected as error:
            job.outcome, job.error = "rejected", str(error) or "rejected"
        except Ambiguous as error:
            job.outcome, job.error = "ambiguous", str(error) or "no answer"
        except Exception as error:
            # Anything else (network trouble, a timeout) is worth another try.
            job.outcome, job.error = "transient", f"{type(error).__name__}: {error}"

    # -- recording --------------------------------------------------------------------------

    async def _record(self, jobs: Sequence[_Job], report: TickReport) -> None:
        now = self.clock.now()
        changes: list[dict[str, object]] = []
        blocked: set[int] = set()
        for job in jobs:
            attempts = job.attempts + (job.outcome != "held")
            change: dict[str, object] = {
                "delivery_id": job.delivery_id,
                "status": DeliveryStatus.PENDING,
                "attempts": attempts,
                "lease_until": None,
                "error": job.error,
                "sent_at": None,
                "message_id": None,
            }
            if job.outcome == "sent":
                change.update(
                    status=DeliveryStatus.SENT, sent_at=job.sent_at, message_id=job.message_id
                )
                report.sent += 1
            elif job.outcome in ("retry", "held"):
                hold = self._pace.hold_until or now
                change.update(lease_until=max(hold, now + timedelta(seconds=job.wait)))
                report.retried += 1
            elif self._again(job, attempts, now):
                change.update(lease_until=now + self._backoff(attempts))
                report.retried += 1
            else:
                change.update(status=DeliveryStatus.FAILED)
                if job.outcome == "ambiguous":
                    change.update(error=f"{job.error}; maybe delivered, so not sent again")
                report.failed += 1
                if job.outcome == "blocked":
                    blocked.add(job.user_id)
            changes.append(change)
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

    def _again(self, job: _Job, attempts: int, now: datetime) -> bool:
        """Tell whether a failed send is tried again: within its grace, if it is safe.

        A network failure is retried until the nudge's grace ends, however long the outage.
        An ambiguous one (the request went out, no answer came) is retried only for a
        time-critical message ("take the ice off"), where twice beats never; an ordinary
        nudge is not sent twice.
        """
        kind = job.message.kind
        if job.outcome == "ambiguous" and kind not in planning.TIME_CRITICAL:
            return False
        if job.outcome not in ("transient", "ambiguous"):
            return False
        return now + self._backoff(attempts) <= job.due_at + planning.GRACE[kind]

    def _backoff(self, attempts: int) -> timedelta:
        return min(self.settings.first_backoff * (1 << (attempts - 1)), self.settings.max_backoff)
