"""A small HTTP server for operators: `/healthz`, `/readyz` and `/metrics`.

It runs in every mode (polling too) on its own port (`[ops]`), beside the bot on the same
event loop: `/healthz` answering at all shows the loop runs. Nothing it serves is about a
person: checks are named and answered in a few words, metrics carry kinds and levels only.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.health import StoreHealth

log = logging.getLogger(__name__)

OK = "ok"
# How long each readiness check may take before it counts as failed.
CHECK_SECONDS = 3.0
# How long an answer from Telegram stands, so a load balancer polling /readyz every second
# costs Telegram one getMe per this many seconds.
TELEGRAM_KEEP_SECONDS = 10.0

# A route's handler (the webhook's, when it shares the ops server's address).
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# Each returns None while alive, else why not.
Liveness = Callable[[], str | None]
# Each check's name and OK, or a few words on why not.
Readiness = Callable[[], Awaitable[Mapping[str, str]]]


async def check_database(
    engine: AsyncEngine,
    heads: frozenset[str],
    *,
    within: float = CHECK_SECONDS,
    store: StoreHealth | None = None,
) -> dict[str, str]:
    """Check that the database answers, that it takes writes (when `store` is given: not
    read-only, not full), and that its schema is at the migrations' head."""
    fault = None
    try:
        async with asyncio.timeout(within):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
                try:
                    found = await connection.execute(
                        text("SELECT version_num FROM alembic_version")
                    )
                    versions = frozenset(found.scalars())
                except DBAPIError:
                    versions = frozenset()  # no version table: never migrated
            if store is not None:
                fault = await store.check()
    except TimeoutError:
        return {"database": f"no answer within {within:g} s", "migrations": "unknown"}
    except Exception as error:  # whatever it is, the answer is "not ready", not a 500
        return {"database": f"unreachable ({type(error).__name__})", "migrations": "unknown"}
    database = OK if fault is None else f"not writable ({fault})"
    if versions != heads:
        return {"database": database, "migrations": "not at the newest revision"}
    return {"database": database, "migrations": OK}


class TelegramCheck:
    """Whether Telegram answers a cheap `getMe`; each answer stands for a few seconds."""

    def __init__(
        self,
        get_me: Callable[[], Awaitable[object]],
        *,
        timeout: float = CHECK_SECONDS,
        keep: float = TELEGRAM_KEEP_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._get_me = get_me
        self._timeout = timeout
        self._keep = keep
        self._monotonic = monotonic
        self._answer = OK
        self._checked_at: float | None = None
        self._lock = asyncio.Lock()

    async def __call__(self) -> str:
        """Return OK if Telegram answered lately, or now; else why not."""
        async with self._lock:  # probes at once share one call
            if self._checked_at is None or self._monotonic() - self._checked_at >= self._keep:
                self._answer = await self._ask()
                self._checked_at = self._monotonic()
            return self._answer

    async def _ask(self) -> str:
        try:
            async with asyncio.timeout(self._timeout):
                await self._get_me()
        except TimeoutError:
            return f"no answer within {self._timeout:g} s"
        except Exception as error:
            return f"unreachable ({type(error).__name__})"
        return OK


class OpsServer:
    """Serve health, readiness and metrics over plain HTTP on one port."""

    def __init__(
        self,
        *,
        alive: Liveness,
        ready: Readiness,
        metrics: Callable[[], Awaitable[bytes]],
        webhook: tuple[str, Handler] | None = None,
    ) -> None:
        self._alive = alive
        self._ready = ready
        self._metrics = metrics
        # Telegram's updates, posted here when the webhook listens on this same address.
        self._webhook = webhook
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def serves_webhook(self) -> bool:
        """Tell whether the webhook's route is served here."""
        return self._webhook is not None

    def application(self) -> web.Application:
        """Return the web application with the three endpoints (and the webhook's, if set)."""
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        app.router.add_get("/metrics", self._scrape)
        if self._webhook is not None:
            app.router.add_post(*self._webhook)
        return app

    async def start(self, listen: str, port: int) -> None:
        """Listen on `listen:port` (port 0 picks a free one, kept in `port`)."""
        self._runner, self.port = await serve(self.application(), listen, port)
        log.info("health, readiness and metrics on http://%s:%d/", listen, self.port)

    async def stop(self) -> None:
        """Stop listening and close open connections."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def _healthz(self, _request: web.Request) -> web.Response:
        problem = self._alive()
        if problem is not None:
            return web.Response(status=503, text=f"stalled: {problem}\n")
        return web.Response(text="ok\n")

    async def _readyz(self, _request: web.Request) -> web.Response:
        checks = dict(await self._ready())
        ready = all(answer == OK for answer in checks.values())
        failed = sorted(name for name, answer in checks.items() if answer != OK)
        body = {"ready": ready, "failed": failed, "checks": checks}
        return web.json_response(body, status=200 if ready else 503)

    async def _scrape(self, _request: web.Request) -> web.Response:
        return web.Response(
            body=await self._metrics(), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )


async def serve(app: web.Application, listen: str, port: int) -> tuple[web.AppRunner, int]:
    """Serve `app` on `listen:port` (0 picks a free port); return its runner and port."""
    # No access log: a load balancer polls every few seconds, and Telegram posts each update.
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, listen, port)
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner, port or _bound_port(runner)


def _bound_port(runner: web.AppRunner) -> int:
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    raise RuntimeError("the ops server is not listening")
