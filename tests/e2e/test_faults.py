"""Faults against the real bot process: nothing stalls for good, nothing is lost or doubled.

Each test is bounded in time and stays on 127.0.0.1: the Bot API stand-in, PostgreSQL, and
a TCP forwarder in front of PostgreSQL that fakes its outages (tests/forwarder.py).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from time import monotonic, sleep
from urllib.parse import urlsplit

import pytest

from storage.database import create_engine, create_sessionmaker
from storage.migrate import upgrade
from storage.models import NudgeKind, ScheduledNudge
from tests.botapi_stub import BotApiStub
from tests.databases import create_postgres_database, drop_postgres_database
from tests.e2e.bot_process import ROOT, bot_environment, running_bot
from tests.factories import make_ready_user
from tests.forwarder import Forwarder

pytestmark = pytest.mark.e2e

T0 = datetime(2025, 6, 4, 13, 0, tzinfo=UTC)  # 15:00 in Berlin, a Wednesday
PEOPLE = 200
FIRST_ID = 880_000


def _run_to_exit(env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_a_database_that_never_answers_at_start_up_ends_in_one_line(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    with Forwarder(("127.0.0.1", 5432)) as dead:
        dead.refuse()
        env = bot_environment(
            botapi,
            f"postgresql+asyncpg://postgres:Hunter2@127.0.0.1:{dead.port}/test",
            BACKCARE_STARTUP__WAIT_SECONDS="2",
            BACKCARE_LOGGING__LEVEL="INFO",
        )
        started = monotonic()
        result = _run_to_exit(env, timeout=30)
    assert result.returncode == 1, result.stderr[-2000:]
    assert monotonic() - started < 20
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("backcare: the database at postgresql+asyncpg://postgres:***@"), last
    assert "did not answer within 2 s" in last
    assert "Traceback" not in result.stderr
    assert "Hunter2" not in result.stderr + result.stdout
    assert "not reachable yet" in result.stderr  # it did wait, with backoff


def test_telegram_that_never_answers_at_start_up_ends_in_one_line(tmp_path: Path) -> None:
    class Nowhere:
        base_url = "http://127.0.0.1:9/bot"  # the discard port: nothing listens

    env = bot_environment(
        Nowhere(),
        f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
        BACKCARE_STARTUP__WAIT_SECONDS="2",
        BACKCARE_LOGGING__LEVEL="INFO",
    )
    result = _run_to_exit(env, timeout=30)
    assert result.returncode == 1, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("backcare: Telegram did not answer within 2 s"), last
    assert "AttributeError" not in result.stderr


@pytest.fixture
def due_on_postgres() -> Iterator[str]:
    """A PostgreSQL database with PEOPLE people in Berlin, each with a water nudge due at T0."""

    async def prepare() -> str:
        url = await create_postgres_database()
        engine = create_engine(url)
        await upgrade(engine)
        async with create_sessionmaker(engine).begin() as session:
            for offset in range(PEOPLE):
                user = await make_ready_user(session, FIRST_ID + offset)
                session.add(
                    ScheduledNudge(
                        user_id=user.id,
                        kind=NudgeKind.WATER,
                        due_at=T0 - timedelta(seconds=offset % 30),
                    )
                )
        await engine.dispose()
        return url

    url = asyncio.run(prepare())
    try:
        yield url
    finally:
        asyncio.run(drop_postgres_database(url))


def _water_sent(botapi: BotApiStub) -> Counter[int]:
    return Counter(
        int(call["chat_id"])
        for call in botapi.calls_to("sendMessage")
        if "water" in str(call.get("text", "")) and int(call["chat_id"]) >= FIRST_ID
    )


@pytest.mark.postgres
def test_a_database_gone_silent_mid_send_stalls_nothing_for_good(
    botapi: BotApiStub, tmp_path: Path, due_on_postgres: str
) -> None:
    target = urlsplit(due_on_postgres.replace("postgresql+asyncpg", "postgresql"))
    clock = tmp_path / "clock.txt"
    clock.write_text(T0.isoformat())
    with Forwarder((target.hostname or "127.0.0.1", target.port or 5432)) as forwarder:
        url = due_on_postgres.replace(
            f"{target.hostname}:{target.port}", f"127.0.0.1:{forwarder.port}"
        )
        env = bot_environment(
            botapi,
            url,
            BACKCARE_CLOCK__FILE=str(clock),
            # The clock file stands still, so pacing is off; small batches spread the sends.
            BACKCARE_DELIVERY__MESSAGES_PER_SECOND="0",
            BACKCARE_DELIVERY__TICK_SECONDS="0.2",
            BACKCARE_DELIVERY__BATCH_SIZE="10",
            BACKCARE_DATABASE__STATEMENT_TIMEOUT="2",
            BACKCARE_DATABASE__CONNECT_TIMEOUT="2",
            BACKCARE_LOGGING__LEVEL="INFO",
        )
        with running_bot(botapi, env, tmp_path / "bot.log"):
            deadline = monotonic() + 30
            while sum(_water_sent(botapi).values()) < PEOPLE // 4:
                assert monotonic() < deadline, (tmp_path / "bot.log").read_text()[-3000:]
                sleep(0.05)
            # Every open connection goes silent, and new ones fail, for 6 s.
            forwarder.silence()
            sleep(6)
            forwarder.restore()
            back = monotonic()
            deadline = back + 60
            while len(_water_sent(botapi)) < PEOPLE:
                assert monotonic() < deadline, (
                    f"{len(_water_sent(botapi))} of {PEOPLE} sent; the log:\n"
                    + (tmp_path / "bot.log").read_text()[-4000:]
                )
                sleep(0.1)
            recovered = monotonic() - back
    sent = _water_sent(botapi)
    assert len(sent) == PEOPLE  # nobody lost
    doubled = sum(count - 1 for count in sent.values())
    # Only what was in flight when the database went silent may go twice (one batch).
    assert doubled <= 10, doubled
    print(f"\nsilent database: {PEOPLE} sent, {doubled} twice, back in {recovered:.1f} s")  # noqa: T201


def test_one_persons_flood_does_not_hold_up_anyone_else(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    env = bot_environment(
        botapi, f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}", BACKCARE_LOGGING__LEVEL="INFO"
    )
    flooder, other = 770001, 770002
    flood = 500
    with running_bot(botapi, env, tmp_path / "bot.log"):
        quiet = _reply_time(botapi, other)
        for number in range(flood):
            botapi.send_text(flooder, f"/pain {number % 9}")
        sleep(0.2)  # the flood is being handled
        flooded = _reply_time(botapi, other)
        deadline = monotonic() + 60
        while len(_scores(botapi, flooder)) < flood:
            assert monotonic() < deadline, len(_scores(botapi, flooder))
            sleep(0.05)
    # The flooder's replies came in the order sent.
    assert _scores(botapi, flooder) == [number % 9 for number in range(flood)]
    print(f"\n/help during a {flood}-message flood: {flooded:.3f} s (quiet: {quiet:.3f} s)")  # noqa: T201
    assert flooded < 0.3, flooded  # it waited behind the whole flood before: seconds


def _scores(botapi: BotApiStub, user: int) -> list[int]:
    return [
        int(str(message["text"]).split("pain as ")[1].split("/")[0])
        for message in botapi.sent(user)
        if "pain as " in str(message.get("text", ""))
    ]


def _reply_time(botapi: BotApiStub, user: int) -> float:
    mark = botapi.mark()
    started = monotonic()
    botapi.send_text(user, "/help")
    botapi.wait_for(chat_id=user, text="/posture every 45m", after=mark)
    return monotonic() - started
