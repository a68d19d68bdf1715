"""What the outbox works with: its settings, its report, and the planner, lease and observer it is
given.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from jobs.composer.nudge import Edit, NudgeMessage

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
