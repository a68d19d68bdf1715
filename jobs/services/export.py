"""The export: everything kept about a person, read as rows (`bot.wording.export` says them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    ButtonPress,
    CareSession,
    Delivery,
    Event,
    Flare,
    NudgePreferences,
    PainCheckin,
    Question,
    ScheduledNudge,
    User,
)


@dataclass(frozen=True, slots=True)
class Records:
    """Every row stored about someone, by table, each in its order; `user` and `prefs` are
    their rows of `users` and `nudge_preferences` (prefs None if there is none)."""

    user: Any
    prefs: Any
    events: list[Event]
    flares: list[Flare]
    pains: list[PainCheckin]
    cares: list[CareSession]
    questions: list[Question]
    upcoming: list[ScheduledNudge]
    deliveries: list[Delivery]
    presses: list[ButtonPress]


async def records(session: AsyncSession, user: User) -> Records:
    """Read everything stored about someone: the rows of every table of
    `storage.models.PERSONAL_DATA`, the tables `/forget` deletes."""
    # Read afresh as rows: the ORM object may hold columns expired by a flush just now.
    stored = (await session.execute(select(User.__table__).where(User.id == user.id))).one()
    prefs = (
        await session.execute(
            select(NudgePreferences.__table__).where(NudgePreferences.user_id == user.id)
        )
    ).one_or_none()

    async def rows_of(model: Any, *order: Any) -> list[Any]:
        found = await session.scalars(
            select(model).where(model.user_id == user.id).order_by(*order)
        )
        return list(found)

    return Records(
        stored,
        prefs,
        events=await rows_of(Event, Event.at, Event.id),
        flares=await rows_of(Flare, Flare.started_at, Flare.id),
        pains=await rows_of(PainCheckin, PainCheckin.at, PainCheckin.id),
        cares=await rows_of(CareSession, CareSession.started_at, CareSession.id),
        questions=await rows_of(Question, Question.asked_at, Question.id),
        upcoming=await rows_of(ScheduledNudge, ScheduledNudge.due_at, ScheduledNudge.id),
        deliveries=await rows_of(Delivery, Delivery.due_at, Delivery.id),
        presses=await rows_of(ButtonPress, ButtonPress.pressed_at, ButtonPress.message_id),
    )
