"""Keeping each person's scheduled nudges right as they log, snooze, skip or change things.

The database is the schedule: each person has at most one `ScheduledNudge` row per kind,
holding when that nudge is next due (UTC). These functions recompute rows for one person;
the dispatcher moves them forward as it sends.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.pure import flare, planning, rules
from jobs.pure.nudges import NudgeMessage, OpenNudge
from jobs.pure.person import Person, person_of
from jobs.pure.planning import Facts, LoggedEvent
from storage.models import (
    ButtonPress,
    CareSession,
    Delivery,
    DeliveryStatus,
    Event,
    EventKind,
    Flare,
    NudgeKind,
    PainCheckin,
    ScheduledNudge,
    Treatment,
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


async def recent_events(
    session: AsyncSession, user_ids: Sequence[int], *, now: datetime
) -> dict[int, list[LoggedEvent]]:
    """Load the events that can still matter to the next nudges, per person."""
    found: dict[int, list[LoggedEvent]] = {user_id: [] for user_id in user_ids}
    if not user_ids:
        return found
    rows = await session.execute(
        select(Event.user_id, Event.kind, Event.at, Event.amount_ml).where(
            Event.user_id.in_(user_ids), Event.at >= now - planning.HISTORY
        )
    )
    for user_id, kind, at, amount in rows:
        found[user_id].append(LoggedEvent(kind, at, amount))
    return found


@dataclass(frozen=True, slots=True)
class Sent:
    """What was sent to someone lately: each message's time and kind, and those that may
    still wait for an answer (sent, with their parts and what was answered)."""

    times: list[tuple[datetime, NudgeKind]]
    open: list[OpenNudge]


async def recent_sends(
    session: AsyncSession, user_ids: Sequence[int], *, now: datetime
) -> dict[int, Sent]:
    """Load the messages sent (or going out) to each person in the last day and a half."""
    found = {user_id: Sent([], []) for user_id in user_ids}
    if not user_ids:
        return found
    since = now - planning.HISTORY
    rows = await session.execute(
        select(
            Delivery.user_id,
            Delivery.created_at,
            Delivery.kind,
            Delivery.status,
            Delivery.message_id,
            Delivery.payload,
        )
        .where(
            Delivery.user_id.in_(user_ids),
            Delivery.created_at >= since,
            Delivery.status != DeliveryStatus.FAILED,
        )
        .order_by(Delivery.created_at)
    )
    sent: list[tuple[int, int, dict[str, Any], datetime]] = []
    for user_id, at, kind, status, message_id, payload in rows:
        found[user_id].times.append((at, kind))
        if status is DeliveryStatus.SENT and message_id is not None and payload:
            sent.append((user_id, message_id, payload, at))
    if not sent:
        return found
    pressed = await session.execute(
        select(ButtonPress.user_id, ButtonPress.message_id, ButtonPress.kind).where(
            ButtonPress.user_id.in_(user_ids), ButtonPress.pressed_at >= since
        )
    )
    answered: dict[tuple[int, int], set[str]] = {}
    for user_id, message_id, kind in pressed:
        answered.setdefault((user_id, message_id), set()).add(kind)
    for user_id, message_id, payload, at in sent:
        found[user_id].open.append(
            OpenNudge(
                message_id,
                NudgeMessage.from_payload(payload),
                frozenset(answered.get((user_id, message_id), ())),
                at,
            )
        )
    return found


async def waiting_nudge(
    session: AsyncSession, user: User, *, now: datetime, replying_to: int | None = None
) -> OpenNudge | None:
    """Return the nudge message someone's words answer: the one they replied to (Telegram's
    reply), else the latest sent to them that still waits for an answer."""
    waiting = await waiting_nudges(session, user, now=now)
    chosen = [message for message in waiting if message.message_id == replying_to]
    found = chosen or waiting
    return found[-1] if found else None


async def waiting_nudges(session: AsyncSession, user: User, *, now: datetime) -> list[OpenNudge]:
    """Return the nudge messages sent to someone that still wait for an answer, oldest first."""
    sent = (await recent_sends(session, [user.id], now=now))[user.id]
    return [
        message
        for message in sent.open
        if any(message.waits_on(part.kind) for part in message.message.parts)
    ]


async def care_facts(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, Facts]:
    """Load the open flare of each person who has one: its plan, last session, last check-in."""
    if not user_ids:
        return {}
    flares = (
        await session.scalars(
            select(Flare).where(Flare.user_id.in_(user_ids), Flare.ended_at.is_(None))
        )
    ).all()
    if not flares:
        return {}
    by_user = {row.user_id: row for row in flares}
    flare_ids = [row.id for row in flares]
    latest = (
        select(CareSession.user_id, func.max(CareSession.started_at).label("at"))
        .where(CareSession.flare_id.in_(flare_ids))
        .group_by(CareSession.user_id)
        .subquery()
    )
    last_sessions = await session.scalars(
        select(CareSession).join(
            latest,
            (CareSession.user_id == latest.c.user_id) & (CareSession.started_at == latest.c.at),
        )
    )
    sessions = {row.user_id: session_of(row) for row in last_sessions}
    counted = await session.execute(
        select(CareSession.user_id, CareSession.treatment, func.count())
        .where(CareSession.flare_id.in_(flare_ids))
        .group_by(CareSession.user_id, CareSession.treatment)
    )
    counts: dict[int, dict[Treatment, int]] = {}
    for user_id, treatment, count in counted:
        counts.setdefault(user_id, {})[treatment] = count
    scored = await session.execute(
        select(PainCheckin.user_id, PainCheckin.at, PainCheckin.score)
        .where(PainCheckin.flare_id.in_(flare_ids))
        .order_by(PainCheckin.at)
    )
    checks: dict[int, list[tuple[datetime, int]]] = {}
    for user_id, at, score in scored:
        checks.setdefault(user_id, []).append((at, score))
    return {
        user_id: Facts(
            plan=plan_of(row),
            last_session_at=sessions[user_id].started_at if user_id in sessions else None,
            session=sessions.get(user_id),
            last_pain_check_at=checks[user_id][-1][0] if user_id in checks else None,
            seeking_help=bool(row.red_flags) and row.seen_at is None,
            checkins=tuple(checks.get(user_id, ())),
            doctor_advised_at=row.doctor_advised_at,
            session_counts=(
                counts.get(user_id, {}).get(Treatment.ICE, 0),
                counts.get(user_id, {}).get(Treatment.HEAT, 0),
                counts.get(user_id, {}).get(Treatment.ALTERNATE, 0),
            ),
        )
        for user_id, row in by_user.items()
    }


def session_of(row: Any) -> flare.Session:
    """Return a stored care session (an ORM or a Core row) in the protocol's terms."""
    return flare.Session(
        row.treatment,
        row.started_at,
        row.step,
        row.step_ends_at,
        row.taken_off_at,
        row.checks_sent,
    )


