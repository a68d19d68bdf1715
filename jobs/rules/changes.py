"""A change to a person's settings, as one value per setting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal

from jobs.rules.windows import TimeWindow, WorkDays
from storage.kinds import NudgeKind

MAX_PAUSE = timedelta(days=90)


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
