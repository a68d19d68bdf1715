"""A person's profile: who they are to the bot, their hours and which nudges they want.

Every change someone can make (by button, command or typed answer) is a `Change`; each
is read from text by one parser in `FIELDS`, so a button's value is checked exactly like
a typed one, and applied by `apply_change`. Nothing here knows about Telegram.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from math import ceil
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from guidance.reading import when
from guidance.reading.intents import FLUID_OUNCE_ML
from jobs.gazetteer import city_zones
from jobs.pure import input_wording as says
from jobs.pure import planning, rules
from jobs.pure.person import person_of
from jobs.pure.time_input import (
    InputError,
    is_negative_length,
    parse_clock_time,
    parse_duration,
    parse_window,
    parse_work_days,
    small_number,
    split_off_days,
)
from jobs.pure.windows import DAY_NAMES, TimeWindow, WorkDays
from jobs.pure.zones import match_zone
from storage.models import NudgeKind, NudgePreferences, User
from storage.repositories import UserRepository

MAX_GLASSES_PER_DAY = 24
MAX_PAUSE = timedelta(days=90)


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


# The changes someone can make.
@dataclass(frozen=True, slots=True)
class SetZone:
    """Move to another IANA time zone."""

    zone: str


@dataclass(frozen=True, slots=True)
class SetWaking:
    """Change waking hours (quiet hours are the rest of the day)."""

    window: TimeWindow


@dataclass(frozen=True, slots=True)
class SetWork:
    """Change work hours, and the work days if given."""

    window: TimeWindow
    days: WorkDays | None


@dataclass(frozen=True, slots=True)
class SetEnabled:
    """Turn one kind of nudge on or off."""

    kind: NudgeKind
    enabled: bool


@dataclass(frozen=True, slots=True)
class SetWaterGoal:
    """Change the daily water goal."""

    ml: int


@dataclass(frozen=True, slots=True)
class SetWaterGlass:
    """Change the size of one glass."""

    ml: int


@dataclass(frozen=True, slots=True)
class SetWaterUnit:
    """Show water amounts in millilitres or in US fluid ounces."""

    unit: Literal["ml", "oz"]


@dataclass(frozen=True, slots=True)
class SetPostureEvery:
    """Change how often posture breaks come while working."""

    minutes: int


@dataclass(frozen=True, slots=True)
class SetStretchTime:
    """Change the time of the daily stretch."""

    at: time


@dataclass(frozen=True, slots=True)
class SetSummary:
    """Change when the weekly summary comes: a local weekday (0 = Monday) and time."""

    weekday: int | None
    at: time


@dataclass(frozen=True, slots=True)
class Pause:
    """Hold all nudges for a span, for the rest of today or through tomorrow, or until a
    moment (aware; a named day's midnight holds until that day's first waking hour)."""

    span: timedelta | Literal["today", "tomorrow"] | datetime | PauseUntilDay


@dataclass(frozen=True, slots=True)
class PauseUntilDay:
    """A pause typed as a day ("friday", "the 10th"): read when it is applied, in the
    person's zone, since the day depends on when and where it is typed."""

    phrase: str


@dataclass(frozen=True, slots=True)
class Resume:
    """Release a pause."""


Change = (
    SetZone
    | SetWaking
    | SetWork
    | SetEnabled
    | SetWaterGoal
    | SetWaterGlass
    | SetWaterUnit
    | SetPostureEvery
    | SetStretchTime
    | SetSummary
    | Pause
    | Resume
)


_OUNCES = re.compile(r"^(\d{1,4}(?:\.\d)?)\s*(?:fl\.? ?)?(?:oz|ounces?)$")
_UNITS = {"ml": "ml", "millilitres": "ml", "milliliters": "ml", "metric": "ml", "oz": "oz"}
_UNITS |= {"ounces": "oz", "fl oz": "oz", "imperial": "oz", "us": "oz"}


def _parse_unit(text: str) -> SetWaterUnit:
    unit = _UNITS.get(" ".join(text.lower().split()))
    if unit is None:
        raise InputError(says.not_a_unit(text), example="/water unit oz")
    return SetWaterUnit("oz" if unit == "oz" else "ml")


def _parse_ml(text: str, *, example: str, low: int, high: int, what: str) -> int:
    ounces = _OUNCES.match(text.strip().lower())
    cleaned = text.strip().lower().removesuffix("ml").strip()
    typed = small_number(cleaned.removeprefix("-"))
    if ounces is not None:  # "64 oz": kept in millilitres
        value = round(float(ounces[1]) * FLUID_OUNCE_ML)
    elif typed is None:
        raise InputError(says.not_millilitres(text), example=example)
    else:
        value = -typed if cleaned.startswith("-") else typed
    if not low <= value <= high:
        raise InputError(says.millilitres_out_of_range(what, low, high), example=example)
    return value


def _parse_work(text: str) -> SetWork:
    example = "/posture work 08:30-17:00 mon-fri"
    hours, days = split_off_days(text)
    window = parse_window(hours, example=example, min_hours=1, max_hours=16)
    return SetWork(window, parse_work_days(days, example=example) if days else None)


