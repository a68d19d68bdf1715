"""A person's profile: who they are to the bot, their hours and which nudges they want.

Every change someone can make (by button, command or typed answer) is a `Change`; each
is read from text by one parser in `FIELDS`, so a button's value is checked exactly like
a typed one, and applied by `apply_change`. Nothing here knows about Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from math import ceil

from sqlalchemy.ext.asyncio import AsyncSession

from guidance.reading import problems as says
from guidance.reading import when
from guidance.reading.times import (
    InputError,
)
from jobs.rules import planning, rules
from jobs.rules.changes import (
    MAX_PAUSE,
    Change,
    Pause,
    PauseUntilDay,
    Resume,
    SetEnabled,
    SetPostureEvery,
    SetStretchTime,
    SetSummary,
    SetWaking,
    SetWaterGlass,
    SetWaterGoal,
    SetWaterUnit,
    SetWork,
    SetZone,
)
from jobs.rules.fields import PAUSE_EXAMPLE
from jobs.rules.person import person_of
from jobs.rules.windows import TimeWindow, WorkDays
from storage.models import NudgePreferences, User
from storage.repositories import UserRepository

MAX_GLASSES_PER_DAY = 24


@dataclass(frozen=True, slots=True)
class NewUserDefaults:
    """What a new person starts with (from the operator's settings)."""

    waking: TimeWindow
    work: TimeWindow
    work_days: WorkDays
    water_goal_ml: int
    water_glass_ml: int
    posture_every_minutes: int
    stretch_time: time


async def find_user(session: AsyncSession, *, telegram_id: int, chat_id: int) -> User | None:
    """Return the person with this Telegram id, if stored, with their chat as it is now."""
    user = await UserRepository(session).by_telegram_id(telegram_id)
    if user is not None:
        user.chat_id = chat_id
    return user


async def find_or_create_user(
    session: AsyncSession, *, telegram_id: int, chat_id: int, defaults: NewUserDefaults
) -> tuple[User, bool]:
    """Return the person with this Telegram id, creating them with defaults; True if new."""
    user = await find_user(session, telegram_id=telegram_id, chat_id=chat_id)
    if user is not None:
        return user, False
    users = UserRepository(session)
    created = await users.add_if_absent(
        {
            "telegram_id": telegram_id,
            "chat_id": chat_id,
            "timezone": None,
            "wake_time": defaults.waking.start,
            "sleep_time": defaults.waking.end,
            "work_start": defaults.work.start,
            "work_end": defaults.work.end,
            "work_days": defaults.work_days.mask,
            "active": True,
            "onboarding_step": "timezone",
        }
    )
    user = await users.by_telegram_id(telegram_id)
    if user is None:  # pragma: no cover - inserted or found just now
        raise RuntimeError(f"person {telegram_id} vanished while being created")
    if created:
        user.preferences = NudgePreferences(
            water_enabled=True,
            water_goal_ml=defaults.water_goal_ml,
            water_glass_ml=defaults.water_glass_ml,
            posture_enabled=True,
            posture_every_minutes=defaults.posture_every_minutes,
            stretch_enabled=True,
            stretch_time=defaults.stretch_time,
        )
        await session.flush()
    return user, created


def apply_change(user: User, change: Change, *, now: datetime) -> None:
    """Apply one change to a person's settings, checking it against the rest first."""
    prefs = user.preferences
    match change:
        case SetZone(zone):
            user.timezone = zone
        case SetWaking(window):
            user.wake_time, user.sleep_time = window.start, window.end
        case SetWork(window, days):
            user.work_start, user.work_end = window.start, window.end
            if days is not None:
                user.work_days = days.mask
        case SetEnabled(kind, enabled):
            setattr(prefs, f"{kind.value}_enabled", enabled)
        case SetWaterGoal(ml):
            _check_glasses(ml, prefs.water_glass_ml, example="/water goal 2500")
            prefs.water_goal_ml = ml
        case SetWaterGlass(ml):
            _check_glasses(prefs.water_goal_ml, ml, example="/water glass 300")
            prefs.water_glass_ml = ml
        case SetWaterUnit(unit):
            prefs.water_unit = unit
        case SetPostureEvery(minutes):
            prefs.posture_every_minutes = minutes
        case SetStretchTime(at):
            prefs.stretch_time = at
        case SetSummary(weekday, at):
            if weekday is not None:
                prefs.weekly_summary_day = weekday
            prefs.weekly_summary_time = at
        case Pause(span):
            user.paused_until = pause_end(user, span, now=now)
        case Resume():
            user.paused_until = None


def _check_glasses(goal_ml: int, glass_ml: int, *, example: str) -> None:
    glasses = ceil(goal_ml / glass_ml)
    if glass_ml > goal_ml or glasses > MAX_GLASSES_PER_DAY:
        raise InputError(
            says.glasses_out_of_range(goal_ml, glass_ml, glasses, MAX_GLASSES_PER_DAY),
            example=example,
        )


def pause_end(
    user: User, span: timedelta | str | datetime | PauseUntilDay, *, now: datetime
) -> datetime:
    """Return when a pause asked for now ends (UTC)."""
    if isinstance(span, timedelta):
        return now + span
    if isinstance(span, datetime):
        return span
    if isinstance(span, PauseUntilDay):
        named = when.moment(f"until {span.phrase}", now=now, zone=planning.zone_of(user.timezone))
        if named is None or named.at <= now or named.at - now > MAX_PAUSE:
            raise InputError(says.not_a_pause_end(span.phrase), example=PAUSE_EXAMPLE)
        return named.at
    # "today" holds nudges until the next wake-up; "tomorrow" until the one after. The
    # rules' waking periods get DST and night shifts right.
    wake_ups = (
        start
        for start, _ in rules.waking_periods(planning.rhythm(person_of(user)), now)
        if start > now
    )
    wake = next(wake_ups)
    return next(wake_ups) if span == "tomorrow" else wake
