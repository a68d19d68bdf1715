"""Database fixtures: every storage test runs on embedded SQLite and on real PostgreSQL.

PostgreSQL tests use the server on 127.0.0.1:5432 (database `test`, trust auth), each in
a database of its own that is dropped afterwards. Each is cloned (`CREATE DATABASE …
TEMPLATE`) from one database that the migrations built from empty once per test run,
instead of migrating every test's database again. In CI (CI=true) they always run and fail
clearly if the server is unreachable; elsewhere they skip with the reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.database import create_engine, create_sessionmaker
from storage.migrate import upgrade

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


@asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """Create a migrated PostgreSQL database for the duration of the block."""
    url = await create_postgres_database()
    try:
        yield url
    finally:
        await drop_postgres_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """Give the URL of a fresh database: an empty SQLite file, then a PostgreSQL clone."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'backcare.db'}"
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
    await upgrade(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Give the session factory for the migrated database."""
    return create_sessionmaker(engine)
