"""Database fixtures: every storage test runs on embedded SQLite and on real PostgreSQL.

Neither backend is migrated per test. SQLite: the migrations build one file per test
process (per xdist worker) once, and each test gets a copy of it (SQLite's backup API, about
a millisecond, against half a second for the migrations). PostgreSQL tests use the server on
127.0.0.1:5432 (database `test`, trust auth), in one database per test process, cloned
(`CREATE DATABASE … TEMPLATE`) from one that the migrations built from empty once, and
emptied after each test (TRUNCATE, about 20 ms, where a clone and a drop took 0.13 s on a
quiet machine and 0.4-0.9 s on a busy one: 190 tests). A test that leaves the schema other
than the migrations' newest (a downgrade) has the database dropped; the next one is cloned
afresh. Databases a test makes for itself (`create_postgres_database`) are clones too.
Names are random, so xdist workers never meet.
In CI (CI=true) PostgreSQL tests always run and fail clearly if the server is unreachable;
elsewhere they skip with the reason.
"""

from __future__ import annotations

import asyncio
import functools
import os
import shutil
import sqlite3
import tempfile
import threading
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.database import create_engine, create_sessionmaker
from storage.migrate import head_revisions, upgrade

POSTGRES_DSN = os.environ.get(
    "BACKCARE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)


async def _admin() -> asyncpg.Connection:
    try:
        return await asyncpg.connect(POSTGRES_DSN, timeout=5)
    except (OSError, asyncpg.PostgresError) as error:
        reason = f"PostgreSQL at {POSTGRES_DSN} is unreachable: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI requires it)")
        pytest.skip(reason)


def _url(name: str) -> str:
    base = POSTGRES_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{name}"


class _Template:
    """The migrated database every test database is cloned from, made once per run."""

    name: str | None = None


async def _migrated_template() -> str:
    if _Template.name is None:
        name = f"backcare_template_{uuid.uuid4().hex[:12]}"
        admin = await _admin()
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        engine = create_engine(_url(name))
        try:
            await upgrade(engine)  # the migrations, from an empty database
        finally:
            await engine.dispose()
        _Template.name = name
    return _Template.name


async def drop_template() -> None:
    """Drop the template database, if this run made one."""
    if _Template.name is not None:
        await drop_postgres_database(_url(_Template.name))
        _Template.name = None


async def create_postgres_database() -> str:
    """Create a PostgreSQL database migrated to the newest schema; return its URL."""
    template = await _migrated_template()
    name = f"backcare_{uuid.uuid4().hex[:12]}"
    admin = await _admin()
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        await admin.close()
    return _url(name)


async def drop_postgres_database(url: str) -> None:
    """Drop a database made by `create_postgres_database`."""
    admin = await _admin()
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await admin.close()


class _Reused:
    """This process's PostgreSQL database for one test after another (see the module doc)."""

    url: str | None = None


@asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """Give a migrated, empty PostgreSQL database for the duration of the block."""
    if _Reused.url is None:
        _Reused.url = await create_postgres_database()
    url = _Reused.url
    try:
        yield url
    finally:
        if not await _emptied(url):
            _Reused.url = None
            await drop_postgres_database(url)


async def _emptied(url: str) -> bool:
    """Empty a database for the next test: end what the last one left connected (its
    advisory locks go with it), then truncate every table. Tell whether it is still at the
    migrations' newest schema (if not, it is not reused)."""
    name = url.rsplit("/", 1)[1]
    admin = await _admin()
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
        )
    finally:
        await admin.close()
    connection = await asyncpg.connect(_dsn(name), timeout=5)
    try:
        tables = await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
        names = {row["tablename"] for row in tables}
        if "alembic_version" not in names:
            return False
        versions = await connection.fetch("SELECT version_num FROM alembic_version")
        if frozenset(row["version_num"] for row in versions) != _heads():
            return False
        emptied = ", ".join(f'"{table}"' for table in sorted(names - {"alembic_version"}))
        await connection.execute(f"TRUNCATE {emptied} RESTART IDENTITY CASCADE")
        return True
    finally:
        await connection.close()


def _dsn(name: str) -> str:
    return f"{POSTGRES_DSN.rsplit('/', 1)[0]}/{name}"


@functools.cache
def _heads() -> frozenset[str]:
    return head_revisions()


async def drop_reused() -> None:
    """Drop this process's reused database, if it made one."""
    if _Reused.url is not None:
        await drop_postgres_database(_Reused.url)
        _Reused.url = None


class _SqliteTemplate:
    """The migrated SQLite file every test's SQLite database is copied from, made once."""

    path: Path | None = None
    lock = threading.Lock()


def _migrate_sqlite(path: Path) -> None:
    async def migrate() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        try:
            await upgrade(engine)  # the migrations, from an empty database
        finally:
            await engine.dispose()

    # In a thread of its own: callers may be inside a running event loop (async fixtures).
    errors: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(migrate())
        except BaseException as error:  # handed to the caller below
            errors.append(error)

    worker = threading.Thread(target=run, name="sqlite-template")
    worker.start()
    worker.join()
    if errors:
        raise errors[0]


def migrated_sqlite(path: Path) -> str:
    """Put a SQLite database at the newest schema at `path`; return its URL.

    A copy of this process's migrated template, made by SQLite's backup API (safe whatever
    journal mode the template is in); the template itself is migrated on first use.
    """
    with _SqliteTemplate.lock:
        if _SqliteTemplate.path is None:
            template = Path(tempfile.mkdtemp(prefix="backcare-sqlite-template-")) / "t.db"
            _migrate_sqlite(template)
            _SqliteTemplate.path = template
        template = _SqliteTemplate.path
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(path)) as copy:
        source.backup(copy)
    return f"sqlite+aiosqlite:///{path}"


def drop_sqlite_template() -> None:
    """Remove this process's SQLite template, if it made one."""
    if _SqliteTemplate.path is not None:
        shutil.rmtree(_SqliteTemplate.path.parent, ignore_errors=True)
        _SqliteTemplate.path = None


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """Give the URL of a fresh database at the newest schema: SQLite, then PostgreSQL.

    Both are copies of a database the migrations built once (a file copy, a `TEMPLATE`
    clone), so no test pays for the migrations; tests of the migrations run them themselves.
    """
    if request.param == "sqlite":
        yield migrated_sqlite(tmp_path_factory.mktemp("db") / "backcare.db")
        return
    async with postgres_database() as url:
        yield url


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """Give the URL of a fresh PostgreSQL database (for what only PostgreSQL does)."""
    async with postgres_database() as url:
        yield url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """Give an engine on a fresh database migrated to the newest schema."""
    engine = create_engine(database_url)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Give the session factory for the migrated database."""
    return create_sessionmaker(engine)
