"""Seeded user bases for the benchmarks: many onboarded people, fast, cached within a run.

A population is N people who finished onboarding (a mix of time zones, waking 08:00-22:00,
work 09:00-17:00 Monday to Friday, water, posture and stretch on) with their schedule rows
due when the real rules say, as of `T0`. Rows are written with bulk inserts of precomputed
values, not the ORM per person. Each (backend, N) is seeded once per run as a template;
every scenario works on a copy of it (a file copy on SQLite, `CREATE DATABASE … TEMPLATE`
on PostgreSQL), and `cleanup()` removes them all.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any, cast

import asyncpg
from sqlalchemy import Table, insert, text, update

from jobs.rules import planning, rules
from jobs.rules.person import person_of
from jobs.rules.windows import TimeWindow
from storage.database import create_engine, create_sessionmaker
from storage.migrate import upgrade
from storage.models import NudgeKind, NudgePreferences, ScheduledNudge, User

# A Wednesday at 13:00 UTC: every zone below is inside its work hours for the next hour.
T0 = datetime(2025, 6, 4, 13, 0, tzinfo=UTC)
ZONES = (
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Africa/Lagos",
    "Europe/Berlin",
    "Europe/Moscow",
)
KINDS = (NudgeKind.WATER, NudgeKind.POSTURE, NudgeKind.STRETCH)
WAKE, SLEEP = clock_time(8), clock_time(22)
WORK_START, WORK_END = clock_time(9), clock_time(17)
MONDAY_TO_FRIDAY = 0b0011111
WATER_GOAL_ML, WATER_GLASS_ML = 2000, 250
POSTURE_EVERY_MINUTES = 60
STRETCH_TIME = clock_time(19)
CHAT_BASE = 5_000_000_000
CHUNK = 5_000

POSTGRES_DSN = os.environ.get(
    "BACKCARE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")


def chat_id(user_id: int) -> int:
    """Return the chat (and Telegram) id of a seeded person."""
    return CHAT_BASE + user_id


def row_id(user_id: int, kind: NudgeKind) -> int:
    """Return the id of a seeded person's schedule row of one kind."""
    return (user_id - 1) * len(KINDS) + KINDS.index(kind) + 1


def zone_of(user_id: int) -> str:
    """Return a seeded person's time zone."""
    return ZONES[user_id % len(ZONES)]


def _person(user_id: int) -> User:
    """Build (not store) a seeded person, to ask the real rules about them."""
    user = User(
        id=user_id,
        telegram_id=chat_id(user_id),
        chat_id=chat_id(user_id),
        timezone=zone_of(user_id),
        wake_time=WAKE,
        sleep_time=SLEEP,
        work_start=WORK_START,
        work_end=WORK_END,
        work_days=MONDAY_TO_FRIDAY,
        paused_until=None,
        active=True,
        onboarding_step=None,
    )
    user.preferences = NudgePreferences(
        user_id=user_id,
        water_enabled=True,
        water_goal_ml=WATER_GOAL_ML,
        water_glass_ml=WATER_GLASS_ML,
        posture_enabled=True,
        posture_every_minutes=POSTURE_EVERY_MINUTES,
        stretch_enabled=True,
        stretch_time=STRETCH_TIME,
    )
    return user