PAUSE_EXAMPLE = "/pause 2h (or /pause 3 days, /pause 1 week, /pause until friday)"
# Only to tell whether words name a day at all ("friday" does, "forever" does not).
_ANY_DAY = datetime(2025, 1, 1, 12, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")
_DURATION_WORDS = re.compile(r"\d\s*(?:h|m|min|mins|minutes?|hours?|hrs?)\b")


def _parse_pause(text: str) -> Pause:
    word = text.strip().lower().removeprefix("for ").strip()
    if is_negative_length(word):
        # Read without its sign, "-5h" would pause for five hours.
        raise InputError(says.negative_length(text.strip()), example=PAUSE_EXAMPLE)
    if word == "today":
        return Pause("today")
    if word == "tomorrow":
        return Pause("tomorrow")
    until = re.search(r"\b(?:until|till|til)\b", word) is not None
    if not until and _LENGTH_ONLY.fullmatch(word):
        # Read exactly: the dates library reads "1h30m" as an hour and "0h" as nothing.
        length: timedelta | None = _typed_length(word)
    else:
        length = None if until else when.span(word)
    if length is not None:
        return Pause(_pause_length(length))
    phrase = re.sub(r"^(?:until|till|til)\s+", "", word)
    if re.search(r"[a-z]", phrase) and when.moment(f"until {phrase}", now=_ANY_DAY, zone=UTC_ZONE):
        return Pause(PauseUntilDay(phrase))  # a day: read in their zone when applied
    if re.search(r"[a-z]", phrase) and not _DURATION_WORDS.search(phrase):
        raise InputError(says.not_a_pause_end(text.strip()), example=PAUSE_EXAMPLE)
    return Pause(_pause_length(_typed_length(word)))


# Hours and minutes alone ("0h", "1h30m", "90 min"), read by `parse_duration`.
_LENGTH_ONLY = re.compile(r"(?:\d{1,5}\s*(?:hours?|hrs?|h|minutes?|mins?|m)\s*)+", re.ASCII)


def _typed_length(word: str) -> timedelta:
    """Read hours and minutes, any length; `_pause_length` then says if it is too long."""
    return parse_duration(word, example=PAUSE_EXAMPLE, minimum=timedelta(), maximum=timedelta.max)


def _pause_length(length: timedelta) -> timedelta:
    """Refuse a pause under 10 minutes or over 90 days, saying both in days when long."""
    if not timedelta(minutes=10) <= length <= MAX_PAUSE:
        raise InputError(
            says.length_out_of_range(
                _spoken(length), _spoken(timedelta(minutes=10)), _spoken(MAX_PAUSE)
            ),
            example=PAUSE_EXAMPLE,
        )
    return length


def _spoken(length: timedelta) -> str:
    """Say a pause's length: `10 min`, `2 h`, `3 days`."""
    if length >= timedelta(days=1):
        days = length.days
        return f"{days} day{'s' if days != 1 else ''}"
    minutes = int(length.total_seconds() // 60)
    return f"{minutes // 60} h" if minutes >= 60 and minutes % 60 == 0 else f"{minutes} min"


def _parse_summary(text: str) -> SetSummary:
    """Read `sun 18:00` (or just `18:00`, keeping the day) for the weekly summary."""
    example = "/summary sun 18:00"
    first, _, rest = text.strip().lower().partition(" ")
    if first[:3] in DAY_NAMES and (len(first) == 3 or first.startswith(_FULL_DAYS)):
        if not rest.strip():
            raise InputError(says.value_missing("time"), example=example)
        return SetSummary(DAY_NAMES.index(first[:3]), parse_clock_time(rest, example=example))
    return SetSummary(None, parse_clock_time(text, example=example))


_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, slots=True)
class Field:
    """One setting that can be typed or picked: how to read it and what to show on error."""

    prompt: str
    parse: Callable[[str], Change]


FIELDS: dict[str, Field] = {
    "tz": Field(
        "Type your city or time zone, e.g. Berlin, EST, UTC+2 or America/New_York.",
        lambda text: SetZone(match_zone(text, cities=city_zones)),
    ),
    "hours": Field(
        "Type your waking hours as wake-sleep, e.g. 07:30-22:30 or 7:30am-10:30pm "
        "(22:00-06:00 for nights).",
        lambda text: SetWaking(
            parse_window(text, example="/hours 07:30-22:30", min_hours=4, max_hours=22)
        ),
    ),
    "work": Field(
        "Type your work hours and days, e.g. 08:30-17:00 mon-fri or 9am-5pm.", _parse_work
    ),
    "goal": Field(
        "Type your daily water goal in ml, e.g. 2500.",
        lambda text: SetWaterGoal(
            _parse_ml(text, example="/water goal 2500", low=500, high=6000, what="daily goal")
        ),
    ),
    "glass": Field(
        "Type the size of your glass in ml, e.g. 300.",
        lambda text: SetWaterGlass(
            _parse_ml(text, example="/water glass 300", low=50, high=1000, what="glass size")
        ),
    ),
    "unit": Field("Type ml or oz: the unit water amounts are shown in.", _parse_unit),
    "every": Field(
        "Type how often you want a posture break, e.g. 45m or 1h.",
        lambda text: SetPostureEvery(
            int(
                parse_duration(
                    text,
                    example="/posture every 45m",
                    minimum=timedelta(minutes=30),
                    maximum=timedelta(minutes=120),
                ).total_seconds()
                // 60
            )
        ),
    ),
    "stretch": Field(
        "Type the time for your daily stretch, e.g. 19:30 or 7:30pm.",
        lambda text: SetStretchTime(parse_clock_time(text, example="/stretch 19:30")),
    ),
    "pause": Field("Type how long to pause, e.g. 2h, today or tomorrow.", _parse_pause),
    "summary": Field(
        "Type the day and time for your weekly summary, e.g. sun 18:00.", _parse_summary
    ),
}


def parse_field(field: str, text: str) -> Change:
    """Read the value of a named setting, raising InputError with an example if it's wrong."""
    spec = FIELDS.get(field)
    if spec is None:
        raise InputError(says.UNKNOWN_SETTING, example="/settings")
    return spec.parse(text)


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
