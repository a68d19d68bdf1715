"""`make chaos`: the fault scenarios at 10,000 due nudges against the real bot process.

Each scenario starts the real bot (`python -m bot run`) on a database where 10,000 people
have a nudge due, against the Bot API stand-in of the tests (which counts every message
per chat), with the clock file holding `T0` and the rate limit off. It reports how many
people got nothing (lost), how many got their nudge twice (doubled), and how long the
bot took to finish once the fault was over (recovery).

- kill -9: the process is killed mid-send, once a third has gone out, and started again.
- silent database (PostgreSQL): every open connection stops answering, and new ones are
  refused, for 20 s, through a TCP forwarder; then the database answers again.
- Bot API outage: every sendMessage answers HTTP 500 for 60 s (the clock file moves with
  the wall clock, so retries back off as they would), then the API is back.
- late answers: 50 messages are delivered but answered only after the 5 s read timeout.
"""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bench import population, report
from bench.population import T0
from tests.support.bot_process import running_bot
from tests.support.botapi_stub import BotApiStub
from tests.support.driven import ClockFile, stopped_clock_environment
from tests.support.forwarder import in_front_of

PEOPLE = 10_000
TIMEOUT_S = 300.0


@dataclass(frozen=True)
class Outcome:
    """What one scenario did to the 10,000 nudges."""

    scenario: str
    backend: str
    lost: int
    doubled: int
    recovery_s: float


def _kind(markup: object) -> str:
    """Name a nudge by the kind its buttons act on (`nud:water:drink` is water)."""
    found = _NUDGE.search(json.dumps(markup))
    return found[1] if found else "other"


_NUDGE = re.compile(r"nud:([a-z_]+):")


def _sends(botapi: BotApiStub) -> Counter[tuple[int, str]]:
    """Count sendMessage calls (failed ones too) per person and kind of nudge."""
    return Counter(
        (int(call["chat_id"]), _kind(call.get("reply_markup")))
        for call in botapi.calls_to("sendMessage")
    )


def _people(counts: Counter[tuple[int, str]]) -> int:
    return len({chat for chat, _ in counts})


