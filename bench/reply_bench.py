"""Update-to-reply latency of the real bot process while nudges flow at the limit.

The bot (`python -m bot run`) runs against `tests.support.fast_botapi` on a database of 25,000
people, 20,000 of them with a nudge due, its clock file moving on from `T0`, and
`messages_per_second` at 30 and then 1,000. Once the nudges flow, the stand-in plays 50
other people sending `/today` in turn, 50 updates a second, and times each from the moment
getUpdates hands it out to the moment the reply (a sendMessage to that chat) arrives.
`BENCH_BOT_SOURCE` runs the bot from another tree (a worktree of an older commit), to
measure before and after.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench import population, report
from bench.population import T0
from tests.support.bot_process import bot_environment, spawn_bot, stop_bot
from tests.support.fast_botapi import FastBotApi

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:AAE-backcare-bench-token"
USERS = 25_000
DUE = 20_000
RATES = (30, 1000)
PEOPLE = 50
UPDATES_PER_SECOND = 50.0
SECONDS = 10.0
COMMAND = "/today"
READY_TIMEOUT_S = 60.0
# Replies are measured once the nudges have been flowing this long: after the one-off
# loading of plain-word dates, 5 s after start-up (`bot.app.WARM_AFTER_SECONDS`).
WARM_S = 6.0
TARGET_P99_MS = 100.0
# The bot's clock file moves on with real time in steps this long: the send budget fills
# on the bot's clock.
CLOCK_STEP_S = 0.01
# Delivery settings in the environment reach the bot, to try others (the rate is the bench's).
_TRIED = ("BACKCARE_DELIVERY__BATCH_SIZE", "BACKCARE_DELIVERY__TICK_SECONDS")


@dataclass(slots=True)
class Run:
    """What one run measured."""

    backend: str
    rate: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    replies: int
    unanswered: int
    nudges_per_second: float
    # The bot's CPU (every thread) while the replies were timed, over the nudges sent then.
    cpu_us_a_nudge: float


def _cpu_seconds(pid: int) -> float:
    """Return the CPU a process has used so far (user and system), from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def _talkers(users: int, due: int) -> list[int]:
    """Pick people with no nudge due (their replies are not mixed up with nudges)."""
    busy = {user_id for user_id, _ in population.due_now(users, due)}
    free = [user_id for user_id in range(1, users + 1) if user_id not in busy]
    return [population.chat_id(user_id) for user_id in free[:PEOPLE]]


@contextmanager
def _moving_clock(path: Path) -> Iterator[None]:
    """Keep the clock file at `T0` plus the real time elapsed, until the block ends."""
    started, done = time.monotonic(), threading.Event()
    spare = path.with_suffix(".next")

    def move() -> None:
        while not done.wait(CLOCK_STEP_S):
            spare.write_text((T0 + timedelta(seconds=time.monotonic() - started)).isoformat())
            os.replace(spare, path)  # whole: the bot never reads half a time

    path.write_text(T0.isoformat())
    mover = threading.Thread(target=move, daemon=True)
    mover.start()
    try:
        yield
    finally:
        done.set()
        mover.join()


def _nudges(stats: dict[str, Any]) -> int:
    """Count the messages sent that were not replies: the nudges."""
    return int(stats["sent"]) - len(stats["latencies"])


