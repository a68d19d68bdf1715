"""One person, as everything outside the database reads them: a frozen value.

`person_of` is the one mapper: it takes a stored `User` (with its preferences) or a Core
row selecting the same columns (the outbox reads people that way, without ORM objects),
so a new setting is one field here and one line in the mapper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from math import ceil
from typing import Any
from zoneinfo import ZoneInfo

from jobs.rules.windows import TimeWindow, WorkDays
from storage.kinds import NudgeKind

# The columns a person is made of: the user's own, then their nudge preferences'.
USER_COLUMNS = (
    "id",
    "chat_id",
    "timezone",
    "wake_time",
    "sleep_time",
    "work_start",
    "work_end",
    "work_days",
    "paused_until",
    "active",
    "onboarding_step",
    "held_for_help_since",
)
PREFERENCE_COLUMNS = (
    "water_enabled",
    "water_goal_ml",
    "water_glass_ml",
    "water_unit",
    "posture_enabled",
    "posture_every_minutes",
    "stretch_enabled",
    "stretch_time",
    "weekly_summary_enabled",
    "weekly_summary_day",
    "weekly_summary_time",
)


@dataclass(frozen=True, slots=True)
class Person:
    """Someone's settings as of now: who, when they are awake and work, what they want."""

    id: int
    chat_id: int
    zone: str | None
    waking: TimeWindow
    work: TimeWindow
    work_days: WorkDays
    water: bool
    water_goal_ml: int
    water_glass_ml: int
    posture: bool
    posture_every_minutes: int
    stretch: bool
    stretch_time: time
    paused_until: datetime | None
    onboarding_step: str | None
    active: bool = True
    water_unit: str = "ml"  # how amounts are shown: "ml" or "oz"
    # The weekly summary: on or off, its local weekday (0 = Monday) and time.
    weekly_summary: bool = True
    summary_day: int = 6
    summary_time: time = time(18)
    # Told to get medical help now, and not yet said they were seen: self-care waits.
    held_for_help: bool = False

    @property
    def tz(self) -> ZoneInfo:
        """Return their zone (UTC until they choose one)."""
        return ZoneInfo(self.zone or "UTC")

    @property
    def glasses_per_day(self) -> int:
        """Return how many glasses make up the daily goal."""
        return ceil(self.water_goal_ml / self.water_glass_ml)

    @property
    def schedulable(self) -> bool:
        """Tell whether they get nudges at all: active and done with setting up."""
        return self.active and self.zone is not None and self.onboarding_step is None

    def enabled(self, kind: NudgeKind) -> bool:
        """Tell whether an everyday kind of nudge is on (flare kinds come with a flare)."""
        match kind:
            case NudgeKind.WATER:
                return self.water
            case NudgeKind.POSTURE:
                return self.posture
            case NudgeKind.STRETCH:
                return self.stretch
            case NudgeKind.WEEKLY_SUMMARY:
                return self.weekly_summary
            case _:
                return True


def person_of(row: Any) -> Person:
    """Map a stored `User` (ORM) or a Core row of `USER_COLUMNS + PREFERENCE_COLUMNS`."""
    prefs = getattr(row, "preferences", row)
    return Person(
        id=row.id,
        chat_id=row.chat_id,
        zone=row.timezone,
        waking=TimeWindow(row.wake_time, row.sleep_time),
        work=TimeWindow(row.work_start, row.work_end),
        work_days=WorkDays.from_mask(row.work_days),
        water=prefs.water_enabled,
        water_goal_ml=prefs.water_goal_ml,
        water_glass_ml=prefs.water_glass_ml,
        posture=prefs.posture_enabled,
        posture_every_minutes=prefs.posture_every_minutes,
        stretch=prefs.stretch_enabled,
        stretch_time=prefs.stretch_time,
        paused_until=row.paused_until,
        onboarding_step=row.onboarding_step,
        active=row.active,
        water_unit=prefs.water_unit,
        weekly_summary=prefs.weekly_summary_enabled,
        summary_day=prefs.weekly_summary_day,
        summary_time=prefs.weekly_summary_time,
        held_for_help=getattr(row, "held_for_help_since", None) is not None,
    )
