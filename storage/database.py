"""Engines and session makers for SQLite (embedded) and PostgreSQL."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

# Connections kept open in the pool (more are opened, then closed, when needed at once).
POOL_SIZE = 20


def create_engine(
    url: str,
    *,
    echo: bool = False,
    connect_timeout: float = 10,
    statement_timeout: float = 30,
    sqlite_max_mb: int = 0,
) -> AsyncEngine:
    """Create the async engine for a database URL, preparing SQLite's folder and pragmas.

    Nothing waits for the database for ever: connecting, each statement, and getting a
    connection from the pool all have a limit, and a connection that has gone silent is
    found by a ping before use and replaced. `sqlite_max_mb` (SQLite only; 0: none) is the
    most the database may grow to: a write past it fails as on a full disk.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(
            url,
            echo=echo,
            pool_pre_ping=True,
            pool_timeout=connect_timeout,
            # Kept open: the updates being answered (up to 32) and the outbox's pipeline
            # need more than the default 5 at once, and a connection opened for one
            # transaction and closed after it costs a handshake on the loop each time.
            pool_size=POOL_SIZE,
            connect_args={
                "timeout": connect_timeout,
                "command_timeout": statement_timeout,
                # If this side goes silent mid-transaction, the server ends the session
                # and frees its row locks, so claims skipped over them come due again.
                "server_settings": {
                    "idle_in_transaction_session_timeout": str(int(statement_timeout * 1000))
                },
            },
        )
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    memory = not parsed.database or parsed.database == ":memory:"
    engine = create_async_engine(
        url,
        echo=echo,
        connect_args={"timeout": statement_timeout},
        **({} if memory else {"pool_size": POOL_SIZE}),
    )
    event.listen(engine.sync_engine, "connect", partial(_sqlite_pragmas, max_mb=sqlite_max_mb))
    return engine


def _sqlite_pragmas(connection: Any, _record: Any, *, max_mb: int = 0) -> None:
    # WAL lets readers and the writer proceed together; foreign keys make deletes cascade.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Never map the database file into memory (some builds do by default): an I/O error on
    # a mapped page is a SIGBUS that kills the process without a line in the log, where
    # read() returns an error SQLite reports. (The WAL's -shm index is mapped whatever this
    # says: see README, "Storage faults".)
    cursor.execute("PRAGMA mmap_size=0")
    if max_mb:
        # A limit of each connection's own, not of the file: set on every connection.
        cursor.execute("PRAGMA page_size")
        page_size = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count={max_mb * 1024 * 1024 // page_size}")
    cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Make the session factory every update and tick opens one transaction with."""
    return async_sessionmaker(engine, expire_on_commit=False)


def redacted_url(url: str) -> str:
    """Return a database URL fit for logs and error messages (no password)."""
    return make_url(url).render_as_string(hide_password=True)