def _spreads() -> dict[NudgeKind, int]:
    # The per-kind offset spreads `planning.rhythm` uses for these settings.
    glasses = rules.WaterPrefs(WATER_GOAL_ML, WATER_GLASS_ML).glasses_per_day
    return {
        NudgeKind.WATER: max(TimeWindow(WAKE, SLEEP).minutes * 60 // glasses, 60),
        NudgeKind.POSTURE: POSTURE_EVERY_MINUTES * 60,
        NudgeKind.STRETCH: planning.STRETCH_SPREAD_SECONDS,
    }


_PLANS: dict[tuple[str, NudgeKind, int], datetime] = {}
_CHECKED = False
_TYPICAL: dict[str, User] = {}


def _typical(user_id: int) -> User:
    """Return a reused person of the right zone under this id (building one is slow)."""
    zone = zone_of(user_id)
    person = _TYPICAL.get(zone)
    if person is None:
        person = _TYPICAL[zone] = _person(user_id)
    person.id = user_id
    return person


def first_due(users: int) -> list[tuple[int, NudgeKind, datetime]]:
    """Return (user id, kind, due at) for everyone, as `planning.next_due` has it at T0."""
    # People differ only by zone and per-kind offset, so each distinct (zone, kind, offset)
    # is asked of the rules once; a sample is checked against the rules person by person.
    global _CHECKED
    spreads = _spreads()
    planned = []
    for user_id in range(1, users + 1):
        zone = zone_of(user_id)
        for kind in KINDS:
            key = (zone, kind, rules.stable_offset(user_id, spreads[kind]))
            due = _PLANS.get(key)
            if due is None:
                found = planning.next_due(
                    person_of(_typical(user_id)), kind, planning.Facts(), now=T0
                )
                if found is None:
                    raise AssertionError(f"seeded person {user_id} gets no {kind} nudge")
                due = _PLANS[key] = found
            planned.append((user_id, kind, due))
    if not _CHECKED:
        for user_id, kind, due in planned[: 3 * 200 : 7]:
            exact = planning.next_due(person_of(_person(user_id)), kind, planning.Facts(), now=T0)
            if exact != due:
                raise AssertionError(f"memoised due time wrong for {user_id} {kind}")
        _CHECKED = True
    return planned


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


async def _seed(url: str, users: int) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine)
        people = [
            {
                "id": user_id,
                "telegram_id": chat_id(user_id),
                "chat_id": chat_id(user_id),
                "timezone": zone_of(user_id),
                "wake_time": WAKE,
                "sleep_time": SLEEP,
                "work_start": WORK_START,
                "work_end": WORK_END,
                "work_days": MONDAY_TO_FRIDAY,
                "paused_until": None,
                "active": True,
                "onboarding_step": None,
                "awaiting": None,
                "question_notice_at": None,
            }
            for user_id in range(1, users + 1)
        ]
        preferences = [
            {
                "user_id": user_id,
                "water_enabled": True,
                "water_goal_ml": WATER_GOAL_ML,
                "water_glass_ml": WATER_GLASS_ML,
                "posture_enabled": True,
                "posture_every_minutes": POSTURE_EVERY_MINUTES,
                "stretch_enabled": True,
                "stretch_time": STRETCH_TIME,
            }
            for user_id in range(1, users + 1)
        ]
        schedule = [
            {
                "id": row_id(user_id, kind),
                "user_id": user_id,
                "kind": kind,
                "due_at": due,
            }
            for user_id, kind, due in first_due(users)
        ]
        sessionmaker = create_sessionmaker(engine)
        for model, rows in (
            (User, people),
            (NudgePreferences, preferences),
            (ScheduledNudge, schedule),
        ):
            async with sessionmaker.begin() as session:
                for chunk in _chunks(rows):
                    # Core inserts of plain rows: no ORM objects or bookkeeping per row.
                    await session.execute(insert(cast(Table, model.__table__)), chunk)
        async with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                # Up-to-date planner statistics, as autovacuum would soon have them.
                await connection.execute(text("ANALYZE"))
            else:
                await connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        if engine.dialect.name == "postgresql":
            # Sequences catch up with the explicit ids, as if rows had been added one by one.
            async with engine.begin() as connection:
                for table in ("users", "scheduled_nudges"):
                    await connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT max(id) FROM {table}))"
                        )
                    )
    finally:
        await engine.dispose()


@dataclass(frozen=True, slots=True)
class Template:
    """A seeded database to copy from."""

    backend: str
    users: int
    location: str  # a file path (SQLite) or a database name (PostgreSQL)
    seconds: float  # how long seeding took


