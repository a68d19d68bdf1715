"""Claim due rows and leftovers for the outbox (a mixin)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from jobs.composer.nudge import NudgeMessage
from jobs.delivery.budget import SendBudget
from jobs.delivery.clock import Clock
from jobs.delivery.contracts import (
    PER_CHAT_GAP,
    Claimed,
    Lease,
    OutboxSettings,
    Planner,
    TickReport,
    _Job,
)
from storage.models import Delivery, DeliveryStatus, ScheduledNudge, User

# The hot path uses Core statements on the tables: no ORM objects or unit of work per row.
_SCHEDULE = cast(Table, ScheduledNudge.__table__)
_DELIVERIES = cast(Table, Delivery.__table__)


_MOVE = (
    update(_SCHEDULE).where(_SCHEDULE.c.id == bindparam("row_id")).values(due_at=bindparam("due"))
)


async def _move(session: AsyncSession, due: dict[int, datetime | None]) -> None:
    """Move claimed rows on with one executemany UPDATE, and remove the rest with one DELETE."""
    later = [{"row_id": key, "due": at} for key, at in due.items() if at is not None]
    gone = [key for key, at in due.items() if at is None]
    if later:
        await session.execute(_MOVE, later)
    if gone:
        await session.execute(delete(_SCHEDULE).where(_SCHEDULE.c.id.in_(gone)))


class OutboxClaims:
    """The outbox's claims: due rows and leftovers, in one transaction each."""

    sessionmaker: async_sessionmaker[AsyncSession]
    lease: Lease | None
    planner: Planner
    settings: OutboxSettings
    budget: SendBudget
    clock: Clock
    _in_hand: dict[int, list[_Job]]

    def _hold(self, jobs: Sequence[_Job]) -> None:
        """Keep claimed sends in hand until the tick ends, where `forget` can reach them.

        Done inside the claim's transaction: a /forget that waits for its rows finds them.
        """
        for job in jobs:
            self._in_hand.setdefault(job.user_id, []).append(job)

    async def _claim(
        self, report: TickReport, users: set[int], *, leftovers: bool = True
    ) -> tuple[list[_Job], bool]:
        """Claim the next batch within the rate; tell whether it was a full one.

        Leftovers (a crashed process's, retries whose wait is over) are looked for in the
        tick's first claim only (`leftovers`): they come due by the second, not by the batch,
        and the query cost a statement per batch, a tenth of a claim while people talk and
        batches are 50. The lease is checked before every claim all the same.
        """
        now = self.clock.now()
        batch = self.budget.batch(self.settings.batch_size)  # smaller while people talk
        allowance = self.budget.allowance(batch)
        if allowance <= 0:
            return [], False
        before = report.skipped + report.merged + report.deferred + report.dropped_stale
        started = time.perf_counter()
        if leftovers:
            jobs = await self._claim_leftovers(now, allowance, report)
        elif self.lease is not None and not await self.lease.check():
            return [], False
        else:
            jobs = []
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