def measure(backend: str, rate: int, url: str, folder: Path, *, source: Path = ROOT) -> Run:
    """Start the bot from `source` on a prepared database; time replies while it nudges."""
    clock_file = folder / "clock.txt"
    log = folder / f"bot-{backend}-{rate}.log"
    with FastBotApi() as api, log.open("wb") as output, _moving_clock(clock_file):
        env = bot_environment(
            api,
            url,
            BACKCARE_TELEGRAM__TOKEN=TOKEN,
            BACKCARE_CLOCK__FILE=str(clock_file),
            BACKCARE_DELIVERY__MESSAGES_PER_SECOND=str(rate),
            BACKCARE_LOGGING__LEVEL="WARNING",
            **{key: value for key, value in os.environ.items() if key.startswith(_TRIED)},
        )
        process = spawn_bot(env, output, source=source)
        try:
            deadline = time.monotonic() + READY_TIMEOUT_S
            stats = api.stats()
            while stats["first_poll_at"] is None or stats["first_sent_at"] is None:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the bot did not start; its log:\n{log.read_text()[-3000:]}"
                    )
                time.sleep(0.05)
                stats = api.stats()
            time.sleep(WARM_S)
            nudges_before, cpu_before = _nudges(api.stats()), _cpu_seconds(process.pid)
            api.feed(_talkers(USERS, DUE), text=COMMAND, rate=UPDATES_PER_SECOND, seconds=SECONDS)
            time.sleep(SECONDS)
            nudges_during = _nudges(api.stats()) - nudges_before
            cpu_during = _cpu_seconds(process.pid) - cpu_before
            time.sleep(2.0)  # the last replies
            stats = api.stats()
        finally:
            stop_bot(process)
    latencies_ms = [seconds * 1000 for seconds in stats["latencies"]]
    if not latencies_ms:
        raise RuntimeError(f"no reply came; the bot's log:\n{log.read_text()[-3000:]}")
    replies = len(latencies_ms)
    return Run(
        backend=backend,
        rate=rate,
        p50_ms=report.percentile(latencies_ms, 0.50),
        p99_ms=report.percentile(latencies_ms, 0.99),
        max_ms=max(latencies_ms),
        replies=replies,
        unanswered=int(stats["unanswered"]),
        nudges_per_second=nudges_during / SECONDS,
        cpu_us_a_nudge=cpu_during / max(nudges_during, 1) * 1e6,
    )


def run() -> dict[str, float]:
    """Time replies at 50 updates/s while nudges flow at 30/s and 1,000/s, per backend."""
    source = Path(os.environ.get("BENCH_BOT_SOURCE", str(ROOT)))
    figures: dict[str, float] = {}
    rows = []
    with tempfile.TemporaryDirectory(prefix="backcare-replies-") as folder:
        for backend in asyncio.run(population.backends()):
            for rate in RATES:
                url = asyncio.run(population.copy_with_due(backend, USERS, DUE))
                try:
                    found = measure(backend, rate, url, Path(folder), source=source)
                finally:
                    asyncio.run(population.discard(url))
                label = f"{backend}_{rate}"
                for key in ("p50_ms", "p99_ms", "max_ms", "nudges_per_second", "cpu_us_a_nudge"):
                    figures[f"replies_{label}_{key}"] = float(getattr(found, key))
                    report.record(f"replies.{backend}.{rate}.{key}", getattr(found, key))
                rows.append(
                    [
                        backend,
                        f"{rate:,}/s",
                        f"{found.p50_ms:.1f}",
                        f"{found.p99_ms:.1f}",
                        f"{found.max_ms:.0f}",
                        f"{found.replies} ({found.unanswered} unanswered)",
                        f"{found.nudges_per_second:,.0f}",
                        f"{found.cpu_us_a_nudge:,.0f}",
                        report.verdict(found.p99_ms <= TARGET_P99_MS),
                    ]
                )
    print(
        f"\n  replies to {PEOPLE} people sending {COMMAND} ({UPDATES_PER_SECOND:.0f} updates/s "
        f"for {SECONDS:.0f} s) while {DUE:,} nudges are due, the real bot from {source}:"
    )
    print(
        report.table(
            [
                "  database",
                "nudge limit",
                "p50 ms",
                "p99 ms",
                "max ms",
                "replies",
                "nudges/s meanwhile",
                "bot CPU µs a nudge",
                f"p99 ≤ {TARGET_P99_MS:.0f} ms",
            ],
            rows,
        )
    )
    return figures


if __name__ == "__main__":
    try:
        for key, value in run().items():
            print(f"{key:>40}: {value:.4f}")
    finally:
        population.cleanup()
