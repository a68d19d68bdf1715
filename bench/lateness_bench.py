"""Lateness at the default 30 messages/s over a simulated work hour for 50k people.

For sizing, `BENCH_LATENESS_USERS` and `BENCH_LATENESS_RATE` change the number of people
and the messages per second (e.g. 80000 and 30: how many one bot serves at 30/s).

The real outbox runs on a fake clock moved one second per tick (no real waiting; it
paces itself on that clock) with a Sender that returns message ids at once: the clock is
simulated, so a real HTTP round trip would add wall time, not lateness. People's first
nudges are due when the real rules say as of `T0`; lateness is when each went out minus
that. After the hour the ticks go on until every nudge due in it was sent or skipped.

Each backend runs in a process of its own, both at once: the figures are in simulated
time, so sharing the CPU changes only the wall time per tick.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench import population, report
from bench.dispatch_bench import InstantSender, SteppedClock, outbox
from bench.population import T0
from jobs.delivery.contracts import OutboxSettings, TickReport
from storage.database import create_engine, create_sessionmaker
from storage.models import Delivery, DeliveryStatus, ScheduledNudge

ROOT = Path(__file__).resolve().parents[1]
USERS = int(os.environ.get("BENCH_LATENESS_USERS", "50000"))
RATE = float(os.environ.get("BENCH_LATENESS_RATE", "30"))
HOUR = 3600
DRAIN_LIMIT = 900
P99_TARGET_S = 60.0
# PostgreSQL's autovacuum defaults: a table is analysed after 50 + 10% of its rows changed
# and vacuumed after 50 + 20% died; the launcher looks once a minute.
AUTOVACUUM_NAPTIME = 60
TABLES = ("deliveries", "scheduled_nudges")


@dataclass(slots=True)
class Lateness:
    """What the simulated hour measured."""

    backend: str
    due: int
    lateness: list[float] = field(default_factory=list)
    report: TickReport = field(default_factory=TickReport)
    wall_seconds: float = 0.0
    drained_after: int = 0
    ticks: int = 0
    maintenance: int = 0
    autovacuum: bool = True

    def percentile(self, share: float) -> float:
        """Return a percentile of the lateness, in seconds."""
        if not self.lateness:
            return float("nan")
        ordered = sorted(self.lateness)
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]

    def figures(self) -> dict[str, float]:
        """Return the figures to report."""
        return {
            "p50_s": self.percentile(0.5),
            "p99_s": self.percentile(0.99),
            "max_s": max(self.lateness, default=0.0),
            "due": float(self.due),
            "sent": float(len(self.lateness)),
            "skipped": float(self.report.skipped + self.report.dropped_stale),
            "merged": float(self.report.merged),
            "messages": float(self.report.sent),
            "deferred": float(self.report.deferred),
            "drained_after_s": float(self.drained_after),
            "tick_ms": self.wall_seconds / max(self.ticks, 1) * 1000,
        }


async def _left_before(sessionmaker: async_sessionmaker[AsyncSession], end: datetime) -> int:
    async with sessionmaker() as session:
        rows = await session.scalar(
            select(func.count()).select_from(ScheduledNudge).where(ScheduledNudge.due_at < end)
        )
        pending = await session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.status == DeliveryStatus.PENDING)
        )
    return int(rows or 0) + int(pending or 0)


async def _autovacuum_on(engine: AsyncEngine) -> bool:
    if engine.dialect.name != "postgresql":
        return True
    async with engine.connect() as connection:
        return str(await connection.scalar(text("SHOW autovacuum"))) == "on"


async def _autovacuum_round(engine: AsyncEngine) -> int:
    """Do what autovacuum's defaults would now: ANALYZE / VACUUM the tables past threshold."""
    done = 0
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT s.relname, s.n_mod_since_analyze, s.n_dead_tup, c.reltuples "
                "FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid "
                "WHERE s.relname = ANY(:tables)"
            ),
            {"tables": list(TABLES)},
        )
        work = []
        for name, changed, dead, tuples in rows:
            known = max(float(tuples), 0.0)
            if dead > 50 + 0.2 * known:
                work.append(f"VACUUM ANALYZE {name}")
            elif changed > 50 + 0.1 * known:
                work.append(f"ANALYZE {name}")
    if work:
        async with engine.connect() as connection:
            # VACUUM cannot run inside a transaction.
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            for statement in work:
                await autocommit.execute(text(statement))
                done += 1
    return done


