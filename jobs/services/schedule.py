"""Keeping each person's scheduled nudges right as they log, snooze, skip or change things.

The database is the schedule: each person has at most one `ScheduledNudge` row per kind,
holding when that nudge is next due (UTC). These functions recompute rows for one person;
the dispatcher moves them forward as it sends.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.rules import planning, rules
from jobs.rules.person import person_of
from jobs.services.facts import facts_of, recent_events
from storage.models import (
    Event,
    EventKind,
    NudgeKind,
    ScheduledNudge,
    User,
)

# Every kind planned from settings and the log; session ends are timers set by jobs.services.care.
ALL_KINDS: tuple[NudgeKind, ...] = tuple(
    kind for kind in NudgeKind if kind is not NudgeKind.SESSION_END
)
DEFAULT_GLASS = -1  # "one glass of the person's own size"
MAX_DRINK_ML = 2000
# BackCare's own caution (the documents say about 2 litres a day): past this in one day,
# a logged drink is confirmed first, so a flood of taps cannot run the count up unseen.
DAILY_CONFIRM_ML = 10_000


class NeedsConfirmation(Exception):
    """A drink that would take the day past `DAILY_CONFIRM_ML`: ask before logging it."""

    def __init__(self, ml: int, total_ml: int) -> None:
        super().__init__(f"{total_ml} ml today")
        self.ml = ml
        self.total_ml = total_ml


async def _rows(session: AsyncSession, user: User) -> dict[NudgeKind, ScheduledNudge]:
    found = await session.scalars(select(ScheduledNudge).where(ScheduledNudge.user_id == user.id))
    return {row.kind: row for row in found}


async def _put(
    session: AsyncSession,
    rows: dict[NudgeKind, ScheduledNudge],
    user: User,
    kind: NudgeKind,
    due: datetime | None,
) -> None:
    row = rows.get(kind)
    if due is None:
        if row is not None:
            await session.delete(row)
        return
    if row is None:
        session.add(ScheduledNudge(user_id=user.id, kind=kind, due_at=due))
    else:
        row.due_at = due


async def reschedule(
    session: AsyncSession,
    user: User,
    *,
    now: datetime,
    kinds: Iterable[NudgeKind] = ALL_KINDS,
) -> dict[NudgeKind, datetime | None]:
    """Recompute someone's next nudges (after a change of zone, hours, goal, pause...)."""
    person = person_of(user)
    known = await facts_of(session, person, now=now)
    rows = await _rows(session, user)
    planned: dict[NudgeKind, datetime | None] = {}
    for kind in kinds:
        planned[kind] = planning.next_due(person, kind, known, now=now)
        await _put(session, rows, user, kind, planned[kind])
    await session.flush()
    return planned


async def stop_all(session: AsyncSession, user: User) -> None:
    """Drop every scheduled nudge of someone (they blocked the bot)."""
    await session.execute(delete(ScheduledNudge).where(ScheduledNudge.user_id == user.id))


@dataclass(frozen=True, slots=True)
class WaterLogged:
    """Where someone stands after logging water."""

    glasses: int
    goal: int
    goal_reached_now: bool
    next_due: datetime | None


async def log_water(
    session: AsyncSession,
    user: User,
    *,
    ml: int = DEFAULT_GLASS,
    now: datetime,
    confirmed: bool = False,
) -> WaterLogged:
    """Log water drunk (a glass by default); it pushes the next water nudge back.

    Raises NeedsConfirmation instead when the day would pass `DAILY_CONFIRM_ML` unconfirmed.
    """
    person = person_of(user)
    amount = person.water_glass_ml if ml == DEFAULT_GLASS else ml
    goal = person.glasses_per_day
    known = await facts_of(session, person, now=now)
    if not confirmed and known.drunk_ml_today + amount > DAILY_CONFIRM_ML:
        raise NeedsConfirmation(amount, known.drunk_ml_today + amount)
    before = planning.glasses(person, known)
    # The drink happens now, so it counts towards this waking day.
    after = (known.drunk_ml_today + amount) // person.water_glass_ml
    session.add(Event(user_id=user.id, kind=EventKind.WATER, at=now, amount_ml=amount))
    await session.flush()
    planned = await reschedule(session, user, now=now, kinds=[NudgeKind.WATER])
    return WaterLogged(after, goal, before < goal <= after, planned[NudgeKind.WATER])


