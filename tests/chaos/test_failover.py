"""End to end on PostgreSQL: three bot processes, one sending lease, the holder killed -9.

Three real `python -m bot run` processes share one fresh PostgreSQL database in which
20,000 people each have a nudge due (2,000 in the short form that `make test` runs). Only
the holder of the sending lease sends; the test kills it with SIGKILL a third of the way
through and checks, at the Bot API stand-in, that a standby took over within 10 s, that
nobody's nudge was lost (or, if it was in flight at the kill, that it is accounted for as
ambiguous and dropped), that none went out twice, and that no one-second window held more
than the bot's rate.

The stand-in is `tests.support.fast_botapi` (recording each send): it answers any number of
getUpdates pollers at once, so all three processes poll. Real Telegram answers all but one
poller with 409 Conflict; run several processes in webhook mode there.

The bot's clock is a file that moves with the wall clock from `T0` (a Wednesday afternoon,
inside everyone's waking and work hours), so the rate limit, the leases and the graces all
run in real time.

`python -m pytest -q -s -m chaos_full tests/chaos/test_failover.py` prints the figures.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench import population
from bench.population import T0
from storage.database import create_engine, create_sessionmaker
from storage.models import Delivery, DeliveryStatus
from tests.support.bot_process import ROOT, bot_environment
from tests.support.driven import ClockFile
from tests.support.fast_botapi import FastBotApi
from tests.support.faults import fault, short_and_full
from tests.support.seeding import ambiguous_chats

pytestmark = [pytest.mark.chaos, pytest.mark.postgres]

PROCESSES = 3
# Telegram allows about 30 a second (1,000 with paid broadcasts); at 30 the 20,000 would
# take 11 minutes. 500 keeps the run to about a minute while still being a limit the
# three processes must keep together (at 3 × 500 the windows would show it).
RATE = 500
TAKEOVER_LIMIT_S = 10.0
WHOLE_RUN_S = 170.0  # the whole test stays under 3 minutes
HOLDER = "took the sending lease"
STANDBY = "standing by"


@dataclass(frozen=True)
class Bot:
    """One bot process and its log."""

    process: subprocess.Popen[bytes]
    log: Path

    def says(self, words: str) -> int:
        """Count the log's lines that contain `words`."""
        if not self.log.exists():
            return 0
        return sum(words in line for line in self.log.read_text(errors="replace").splitlines())


@contextmanager
def database(people: int) -> Iterator[str]:
    """A copy of the seeded database, everyone's nudge due at `T0`; dropped afterwards."""
    if not asyncio.run(population.postgres_available()):
        reason = f"PostgreSQL is unreachable: {population.postgres_error()}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI requires it)")
        pytest.skip(reason)
    try:
        url = asyncio.run(population.copy_of("postgresql", people))
        asyncio.run(population.make_due(url, population.due_now(people, people), at=T0))
        yield url
    finally:
        population.cleanup()


@contextmanager
def wall_clock(path: Path, offset: list[float]) -> Iterator[ClockFile]:
    """A clock file that moves with the wall clock from `T0`, every 20 ms, plus jumps."""
    clock = ClockFile(path, T0)
    started = time.monotonic()
    done = threading.Event()

    def move() -> None:
        while not done.wait(0.02):
            elapsed = time.monotonic() - started + sum(offset)
            clock.move_to(T0 + timedelta(seconds=elapsed))

    mover = threading.Thread(target=move, daemon=True)
    mover.start()
    try:
        yield clock
    finally:
        done.set()
        mover.join()


