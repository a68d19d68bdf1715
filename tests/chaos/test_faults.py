"""Faults against the real bot process: nothing stalls for good, nothing is lost or doubled.

Each test is bounded in time and stays on 127.0.0.1: the Bot API stand-in, PostgreSQL, and
a TCP forwarder in front of PostgreSQL that fakes its outages (tests/support/forwarder.py).
Each names its class of fault (tests/support/faults.py). A scenario that takes long at full
scale runs twice: short (a few people, time-outs lowered through the bot's settings) in
`make test`, and at full scale (`chaos_full`) in `make chaos`.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from time import monotonic, sleep
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import OperationalError

from bot.__main__ import EXIT_USAGE
from bot.telegram_io.polling import EXIT_DEAF
from jobs.delivery.contracts import OutboxSettings
from storage.database import create_engine, create_sessionmaker
from storage.models import (
    Event,
    EventKind,
    NudgeKind,
    User,
)
from tests.support.bot_process import (
    TOKEN,
    bot_environment,
    free_port,
    get,
    on_sqlite,
    run_to_exit,
    running_bot,
    samples,
)
from tests.support.botapi_stub import BotApiStub
from tests.support.driven import (
    ClockFile,
    DrivenBot,
    Nudge,
    Person,
    local,
    nudge_kinds,
    stopped_clock_environment,
)
from tests.support.faults import fault, short_and_full
from tests.support.forwarder import Forwarder, in_front_of
from tests.support.seeding import (
    dropped_as_ambiguous,
    due,
    postgres_store,
    sqlite_store,
)

pytestmark = pytest.mark.chaos

T0 = datetime(2025, 6, 4, 13, 0, tzinfo=UTC)  # 15:00 in Berlin, a Wednesday
FIRST_ID = 880_000
ANA_FAULTS = 690_001


def _people(count: int) -> range:
    return range(FIRST_ID, FIRST_ID + count)


@fault("start-up failures")
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
        result = run_to_exit(env, timeout=30)
    assert result.returncode == 1, result.stderr[-2000:]
    assert monotonic() - started < 20
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("backcare: the database at postgresql+asyncpg://postgres:***@"), last
    assert "did not answer within 2 s" in last
    assert "Traceback" not in result.stderr
    assert "Hunter2" not in result.stderr + result.stdout
    assert "not reachable yet" in result.stderr  # it did wait, with backoff


@fault("start-up failures")
def test_telegram_that_never_answers_at_start_up_ends_in_one_line(tmp_path: Path) -> None:
    class Nowhere:
        base_url = "http://127.0.0.1:9/bot"  # the discard port: nothing listens

    env = on_sqlite(
        Nowhere(),
        tmp_path,
        BACKCARE_STARTUP__WAIT_SECONDS="2",
    )
    result = run_to_exit(env, timeout=30)
    assert result.returncode == 1, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("backcare: Telegram did not answer within 2 s"), last
    assert "AttributeError" not in result.stderr


@fault("start-up failures")
def test_a_token_telegram_refuses_at_start_up_ends_in_one_line_without_the_token(
    tmp_path: Path,
) -> None:
    with BotApiStub(token="999999:another-bots-token") as telegram:  # 401 to ours
        env = on_sqlite(telegram, tmp_path)
        result = run_to_exit(env, timeout=30)
    assert result.returncode == EXIT_USAGE, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last == (
        "backcare: Telegram refused the bot token (Unauthorized): check BACKCARE_TELEGRAM__TOKEN"
    )
    assert "Traceback" not in result.stderr
    assert TOKEN not in result.stderr + result.stdout


def _due_over_half_a_minute(count: int) -> dict[int, datetime | None]:
    """`count` people, their water nudges due in the 30 seconds up to T0."""
    return {person: T0 - timedelta(seconds=person % 30) for person in _people(count)}


def _water_sent(botapi: BotApiStub) -> Counter[int]:
    return Counter(
        int(call["chat_id"])
        for call in botapi.calls_to("sendMessage")
        if "water" in str(call.get("text", "")) and int(call["chat_id"]) >= FIRST_ID
    )


@dataclass(frozen=True)
class Silence:
    """How many wait, how long the database stays silent, and the bot's time-outs for it."""

    people: int
    seconds: float
    timeout: int  # the bot's statement and connect time-outs, in seconds


