"""What someone has done over days, their report and everything stored about them.

Plain async functions over a session (no Telegram): `progress` backs `/progress`, the
weekly summary and the plain-words "what's my streak?" / "show my history"; `report`
backs `/report`; `export` backs `/export`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.rules import rules
from jobs.rules.person import Person, person_of
from jobs.rules.progress import STREAK_HISTORY_DAYS, Progress, tally
from jobs.rules.report import CareSessionLine, Episode, Report, missed_checkins
from storage.models import (
    CareSession,
    Delivery,
    DeliveryStatus,
    Event,
    Flare,
    NudgeKind,
    PainCheckin,
    User,
)

WEEK = 7
MONTH = 30


def _day_start(day: date, zone: ZoneInfo) -> datetime:
    return rules.local_to_utc(day, time(0), zone)


def _offered_breaks(payload: dict[str, Any] | None) -> int:
    """Count the posture-break parts of a sent message (nudges due together share one)."""
    if not payload:
        return 0
    parts = [payload, *payload.get("more", ())]
    return sum(1 for part in parts if part.get("kind") == NudgeKind.POSTURE.value)


async def started(session: AsyncSession, user_id: int) -> datetime | None:
    """Return when someone started with BackCare: when they were stored, or the first thing
    in their log if that is earlier (stored before the row's time was kept, or a clock that
    is driven, as in tests). None: nothing is stored about them."""
    firsts = [
        select(func.min(User.created_at)).where(User.id == user_id),
        select(func.min(Event.at)).where(Event.user_id == user_id),
        select(func.min(Delivery.sent_at)).where(Delivery.user_id == user_id),
        select(func.min(Flare.started_at)).where(Flare.user_id == user_id),
        select(func.min(PainCheckin.at)).where(PainCheckin.user_id == user_id),
        select(func.min(CareSession.started_at)).where(CareSession.user_id == user_id),
    ]
    row = (await session.execute(select(*(first.scalar_subquery() for first in firsts)))).one()
    known = [moment for moment in row if moment is not None]
    return min(known) if known else None


async def progress(
    session: AsyncSession, person: Person, *, now: datetime, days: int = WEEK
) -> Progress:
    """Sum up someone's last `days` local days (today the last), with their streaks; none
    before the day they started with BackCare."""
    zone = person.tz
    today = now.astimezone(zone).date()
    began = await started(session, person.id)
    since = _day_start(today - timedelta(days=max(days, STREAK_HISTORY_DAYS) - 1), zone)
    events = await session.execute(
        select(Event.kind, Event.at, Event.amount_ml).where(
            Event.user_id == person.id, Event.at >= since, Event.at <= now
        )
    )
    sent = await session.execute(
        select(Delivery.sent_at, Delivery.payload).where(
            Delivery.user_id == person.id,
            Delivery.status == DeliveryStatus.SENT,
            Delivery.sent_at >= since,
        )
    )
    offered = [
        at for at, payload in sent if at is not None for _ in range(_offered_breaks(payload))
    ]
    pain = await session.execute(
        select(PainCheckin.at, PainCheckin.score).where(
            PainCheckin.user_id == person.id, PainCheckin.at >= since
        )
    )
    sessions = await session.execute(
        select(CareSession.started_at, CareSession.treatment).where(
            CareSession.user_id == person.id, CareSession.started_at >= since
        )
    )
    first_shown = _day_start(today - timedelta(days=days - 1), zone)
    flare = await session.scalar(
        select(Flare.id)
        .where(
            Flare.user_id == person.id,
            Flare.started_at <= now,
            (Flare.ended_at.is_(None)) | (Flare.ended_at >= first_shown),
        )
        .limit(1)
    )
    return tally(
        zone=zone,
        last_day=today,
        days=days,
        water_goal_ml=person.water_goal_ml,
        events=[(kind, at, amount) for kind, at, amount in events],
        offered_breaks=offered,
        pain=[(at, score) for at, score in pain],
        sessions=[(at, treatment) for at, treatment in sessions],
        flare=flare is not None,
        joined=None if began is None else began.astimezone(zone).date(),
    )


async def weeks(
    session: AsyncSession, people: Sequence[Person], *, now: datetime
) -> dict[int, Progress]:
    """Sum up the last seven days of each of several people (for their weekly summary)."""
    return {person.id: await progress(session, person, now=now, days=WEEK) for person in people}


async def report(session: AsyncSession, user: User, *, now: datetime) -> Report:
    """Gather the report for a physiotherapist or doctor: the current or last episode,
    the last 30 days of habits, and the bot's settings."""
    person = person_of(user)
    zone = person.tz
    habits = await progress(session, person, now=now, days=MONTH)
    episode_row = await session.scalar(
        select(Flare)
        .where(Flare.user_id == user.id, Flare.started_at <= now)
        .order_by(Flare.started_at.desc())
        .limit(1)
    )
    episode = None
    if episode_row is not None:
        pain = tuple(
            (at, score)
            for at, score in await session.execute(
                select(PainCheckin.at, PainCheckin.score)
                .where(PainCheckin.flare_id == episode_row.id)
                .order_by(PainCheckin.at)
            )
        )
        sessions = tuple(
            CareSessionLine(started, treatment, off)
            for started, treatment, off in await session.execute(
                select(CareSession.started_at, CareSession.treatment, CareSession.taken_off_at)
                .where(CareSession.flare_id == episode_row.id)
                .order_by(CareSession.started_at)
            )
        )
        ended = episode_row.ended_at
        episode = Episode(
            started_at=episode_row.started_at,
            ended_at=ended,
            pain=pain,
            sessions=sessions,
            warning_signs=episode_row.red_flags,
            seen_at=episode_row.seen_at,
            doctor_advised_at=episode_row.doctor_advised_at,
            doctor_reason=episode_row.doctor_reason,
            missed_checkins=missed_checkins(
                episode_row.started_at.astimezone(zone).date(),
                (ended or now).astimezone(zone).date(),
                {at.astimezone(zone).date() for at, _ in pain},
                today=now.astimezone(zone).date(),
            ),
        )
    return Report(person, now, episode, habits)