_DONE_EVENTS = {NudgeKind.POSTURE: EventKind.POSTURE_BREAK, NudgeKind.STRETCH: EventKind.STRETCH}


async def log_done(
    session: AsyncSession, user: User, kind: NudgeKind, *, now: datetime
) -> datetime | None:
    """Log a posture break or the daily stretch as done; return the next one's due time."""
    session.add(Event(user_id=user.id, kind=_DONE_EVENTS[kind], at=now))
    await session.flush()
    return (await reschedule(session, user, now=now, kinds=[kind]))[kind]


async def snooze(
    session: AsyncSession,
    user: User,
    kind: NudgeKind,
    *,
    now: datetime,
    delay: timedelta | None = None,
) -> datetime | None:
    """Bring a nudge back a little later, or after `delay` (never into quiet hours)."""
    person = person_of(user)
    if not (person.schedulable and person.enabled(kind)):
        return None
    rows = await _rows(session, user)
    due = planning.snoozed_until(person, kind, now=now, delay=delay)
    await _put(session, rows, user, kind, due)
    await session.flush()
    return due


async def skip(
    session: AsyncSession, user: User, kind: NudgeKind, *, now: datetime
) -> datetime | None:
    """Skip this nudge: the next comes at its next slot (the stretch: tomorrow)."""
    person = person_of(user)
    known = await facts_of(session, person, now=now)
    if kind is NudgeKind.STRETCH:
        known = dataclasses.replace(known, stretch_done_today=True)
    rows = await _rows(session, user)
    due = planning.next_due(person, kind, known, now=now)
    if due is not None and kind in rows and rows[kind].due_at > due:
        # The nudge went out with another before its slot: the next one is already later.
        due = rows[kind].due_at
    await _put(session, rows, user, kind, due)
    await session.flush()
    return due


async def hold_until(session: AsyncSession, user: User, until: datetime) -> None:
    """Hold someone's nudges while they are busy: those falling due before `until` come
    once it is over (at the first valid moment for each), the later ones as planned.
    Timers for ice and heat are never held."""
    user.paused_until = until
    person = person_of(user)
    rows = await _rows(session, user)
    for kind, row in rows.items():
        if kind in planning.TIME_CRITICAL or row.due_at >= until:
            continue
        await _put(
            session,
            rows,
            user,
            kind,
            planning.snoozed_until(person, kind, now=until, delay=timedelta(0)),
        )
    await session.flush()


async def rest_today(
    session: AsyncSession, user: User, kind: NudgeKind, *, now: datetime
) -> datetime | None:
    """Pause one kind of nudge until the next waking day (offered after several missed)."""
    person = person_of(user)
    known = await facts_of(session, person, now=now)
    wake_ups = (start for start, _ in rules.waking_periods(planning.rhythm(person), now))
    tomorrow = next(start for start in wake_ups if start > now)
    rows = await _rows(session, user)
    due = planning.next_due(person, kind, known, now=tomorrow)
    await _put(session, rows, user, kind, due)
    await session.flush()
    return due


@dataclass(frozen=True, slots=True)
class Today:
    """What someone has done today and when each nudge is next due."""

    glasses: int
    goal: int
    breaks: int
    stretched: bool
    next_due: dict[NudgeKind, datetime | None]


async def today(session: AsyncSession, user: User, *, now: datetime) -> Today:
    """Report today's water, breaks and stretch, and the next nudges."""
    person = person_of(user)
    events = (await recent_events(session, [user.id], now=now))[user.id]
    known = planning.facts(person, events, now=now)
    start = rules.waking_period_start(planning.rhythm(person), now)
    breaks = sum(
        1 for event in events if event.kind is EventKind.POSTURE_BREAK and start <= event.at
    )
    rows = await _rows(session, user)
    return Today(
        glasses=planning.glasses(person, known),
        goal=person.glasses_per_day,
        breaks=breaks,
        stretched=known.stretch_done_today,
        next_due={kind: rows[kind].due_at if kind in rows else None for kind in ALL_KINDS},
    )
