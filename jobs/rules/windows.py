"""Daily windows of local wall-clock time (waking hours, work hours) and work days."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import time

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """A daily span of local time from `start` (inclusive) to `end` (exclusive).

    A window whose end is earlier than its start runs across midnight
    (`22:00-06:00` for a night worker's waking hours).
    """

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start == self.end:
            raise ValueError("a window must not start and end at the same time")

    @property
    def crosses_midnight(self) -> bool:
        """Tell whether the window runs past midnight into the next day."""
        return self.end < self.start

    def contains(self, moment: time) -> bool:
        """Tell whether a local time of day falls inside the window."""
        if self.crosses_midnight:
            return moment >= self.start or moment < self.end
        return self.start <= moment < self.end

    @property
    def minutes(self) -> int:
        """Return the window's length in minutes."""
        start = self.start.hour * 60 + self.start.minute
        end = self.end.hour * 60 + self.end.minute
        return (end - start) % (24 * 60)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True, slots=True)
class WorkDays:
    """The days of the week someone works, Monday being 0."""

    days: frozenset[int]

    def __post_init__(self) -> None:
        if not self.days or not self.days <= frozenset(range(7)):
            raise ValueError("work days must be a non-empty set of weekdays 0..6")

    @classmethod
    @functools.lru_cache(maxsize=256)  # 127 valid masks, and asked for per nudge sent
    def from_mask(cls, mask: int) -> WorkDays:
        """Build from a bitmask where bit 0 is Monday."""
        return cls(frozenset(day for day in range(7) if mask & (1 << day)))

    @property
    def mask(self) -> int:
        """Return the bitmask where bit 0 is Monday."""
        return sum(1 << day for day in self.days)

    def __contains__(self, weekday: object) -> bool:
        return weekday in self.days

    def __str__(self) -> str:
        ordered = sorted(self.days)
        runs: list[tuple[int, int]] = []
        for day in ordered:
            if runs and runs[-1][1] == day - 1:
                runs[-1] = (runs[-1][0], day)
            else:
                runs.append((day, day))
        parts = [DAY_NAMES[a] if a == b else f"{DAY_NAMES[a]}-{DAY_NAMES[b]}" for a, b in runs]
        return ",".join(parts)


MONDAY_TO_FRIDAY = WorkDays(frozenset(range(5)))