class _Store:
    """Every database and file this run made, to reuse and to remove at the end."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.templates: dict[tuple[str, int], Template] = {}
        self.databases: list[str] = []
        self.run_id = uuid.uuid4().hex[:8]
        self.counter = 0
        self.postgres_error: str | None = None

    def path(self, name: str) -> Path:
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="backcare-bench-"))
        return self.folder / name

    def database_name(self, label: str) -> str:
        self.counter += 1
        return f"backcare_bench_{self.run_id}_{label}_{self.counter}"


_STORE = _Store()


def _postgres_url(name: str) -> str:
    base = POSTGRES_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{name}"


async def _admin(sql: str) -> None:
    connection = await asyncpg.connect(POSTGRES_DSN, timeout=5)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def postgres_available() -> bool:
    """Tell whether the PostgreSQL server answers (remembering why not)."""
    if _STORE.postgres_error is not None:
        return False
    try:
        await _admin("SELECT 1")
    except (OSError, asyncpg.PostgresError) as error:
        _STORE.postgres_error = f"{type(error).__name__}: {error}"
        return False
    return True


def postgres_error() -> str | None:
    """Return why PostgreSQL was unreachable, if it was."""
    return _STORE.postgres_error


async def backends() -> list[str]:
    """Return the backends to measure: PostgreSQL too if it answers (saying so if not)."""
    if await postgres_available():
        return list(BACKENDS)
    print(f"  PostgreSQL skipped: {postgres_error()}")
    return ["sqlite"]


async def copy_with_due(backend: str, users: int, due: int) -> str:
    """Return a fresh copy of the population with `due` nudges due at `T0`."""
    url = await copy_of(backend, users)
    await make_due(url, due_now(users, due), at=T0)
    return url


async def template(backend: str, users: int) -> Template:
    """Return the seeded template for a backend and size, seeding it on first use."""
    key = (backend, users)
    if key in _STORE.templates:
        return _STORE.templates[key]
    started = time.perf_counter()
    if backend == "sqlite":
        path = _STORE.path(f"template-{users}.db")
        await _seed(f"sqlite+aiosqlite:///{path}", users)
        location = str(path)
    else:
        location = _STORE.database_name(f"tpl{users}")
        await _admin(f'CREATE DATABASE "{location}"')
        _STORE.databases.append(location)
        await _seed(_postgres_url(location), users)
    found = Template(backend, users, location, time.perf_counter() - started)
    _STORE.templates[key] = found
    return found


async def copy_of(backend: str, users: int) -> str:
    """Return the URL of a fresh copy of the seeded database for a backend and size."""
    source = await template(backend, users)
    if backend == "sqlite":
        _STORE.counter += 1
        path = _STORE.path(f"copy-{users}-{_STORE.counter}.db")
        await asyncio.to_thread(shutil.copyfile, source.location, path)
        return f"sqlite+aiosqlite:///{path}"
    name = _STORE.database_name(f"db{users}")
    await _admin(f'CREATE DATABASE "{name}" TEMPLATE "{source.location}"')
    _STORE.databases.append(name)
    return _postgres_url(name)


async def discard(url: str) -> None:
    """Remove a copy made by `copy_of` (its engines must be disposed)."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1]
        for suffix in ("", "-wal", "-shm"):
            await asyncio.to_thread(Path(f"{path}{suffix}").unlink, missing_ok=True)
        return
    name = url.rsplit("/", 1)[1]
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if name in _STORE.databases:
        _STORE.databases.remove(name)


async def make_due(url: str, rows: Sequence[tuple[int, NudgeKind]], *, at: datetime) -> None:
    """Make the given (user id, kind) rows due at `at` minus up to a minute, spread evenly."""
    changes = [
        {"id": row_id(user_id, kind), "due_at": at - timedelta(seconds=index % 60)}
        for index, (user_id, kind) in enumerate(rows)
    ]
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            for chunk in _chunks(changes):
                await session.execute(update(ScheduledNudge), chunk)
    finally:
        await engine.dispose()


def due_now(users: int, count: int) -> list[tuple[int, NudgeKind]]:
    """Pick `count` different people spread over the base, one row each, kinds in turn."""
    step = users / count
    picked = [int(index * step) + 1 for index in range(count)]
    return [(user_id, KINDS[user_id % len(KINDS)]) for user_id in picked]


async def _cleanup() -> None:
    for name in list(_STORE.databases):
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _STORE.databases.remove(name)


def cleanup() -> None:
    """Drop every database and delete every file this run made."""
    if _STORE.databases:
        asyncio.run(_cleanup())
    if _STORE.folder is not None:
        shutil.rmtree(_STORE.folder, ignore_errors=True)
        _STORE.folder = None
    _STORE.templates.clear()