def _wait_until(done: Callable[[], bool], *, what: str, timeout: float = TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise RuntimeError(f"gave up waiting for {what}")
        time.sleep(0.05)


@contextmanager
def _scenario(backend: str) -> Iterator[tuple[BotApiStub, str, ClockFile, Path]]:
    url = asyncio.run(population.copy_of(backend, PEOPLE))
    asyncio.run(population.make_due(url, population.due_now(PEOPLE, PEOPLE), at=T0))
    with tempfile.TemporaryDirectory(prefix="backcare-chaos-") as folder, BotApiStub() as botapi:
        # Each move replaces the file whole: the bot never reads half a time.
        clock = ClockFile(Path(folder) / "clock.txt", T0)
        try:
            yield botapi, url, clock, Path(folder)
        finally:
            asyncio.run(population.discard(url))


def _env(botapi: BotApiStub, url: str, clock: ClockFile, **extra: str) -> dict[str, str]:
    return stopped_clock_environment(
        botapi, url, clock, BACKCARE_LOGGING__LEVEL="WARNING", **extra
    )


def _outcome(name: str, backend: str, botapi: BotApiStub, recovery: float) -> Outcome:
    sent = _sends(botapi)
    return Outcome(
        name,
        backend,
        lost=PEOPLE - _people(sent),
        doubled=sum(count - 1 for count in sent.values()),
        recovery_s=recovery,
    )


def kill_mid_send(backend: str) -> Outcome:
    """Kill -9 the bot once a third is out; start it again; count."""
    with _scenario(backend) as (botapi, url, clock, folder):
        env = _env(botapi, url, clock)
        with running_bot(botapi, env, folder / "first.log") as first:
            _wait_until(lambda: _people(_sends(botapi)) >= PEOPLE // 3, what="a third sent")
            first.kill()
            first.wait()
        restarted = time.monotonic()
        with running_bot(botapi, env, folder / "second.log"):
            clock.move_to(T0 + timedelta(seconds=40))  # past the leases
            _wait_until(lambda: _people(_sends(botapi)) >= PEOPLE, what="all sent")
            recovery = time.monotonic() - restarted
            time.sleep(1)
        return _outcome("kill -9 mid-send, restart", backend, botapi, recovery)


def silent_database() -> Outcome:
    """Silence PostgreSQL for 20 s mid-send through a forwarder; count."""
    with _scenario("postgresql") as (botapi, url, clock, folder):
        with in_front_of(url) as (forwarder, routed):
            env = _env(
                botapi,
                routed,
                clock,
                BACKCARE_DATABASE__STATEMENT_TIMEOUT="5",
                BACKCARE_DATABASE__CONNECT_TIMEOUT="5",
            )
            with running_bot(botapi, env, folder / "bot.log"):
                _wait_until(lambda: _people(_sends(botapi)) >= PEOPLE // 3, what="a third sent")
                forwarder.silence()
                time.sleep(20)
                forwarder.restore()
                # Time goes on: past the 30 s leases of what the stalled ticks had claimed.
                clock.move_to(T0 + timedelta(seconds=40))
                back = time.monotonic()
                _wait_until(lambda: _people(_sends(botapi)) >= PEOPLE, what="all sent")
                recovery = time.monotonic() - back
                time.sleep(1)
        return _outcome("silent database for 20 s", "postgresql", botapi, recovery)


def bot_api_outage(backend: str) -> Outcome:
    """Answer every sendMessage with HTTP 500 for 60 s, with the clock moving; count."""
    with _scenario(backend) as (botapi, url, clock, folder):
        env = _env(botapi, url, clock)
        with running_bot(botapi, env, folder / "bot.log"):
            _wait_until(lambda: _people(_sends(botapi)) >= PEOPLE // 3, what="a third sent")
            botapi.fail_next(
                "sendMessage", error_code=500, description="Internal Server Error", count=10**9
            )
            started = time.monotonic()
            while (elapsed := time.monotonic() - started) < 60:
                clock.move_to(T0 + timedelta(seconds=elapsed))
                time.sleep(0.5)
            botapi.clear_faults()
            back = time.monotonic()

            def all_sent() -> bool:
                elapsed = time.monotonic() - started
                clock.move_to(T0 + timedelta(seconds=elapsed))
                return _people(_delivered(botapi)) >= PEOPLE

            _wait_until(all_sent, what="all sent after the outage")
            recovery = time.monotonic() - back
            time.sleep(1)
        # Failed attempts reached the stand-in too: count each person's delivered messages.
        return _delivered_outcome("Bot API HTTP 500 for 60 s", backend, botapi, recovery)


def _delivered(botapi: BotApiStub) -> Counter[tuple[int, str]]:
    """Count the nudges each person received, by kind (failed attempts not included).

    Kinds are told apart: as the clock moves on, a person's next nudge of another kind
    can fall due, and that is not a nudge sent twice.
    """
    return Counter(
        (int(message["chat"]["id"]), _kind(message.get("reply_markup")))
        for message in botapi.sent()
    )


def _delivered_outcome(name: str, backend: str, botapi: BotApiStub, recovery: float) -> Outcome:
    delivered = _delivered(botapi)
    return Outcome(
        name,
        backend,
        lost=PEOPLE - _people(delivered),
        doubled=sum(count - 1 for count in delivered.values()),
        recovery_s=recovery,
    )


def late_answers(backend: str) -> Outcome:
    """Deliver 50 messages but answer them after the read timeout; count."""
    with _scenario(backend) as (botapi, url, clock, folder):
        botapi.slow_next("sendMessage", seconds=6, count=50)
        env = _env(botapi, url, clock)
        started = time.monotonic()
        with running_bot(botapi, env, folder / "bot.log"):
            _wait_until(lambda: _people(_delivered(botapi)) >= PEOPLE, what="all delivered")
            time.sleep(8)
            recovery = time.monotonic() - started
        return _delivered_outcome("50 answers after the read timeout", backend, botapi, recovery)


def run() -> dict[str, float]:
    """Run every scenario and report lost, doubled and recovery time."""
    backends = ["sqlite"]
    if asyncio.run(population.postgres_available()):
        backends.append("postgresql")
    outcomes: list[Outcome] = []
    for backend in backends:
        outcomes.append(kill_mid_send(backend))
    if "postgresql" in backends:
        outcomes.append(silent_database())
    outcomes.append(bot_api_outage("sqlite"))
    outcomes.append(late_answers("sqlite"))
    figures: dict[str, float] = {}
    rows = []
    for found in outcomes:
        key = f"{found.scenario.split(' ')[0]}_{found.backend}"
        figures[f"{key}_lost"] = found.lost
        figures[f"{key}_doubled"] = found.doubled
        figures[f"{key}_recovery_s"] = found.recovery_s
        rows.append(
            [
                found.scenario,
                found.backend,
                f"{found.lost:,}",
                f"{found.doubled:,}",
                f"{found.recovery_s:.1f}",
            ]
        )
    print(f"\n  {PEOPLE:,} nudges due, the real bot, the stand-in counting per person:")
    print(report.table(["  scenario", "database", "lost", "doubled", "recovery s"], rows))
    return figures


if __name__ == "__main__":
    try:
        for name, value in run().items():
            print(f"{name:>40}: {value:.4f}")
    finally:
        population.cleanup()
