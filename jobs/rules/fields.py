"""Read a typed setting (`/setting tz Berlin`) into a change."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from guidance.reading import problems as says
from guidance.reading import when
from guidance.reading.intents.reader import FLUID_OUNCE_ML
from guidance.reading.problems import Problem
from guidance.reading.times import (
    _DASHES,
    InputError,
    is_negative_length,
    parse_clock_time,
    parse_duration,
    small_number,
    split_off_days,
)
from guidance.reading.zones.gazetteer import city_zones
from guidance.reading.zones.match import match_zone
from jobs.rules.changes import (
    MAX_PAUSE,
    Change,
    Pause,
    PauseUntilDay,
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
from jobs.rules.windows import DAY_NAMES, TimeWindow, WorkDays

_OUNCES = re.compile(r"^(\d{1,4}(?:\.\d)?)\s*(?:fl\.? ?)?(?:oz|ounces?)$")
_UNITS = {"ml": "ml", "millilitres": "ml", "milliliters": "ml", "metric": "ml", "oz": "oz"}
_UNITS |= {"ounces": "oz", "fl oz": "oz", "imperial": "oz", "us": "oz"}


def _parse_unit(text: str) -> SetWaterUnit:
    unit = _UNITS.get(" ".join(text.lower().split()))
    if unit is None:
        raise InputError(says.not_a_unit(text), example="/water unit oz")
    return SetWaterUnit("oz" if unit == "oz" else "ml")


def _parse_ml(
    text: str, *, example: str, low: int, high: int, out_of_range: Callable[[int, int], Problem]
) -> int:
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
        raise InputError(out_of_range(low, high), example=example)
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
            says.pause_out_of_range(length, timedelta(minutes=10), MAX_PAUSE),
            example=PAUSE_EXAMPLE,
        )
    return length


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


# Each setting that can be typed or picked, and how to read it (what to ask for it is
# `bot.wording.settings.PROMPTS`).
FIELDS: dict[str, Callable[[str], Change]] = {
    "tz": lambda text: SetZone(match_zone(text, cities=city_zones)),
    "hours": lambda text: SetWaking(
        parse_window(text, example="/hours 07:30-22:30", min_hours=4, max_hours=22)
    ),
    "work": _parse_work,
    "goal": lambda text: SetWaterGoal(
        _parse_ml(
            text,
            example="/water goal 2500",
            low=500,
            high=6000,
            out_of_range=says.goal_out_of_range,
        )
    ),
    "glass": lambda text: SetWaterGlass(
        _parse_ml(
            text,
            example="/water glass 300",
            low=50,
            high=1000,
            out_of_range=says.glass_out_of_range,
        )
    ),
    "unit": _parse_unit,
    "every": lambda text: SetPostureEvery(
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
    "stretch": lambda text: SetStretchTime(parse_clock_time(text, example="/stretch 19:30")),
    "pause": _parse_pause,
    "summary": _parse_summary,
}


def parse_field(field: str, text: str) -> Change:
    """Read the value of a named setting, raising InputError with an example if it's wrong."""
    parse = FIELDS.get(field)
    if parse is None:
        raise InputError(says.UNKNOWN_SETTING, example="/settings")
    return parse(text)


def parse_window(
    text: str, *, example: str, min_hours: float = 1, max_hours: float = 23
) -> TimeWindow:
    """Read a daily window `start-end`; the end may be past midnight (`22:00-06:00`)."""
    parts = _DASHES.split(text.strip(), maxsplit=1)
    if len(parts) != 2:
        raise InputError(says.NO_DASH, example=example)
    start = parse_clock_time(parts[0], example=example)
    end = parse_clock_time(parts[1], example=example)
    if start == end:
        raise InputError(says.SAME_START_AND_END, example=example)
    window = TimeWindow(start, end)
    if not min_hours * 60 <= window.minutes <= max_hours * 60:
        raise InputError(
            says.span_out_of_range(window.minutes / 60, min_hours, max_hours),
            example=example,
        )
    return window


def parse_work_days(text: str, *, example: str = "mon-fri") -> WorkDays:
    """Read days such as `mon-fri`, `mon,wed,fri`, `monday - friday` or `sun-thu`."""
    days: set[int] = set()
    joined = re.sub(r"\s*[-–]\s*", "-", text.strip().lower())  # `monday - friday`
    for part in re.split(r"[,\s]+", joined):
        if not part:
            continue
        ends = part.split("-")
        if len(ends) > 2 or any(end[:3] not in DAY_NAMES for end in ends):
            raise InputError(says.not_a_day(part), example=example)
        first, last = DAY_NAMES.index(ends[0][:3]), DAY_NAMES.index(ends[-1][:3])
        day = first
        days.add(day)
        while day != last:
            day = (day + 1) % 7
            days.add(day)
    if not days:
        raise InputError(says.NO_DAY, example=example)
    return WorkDays(frozenset(days))