def plan_of(row: Flare) -> flare.CarePlan:
    """Return a stored flare's care plan in the protocol's terms."""
    return flare.CarePlan(
        started_at=row.started_at,
        acute_hours=row.acute_hours,
        ice_minutes=row.ice_minutes,
        ice_every_minutes=row.ice_every_minutes,
        heat_minutes=row.heat_minutes,
        heat_per_day=row.heat_per_day,
        alternate=row.alternate,
    )


async def load_facts(
    session: AsyncSession, users: Sequence[Person], *, now: datetime, sends: bool = False
) -> dict[int, Facts]:
    """Sum up the recent events and open flares of several people at once.

    With `sends`, also what was sent them lately and what they answered: the composer's
    budget and retiring need it; the next due times do not, so a button press skips it.
    """
    ids = [user.id for user in users]
    events = await recent_events(session, ids, now=now)
    care = await care_facts(session, ids)
    sent = (
        await recent_sends(session, ids, now=now)
        if sends
        else {user_id: Sent([], []) for user_id in ids}
    )
    return {
        user.id: planning.facts(
            user,
            events[user.id],
            now=now,
            care=care.get(user.id),
            sent=sent[user.id].times,
            opened=sent[user.id].open,
        )
        for user in users
    }


async def facts_of(session: AsyncSession, person: Person, *, now: datetime) -> Facts:
    """Sum up one person's recent events and open flare."""
    return (await load_facts(session, [person], now=now))[person.id]


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
