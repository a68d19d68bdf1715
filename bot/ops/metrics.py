"""What the bot counts for Prometheus: sends by kind, lateness, the backlog, updates, triage.

No label ever holds anything about a person (no chat or user id, name or text): only nudge
kinds and triage levels, each a small fixed set. The metrics live in a registry of the
application's own, not the process-wide default, so two applications (or tests) never share
or collide.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from guidance.reading.triage import Level
from storage.kinds import NudgeKind
from storage.models import ScheduledNudge

log = logging.getLogger(__name__)

# From "on time" (a tick is 1 s) to "ten minutes late" (past most graces).
LATENESS_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)
# Replies take milliseconds; a chart or a PDF takes seconds.
UPDATE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# Counting the due rows at a scrape gives up after this long, keeping the last count.
DUE_QUERY_SECONDS = 2.0


def _kind_label(kind: object) -> str:
    """Name a kind for a label: an enum's value, never anything longer."""
    return str(kind.value) if isinstance(kind, enum.Enum) else str(kind)


class Metrics:
    """The bot's metrics in a registry of its own; also the outbox's observer."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.nudges_sent = Counter(
            "backcare_nudges_sent",
            "Nudges sent, by kind.",
            ["kind"],
            registry=self.registry,
        )
        self.nudges_failed = Counter(
            "backcare_nudges_failed",
            "Nudges given up on (blocked, refused, or out of time), by kind.",
            ["kind"],
            registry=self.registry,
        )
        self.nudges_retried = Counter(
            "backcare_nudges_retried",
            "Sends to be tried again (flood control, network trouble), by kind.",
            ["kind"],
            registry=self.registry,
        )
        self.nudges_denied = Counter(
            "backcare_nudges_denied",
            "Sends refused with a 403 that was not a block (tried again; nobody deactivated), "
            "by kind.",
            ["kind"],
            registry=self.registry,
        )
        self.lateness = Histogram(
            "backcare_nudge_lateness_seconds",
            "How long after its due time a nudge went out, by kind.",
            ["kind"],
            buckets=LATENESS_BUCKETS,
            registry=self.registry,
        )
        self.due = Gauge(
            "backcare_nudges_due",
            "Scheduled nudges due by now and not yet sent (the backlog), at the last scrape.",
            registry=self.registry,
        )
        self.update_seconds = Histogram(
            "backcare_update_seconds",
            "Time to handle one incoming update (its turn in its chat excluded).",
            buckets=UPDATE_BUCKETS,
            registry=self.registry,
        )
        self.triage = Counter(
            "backcare_triage",
            "Messages read for warning signs, by the level found.",
            ["level"],
            registry=self.registry,
        )
        # Every label value is known up front: each series shows, at 0, before its first.
        for kind in NudgeKind:
            for counter in (
                self.nudges_sent,
                self.nudges_failed,
                self.nudges_retried,
                self.nudges_denied,
            ):
                counter.labels(kind.value)
            self.lateness.labels(kind.value)
        for level in Level:
            self.triage.labels(level.value)

    # -- the outbox's observer ----------------------------------------------------------------

    def sent(self, kind: object, lateness_s: float) -> None:
        """Count a sent nudge and how late it went out."""
        label = _kind_label(kind)
        self.nudges_sent.labels(label).inc()
        self.lateness.labels(label).observe(max(lateness_s, 0.0))

    def failed(self, kind: object) -> None:
        """Count a nudge given up on."""
        self.nudges_failed.labels(_kind_label(kind)).inc()

    def retried(self, kind: object) -> None:
        """Count a send to be tried again."""
        self.nudges_retried.labels(_kind_label(kind)).inc()

    def denied(self, kind: object) -> None:
        """Count a send refused with a 403 that was not a block."""
        self.nudges_denied.labels(_kind_label(kind)).inc()

    # -- the rest ---------------------------------------------------------------------------

    def update_handled(self, seconds: float) -> None:
        """Record how long one update took to handle."""
        self.update_seconds.observe(seconds)

    def triaged(self, level: Level) -> None:
        """Count a message read for warning signs, by what was found."""
        self.triage.labels(level.value).inc()

    async def count_due(
        self, sessionmaker: async_sessionmaker[AsyncSession], *, now: datetime
    ) -> None:
        """Refresh the backlog gauge: one count over the due-time index, given up if slow."""
        try:
            async with asyncio.timeout(DUE_QUERY_SECONDS), sessionmaker() as session:
                due = await session.scalar(
                    select(func.count())
                    .select_from(ScheduledNudge)
                    .where(ScheduledNudge.due_at <= now)
                )
        except Exception as error:
            log.warning("could not count the due nudges (%s)", type(error).__name__)
            return
        self.due.set(due or 0)

    def exposition(self) -> bytes:
        """Render every metric in the Prometheus text format."""
        return generate_latest(self.registry)