@fault("silent database")
@pytest.mark.postgres
# make test keeps the scale CI ran before the short forms (200 people, 6 s, 2 s time-outs):
# at 50 people a tick after the silence stayed stuck past the 60 s deadline twice in full
# merged runs (10 of 50 unsent), never alone or beside CPU burners; not explained yet (see
# docs/operations/reliability.md), so the smaller form is not the one make test relies on.
@pytest.mark.parametrize("scale", short_and_full(Silence(200, 6, 2), Silence(200, 6, 2)))
def test_a_database_gone_silent_mid_send_stalls_nothing_for_good(
    botapi: BotApiStub, tmp_path: Path, scale: Silence
) -> None:
    people = scale.people
    clock = ClockFile(tmp_path / "clock.txt", T0)
    with (
        postgres_store(_due_over_half_a_minute(people)) as database,
        in_front_of(database) as (forwarder, url),
    ):
        env = stopped_clock_environment(
            botapi,
            url,
            clock,
            BACKCARE_DELIVERY__BATCH_SIZE="10",  # small batches spread the sends
            BACKCARE_DATABASE__STATEMENT_TIMEOUT=str(scale.timeout),
            BACKCARE_DATABASE__CONNECT_TIMEOUT=str(scale.timeout),
        )
        with running_bot(botapi, env, tmp_path / "bot.log"):
            deadline = monotonic() + 30
            while sum(_water_sent(botapi).values()) < people // 4:
                assert monotonic() < deadline, (tmp_path / "bot.log").read_text()[-3000:]
                sleep(0.05)
            # Every open connection goes silent, and new ones fail, for longer than the
            # bot's time-outs.
            forwarder.silence()
            sleep(scale.seconds)
            forwarder.restore()
            back = monotonic()
            deadline = back + 60
            while len(_water_sent(botapi)) < people:
                # Time goes on: past the 30 s leases of what stalled ticks had claimed.
                clock.move_to(T0 + timedelta(seconds=10 * (monotonic() - back)))
                assert monotonic() < deadline, (
                    f"{len(_water_sent(botapi))} of {people} sent; the log:\n"
                    + (tmp_path / "bot.log").read_text()[-4000:]
                )
                sleep(0.1)
            recovered = monotonic() - back
    sent = _water_sent(botapi)
    assert len(sent) == people  # nobody lost
    doubled = sum(count - 1 for count in sent.values())
    # Only what was in flight when the database went silent may go twice (one batch).
    assert doubled <= 10, doubled
    print(f"\nsilent database: {people} sent, {doubled} twice, back in {recovered:.1f} s")  # noqa: T201


@fault("flood control")
@pytest.mark.parametrize("flood", short_and_full(150, 500))
def test_one_persons_flood_does_not_hold_up_anyone_else(
    botapi: BotApiStub, tmp_path: Path, flood: int
) -> None:
    env = on_sqlite(botapi, tmp_path)
    flooder, other = 770001, 770002
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