async def simulate(backend: str) -> Lateness:
    """Run the simulated hour on a fresh copy of the population."""
    url = await population.copy_of(backend, USERS)
    engine = create_engine(url)
    end = T0 + timedelta(seconds=HOUR)
    try:
        planned = {
            (population.chat_id(user_id), kind): due
            for user_id, kind, due in population.first_due(USERS)
            if due < end
        }
        clock = SteppedClock(T0)
        sender = InstantSender(clock)
        sessionmaker = create_sessionmaker(engine)
        worker = outbox(sessionmaker, sender, clock, OutboxSettings(messages_per_second=RATE))
        result = Lateness(backend=backend, due=len(planned))
        result.autovacuum = await _autovacuum_on(engine)
        started = time.perf_counter()
        second = 0
        while second < HOUR + DRAIN_LIMIT:
            clock.current = T0 + timedelta(seconds=second)
            result.report.add(await worker.tick())
            second += 1
            if not result.autovacuum and second % AUTOVACUUM_NAPTIME == 0:
                result.maintenance += await _autovacuum_round(engine)
            # After the hour, go on only until every nudge due in it is sent or skipped.
            if second >= HOUR and second % 10 == 0 and await _left_before(sessionmaker, end) == 0:
                break
        result.ticks = second
        result.wall_seconds = time.perf_counter() - started
        result.drained_after = second - HOUR
        for key, due in planned.items():
            sent_at = sender.sent.get(key)
            if sent_at is not None:
                # A nudge that went out early, with another in one message, was not late.
                result.lateness.append(max((sent_at - due).total_seconds(), 0.0))
        return result
    finally:
        await engine.dispose()
        await population.discard(url)


def _describe(late: Lateness) -> str:
    figures = late.figures()
    line = (
        f"  {late.backend}: {len(late.lateness):,} of the {late.due:,} nudges due in the hour "
        f"sent; late by p50 {figures['p50_s']:.1f} s, p99 {figures['p99_s']:.1f} s, max "
        f"{figures['max_s']:.1f} s; skipped (stale, paused or quiet) {late.report.skipped:,}, "
        f"dropped stale {late.report.dropped_stale:,}, deferred a second (same chat) "
        f"{late.report.deferred:,}; all done {late.drained_after} s after the hour; "
        f"{late.ticks:,} ticks, {figures['tick_ms']:.1f} ms each (wall, both backends at once)"
    )
    if not late.autovacuum:
        line += (
            f"\n    (autovacuum is off on this server: the bench ran the ANALYZE/VACUUM "
            f"autovacuum's defaults would, {late.maintenance} times, once a simulated minute)"
        )
    return line


def _worker(backend: str) -> None:
    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(1)

    signal.signal(signal.SIGTERM, stop)
    try:
        late = asyncio.run(simulate(backend))
    finally:
        population.cleanup()
    print(json.dumps({"line": _describe(late), "figures": late.figures()}))


def run() -> dict[str, float]:
    """Simulate the hour on each backend (in parallel processes) and report lateness."""
    print(
        f"  a simulated work hour for {USERS:,} people at {RATE:g} messages/s, one tick per "
        "simulated second;\n  Sender: in-process, instant (the clock is simulated)"
    )
    workers = {
        backend: subprocess.Popen(
            [sys.executable, "-m", "bench.lateness_bench", backend],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for backend in asyncio.run(population.backends())
    }
    figures: dict[str, float] = {}
    try:
        for backend, worker in workers.items():
            output, _ = worker.communicate(timeout=900)
            if worker.returncode != 0:
                raise RuntimeError(f"the {backend} lateness run failed")
            found: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
            print(found["line"])
            for name, value in found["figures"].items():
                figures[f"{backend}_lateness_{name}"] = value
                report.record(f"{backend}.lateness_{name}", value)
    finally:
        for worker in workers.values():
            if worker.poll() is None:
                worker.terminate()
                worker.wait()
    return figures


if __name__ == "__main__":
    if len(sys.argv) > 1:
        _worker(sys.argv[1])
    else:
        for key, value in run().items():
            print(f"{key:>40}: {value:.4f}")
