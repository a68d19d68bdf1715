"""Whether the database takes writes: a read-only or full store, found and said once.

Two things tell: a check, run at start-up, on each readiness probe and every few seconds;
and the writes that fail. The check writes nothing and takes no lock (file modes, free
space, the size limit, and on PostgreSQL whether the server is read-only), so probing it
every second costs the writers nothing. A write refused for lack of room holds the fault
for `HOLD_SECONDS` more, even if the check finds a little room: a large write can fail
where a small one fits. Each change is logged once, never per request or per probe.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

# Less room than this (within `database.sqlite_max_mb`, or on the disk) is full: a WAL
# cycle alone writes up to 1000 pages (4 MiB) before it checkpoints.
MIN_ROOM_BYTES = 1024 * 1024
# How long a write refused as read-only or full keeps the store "not writable".
HOLD_SECONDS = 60.0


class StoreFault(StrEnum):
    """Why the database takes no writes."""

    READ_ONLY = "read-only"
    FULL = "full"


@dataclass(frozen=True, slots=True)
class Finding:
    """A fault and, in a few words for the log, what showed it."""

    fault: StoreFault
    why: str


# SQLite's primary result codes (the low byte of an extended code) and PostgreSQL's
# SQLSTATEs that mean the store takes no writes; anything else is some other failure.
_SQLITE_CODES = {8: StoreFault.READ_ONLY, 13: StoreFault.FULL}  # SQLITE_READONLY, SQLITE_FULL
_SQLSTATES = {"25006": StoreFault.READ_ONLY, "53100": StoreFault.FULL}


def fault_of(error: BaseException | None) -> StoreFault | None:
    """Tell whether an error (or what it wraps) is the store refusing a write."""
    found = _driver_error(error)
    if found is None:
        return None
    code = getattr(found, "sqlite_errorcode", None)
    if isinstance(code, int):
        return _SQLITE_CODES.get(code & 0xFF)
    return _SQLSTATES.get(str(getattr(found, "sqlstate", None) or getattr(found, "pgcode", "")))


def _driver_error(error: BaseException | None) -> BaseException | None:
    """Find the driver's own error inside SQLAlchemy's and asyncio's wrappers."""
    seen: set[int] = set()
    waiting = [error]
    while waiting:
        current = waiting.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if any(hasattr(current, name) for name in ("sqlite_errorcode", "sqlstate", "pgcode")):
            return current
        waiting += [getattr(current, "orig", None), current.__cause__, current.__context__]
    return None


async def find_fault(engine: AsyncEngine) -> Finding | None:
    """Check, without writing, whether the database can take writes now (None: it can)."""
    url = engine.url
    if url.get_backend_name() != "sqlite":
        async with engine.connect() as connection:
            standby, read_only = (
                await connection.execute(
                    text("SELECT pg_is_in_recovery(), current_setting('transaction_read_only')")
                )
            ).one()
        if standby:
            return Finding(StoreFault.READ_ONLY, "the server is a standby")
        if read_only == "on":
            return Finding(StoreFault.READ_ONLY, "the server's transactions are read-only")
        return None  # a full disk there shows only as writes that fail
    if not url.database or url.database == ":memory:":
        return None
    path = Path(url.database)
    found = await asyncio.to_thread(_read_only_file, path)
    if found is not None:
        return found
    async with engine.connect() as connection:
        pages = [
            (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar_one()
            for name in ("page_size", "page_count", "freelist_count", "max_page_count")
        ]
    page_size, used, free, most = (int(value) for value in pages)
    within_limit = (most - used + free) * page_size
    on_disk = await asyncio.to_thread(_free_bytes, path.parent)
    if within_limit < MIN_ROOM_BYTES:
        return Finding(StoreFault.FULL, f"{_mib(used * page_size)} of its size limit used")
    if on_disk < MIN_ROOM_BYTES:
        return Finding(StoreFault.FULL, f"{_mib(on_disk)} free on its disk")
    return None


def _read_only_file(path: Path) -> Finding | None:
    """Name the first of a SQLite database's files, or its folder, that can't be written."""
    for name in ("", "-wal", "-shm", "-journal"):
        file = path.with_name(path.name + name)
        if file.exists() and not os.access(file, os.W_OK):
            return Finding(StoreFault.READ_ONLY, f"{file.name} is read-only")
    if not os.access(path.parent, os.W_OK | os.X_OK):  # where SQLite makes its -wal and -shm
        return Finding(StoreFault.READ_ONLY, "its folder is read-only")
    return None


def _free_bytes(folder: Path) -> int:
    found = os.statvfs(folder)
    return found.f_bavail * found.f_frsize


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"


class StoreHealth:
    """What is known about whether the database takes writes; each change logged once."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        where: str,
        find: Callable[[AsyncEngine], Awaitable[Finding | None]] = find_fault,
        hold: float = HOLD_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._where = where
        self._find = find
        self._hold = hold
        self._monotonic = monotonic
        self._checked: Finding | None = None
        self._refused: Finding | None = None
        self._refused_at = -math.inf
        self._said: StoreFault | None = None
        self._lock = asyncio.Lock()

    @property
    def fault(self) -> StoreFault | None:
        """Return why the store takes no writes now, or None if it does."""
        found = self._current()
        return found.fault if found is not None else None

    async def check(self) -> StoreFault | None:
        """Check the store now; say a change in the log; return the fault, if any."""
        async with self._lock:  # probes at once share one check
            started = self._monotonic()
            found = await self._find(self._engine)
            before = self._checked.fault if self._checked is not None else None
            self._checked = found
            if (found.fault if found is not None else None) != before:
                # A connection opened before the change still sees the store as it was (a
                # file opened for writing stays writable after a chmod): open fresh ones.
                await self._engine.dispose()
                if found is None and self._refused_at <= started:
                    # Writes refused before the fault was mended are no reason to wait.
                    self._refused, self._refused_at = None, -math.inf
            self._say()
            return self.fault

    def failed(self, error: BaseException | None) -> StoreFault | None:
        """Take note of a failed write: return its fault if the store refused it, else None
        (some other failure, for the caller to log)."""
        fault = fault_of(error)
        if fault is not None:
            self._refused = Finding(fault, f"a write was refused: {_driver_error(error)}")
            self._refused_at = self._monotonic()
            self._say()
        return fault

    def _current(self) -> Finding | None:
        if self._checked is not None:
            return self._checked
        if self._monotonic() - self._refused_at < self._hold:
            return self._refused
        return None

    def _say(self) -> None:
        found = self._current()
        fault = found.fault if found is not None else None
        if fault == self._said:
            return
        self._said = fault
        if found is None:
            log.warning("the database at %s is writable again", self._where)
            return
        log.error(
            "the database at %s is not writable (%s: %s): people are told their changes "
            "can't be saved; warning signs are still answered",
            self._where,
            found.fault,
            found.why,
        )
