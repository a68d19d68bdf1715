"""Taking back the last thing logged, for ten minutes (issue 27 item 2).

Whatever a person logged last, by a button or in words, can be taken back for ten minutes:
a glass of water, a posture break, the stretch, a pain score, or an ice or heat session that
was started (its "take it off" timer goes with it). "It's off" is not taken back: the skin
comes first, and the pad can go back on as a new session. Only the record goes: the next
nudge keeps the time it was given (a break logged by mistake does not bring the last
break's clock back), which the reply says.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.kinds import EventKind, NudgeKind, Treatment
from storage.models import CareSession, Event, PainCheckin, ScheduledNudge, User

UNDO_FOR = timedelta(minutes=10)


class Undid(enum.Enum):
    """What was taken back."""

    WATER = "water"
    BREAK = "break"
    STRETCH = "stretch"
    PAIN = "pain"
    SESSION = "session"  # an ice or heat session started: its timer is gone too


@dataclass(frozen=True, slots=True)
class Undone:
    """What was taken back, and what it held (the amount, the score, the treatment)."""

    what: Undid
    at: datetime
    amount_ml: int | None = None
    score: int | None = None
    treatment: Treatment | None = None


_EVENTS = {
    EventKind.WATER: Undid.WATER,
    EventKind.POSTURE_BREAK: Undid.BREAK,
    EventKind.STRETCH: Undid.STRETCH,
}


async def undo_last(session: AsyncSession, user: User, *, now: datetime) -> Undone | None:
    """Take back the latest log of the last ten minutes; None if there is nothing to undo."""
    since = now - UNDO_FOR
    event = await session.scalar(
        select(Event)
        .where(Event.user_id == user.id, Event.at >= since, Event.at <= now)
        .order_by(Event.at.desc(), Event.id.desc())
        .limit(1)
    )
    pain = await session.scalar(
        select(PainCheckin)
        .where(PainCheckin.user_id == user.id, PainCheckin.at >= since, PainCheckin.at <= now)
        .order_by(PainCheckin.at.desc(), PainCheckin.id.desc())
        .limit(1)
    )
    started = await session.scalar(
        select(CareSession)
        .where(CareSession.user_id == user.id, CareSession.started_at >= since)
        .order_by(CareSession.started_at.desc(), CareSession.id.desc())
        .limit(1)
    )
    candidates: list[tuple[datetime, int, Undone]] = []
    if event is not None and event.kind in _EVENTS:
        candidates.append((event.at, 0, Undone(_EVENTS[event.kind], event.at, event.amount_ml)))
    if pain is not None:
        candidates.append((pain.at, 1, Undone(Undid.PAIN, pain.at, score=pain.score)))
    if started is not None:
        undone = Undone(Undid.SESSION, started.started_at, treatment=started.treatment)
        candidates.append((started.started_at, 2, undone))
    if not candidates:
        return None
    _, _, latest = max(candidates, key=lambda found: (found[0], found[1]))
    match latest.what:
        case Undid.WATER | Undid.BREAK | Undid.STRETCH:
            assert event is not None
            await session.delete(event)
        case Undid.PAIN:
            assert pain is not None
            await session.delete(pain)
        case Undid.SESSION:
            assert started is not None
            await _drop_timer(session, user, started.id)
            await session.delete(started)
    await session.flush()
    return latest


async def _drop_timer(session: AsyncSession, user: User, session_id: int) -> None:
    """Remove the "take it off" timer of a session that is being taken back."""
    timer = await session.scalar(
        select(ScheduledNudge).where(
            ScheduledNudge.user_id == user.id, ScheduledNudge.kind == NudgeKind.SESSION_END
        )
    )
    if timer is not None and (timer.payload or {}).get("session") == session_id:
        await session.delete(timer)