@contextmanager
def bots(env: dict[str, str], folder: Path) -> Iterator[list[Bot]]:
    """Start the processes; stop whatever is left with SIGINT (then SIGKILL) at the end."""
    started: list[Bot] = []
    try:
        for number in range(PROCESSES):
            log = folder / f"bot{number}.log"
            with log.open("ab") as output:
                process = subprocess.Popen(
                    [sys.executable, "-m", "bot", "run"],
                    cwd=ROOT,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            started.append(Bot(process, log))
        yield started
    finally:
        for bot in started:
            if bot.process.poll() is None:
                bot.process.send_signal(signal.SIGINT)
        for bot in started:
            try:
                bot.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                bot.process.kill()
                bot.process.wait()


def wait_until(done: Callable[[], bool], *, what: str, timeout: float, logs: list[Bot]) -> None:
    """Wait for a condition; fail with the bots' logs if it does not come."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            tails = "\n".join(
                f"--- {bot.log.name}:\n{bot.log.read_text(errors='replace')[-2000:]}"
                for bot in logs
            )
            raise AssertionError(f"gave up waiting for {what}\n{tails}")
        time.sleep(0.1)


def busiest(times: list[float], seconds: float = 1.0) -> tuple[int, float]:
    """Return the most sends in any window [t, t + seconds), and when it began."""
    times = sorted(times)
    most, start, began = 0, 0, 0.0
    for end, moment in enumerate(times):
        while times[start] <= moment - seconds:
            start += 1
        if end - start + 1 > most:
            most, began = end - start + 1, times[start]
    return most, began


@dataclass(frozen=True)
class Outbox:
    """What the database says about the deliveries."""

    pending: int
    ambiguous_chats: frozenset[int]


def outbox_state(url: str) -> Outbox:
    """Read the pending deliveries and those dropped as ambiguous after the crash."""

    async def read() -> Outbox:
        engine = create_engine(url)
        try:
            async with create_sessionmaker(engine)() as session:
                pending = await session.scalar(
                    select(func.count())
                    .select_from(Delivery)
                    .where(Delivery.status == DeliveryStatus.PENDING)
                )
                return Outbox(pending or 0, frozenset(await ambiguous_chats(session)))
        finally:
            await engine.dispose()

    return asyncio.run(read())


@fault("lease failover")
@pytest.mark.parametrize("people", short_and_full(2_000, 20_000))
def test_a_killed_lease_holder_is_replaced_within_seconds_and_no_nudge_is_lost_or_doubled(
    tmp_path: Path, people: int
) -> None:
    began = time.monotonic()
    phases: dict[str, float] = {}

    def phase(name: str) -> None:
        phases[name] = round(time.monotonic() - began, 1)

    with ExitStack() as stack:
        url = stack.enter_context(database(people))
        botapi = stack.enter_context(FastBotApi(record=True))
        phase("seeded")
        clock_offset: list[float] = []
        clock = stack.enter_context(wall_clock(tmp_path / "clock.txt", clock_offset))
        env = bot_environment(
            botapi,
            url,
            BACKCARE_CLOCK__FILE=str(clock.path),
            BACKCARE_DELIVERY__MESSAGES_PER_SECOND=str(RATE),
            BACKCARE_LOGGING__LEVEL="INFO",
        )
        everyone = stack.enter_context(bots(env, tmp_path))
        wait_until(
            lambda: all(bot.says(HOLDER) + bot.says(STANDBY) for bot in everyone),
            what="every process to take the lease or stand by",
            timeout=60,
            logs=everyone,
        )
        phase("up")
        [holder] = [bot for bot in everyone if bot.says(HOLDER)]
        standbys = [bot for bot in everyone if bot is not holder]

        wait_until(
            lambda: botapi.stats()["sent"] >= people // 3,
            what="a third sent",
            timeout=60,
            logs=everyone,
        )
        holder.process.kill()
        killed_at = time.time()
        holder.process.wait()
        phase("killed")
        wait_until(
            lambda: any(bot.says(HOLDER) for bot in standbys),
            what="a standby to take the lease",
            timeout=TAKEOVER_LIMIT_S,
            logs=everyone,
        )
        phase("taken over")

        chats = {population.chat_id(user_id) for user_id in range(1, people + 1)}

        def all_accounted() -> bool:
            if botapi.stats()["sent"] < people - 100:
                return False
            state = outbox_state(url)
            delivered = {chat for _, _, chat, _ in botapi.sends()}
            return state.pending == 0 and chats <= delivered | state.ambiguous_chats

        # What the dead holder had claimed waits out its 30 s lease before the new holder
        # finishes it (or drops it as ambiguous): the clock jumps past that, in place of
        # half a minute of waiting.
        clock_offset.append(40.0)
        wait_until(
            all_accounted, what="every nudge sent or accounted for", timeout=90, logs=everyone
        )
        phase("all accounted for")
        time.sleep(1)  # anything sent twice would come now
        sends = botapi.sends()
        state = outbox_state(url)
        [successor] = [bot for bot in standbys if bot.says(HOLDER)]
        assert successor.process.poll() is None

    # Each process sends over its own keep-alive connections: the first send from a client
    # port the killed holder never sent from is the new holder's.
    before = {port for at, port, _, _ in sends if at <= killed_at}
    takeover = min(at for at, port, _, _ in sends if at > killed_at and port not in before)
    takeover_s = takeover - killed_at
    delivered = Counter((chat, text) for _, _, chat, text in sends)
    doubled = sum(count - 1 for count in delivered.values())
    reached = {chat for chat, _ in delivered}
    lost = chats - reached - state.ambiguous_chats
    never_delivered = state.ambiguous_chats - reached
    most, busiest_at = busiest([at for at, _, _, _ in sends])
    most_in_ten, _ = busiest([at for at, _, _, _ in sends], 10.0)
    first = min(at for at, _, _, _ in sends)
    print(  # noqa: T201 - the figures, for docs/operations/failover.md
        f"\nfailover: takeover {takeover_s:.2f} s, lost {len(lost)}, sent twice {doubled}, "
        f"ambiguous and dropped {len(state.ambiguous_chats)} "
        f"(of which never delivered {len(never_delivered)}), "
        f"busiest second {most} (limit {RATE}), busiest 10 s {most_in_ten}, sends {len(sends)}, "
        f"whole run {time.monotonic() - began:.0f} s; busiest second at "
        f"{busiest_at - first:.1f} s after the first send, kill at {killed_at - first:.1f} s; "
        f"phases {phases}"
    )
    assert doubled == 0
    assert not lost
    assert takeover_s <= TAKEOVER_LIMIT_S
    assert time.monotonic() - began < WHOLE_RUN_S
    # One process sends at a time: over ten seconds too the bot keeps its rate. Three
    # processes pacing themselves would send up to three times it.
    assert most_in_ten <= 10 * RATE
    # The budget paces each send as it leaves (a sliding second, 50 ms over; exact in
    # tests/integration/jobs/test_budget.py). The stand-in stamps a request when its own loop reads
    # it: with three bots, PostgreSQL and the tests on two cores, a stall there can bunch a few
    # arrivals by more than 50 ms. So up to 5 % over is allowed here, and reported; pacing
    # claims alone, as before, put 1,000 in one second.
    assert most <= RATE * 1.05, f"{most} sends in one second at the stand-in, limit {RATE}"