@fault("flood control")
def test_a_reply_that_meets_flood_control_is_sent_again_not_dropped(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    env = on_sqlite(botapi, tmp_path)
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


def _drive(person: Person, until: datetime, *, step: timedelta, pause: float) -> None:
    """Move the clock on in steps without waiting for the outbox to empty (it can't yet)."""
    while person.clock.now < until:
        person.clock.move_to(min(person.clock.now + step, until))
        sleep(pause)


@dataclass(frozen=True)
class Outage:
    """How the clock is driven through the outage and after it: its steps, and how long
    each is held for the bot to try its sends."""

    during: timedelta
    after: timedelta
    pause: float


@fault("bot api outage")
@pytest.mark.parametrize(
    "drive",
    short_and_full(
        Outage(timedelta(seconds=30), timedelta(minutes=1), 0.1),
        Outage(timedelta(seconds=10), timedelta(seconds=30), 0.2),
    ),
)
def test_a_long_bot_api_outage_loses_no_timer_and_no_nudge_within_its_grace(
    botapi: BotApiStub, tmp_path: Path, drive: Outage
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
            _drive(ana, local("Mon 09:06:30"), step=drive.during, pause=drive.pause)
            assert not [m for m in botapi.sent(ANA_FAULTS) if "take the ice off" in m["text"]]
            botapi.clear_faults()
            _drive(ana, local("Mon 09:20"), step=drive.after, pause=drive.pause)
            deliveries = bot.database.deliveries()
    finally:
        bot.database.close()
    timers = [m for m in botapi.sent(ANA_FAULTS) if "take the ice off" in m["text"]]
    assert len(timers) == 1, [m["text"][:40] for m in botapi.sent(ANA_FAULTS)]
    assert [d.status.value for d in deliveries if d.kind is NudgeKind.SESSION_END] == ["sent"]
    assert not [d for d in deliveries if d.status.value == "failed"], [
        (d.kind, d.error) for d in deliveries
    ]


def _recorded_as_maybe_delivered(bot: DrivenBot, count: int) -> None:
    """Wait until the bot has recorded `count` sends as answered too late."""
    deadline = monotonic() + 30
    while (
        len([d for d in bot.database.deliveries() if d.error and "maybe delivered" in d.error])
        < count
    ):
        assert monotonic() < deadline, bot.log_file.read_text()[-3000:]
        sleep(0.1)


@dataclass(frozen=True)
class Late:
    """How many sends are answered too late, and how the clock is driven afterwards."""

    count: int
    step: timedelta
    pause: float


@fault("late answers")
@pytest.mark.parametrize(
    "late",
    short_and_full(Late(1, timedelta(minutes=1), 0.1), Late(2, timedelta(seconds=20), 0.2)),
)
def test_answers_that_come_too_late_send_no_ordinary_nudge_twice(
    botapi: BotApiStub, tmp_path: Path, late: Late
) -> None:
    bot = DrivenBot.prepare(botapi, tmp_path, local("Mon 08:50"))
    ana = Quiet(ANA_FAULTS, botapi, bot)
    try:
        with ana.running():
            ana.onboard()
            next_due = bot.database.next_due()
            assert next_due is not None
            # Delivered, but answered only after the bot's 5 s read timeout.
            botapi.slow_next("sendMessage", seconds=6.5, count=late.count)
            _drive(
                ana,
                next_due.astimezone(ana.clock.zone) + timedelta(seconds=1),
                step=timedelta(minutes=5),
                pause=0.2,
            )
            _recorded_as_maybe_delivered(bot, 1)
            sleep(2)  # the stand-in's late answers come in
            _drive(ana, local("Mon 09:30"), step=late.step, pause=late.pause)
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


@fault("kill -9")
@pytest.mark.parametrize("people", short_and_full(200, 1_000))
def test_kill_minus_9_mid_batch_sends_nothing_twice(
    botapi: BotApiStub, tmp_path: Path, people: int
) -> None:
    url = sqlite_store(tmp_path / "due.db", due(_people(people), T0))
    clock = ClockFile(tmp_path / "clock.txt", T0)
    env = stopped_clock_environment(botapi, url, clock)
    with running_bot(botapi, env, tmp_path / "first.log") as first:
        deadline = monotonic() + 60
        while sum(_water_sent(botapi).values()) < people // 3:
            assert monotonic() < deadline, (tmp_path / "first.log").read_text()[-3000:]
            sleep(0.01)
        first.kill()  # kill -9, mid-batch
        first.wait()
    before = sum(_water_sent(botapi).values())
    with running_bot(botapi, env, tmp_path / "second.log"):
        # Past the dead process's leases (30 s), so its pending sends are finished.
        clock.move_to(T0 + timedelta(seconds=40))
        deadline = monotonic() + 60
        while len(set(_water_sent(botapi)) | dropped_as_ambiguous(url)) < people:
            assert monotonic() < deadline, (tmp_path / "second.log").read_text()[-3000:]
            sleep(0.1)
        sleep(1)
    sent = _water_sent(botapi)
    doubled = sum(count - 1 for count in sent.values())
    ambiguous = dropped_as_ambiguous(url)
    print(  # noqa: T201
        f"\nkill -9 after {before} of {people}: {len(sent)} sent, {doubled} twice, "
        f"{len(ambiguous)} dropped as ambiguous ({len(ambiguous - set(sent))} never delivered)"
    )
    # Each was sent, or was marked attempted before the kill and is not risked twice: at
    # most the group on the wire and the next one marked were never delivered.
    assert set(sent) | ambiguous == set(_people(people))
    assert len(ambiguous - set(sent)) <= 2 * OutboxSettings().mark_every
    assert doubled == 0


@fault("stuck bot")
@pytest.mark.postgres
@pytest.mark.parametrize("then_stopped", short_and_full(False, True))
def test_a_stuck_bot_stops_itself_and_any_stop_ends_within_ten_seconds(
    botapi: BotApiStub, tmp_path: Path, then_stopped: bool
) -> None:
    """Short: the watchdog stops a bot whose ticks hang. Full: then a SIGINT to a bot on a
    silent database ends it within 10 s too."""
    clock = ClockFile(tmp_path / "clock.txt", T0)
    with (
        postgres_store(_due_over_half_a_minute(200 if then_stopped else 20)) as database,
        in_front_of(database) as (forwarder, url),
    ):
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
        if not then_stopped:
            return

        # A SIGINT while the database is silent still ends the process within 10 s.
        forwarder.restore()
        with running_bot(botapi, env, tmp_path / "second.log") as process:
            forwarder.silence()
            sleep(1)
            started = monotonic()
            process.send_signal(signal.SIGINT)
            process.wait(timeout=15)
            assert monotonic() - started < 11


BLOCKED = FIRST_ID  # the one who really blocked the bot


def _inactive(url: str) -> set[int]:
    """Return the chats of people marked as having blocked the bot."""

    async def read() -> set[int]:
        engine = create_engine(url)
        try:
            async with create_sessionmaker(engine)() as session:
                return set(await session.scalars(select(User.chat_id).where(~User.active)))
        finally:
            await engine.dispose()

    return asyncio.run(read())


def _water_delivered(botapi: BotApiStub) -> Counter[int]:
    """Count the water nudges Telegram took, by chat (a refused send is not one)."""
    return Counter(
        int(call.params["chat_id"])
        for call in botapi.calls
        if call.method == "sendMessage" and call.ok and "water" in str(call.params.get("text"))
    )


def _denied(botapi: BotApiStub) -> Counter[int]:
    """Count the sends answered with a 403 that was not a block, by chat."""
    return Counter(
        int(call.params["chat_id"])
        for call in botapi.calls
        if call.method == "sendMessage"
        and call.response.get("error_code") == 403
        and "blocked" not in str(call.response.get("description"))
    )


def _most_denied(botapi: BotApiStub) -> int:
    """Return the most 403s (not blocks) any one person's send met."""
    return max(_denied(botapi).values(), default=0)


def _denied_metric(port: int) -> float:
    """Read the bot's count of 403s that were not blocks, for water nudges."""
    _, page = get(f"http://127.0.0.1:{port}/metrics")
    return samples(page, "backcare_nudges_denied_total").get('kind="water"', 0.0)


@dataclass(frozen=True)
class Burst:
    """How many people the 403s meet, and how the clock is driven through them: its step,
    and how long each step is held for the bot to try again."""

    people: int
    step: int
    pause: float


@fault("401/403")
@pytest.mark.parametrize("burst", short_and_full(Burst(20, 4, 0.2), Burst(100, 2, 0.3)))
def test_a_burst_of_403s_that_are_not_blocks_deactivates_nobody_and_is_counted(
    botapi: BotApiStub, tmp_path: Path, burst: Burst
) -> None:
    url = sqlite_store(tmp_path / "burst.db", due(_people(burst.people), T0))
    port = free_port()
    clock = ClockFile(tmp_path / "clock.txt", T0)
    env = stopped_clock_environment(botapi, url, clock, BACKCARE_OPS__PORT=str(port))
    log = tmp_path / "bot.log"
    # One person really blocked the bot; every other send meets a 403 that is not a block.
    botapi.fail_next(
        "sendMessage",
        error_code=403,
        description="Forbidden: bot was blocked by the user",
        chat_id=BLOCKED,
        count=10**6,
    )
    botapi.fail_next(
        "sendMessage",
        error_code=403,
        description="Forbidden: bot can't initiate conversation with a user",
        count=10**6,
    )
    others = set(_people(burst.people)) - {BLOCKED}
    with running_bot(botapi, env, log):
        # At least twenty seconds of 403s on the bot's clock, until every send has met one
        # and sends are being tried again (with backoff: 2 s, then 4 s...). The clock moves
        # at most a minute, well inside a water nudge's grace; then the bot is waited for.
        second, deadline = 0, monotonic() + 30
        while second < 20 or set(_denied(botapi)) != others or _most_denied(botapi) < 2:
            assert monotonic() < deadline, (
                f"denied {_denied(botapi)}, nobody tried again?\n{log.read_text()[-3000:]}"
            )
            if second < 60:
                second += burst.step
                clock.move_to(T0 + timedelta(seconds=second))
            sleep(burst.pause)
        assert _inactive(url) == {BLOCKED}
        assert _most_denied(botapi) >= 2, "nobody was tried again"
        while _denied_metric(port) < len(others):  # counted as each answer is recorded
            assert monotonic() < deadline, _denied_metric(port)
            sleep(0.1)

        botapi.clear_faults()  # the 403s stop
        back = monotonic()
        deadline = back + 30
        while set(_water_delivered(botapi)) != others:
            clock.move_to(T0 + timedelta(seconds=second + 10 * (monotonic() - back)))
            assert monotonic() < deadline, (
                f"{len(_water_delivered(botapi))} of {len(others)} sent; the log:\n"
                + log.read_text()[-3000:]
            )
            sleep(0.1)
        sleep(0.5)
        denied = _denied_metric(port)
    sent = _water_delivered(botapi)
    assert set(sent) == others
    assert max(sent.values()) == 1  # each once, none lost, none twice
    assert _inactive(url) == {BLOCKED}
    assert denied == sum(_denied(botapi).values()), denied
    print(  # noqa: T201
        f"\n403 burst: {sum(_denied(botapi).values())} denied sends, "
        f"{len(others)} people kept and sent to once, 1 blocked"
    )


ROSA = 771_101  # her store is made read-only under the bot
FRED = 771_102  # his store is full
NUMB = "my legs went numb and I can't feel my groin"
CANNOT_SAVE = "I can't save right now"


def _as_an_ordinary_user() -> list[str]:
    """Return a command that runs the bot without root's power over file modes, so that a
    chmod binds it as it binds any other user (an empty one when not root)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("as root a chmod binds only a process without CAP_DAC_OVERRIDE (setpriv)")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all"]


def _fill(url: str, telegram_id: int, *, megabytes: int) -> None:
    """Fill a store to a size limit with someone's glasses of water, logged long ago."""

    async def fill() -> None:
        engine = create_engine(url, sqlite_max_mb=megabytes)
        sessions = create_sessionmaker(engine)
        async with sessions() as session:
            user_id = await session.scalar(select(User.id).where(User.telegram_id == telegram_id))
        glass = {
            "user_id": user_id,
            "kind": EventKind.WATER,
            "at": datetime(2020, 1, 1, tzinfo=UTC),
            "amount_ml": 250,
        }
        try:
            # Hundreds at a time, then one by one: the last page is full too.
            for batch in (500, 1):
                for _ in range(20 * 1024 * megabytes):
                    try:
                        async with sessions.begin() as session:
                            await session.execute(insert(Event), [glass] * batch)
                    except OperationalError as error:
                        if "full" not in str(error):
                            raise
                        break
                else:
                    raise AssertionError(f"{megabytes} MiB never filled up")
        finally:
            await engine.dispose()

    asyncio.run(fill())


def _readiness(port: int) -> tuple[int, dict[str, Any]]:
    status, body = get(f"http://127.0.0.1:{port}/readyz")
    return status, json.loads(body)


def _not_ready_within(port: int, seconds: float) -> dict[str, Any]:
    """Poll /readyz until the database is reported not ready; return the answer."""
    deadline = monotonic() + seconds
    while True:
        status, body = _readiness(port)
        if status == 503 and body["checks"]["database"] != "ok":
            return body
        assert monotonic() < deadline, body
        sleep(0.2)


def _answer(botapi: BotApiStub, person: int, text: str) -> str:
    """Send a message and return the text of the bot's first answer to it."""
    mark = botapi.mark()
    botapi.send_text(person, text)
    return str(botapi.wait_for(chat_id=person, after=mark)["text"])


def _said_once_and_no_traceback(log: Path, person: int, botapi: BotApiStub) -> None:
    output = log.read_text()
    assert output.count(" is not writable (") == 1, output[-4000:]
    assert "Traceback" not in output, output[-4000:]
    assert not [m for m in botapi.sent(person) if "something went wrong" in m["text"]]


@fault("full or read-only store")
def test_a_store_made_read_only_under_the_bot_is_said_plainly(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    wrapper = _as_an_ordinary_user()
    data = tmp_path / "data"
    url = sqlite_store(data / "backcare.db", {ROSA: None})
    port = free_port()
    env = bot_environment(
        botapi, url, BACKCARE_OPS__PORT=str(port), BACKCARE_LOGGING__LEVEL="INFO"
    )
    log = tmp_path / "bot.log"
    try:
        with running_bot(botapi, env, log, wrapper=wrapper) as process:
            assert _readiness(port)[0] == 200
            assert CANNOT_SAVE not in _answer(botapi, ROSA, "/drank")
            for file in data.glob("backcare.db*"):  # the database, its WAL and its index
                file.chmod(0o444)
            body = _not_ready_within(port, 15)
            assert body["failed"] == ["database"]
            assert body["checks"]["database"] == "not writable (read-only)"
            assert CANNOT_SAVE in _answer(botapi, ROSA, "/drank")
            # Warning signs are answered first, and what needs no saving still works.
            assert "get medical help now" in _answer(botapi, ROSA, NUMB)
            assert "/flare" in _answer(botapi, ROSA, "/help")
            assert "Water" in _answer(botapi, ROSA, "/today")
            assert CANNOT_SAVE in _answer(botapi, ROSA, "/drank 500")
            assert process.poll() is None  # alive: no SIGBUS
            # Mended: ready again, and what she sends is saved.
            for file in data.glob("backcare.db*"):
                file.chmod(0o644)
            deadline = monotonic() + 15
            while _readiness(port)[0] != 200:
                assert monotonic() < deadline, _readiness(port)
                sleep(0.2)
            assert CANNOT_SAVE not in _answer(botapi, ROSA, "/drank")
    finally:
        for file in data.glob("backcare.db*"):
            file.chmod(0o644)
    _said_once_and_no_traceback(log, ROSA, botapi)
    assert log.read_text().count(" is writable again") == 1


@fault("full or read-only store")
def test_a_full_store_is_said_plainly(botapi: BotApiStub, tmp_path: Path) -> None:
    url = sqlite_store(tmp_path / "backcare.db", {FRED: None})
    _fill(url, FRED, megabytes=2)
    port = free_port()
    env = bot_environment(
        botapi,
        url,
        BACKCARE_OPS__PORT=str(port),
        BACKCARE_LOGGING__LEVEL="INFO",
        BACKCARE_DATABASE__SQLITE_MAX_MB="2",
    )
    log = tmp_path / "bot.log"
    with running_bot(botapi, env, log) as process:
        body = _not_ready_within(port, 15)
        assert body["failed"] == ["database"]
        assert body["checks"]["database"] == "not writable (full)"
        assert CANNOT_SAVE in _answer(botapi, FRED, "/drank")
        assert "get medical help now" in _answer(botapi, FRED, NUMB)
        assert CANNOT_SAVE in _answer(botapi, FRED, "/drank 500")
        assert process.poll() is None
    _said_once_and_no_traceback(log, FRED, botapi)


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


@fault("401/403")
def test_one_401_on_get_updates_stops_the_bot_with_one_line_for_a_restart(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    env = on_sqlite(botapi, tmp_path)
    log = tmp_path / "bot.log"
    with running_bot(botapi, env, log) as process:
        botapi.fail_next("getUpdates", error_code=401, description="Unauthorized")
        code = _exit_code_within(process, 20)
    output = log.read_text()
    # Polling never comes back from a refused token: the process ends, for a restart.
    assert code == EXIT_DEAF, output[-3000:]
    assert "Traceback" not in output
    [line] = _warnings(output)
    assert " bot.telegram_io.polling: " in line
    assert "Unauthorized" in line
    assert "restart" in line


@fault("bot api outage")
@pytest.mark.parametrize("failures", short_and_full(3, 4))
def test_a_bot_api_failing_get_updates_logs_one_line_per_backoff_step(
    botapi: BotApiStub, tmp_path: Path, failures: int
) -> None:
    env = on_sqlite(botapi, tmp_path)
    log = tmp_path / "bot.log"
    with running_bot(botapi, env, log):
        # A gateway in front of the Bot API that cannot reach it answers 502 to every poll.
        botapi.fail_next("getUpdates", error_code=502, description="Bad Gateway", count=10**6)
        deadline = monotonic() + 30
        while _failed_polls(botapi) < failures:
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
    lines = [line for line in _warnings(output) if " bot.telegram_io.polling: " in line]
    assert len(lines) == failed, lines
    assert all(
        " WARNING bot.telegram_io.polling: " in line and "Bad Gateway" in line for line in lines
    )
    # The handlers' loggers (bot.handlers, and bot.commands and bot.render split from it).
    handlers = (" bot.handlers: ", " bot.commands: ", " bot.render: ")
    assert not [line for line in _warnings(output) if any(name in line for name in handlers)]
    waits = [float(re.findall(r"again in ([\d.]+) s", line)[0]) for line in lines]
    assert waits[0] == 1
    assert waits == sorted(waits), waits  # backing off, up to 30 s
    answered = rf"bot\.telegram_io\.polling: getUpdates answered again after {failed} failed"
    assert re.search(answered, output)


@fault("bot api outage")
@pytest.mark.chaos_full  # eight seconds of silence: polls time out after the 5 s read time-out
def test_a_bot_api_that_drops_connections_is_polled_with_backoff_not_in_a_busy_loop(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    class Behind:
        base_url = ""

    with Forwarder(("127.0.0.1", botapi.port)) as gateway:
        Behind.base_url = f"http://127.0.0.1:{gateway.port}/bot"
        env = on_sqlite(Behind(), tmp_path)
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
    lines = [line for line in _warnings(log.read_text()) if " bot.telegram_io.polling: " in line]
    # The long poll under way times out, then one try per step: 1, 1.5, 2.25, 3.4 s...
    assert 3 <= len(lines) <= 8, lines


@fault("bot api outage")
def test_readiness_turns_false_while_no_get_updates_succeeds(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    port = free_port()
    ops = f"http://127.0.0.1:{port}"
    env = on_sqlite(
        botapi,
        tmp_path,
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
