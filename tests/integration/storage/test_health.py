"""Whether the database takes writes: what counts as read-only or full, and saying it once."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.database import create_engine, create_sessionmaker
from storage.health import Finding, StoreFault, StoreHealth, fault_of, find_fault
from storage.migrate import upgrade
from storage.models import Event, EventKind
from tests.support.factories import make_user


def _sqlite_error(message: str, code: int) -> OperationalError:
    """Return SQLAlchemy's error around a sqlite3 one with an (extended) result code."""
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    return OperationalError("INSERT INTO events ...", {}, error)


class _PostgresError(Exception):
    """Stands for asyncpg's error as SQLAlchemy's adapter hands it on."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__("refused")
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("error", "fault"),
    [
        (_sqlite_error("attempt to write a readonly database", 8), StoreFault.READ_ONLY),
        (_sqlite_error("attempt to write a readonly database", 1032), StoreFault.READ_ONLY),
        (_sqlite_error("database or disk is full", 13), StoreFault.FULL),
        (_sqlite_error("database is locked", 5), None),
        (_sqlite_error("no such table: events", 1), None),
        (OperationalError("UPDATE ...", {}, _PostgresError("25006")), StoreFault.READ_ONLY),
        (OperationalError("INSERT ...", {}, _PostgresError("53100")), StoreFault.FULL),
        (OperationalError("INSERT ...", {}, _PostgresError("40001")), None),
        (RuntimeError("something else"), None),
        (None, None),
    ],
)
def test_only_a_refused_write_is_a_storage_fault(
    error: BaseException | None, fault: StoreFault | None
) -> None:
    assert fault_of(error) == fault


def test_a_fault_wrapped_by_another_error_is_still_found() -> None:
    outer = RuntimeError("the tick failed")
    outer.__cause__ = _sqlite_error("database or disk is full", 13)
    assert fault_of(outer) is StoreFault.FULL


async def test_a_healthy_sqlite_store_takes_writes(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'ok.db'}")
    try:
        await upgrade(engine)
        assert await find_fault(engine) is None
    finally:
        await engine.dispose()


async def test_a_sqlite_store_at_its_size_limit_is_full(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'small.db'}", sqlite_max_mb=2)
    try:
        await upgrade(engine)
        sessions = create_sessionmaker(engine)
        async with sessions.begin() as session:
            user = await make_user(session)
        glass = {"user_id": user.id, "kind": EventKind.WATER, "at": datetime.now(UTC)}
        with pytest.raises(OperationalError, match="full"):
            for _ in range(200):
                async with sessions.begin() as session:
                    await session.execute(insert(Event), [glass] * 500)
        found = await find_fault(engine)
    finally:
        await engine.dispose()
    assert found is not None
    assert found.fault is StoreFault.FULL
    assert found.why == "2.0 MiB of its size limit used"


async def test_a_sqlite_file_that_cannot_be_written_is_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # chmod binds no process with root's override (as the tests may run), so ask os.access.
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'locked.db'}")
    try:
        await upgrade(engine)
        written = os.access

        def access(path: os.PathLike[str] | str, mode: int) -> bool:
            return not str(path).endswith("-wal") and written(path, mode)

        monkeypatch.setattr(os, "access", access)
        found = await find_fault(engine)
    finally:
        await engine.dispose()
    assert found == Finding(StoreFault.READ_ONLY, "locked.db-wal is read-only")


@pytest.mark.postgres
async def test_a_postgresql_server_in_read_only_mode_is_read_only(postgres_url: str) -> None:
    engine = create_async_engine(
        postgres_url, connect_args={"server_settings": {"default_transaction_read_only": "on"}}
    )
    try:
        found = await find_fault(engine)
    finally:
        await engine.dispose()
    assert found is not None
    assert found.fault is StoreFault.READ_ONLY


class Clock:
    """Monotonic seconds the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _finding(
    results: list[Finding | None],
) -> Callable[[AsyncEngine], Awaitable[Finding | None]]:
    """Return a check that answers with each result in turn."""

    async def find(_engine: AsyncEngine) -> Finding | None:
        return results.pop(0)

    return find


FULL_DISK = Finding(StoreFault.FULL, "0.1 MiB free on its disk")
REFUSED = _sqlite_error("database or disk is full", 13)


def _said(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "storage.health"]


async def test_each_change_is_said_once_not_per_check_or_per_refused_write(
    engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    checks = [None, FULL_DISK, FULL_DISK, FULL_DISK, None, None]
    store = StoreHealth(engine, where="db", find=_finding(checks), monotonic=clock)
    caplog.set_level(logging.INFO, logger="storage.health")
    assert await store.check() is None
    assert await store.check() is StoreFault.FULL
    assert await store.check() is StoreFault.FULL
    assert store.failed(REFUSED) is StoreFault.FULL
    assert store.failed(REFUSED) is StoreFault.FULL
    assert await store.check() is StoreFault.FULL
    assert await store.check() is None  # mended: refusals before it are no reason to wait
    assert await store.check() is None
    assert _said(caplog) == [
        "the database at db is not writable (full: 0.1 MiB free on its disk): people are "
        "told their changes can't be saved; warning signs are still answered",
        "the database at db is writable again",
    ]


async def test_a_refused_write_the_check_cannot_see_holds_for_a_while(
    engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    store = StoreHealth(engine, where="db", find=_finding([None] * 3), hold=60, monotonic=clock)
    caplog.set_level(logging.INFO, logger="storage.health")
    assert store.failed(RuntimeError("not a storage fault")) is None
    assert store.fault is None
    assert store.failed(REFUSED) is StoreFault.FULL  # a big write on a nearly full disk
    assert await store.check() is StoreFault.FULL
    clock.now += 59
    assert await store.check() is StoreFault.FULL
    clock.now += 2
    assert await store.check() is None
    assert _said(caplog) == [
        "the database at db is not writable (full: a write was refused: database or disk is "
        "full): people are told their changes can't be saved; warning signs are still "
        "answered",
        "the database at db is writable again",
    ]
