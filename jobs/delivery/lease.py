"""The sending lease: one process per bot sends nudges, so the rate limit is the bot's.

Telegram's limits are per bot, not per process. On PostgreSQL the lease is a session-level
advisory lock (`pg_try_advisory_lock`) held on a connection of its own, outside the pool
the ticks use. Whoever holds it runs the outbox; the other processes handle updates and
stand by, trying to take it every second or so. If the holder dies, even by SIGKILL, its
connection closes and the server releases the lock at once, so a standby takes over within
a couple of seconds. If the holder's lease connection dies, the server has let the lock go
and another process may hold it: the holder finds out before its next claim (`check`) and
stops sending. A connection that only goes silent (a cut network, a stalled proxy) stops
the sending too, but is kept: if it answers again, the session and its lock are still
this process's. The server ends a lease session idle for `IDLE_SECONDS` (the holder pings
it every tick), so a holder gone silent for good frees the lock for a standby.

On SQLite there is one process, as before: the lease is always held.
"""

from __future__ import annotations

import asyncio
import logging
import time

import asyncpg
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

# Any fixed 64-bit number the bot's database uses for nothing else: "BackCare" in ASCII.
LEASE_KEY = 0x4261636B43617265
_TRY = "SELECT pg_try_advisory_lock($1)"
# The server ends a lease session that has been idle this long (PostgreSQL 14 and later).
IDLE_SECONDS = 10
# The holder pings its lease at least this often, well inside IDLE_SECONDS.
PING_SECONDS = 2.0
# InternalClientError: asyncpg's "unexpected connection_lost()" when the server ends the
# session mid-command (seen once under load in the lease test); it is a lost connection too.
_BROKEN = (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError)


class SendingLease:
    """Hold the sending lease on a dedicated connection, or always hold it on SQLite."""

    def __init__(self, database_url: str, *, timeout: float = 5.0, key: int = LEASE_KEY) -> None:
        url = make_url(database_url)
        self.shared = url.get_backend_name() == "postgresql"
        # asyncpg takes the plain libpq form of the address.
        self._dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._timeout = timeout
        self._key = key
        self._connection: asyncpg.Connection | None = None
        self._lock = asyncio.Lock()
        self._last_answer = 0.0

    @property
    def held(self) -> bool:
        """Tell whether this process holds the lease, as last known (no I/O)."""
        if not self.shared:
            return True
        return self._connection is not None and not self._connection.is_closed()

    async def acquire(self) -> bool:
        """Try once to take the lease (connecting if need be); tell whether it is held."""
        if self.held:
            return True
        async with self._lock:
            await self._drop()
            try:
                connection = await asyncpg.connect(
                    self._dsn,
                    timeout=self._timeout,
                    command_timeout=self._timeout,
                    server_settings={
                        "application_name": "backcare sending lease",
                        # A holder whose machine vanishes (no FIN, unlike a killed process)
                        # is found dead by the server within about 11 s, freeing the lock.
                        "tcp_keepalives_idle": "5",
                        "tcp_keepalives_interval": "2",
                        "tcp_keepalives_count": "3",
                    },
                )
            except (OSError, TimeoutError, asyncpg.PostgresError) as error:
                log.debug("could not reach the database for the sending lease: %r", error)
                return False
            try:
                taken = bool(await connection.fetchval(_TRY, self._key))
            except (TimeoutError, *_BROKEN):
                connection.terminate()
                return False
            if not taken:
                # Stand by without a connection: the next try opens a fresh one.
                await self._close(connection)
                return False
            try:
                await connection.execute(f"SET idle_session_timeout = '{IDLE_SECONDS}s'")
            except asyncpg.PostgresError:
                log.debug("this PostgreSQL has no idle_session_timeout (before 14)")
            self._connection = connection
            self._last_answer = time.monotonic()
            return True

    async def check(self) -> bool:
        """Make sure the lease's connection still answers; let the lease go if it does not."""
        if not self.shared:
            return True
        if not self.held:
            return False
        async with self._lock:
            connection = self._connection
            if connection is None:
                return False
            try:
                await connection.fetchval("SELECT 1", timeout=self._timeout)
            except TimeoutError:
                # Not sending now; the same session answering later still holds the lock.
                log.warning("the sending lease's connection is silent: not sending meanwhile")
                return False
            except _BROKEN:
                log.warning("lost the sending lease: its database connection is gone")
                await self._drop()
                return False
            self._last_answer = time.monotonic()
            return True

    async def keep_alive(self) -> None:
        """Ping a held lease if it has been quiet for `PING_SECONDS` (the server ends idle
        lease sessions)."""
        if self.shared and self.held and time.monotonic() - self._last_answer > PING_SECONDS:
            await self.check()

    async def release(self) -> None:
        """Let the lease go (closing its connection frees the lock)."""
        async with self._lock:
            await self._drop()

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await self._close(connection)

    async def _close(self, connection: asyncpg.Connection) -> None:
        try:
            await asyncio.wait_for(connection.close(), timeout=self._timeout)
        except (TimeoutError, *_BROKEN):
            connection.terminate()
