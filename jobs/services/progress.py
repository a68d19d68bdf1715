"""What someone has done over days, their report and everything stored about them.

Plain async functions over a session (no Telegram): `progress` backs `/progress`, the
weekly summary and the plain-words "what's my streak?" / "show my history"; `report`
backs `/report`; `export` backs `/export`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.pure import rules
from jobs.pure.person import Person, person_of
from jobs.pure.progress import STREAK_HISTORY_DAYS, Progress, tally
from jobs.pure.report import CareSessionLine, Episode, RecordTable, Report, missed_checkins
from storage.models import (
    PERSONAL_DATA,
    CareSession,
    Delivery,
    DeliveryStatus,
    Event,
    Flare,
    NudgeKind,
    PainCheckin,
    User,
    UTCDateTime,
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


async def progress(
    session: AsyncSession, person: Person, *, now: datetime, days: int = WEEK
) -> Progress:
    """Sum up someone's last `days` local days (today the last), with their streaks."""
    zone = person.tz
    today = now.astimezone(zone).date()
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


def _text(value: Any) -> str:
    """Write a stored value as CSV text: empty for none, JSON for data, values of enums."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def export_columns(table: Table) -> tuple[str, ...]:
    """Return a table's CSV columns: each timestamp twice, in UTC and in local time."""
    names: list[str] = []
    for column in table.columns:
        if isinstance(column.type, UTCDateTime):
            names += [f"{column.name}_utc", f"{column.name}_local"]
        else:
            names.append(column.name)
    return tuple(names)


async def export(session: AsyncSession, user: User) -> list[RecordTable]:
    """Read every record stored about someone, one table per kind, as CSV-ready text.

    The tables are `storage.models.PERSONAL_DATA`: the same ones `/forget` deletes.
    """
    zone = ZoneInfo(user.timezone or "UTC")
    tables = []
    for model in PERSONAL_DATA:
        table = cast(Table, model.__table__)
        owner = table.c.id if table.name == "users" else table.c.user_id
        key = list(table.primary_key.columns)
        found = await session.execute(select(table).where(owner == user.id).order_by(*key))
        rows = []
        for row in found:
            cells: list[str] = []
            for column in table.columns:
                value = row._mapping[column]
                if isinstance(column.type, UTCDateTime):
                    cells.append("" if value is None else value.isoformat())
                    cells.append("" if value is None else value.astimezone(zone).isoformat())
                else:
                    cells.append(_text(value))
            rows.append(tuple(cells))
        tables.append(RecordTable(table.name, export_columns(table), tuple(rows)))
    return tables
