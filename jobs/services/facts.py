"""What is known of a person's care: recent events and sends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.composer.nudge import NudgeMessage, OpenNudge
from jobs.rules import flare, planning
from jobs.rules.person import Person
from jobs.rules.planning import Facts, LoggedEvent
from storage.models import (
    ButtonPress,
    CareSession,
    Delivery,
    DeliveryStatus,
    Event,
    Flare,
    NudgeKind,
    PainCheckin,
    Treatment,
    User,
)


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
    """Return the nudge messages sent to someone that still wait for an answer, oldest first.

    Asked for every message someone types, so it is one query on the (user, created_at)
    index of deliveries, each sent message with its presses joined on their primary key,
    and only those messages' payloads read: not `recent_sends`' two queries over every
    delivery of the last day and a half.
    """
    since = now - planning.HISTORY
    rows = await session.execute(
        select(Delivery.message_id, Delivery.payload, Delivery.created_at, ButtonPress.kind)
        .outerjoin(
            ButtonPress,
            (ButtonPress.user_id == Delivery.user_id)
            & (ButtonPress.message_id == Delivery.message_id)
            & (ButtonPress.pressed_at >= since),
        )
        .where(
            Delivery.user_id == user.id,
            Delivery.created_at >= since,
            Delivery.status == DeliveryStatus.SENT,
            Delivery.message_id.is_not(None),
        )
        .order_by(Delivery.created_at, Delivery.id)
    )
    found: dict[int, tuple[dict[str, Any], datetime, set[str]]] = {}
    for message_id, payload, at, pressed in rows:
        if not payload:
            continue
        _, _, answered = found.setdefault(message_id, (payload, at, set()))
        if pressed is not None:
            answered.add(pressed)
    opened = (
        OpenNudge(message_id, NudgeMessage.from_payload(payload), frozenset(answered), at)
        for message_id, (payload, at, answered) in found.items()
    )
    return [
        message
        for message in opened
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
