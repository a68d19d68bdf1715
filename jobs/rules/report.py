"""What the report for a physiotherapist or doctor holds, as plain values (no PDF code).

`jobs.services.progress.report` reads it from the database; `bot.wording.report` says it
and `jobs.documents.report` lays it out. Everything in it is what the person told the bot:
self-reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from jobs.rules.person import Person
from jobs.rules.progress import Progress
from storage.kinds import Treatment


@dataclass(frozen=True, slots=True)
class CareSessionLine:
    """One ice or heat session: when it started and when it was taken off (if said)."""

    started_at: datetime
    treatment: Treatment
    taken_off_at: datetime | None


@dataclass(frozen=True, slots=True)
class Episode:
    """A care episode (from /flare to /better) as the report shows it."""

    started_at: datetime
    ended_at: datetime | None
    # Pain check-ins, oldest first: (when, 0-10).
    pain: tuple[tuple[datetime, int], ...]
    sessions: tuple[CareSessionLine, ...]
    # The answer to the warning-sign question: True (yes), False (no), None (not answered).
    warning_signs: bool | None
    seen_at: datetime | None
    doctor_advised_at: datetime | None
    doctor_reason: str | None
    # Days of the episode, after its first, without a morning check-in.
    missed_checkins: tuple[date, ...]

    @property
    def ongoing(self) -> bool:
        """Tell whether care mode is still on."""
        return self.ended_at is None


@dataclass(frozen=True, slots=True)
class Report:
    """The whole report: who (settings), the current or last episode, and 30 days of habits."""

    person: Person
    made_at: datetime
    episode: Episode | None
    habits: Progress

    @property
    def empty(self) -> bool:
        """Tell whether there is nothing to report yet: no episode and no habits."""
        return self.episode is None and self.habits.empty


@dataclass(frozen=True, slots=True)
class RecordTable:
    """One subject of the export, ready for CSV: its file name (without `.csv`), what a row
    is, its columns named for people with what each means, and its rows as text."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # What one row is, and what each column means (one per column, in order): the zip's
    # README.txt says them, so the files read without BackCare's docs beside them.
    about: str = ""
    meanings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.meanings and len(self.meanings) != len(self.columns):
            raise ValueError(f"{self.name}: every column needs its meaning, and only those")


def missed_checkins(
    started: date, ended: date, checked: set[date], *, today: date
) -> tuple[date, ...]:
    """Return the episode's days after its first, up to its end (or today), with no check-in."""
    last = min(ended, today)
    days = []
    day = started
    while day < last:
        day = date.fromordinal(day.toordinal() + 1)
        if day not in checked:
            days.append(day)
    return tuple(days)
