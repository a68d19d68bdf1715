"""The clock rules and jobs read the time from, so that tests can drive it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol


class Clock(Protocol):
    """Something that tells the current time as an aware UTC datetime."""

    def now(self) -> datetime:
        """Return the current time in UTC."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        """Return the current time in UTC."""
        return datetime.now(UTC)


class FileClock:
    """A clock that tests drive: the time written in a file (ISO 8601), re-read on change."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: tuple[int, datetime] | None = None

    def now(self) -> datetime:
        """Return the time in the file, in UTC."""
        stamp = self.path.stat().st_mtime_ns
        if self._seen is None or self._seen[0] != stamp:
            moment = datetime.fromisoformat(self.path.read_text().strip())
            if moment.tzinfo is None:
                raise ValueError(f"{self.path} must hold a time with its UTC offset")
            self._seen = (stamp, moment.astimezone(UTC))
        return self._seen[1]
