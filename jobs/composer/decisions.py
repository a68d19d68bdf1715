"""The composer's values: what is due, and what it decided."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from jobs.composer.nudge import (
    Edit,
    NudgeMessage,
)
from jobs.rules import flare, planning, rules
from jobs.rules.person import Person
from jobs.rules.planning import Facts
from storage.kinds import NudgeKind

# Nudges due this close together go out as one message.
MERGE_WINDOW = timedelta(minutes=15)
# A kind left unanswered again and again comes at most this often (BackCare's own rule);
# an ice or heat offer, already every two hours, at most every four.
SLOWER_GAP = timedelta(hours=2)
SLOWER_OFFERS = timedelta(hours=4)
SLOWS_DOWN = frozenset({NudgeKind.WATER, NudgeKind.POSTURE, NudgeKind.CARE_OFFER})
# Nudges that ask someone to get up and move.
MOVING = frozenset({NudgeKind.POSTURE, NudgeKind.STRETCH})
# When the day's budget is short, what goes first: the earlier, the more it matters.
PRIORITY = (
    NudgeKind.SESSION_END,
    NudgeKind.CARE_OFFER,
    NudgeKind.PAIN_CHECK,
    NudgeKind.WATER,
    NudgeKind.POSTURE,
    NudgeKind.STRETCH,
    NudgeKind.WEEKLY_SUMMARY,
)
# Goes out as a message of its own (a picture with a caption), never merged; once a week,
# so outside the daily budget (BackCare's own rule). When another message goes out to the
# person now, it waits this long and comes alone.
ALONE = frozenset({NudgeKind.WEEKLY_SUMMARY})
ALONE_WAIT = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class RunningSession:
    """An ice or heat session whose timer came due, with its stored id."""

    id: int
    state: flare.Session


@dataclass(frozen=True, slots=True)
class Due:
    """One of someone's streams that came due: its schedule row, kind and due time."""

    row_id: int
    kind: NudgeKind
    due_at: datetime
    # For a session's timer: the session, if it still exists.
    session: RunningSession | None = None


class Verdict(enum.Enum):
    """What becomes of a due row."""

    SEND = "send"  # a message goes out now; the row moves to `next_due`
    MERGED = "merged"  # goes out now as a part of the message another row sends
    HOLD = "hold"  # nothing now (night, pause, too late, over budget); moves to `next_due`
    END = "end"  # nothing now and never again (the flare or the session is over)


@dataclass(frozen=True, slots=True)
class Decision:
    """The composer's verdict on one due row, with what it changes."""

    row_id: int
    kind: NudgeKind
    verdict: Verdict
    next_due: datetime | None = None
    message: NudgeMessage | None = None
    # A session timer that rang: its new state, to store.
    session: RunningSession | None = None
    # A doctor's advice given in this message (the reason), to store with the flare.
    doctor_reason: str | None = None
    # Care mode closes with this message (no check-in answered for days).
    closes_flare: bool = False
    # Earlier messages whose unanswered nudge this one replaces: marked missed, no buttons.
    edits: tuple[Edit, ...] = ()


def order(due: Sequence[Due]) -> list[Due]:
    """Return due rows in the order they are considered: timers first, then by due time."""
    return sorted(due, key=lambda row: (row.kind not in planning.TIME_CRITICAL, row.due_at))


def _held(person: Person, row: Due, now: datetime) -> bool:
    """Tell whether a due nudge must not go out now: too late, paused, or at night."""
    if planning.is_stale(row.kind, row.due_at, now):
        return True
    if row.kind in planning.TIME_CRITICAL:
        return False  # they just started the session: they are awake
    if person.paused_until is not None and person.paused_until > now:
        return True
    return rules.in_quiet_hours(planning.rhythm(person), now)


def _after(person: Person, row: Due, known: Facts, until: datetime) -> datetime | None:
    """Return when a held nudge comes back: at `until` if it can still go out then (within
    its grace, so a stretch during an ice session comes after it), else its next slot."""
    if until - row.due_at <= planning.GRACE[row.kind] and row.kind is NudgeKind.STRETCH:
        return until
    return planning.next_due(person, row.kind, known, now=until)
