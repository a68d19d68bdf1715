"""A person's progress as plain values: each local day's water, breaks, stretches and pain.

Built from what they logged (pure: the queries are in `jobs.services.progress`), drawn by
`jobs.documents.chart`, said in words by `bot.wording.progress` (the chart's caption, for
screen readers and notifications), and carried in the outbox's payload by the weekly summary.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from storage.kinds import EventKind, Treatment

# Days looked back over to count a streak that began before the chart's first day.
STREAK_HISTORY_DAYS = 60


@dataclass(frozen=True, slots=True)
class DayProgress:
    """One local calendar day: what was logged and offered."""

    day: date
    water_ml: int = 0
    breaks_taken: int = 0
    breaks_offered: int = 0
    stretches: int = 0
    # The day's last pain score (0-10), if one was given.
    pain: int | None = None
    ice: int = 0
    heat: int = 0

    def to_payload(self) -> list[Any]:
        """Return the day as compact JSON-able data."""
        return [
            self.day.isoformat(),
            self.water_ml,
            self.breaks_taken,
            self.breaks_offered,
            self.stretches,
            self.pain,
            self.ice,
            self.heat,
        ]

    @classmethod
    def from_payload(cls, data: list[Any]) -> DayProgress:
        """Rebuild a day kept in the outbox."""
        day, water, taken, offered, stretches, pain, ice, heat = data
        return cls(date.fromisoformat(day), water, taken, offered, stretches, pain, ice, heat)


@dataclass(frozen=True, slots=True)
class Progress:
    """The last few days (oldest first, the last one is today), the water goal and streaks.

    Days before the person started with BackCare are not in `days`: someone who joined
    three days ago has three days, not a week of zeros. `period` is how many days were
    asked for (7, 30), `joined` the local day they started (None: not known, take the days
    as they are).
    """

    days: tuple[DayProgress, ...]
    water_goal_ml: int
    # Days in a row, up to the last day, the water goal was met / a stretch was done. A last
    # day that has not got there yet (it may still be under way) does not break the run.
    water_streak: int = 0
    stretch_streak: int = 0
    # A care episode overlapped these days: the chart adds the pain panel.
    flare: bool = False
    period: int | None = None
    joined: date | None = None

    @property
    def since_joined(self) -> bool:
        """Tell whether the days start on the day the person joined (fewer than asked for)."""
        return (
            self.joined is not None
            and bool(self.days)
            and self.days[0].day == self.joined
            and len(self.days) < (self.period or 0)
        )

    @property
    def finished_days(self) -> tuple[DayProgress, ...]:
        """Return the days that are over: all but the last, which is today, under way."""
        return self.days[:-1]

    @property
    def water_average(self) -> int | None:
        """Return the water a day on average over the finished days (None: none is over)."""
        finished = self.finished_days
        if not finished:
            return None
        return sum(d.water_ml for d in finished) // len(finished)

    @property
    def shows_care(self) -> bool:
        """Tell whether ice or heat went on the back on any of the days (their own row)."""
        return any(d.ice or d.heat for d in self.days)

    @property
    def empty(self) -> bool:
        """Tell whether nothing at all was logged or offered: no chart to show."""
        return not any(
            d.water_ml or d.breaks_taken or d.breaks_offered or d.stretches or d.ice or d.heat
            for d in self.days
        ) and all(d.pain is None for d in self.days)

    @property
    def goal_days(self) -> int:
        """Return on how many days the water goal was met."""
        return sum(1 for d in self.days if d.water_ml >= self.water_goal_ml)

    @property
    def stretch_days(self) -> int:
        """Return on how many days at least one stretch was done."""
        return sum(1 for d in self.days if d.stretches)

    @property
    def breaks_taken(self) -> int:
        """Return the breaks taken over the days."""
        return sum(d.breaks_taken for d in self.days)

    @property
    def breaks_offered(self) -> int:
        """Return the breaks offered over the days."""
        return sum(d.breaks_offered for d in self.days)

    @property
    def shows_pain(self) -> bool:
        """Tell whether the pain panel is drawn: during or after a flare, with something in it."""
        return self.flare and any(d.pain is not None or d.ice or d.heat for d in self.days)

    def to_payload(self) -> dict[str, Any]:
        """Return the progress as JSON-able data, to keep in the outbox."""
        return {
            "days": [d.to_payload() for d in self.days],
            "goal": self.water_goal_ml,
            "streaks": [self.water_streak, self.stretch_streak],
            "flare": self.flare,
            "period": self.period,
            "joined": None if self.joined is None else self.joined.isoformat(),
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Progress:
        """Rebuild progress kept in the outbox."""
        water_streak, stretch_streak = data["streaks"]
        joined = data.get("joined")  # absent from payloads kept before it was added
        return cls(
            tuple(DayProgress.from_payload(day) for day in data["days"]),
            data["goal"],
            water_streak,
            stretch_streak,
            data["flare"],
            period=data.get("period"),
            joined=None if joined is None else date.fromisoformat(joined),
        )


def _streak(met: list[bool]) -> int:
    """Count the days in a row that met, up to the last (which may still be under way)."""
    if met and not met[-1]:
        met = met[:-1]
    count = 0
    for day_met in reversed(met):
        if not day_met:
            break
        count += 1
    return count


def tally(
    *,
    zone: ZoneInfo,
    last_day: date,
    days: int,
    water_goal_ml: int,
    events: Iterable[tuple[EventKind, datetime, int | None]],
    offered_breaks: Iterable[datetime],
    pain: Iterable[tuple[datetime, int]],
    sessions: Iterable[tuple[datetime, Treatment]],
    flare: bool,
    joined: date | None = None,
) -> Progress:
    """Sum up by local day the `days` up to `last_day`, none before `joined` (the local day
    the person started: earlier days are not days missed); streaks count back further over
    whatever the inputs hold (up to `STREAK_HISTORY_DAYS`)."""
    if joined is not None:
        joined = min(joined, last_day)
    span = max(days, STREAK_HISTORY_DAYS)
    first = last_day - timedelta(days=span - 1)
    water: dict[date, int] = defaultdict(int)
    taken: dict[date, int] = defaultdict(int)
    stretched: dict[date, int] = defaultdict(int)
    offered: dict[date, int] = defaultdict(int)
    scores: dict[date, tuple[datetime, int]] = {}
    ice: dict[date, int] = defaultdict(int)
    heat: dict[date, int] = defaultdict(int)
    for kind, at, amount in events:
        day = at.astimezone(zone).date()
        if kind is EventKind.WATER:
            water[day] += amount or 0
        elif kind is EventKind.POSTURE_BREAK:
            taken[day] += 1
        elif kind is EventKind.STRETCH:
            stretched[day] += 1
    for at in offered_breaks:
        offered[at.astimezone(zone).date()] += 1
    for at, score in pain:
        day = at.astimezone(zone).date()
        if day not in scores or scores[day][0] <= at:
            scores[day] = (at, score)
    for at, treatment in sessions:
        day = at.astimezone(zone).date()
        if treatment in (Treatment.ICE, Treatment.ALTERNATE):
            ice[day] += 1
        if treatment in (Treatment.HEAT, Treatment.ALTERNATE):
            heat[day] += 1
    history = [
        DayProgress(
            day,
            water[day],
            taken[day],
            offered[day],
            stretched[day],
            scores[day][1] if day in scores else None,
            ice[day],
            heat[day],
        )
        for day in (first + timedelta(days=i) for i in range(span))
    ]
    if joined is not None:
        history = [d for d in history if d.day >= joined]
    return Progress(
        tuple(history[-days:]),
        water_goal_ml,
        water_streak=_streak([d.water_ml >= water_goal_ml for d in history]),
        stretch_streak=_streak([d.stretches > 0 for d in history]),
        flare=flare,
        period=days,
        joined=joined,
    )
