"""The operators' endpoints: alive, ready (database, schema, Telegram), and metrics."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.ops.metrics import Metrics
from bot.ops.server import OK, OpsServer, TelegramCheck, check_database
from bot.updates import PerChatUpdates
from guidance.reading.triage import Level
from storage.database import create_engine, create_sessionmaker
from storage.health import Finding, StoreFault, StoreHealth
from storage.migrate import downgrade, head_revisions
from storage.models import NudgeKind, ScheduledNudge
from tests.support.factories import make_ready_user

CHAT_ID = 987654321
NOW = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)


async def _all_ready() -> Mapping[str, str]:
    return {"database": OK, "migrations": OK, "telegram": OK}


async def _no_metrics() -> bytes:
    return b""


@asynccontextmanager
async def serving(
    *,
    alive: Callable[[], str | None] = lambda: None,
    ready: Callable[[], Awaitable[Mapping[str, str]]] = _all_ready,
    metrics: Callable[[], Awaitable[bytes]] = _no_metrics,
) -> AsyncIterator[tuple[aiohttp.ClientSession, str]]:
    """Run an ops server on a free port; give a client session and its address."""
    server = OpsServer(alive=alive, ready=ready, metrics=metrics)
    await server.start("127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession() as client:
            yield client, f"http://127.0.0.1:{server.port}"
    finally:
        await server.stop()


async def test_healthz_answers_ok_while_the_loop_runs() -> None:
    async with serving() as (client, base), client.get(f"{base}/healthz") as response:
        assert response.status == 200
        assert (await response.text()).strip() == "ok"


async def test_healthz_fails_when_the_outbox_ticks_stalled() -> None:
    def stalled() -> str:
        return "no outbox tick has finished for 300 s"

    async with serving(alive=stalled) as (client, base), client.get(f"{base}/healthz") as got:
        assert got.status == 503
        assert "no outbox tick" in await got.text()


async def test_readyz_names_the_check_that_failed() -> None:
    async def database_down() -> Mapping[str, str]:
        return {"database": "unreachable (OSError)", "migrations": "unknown", "telegram": OK}

    async with (
        serving(ready=database_down) as (client, base),
        client.get(f"{base}/readyz") as response,
    ):
        assert response.status == 503
        body = await response.json()
    assert body["ready"] is False
    assert body["failed"] == ["database", "migrations"]
    assert body["checks"]["telegram"] == OK


async def test_readyz_is_200_when_every_check_passes() -> None:
    async with serving() as (client, base), client.get(f"{base}/readyz") as response:
        assert response.status == 200
        assert (await response.json())["ready"] is True


async def test_a_migrated_database_is_ready(engine: AsyncEngine) -> None:
    assert await check_database(engine, head_revisions()) == {"database": OK, "migrations": OK}


async def test_a_database_behind_the_newest_migration_is_not_ready(engine: AsyncEngine) -> None:
    await downgrade(engine, "-1")
    checks = await check_database(engine, head_revisions())
    assert checks["database"] == OK
    assert checks["migrations"] != OK


async def test_a_database_that_takes_no_writes_is_not_ready(engine: AsyncEngine) -> None:
    async def full(_engine: AsyncEngine) -> Finding:
        return Finding(StoreFault.FULL, "0.1 MiB free on its disk")

    store = StoreHealth(engine, where="db", find=full)
    checks = await check_database(engine, head_revisions(), store=store)
    assert checks == {"database": "not writable (full)", "migrations": OK}


async def test_a_database_never_migrated_is_not_ready(tmp_path: Path) -> None:
    empty = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    try:
        checks = await check_database(empty, head_revisions())
    finally:
        await empty.dispose()
    assert checks == {"database": OK, "migrations": "not at the newest revision"}


async def test_an_unreachable_database_is_not_ready() -> None:
    # Nothing listens on port 1. (A SQLite file that cannot be opened is not tried here:
    # aiosqlite's failed connection leaves a thread calling back into the closed loop.)
    gone = create_engine("postgresql+asyncpg://postgres@127.0.0.1:1/test", connect_timeout=1)
    try:
        checks = await check_database(gone, head_revisions(), within=2)
    finally:
        await gone.dispose()
    assert checks["database"].startswith(("unreachable", "no answer"))
    assert checks["migrations"] == "unknown"


async def test_telegram_is_asked_once_per_few_seconds_however_often_readyz_is_polled() -> None:
    calls, now = [], [100.0]

    async def get_me() -> None:
        calls.append(now[0])

    check = TelegramCheck(get_me, keep=10, monotonic=lambda: now[0])
    assert [await check() for _ in range(5)] == [OK] * 5
    now[0] += 11
    assert await check() == OK
    assert calls == [100.0, 111.0]


async def test_telegram_unreachable_or_silent_is_not_ready() -> None:
    async def refused() -> None:
        raise ConnectionRefusedError

    async def silent() -> None:
        await asyncio.sleep(5)

    assert await TelegramCheck(refused)() == "unreachable (ConnectionRefusedError)"
    assert await TelegramCheck(silent, timeout=0.05)() == "no answer within 0.05 s"


async def test_metrics_name_every_series_and_never_a_person(engine: AsyncEngine) -> None:
    sessions = create_sessionmaker(engine)
    async with sessions.begin() as session:
        user = await make_ready_user(session, CHAT_ID)
        # Water and posture are due (one late), the stretch is still to come.
        for kind, due in (
            (NudgeKind.WATER, NOW - timedelta(minutes=5)),
            (NudgeKind.POSTURE, NOW),
            (NudgeKind.STRETCH, NOW + timedelta(hours=1)),
        ):
            session.add(ScheduledNudge(user_id=user.id, kind=kind, due_at=due))
    metrics = Metrics()
    metrics.sent(NudgeKind.WATER, 1.5)
    metrics.sent(NudgeKind.WATER, 700)
    metrics.failed(NudgeKind.POSTURE)
    metrics.retried(NudgeKind.SESSION_END)
    metrics.triaged(Level.URGENT)
    metrics.update_handled(0.02)

    async def scrape() -> bytes:
        await metrics.count_due(sessions, now=NOW)
        return metrics.exposition()

    async with serving(metrics=scrape) as (client, base), client.get(f"{base}/metrics") as got:
        assert got.status == 200
        assert got.headers["Content-Type"].startswith("text/plain")
        page = await got.text()

    assert 'backcare_nudges_sent_total{kind="water"} 2.0' in page
    assert 'backcare_nudges_sent_total{kind="stretch"} 0.0' in page
    assert 'backcare_nudges_failed_total{kind="posture"} 1.0' in page
    assert 'backcare_nudges_retried_total{kind="session_end"} 1.0' in page
    assert 'backcare_nudge_lateness_seconds_bucket{kind="water",le="2.5"} 1.0' in page
    assert 'backcare_nudge_lateness_seconds_bucket{kind="water",le="+Inf"} 2.0' in page
    assert "backcare_nudges_due 2.0" in page
    assert "backcare_update_seconds_count 1.0" in page
    assert 'backcare_triage_total{level="urgent"} 1.0' in page
    assert str(CHAT_ID) not in page


def test_two_applications_keep_their_own_metrics() -> None:
    first, second = Metrics(), Metrics()
    first.sent(NudgeKind.WATER, 0.2)
    assert b'backcare_nudges_sent_total{kind="water"} 1.0' in first.exposition()
    assert b'backcare_nudges_sent_total{kind="water"} 0.0' in second.exposition()


async def test_each_update_is_timed_once_it_is_its_turn() -> None:
    timings: list[float] = []
    updates = PerChatUpdates(observe=timings.append)

    async def handle() -> None:
        await asyncio.sleep(0.01)

    async def fail() -> None:
        raise ValueError("the handler failed")

    await updates.do_process_update(object(), handle())
    with pytest.raises(ValueError, match="the handler failed"):  # timed too
        await updates.do_process_update(object(), fail())
    assert len(timings) == 2
    assert timings[0] >= 0.01
