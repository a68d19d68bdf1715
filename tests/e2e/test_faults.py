"""Faults against the real bot process: nothing stalls for good, nothing is lost or doubled.

Each test is bounded in time and stays on 127.0.0.1: the Bot API stand-in, PostgreSQL, and
a TCP forwarder in front of PostgreSQL that fakes its outages (tests/forwarder.py).
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from time import monotonic, sleep

import pytest
from sqlalchemy import select

from bot.__main__ import EXIT_USAGE
from bot.polling import EXIT_DEAF
from jobs.delivery.outbox import OutboxSettings
from storage.database import create_engine, create_sessionmaker
from storage.migrate import upgrade
from storage.models import Delivery, DeliveryStatus, NudgeKind, ScheduledNudge, User
from tests.botapi_stub import BotApiStub
from tests.databases import create_postgres_database, drop_postgres_database
from tests.e2e.bot_process import ROOT, TOKEN, bot_environment, free_port, get, running_bot
from tests.e2e.driven import (
    ClockFile,
    DrivenBot,
    Nudge,
    Person,
    local,
    nudge_kinds,
    stopped_clock_environment,
)
from tests.factories import make_ready_user
from tests.forwarder import Forwarder, in_front_of

pytestmark = pytest.mark.e2e

T0 = datetime(2025, 6, 4, 13, 0, tzinfo=UTC)  # 15:00 in Berlin, a Wednesday
PEOPLE = 200
FIRST_ID = 880_000
ANA_FAULTS = 690_001
KILL_PEOPLE = 1_000


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


def test_a_token_telegram_refuses_at_start_up_ends_in_one_line_without_the_token(
    tmp_path: Path,
) -> None:
    with BotApiStub(token="999999:another-bots-token") as telegram:  # 401 to ours
        env = bot_environment(
            telegram,
            f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
            BACKCARE_LOGGING__LEVEL="INFO",
        )
        result = _run_to_exit(env, timeout=30)
    assert result.returncode == EXIT_USAGE, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last == (
        "backcare: Telegram refused the bot token (Unauthorized): check BACKCARE_TELEGRAM__TOKEN"
    )
    assert "Traceback" not in result.stderr
    assert TOKEN not in result.stderr + result.stdout


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
    clock = ClockFile(tmp_path / "clock.txt", T0)
    with in_front_of(due_on_postgres) as (forwarder, url):
        env = stopped_clock_environment(
            botapi,
            url,
            clock,
            BACKCARE_DELIVERY__BATCH_SIZE="10",  # small batches spread the sends
            BACKCARE_DATABASE__STATEMENT_TIMEOUT="2",
            BACKCARE_DATABASE__CONNECT_TIMEOUT="2",
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
                # Time goes on: past the 30 s leases of what stalled ticks had claimed.
                clock.move_to(T0 + timedelta(seconds=10 * (monotonic() - back)))
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


def test_a_reply_that_meets_flood_control_is_sent_again_not_dropped(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    env = bot_environment(
        botapi, f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}", BACKCARE_LOGGING__LEVEL="INFO"
    )
    person = 770003
    log = tmp_path / "bot.log"
    with running_bot(botapi, env, log):
        botapi.fail_next(
            "sendMessage",
            error_code=429,
            description="Too Many Requests: retry after 1",
            retry_after=1,
            chat_id=person,
        )
        started = monotonic()
        _reply_time(botapi, person)
        waited = monotonic() - started
    refused = [
        call
        for call in botapi.calls
        if call.method == "sendMessage" and call.params.get("chat_id") == person and not call.ok
    ]
    assert len(refused) == 1
    assert waited >= 1.0  # it waited Telegram's retry_after, then went again
    assert "flood control on sendMessage: sending it again in 1 s" in log.read_text()


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
    botapi.wait_for(chat_id=user, text="/flare – my back just went into spasm", after=mark)
    return monotonic() - started


class Quiet(Person):
    """Someone who lets every nudge be."""

    def react(self, nudge: Nudge) -> None:
        """Do nothing with it."""


def _drive(person: Person, until: datetime, *, step: timedelta, pause: float = 0.2) -> None:
    """Move the clock on in steps without waiting for the outbox to empty (it can't yet)."""
    while person.clock.now < until:
        person.clock.move_to(min(person.clock.now + step, until))
        sleep(pause)


def test_a_long_bot_api_outage_loses_no_timer_and_no_nudge_within_its_grace(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    bot = DrivenBot.prepare(botapi, tmp_path, local("Mon 08:50"))
    ana = Quiet(ANA_FAULTS, botapi, bot)
    try:
        with ana.running():
            ana.onboard()
            first = ana.say("/flare", "care mode")
            plan = ana.tap(first, "No, none of these")
            ana.tap(plan, "Start ice now")  # "take it off" is due at 09:05
            ana.run_until(local("Mon 09:04"))
            # Two and a half minutes of HTTP 500 for every message, across the timer's end.
            botapi.fail_next(
                "sendMessage", error_code=500, description="Internal Server Error", count=10**6
            )
            _drive(ana, local("Mon 09:06:30"), step=timedelta(seconds=10))
            assert not [m for m in botapi.sent(ANA_FAULTS) if "take the ice off" in m["text"]]
            botapi.clear_faults()
            _drive(ana, local("Mon 09:20"), step=timedelta(seconds=30))
            deliveries = bot.database.deliveries()
    finally:
        bot.database.close()
    timers = [m for m in botapi.sent(ANA_FAULTS) if "take the ice off" in m["text"]]
    assert len(timers) == 1, [m["text"][:40] for m in botapi.sent(ANA_FAULTS)]
    assert [d.status.value for d in deliveries if d.kind is NudgeKind.SESSION_END] == ["sent"]
    assert not [d for d in deliveries if d.status.value == "failed"], [
        (d.kind, d.error) for d in deliveries
    ]


def test_answers_that_come_too_late_send_no_ordinary_nudge_twice(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    bot = DrivenBot.prepare(botapi, tmp_path, local("Mon 08:50"))
    ana = Quiet(ANA_FAULTS, botapi, bot)
    try:
        with ana.running():
            ana.onboard()
            due = bot.database.next_due()
            assert due is not None
            # Delivered, but answered only after the bot's 5 s read timeout.
            botapi.slow_next("sendMessage", seconds=6.5, count=2)
            _drive(
                ana,
                due.astimezone(ana.clock.zone) + timedelta(seconds=1),
                step=timedelta(minutes=5),
            )
            sleep(8)
            _drive(ana, local("Mon 09:30"), step=timedelta(seconds=20))
            deliveries = bot.database.deliveries()
    finally:
        bot.database.close()
    unanswered = [d for d in deliveries if d.error and "maybe delivered" in d.error]
    assert unanswered, [(d.kind, d.status, d.error) for d in deliveries]
    kinds = Counter(d.kind for d in deliveries)
    # A delivery is one message, recorded under its first part's kind.
    sends = Counter(nudge_kinds(m)[0] for m in botapi.sent(ANA_FAULTS) if nudge_kinds(m))
    for kind, count in kinds.items():
        assert sends[kind.value] == count, (kind, sends, kinds)


@pytest.fixture
def due_on_sqlite(tmp_path: Path) -> str:
    """A SQLite database with KILL_PEOPLE people, each with a water nudge due at T0."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'due.db'}"

    async def prepare() -> None:
        engine = create_engine(url)
        await upgrade(engine)
        async with create_sessionmaker(engine).begin() as session:
            for offset in range(KILL_PEOPLE):
                user = await make_ready_user(session, FIRST_ID + offset)
                session.add(ScheduledNudge(user_id=user.id, kind=NudgeKind.WATER, due_at=T0))
        await engine.dispose()

    asyncio.run(prepare())
    return url


def _dropped_as_ambiguous(url: str) -> set[int]:
    """Return the chats whose delivery was attempted before a crash and so not sent again."""

    async def read() -> set[int]:
        engine = create_engine(url)
        try:
            async with create_sessionmaker(engine)() as session:
                chats = await session.scalars(
                    select(User.chat_id)
                    .join(Delivery, Delivery.user_id == User.id)
                    .where(
                        Delivery.status == DeliveryStatus.FAILED,
                        Delivery.error.like("ambiguous after a crash%"),
                    )
                )
                return set(chats)
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_kill_minus_9_mid_batch_sends_nothing_twice(
    botapi: BotApiStub, tmp_path: Path, due_on_sqlite: str
) -> None:
    clock = ClockFile(tmp_path / "clock.txt", T0)
    env = stopped_clock_environment(botapi, due_on_sqlite, clock)
    with running_bot(botapi, env, tmp_path / "first.log") as first:
        deadline = monotonic() + 60
        while sum(_water_sent(botapi).values()) < KILL_PEOPLE // 3:
            assert monotonic() < deadline, (tmp_path / "first.log").read_text()[-3000:]
            sleep(0.01)
        first.kill()  # kill -9, mid-batch
        first.wait()
    before = sum(_water_sent(botapi).values())
    with running_bot(botapi, env, tmp_path / "second.log"):
        # Past the dead process's leases (30 s), so its pending sends are finished.
        clock.move_to(T0 + timedelta(seconds=40))
        deadline = monotonic() + 60
        while len(set(_water_sent(botapi)) | _dropped_as_ambiguous(due_on_sqlite)) < KILL_PEOPLE:
            assert monotonic() < deadline, (tmp_path / "second.log").read_text()[-3000:]
            sleep(0.1)
        sleep(1)
    sent = _water_sent(botapi)
    doubled = sum(count - 1 for count in sent.values())
    ambiguous = _dropped_as_ambiguous(due_on_sqlite)
    print(  # noqa: T201
        f"\nkill -9 after {before} of {KILL_PEOPLE}: {len(sent)} sent, {doubled} twice, "
        f"{len(ambiguous)} dropped as ambiguous ({len(ambiguous - set(sent))} never delivered)"
    )
    # Each was sent, or was marked attempted before the kill and is not risked twice: at
    # most the group on the wire and the next one marked were never delivered.
    assert set(sent) | ambiguous == set(range(FIRST_ID, FIRST_ID + KILL_PEOPLE))
    assert len(ambiguous - set(sent)) <= 2 * OutboxSettings().mark_every
    assert doubled == 0


@pytest.mark.postgres
def test_a_stuck_bot_stops_itself_and_any_stop_ends_within_ten_seconds(
    botapi: BotApiStub, tmp_path: Path, due_on_postgres: str
) -> None:
    clock = ClockFile(tmp_path / "clock.txt", T0)
    with in_front_of(due_on_postgres) as (forwarder, url):
        # Statements that never time out: only the watchdog stands between a silent
        # database and a bot that sends nothing for good.
        env = stopped_clock_environment(
            botapi,
            url,
            clock,
            BACKCARE_DELIVERY__BATCH_SIZE="5",
            BACKCARE_DATABASE__STATEMENT_TIMEOUT="3600",
            BACKCARE_STARTUP__WATCHDOG_SECONDS="10",
        )
        log = tmp_path / "bot.log"
        with running_bot(botapi, env, log) as process:
            forwarder.silence()
            started = monotonic()
            code = process.wait(timeout=40)
            stopped_after = monotonic() - started
        assert code == 3, log.read_text()[-3000:]
        assert stopped_after < 30, stopped_after
        assert "no outbox tick has finished" in log.read_text()

        # A SIGINT while the database is silent still ends the process within 10 s.
        forwarder.restore()
        with running_bot(botapi, env, tmp_path / "second.log") as process:
            forwarder.silence()
            sleep(1)
            started = monotonic()
            process.send_signal(signal.SIGINT)
            process.wait(timeout=15)
            assert monotonic() - started < 11


# -- Never deaf: polling that fails, or stops, is said plainly -------------------------------

# A log line in the text format: date, time, level, logger.
_LOG_LINE = re.compile(r"^\S+ \S+ (?P<level>[A-Z]+) (?P<logger>[\w.]+): ")


def _warnings(output: str) -> list[str]:
    """Return the bot's log lines at WARNING or above."""
    return [
        line
        for line in output.splitlines()
        if (found := _LOG_LINE.match(line)) and found["level"] in {"WARNING", "ERROR", "CRITICAL"}
    ]


def _exit_code_within(process: subprocess.Popen[bytes], seconds: float) -> int | None:
    """Wait up to `seconds` for the process to end; return its exit status, or None."""
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return None


def _failed_polls(botapi: BotApiStub) -> int:
    return sum(1 for call in botapi.calls if call.method == "getUpdates" and not call.ok)


def test_one_401_on_get_updates_stops_the_bot_with_one_line_for_a_restart(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    env = bot_environment(
        botapi, f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}", BACKCARE_LOGGING__LEVEL="INFO"
    )
    log = tmp_path / "bot.log"
    with running_bot(botapi, env, log) as process:
        botapi.fail_next("getUpdates", error_code=401, description="Unauthorized")
        code = _exit_code_within(process, 20)
    output = log.read_text()
    # Polling never comes back from a refused token: the process ends, for a restart.
    assert code == EXIT_DEAF, output[-3000:]
    assert "Traceback" not in output
    [line] = _warnings(output)
    assert " bot.polling: " in line
    assert "Unauthorized" in line
    assert "restart" in line


def test_a_bot_api_failing_get_updates_logs_one_line_per_backoff_step(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    env = bot_environment(
        botapi, f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}", BACKCARE_LOGGING__LEVEL="INFO"
    )
    log = tmp_path / "bot.log"
    with running_bot(botapi, env, log):
        # A gateway in front of the Bot API that cannot reach it answers 502 to every poll.
        botapi.fail_next("getUpdates", error_code=502, description="Bad Gateway", count=10**6)
        deadline = monotonic() + 30
        while _failed_polls(botapi) < 4:
            assert monotonic() < deadline, log.read_text()[-3000:]
            sleep(0.05)
        botapi.clear_faults()
        failed = _failed_polls(botapi)
        botapi.wait_for_poll(timeout=30)  # polling again
        sleep(1.5)  # a long poll (1 s) answered
        person = 770_004
        mark = botapi.mark()
        botapi.send_text(person, "/help")
        botapi.wait_for(chat_id=person, text="/flare", after=mark)
    output = log.read_text()
    assert "update failed" not in output
    assert "Traceback" not in output
    lines = [line for line in _warnings(output) if " bot.polling: " in line]
    assert len(lines) == failed, lines
    assert all(" WARNING bot.polling: " in line and "Bad Gateway" in line for line in lines)
    assert not [line for line in _warnings(output) if " bot.handlers: " in line]
    waits = [float(re.findall(r"again in ([\d.]+) s", line)[0]) for line in lines]
    assert waits[0] == 1
    assert waits == sorted(waits), waits  # backing off, up to 30 s
    assert re.search(rf"bot\.polling: getUpdates answered again after {failed} failed", output)


def test_a_bot_api_that_drops_connections_is_polled_with_backoff_not_in_a_busy_loop(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    class Behind:
        base_url = ""

    with Forwarder(("127.0.0.1", botapi.port)) as gateway:
        Behind.base_url = f"http://127.0.0.1:{gateway.port}/bot"
        env = bot_environment(
            Behind(),
            f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
            BACKCARE_LOGGING__LEVEL="INFO",
        )
        log = tmp_path / "bot.log"
        with running_bot(botapi, env, log):
            # Every connection goes silent, and each new one is closed as soon as it opens:
            # a getUpdates then fails at once, with no answer (a time-out, to PTB).
            gateway.silence()
            sleep(8)
            gateway.restore()
            deadline = monotonic() + 30
            while "getUpdates answered again" not in log.read_text():
                assert monotonic() < deadline, log.read_text()[-3000:]
                sleep(0.1)
    lines = [line for line in _warnings(log.read_text()) if " bot.polling: " in line]
    # The long poll under way times out, then one try per step: 1, 1.5, 2.25, 3.4 s...
    assert 3 <= len(lines) <= 8, lines


def test_readiness_turns_false_while_no_get_updates_succeeds(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    port = free_port()
    ops = f"http://127.0.0.1:{port}"
    env = bot_environment(
        botapi,
        f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
        BACKCARE_LOGGING__LEVEL="INFO",
        BACKCARE_OPS__PORT=str(port),
        BACKCARE_TELEGRAM__UPDATES_WITHIN_SECONDS="3",  # long polls of 1 s in these tests
    )
    log = tmp_path / "bot.log"
    with running_bot(botapi, env, log):
        status, body = get(f"{ops}/readyz")
        assert status == 200, body
        assert json.loads(body)["checks"]["updates"] == "ok"

        # getMe still answers: only getUpdates fails, so only the updates check can tell.
        botapi.fail_next("getUpdates", error_code=502, description="Bad Gateway", count=10**6)
        failing = monotonic()
        while (answer := get(f"{ops}/readyz"))[0] == 200:
            assert monotonic() - failing < 15, log.read_text()[-3000:]
            sleep(0.1)
        status, body = answer
        assert status == 503
        assert monotonic() - failing >= 2  # the last good poll ended within the last second
        report = json.loads(body)
        assert report["failed"] == ["updates"], report
        assert report["checks"]["updates"].startswith("no getUpdates has succeeded for ")

        botapi.clear_faults()
        back = monotonic()
        while (answer := get(f"{ops}/readyz"))[0] != 200:
            assert monotonic() - back < 40, answer
            sleep(0.1)
