"""Replies under a backlog, by the bot's own clock, this tree beside a base commit.

The red team's scenario (issue 29): 20,000 nudges due and paced at 30 a second while 20
people each send /help once a second. The real bot runs against `tests.support.fast_botapi` with
its ops port open; the figures come from its own `backcare_update_seconds` histogram (read
from /metrics before and after the 20 s of talk), so they are what an operator's dashboard
would show: the share of updates handled within 100 ms and 250 ms, the mean, and the p99
estimated within its bucket. The same run is made from a git worktree of `BENCH_BASE` (the
previous commit by default), one after the other on the same machine.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import population, report
from bench.reply_bench import DUE, USERS, WARM_S, _moving_clock, _talkers
from bench.side_by_side import base_worktree
from tests.support.bot_process import bot_environment, free_port, get, spawn_bot, stop_bot
from tests.support.fast_botapi import FastBotApi

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:AAE-backcare-bench-token"
RATE = 30
PEOPLE = 20
UPDATES_PER_SECOND = 20.0  # each of the 20 once a second
SECONDS = 20.0
COMMAND = "/help"
READY_TIMEOUT_S = 60.0
TARGET_P99_MS = 100.0
_BUCKET = re.compile(r'^backcare_update_seconds_bucket\{le="([^"]+)"\} (\S+)$', re.MULTILINE)
_SUM = re.compile(r"^backcare_update_seconds_sum (\S+)$", re.MULTILINE)
_COUNT = re.compile(r"^backcare_update_seconds_count (\S+)$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Histogram:
    """Cumulative bucket counts by upper bound, with the sum and count."""

    buckets: tuple[tuple[float, float], ...]
    total: float
    count: float

    @classmethod
    def read(cls, page: str) -> Histogram:
        buckets = tuple((float(le), float(n)) for le, n in _BUCKET.findall(page))
        total, count = _SUM.search(page), _COUNT.search(page)
        return cls(buckets, float(total[1]) if total else 0.0, float(count[1]) if count else 0.0)

    def minus(self, before: Histogram) -> Histogram:
        earlier = dict(before.buckets)
        return Histogram(
            tuple((le, n - earlier.get(le, 0.0)) for le, n in self.buckets),
            self.total - before.total,
            self.count - before.count,
        )

    def share_within(self, seconds: float) -> float:
        within = next((n for le, n in self.buckets if le == seconds), 0.0)
        return within / self.count if self.count else 0.0

    def quantile(self, q: float) -> float:
        """Estimate a quantile in seconds, linearly within its bucket (as PromQL does)."""
        rank, lower, below = q * self.count, 0.0, 0.0
        for le, n in self.buckets:
            if n >= rank:
                if le == float("inf"):
                    return lower
                share = (rank - below) / (n - below) if n > below else 1.0
                return lower + (le - lower) * share
            lower, below = le, n
        return lower


@dataclass(frozen=True, slots=True)
class Backlog:
    within_100_ms: float
    within_250_ms: float
    mean_ms: float
    p99_ms: float
    updates: int
    nudges_per_second: float


def measure(source: Path, url: str, folder: Path) -> Backlog:
    """Run the bot from `source` on a prepared database and read its own update times."""
    port = free_port()
    clock_file = folder / "clock.txt"
    log = folder / f"bot-backlog-{source.name}.log"
    with FastBotApi() as api, log.open("wb") as output, _moving_clock(clock_file):
        env = bot_environment(
            api,
            url,
            BACKCARE_SETTINGS_FILE=str(source / "settings.toml"),
            BACKCARE_TELEGRAM__TOKEN=TOKEN,
            BACKCARE_CLOCK__FILE=str(clock_file),
            BACKCARE_DELIVERY__MESSAGES_PER_SECOND=str(RATE),
            BACKCARE_LOGGING__LEVEL="WARNING",
            BACKCARE_OPS__PORT=str(port),
        )
        process = spawn_bot(env, output, source=source)
        try:
            deadline = time.monotonic() + READY_TIMEOUT_S
            stats = api.stats()
            while stats["first_poll_at"] is None or stats["first_sent_at"] is None:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the bot did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.05)
                stats = api.stats()
            time.sleep(WARM_S)
            metrics = f"http://127.0.0.1:{port}/metrics"
            before = Histogram.read(get(metrics)[1])
            at_start = api.stats()
            sent_before, replies_before = int(at_start["sent"]), len(at_start["latencies"])
            api.feed(_talkers(USERS, DUE), text=COMMAND, rate=UPDATES_PER_SECOND, seconds=SECONDS)
            time.sleep(SECONDS + 2.0)
            seen = Histogram.read(get(metrics)[1]).minus(before)
            stats = api.stats()
        finally:
            stop_bot(process)
    replies = len(stats["latencies"]) - replies_before
    if not seen.count:
        raise RuntimeError(f"no update was handled; the bot's log:\n{log.read_text()[-3000:]}")
    return Backlog(
        within_100_ms=seen.share_within(0.1),
        within_250_ms=seen.share_within(0.25),
        mean_ms=seen.total / seen.count * 1000,
        p99_ms=seen.quantile(0.99) * 1000,
        updates=int(seen.count),
        nudges_per_second=(int(stats["sent"]) - sent_before - replies) / SECONDS,
    )


def run() -> dict[str, float]:
    """Measure here and at the base, one after the other, per backend; print side by side."""
    found: dict[tuple[str, str], Backlog] = {}
    with (
        tempfile.TemporaryDirectory(prefix="backcare-backlog-") as folder,
        base_worktree() as (base, checkout),
    ):
        for backend in asyncio.run(population.backends()):
            for name, source in (("this tree", ROOT), (f"base {base}", checkout)):
                url = asyncio.run(population.copy_with_due(backend, USERS, DUE))
                try:
                    found[backend, name] = measure(source, url, Path(folder))
                finally:
                    asyncio.run(population.discard(url))
    rows, figures = [], {}
    for (backend, name), seen in found.items():
        rows.append(
            [
                f"  {backend}",
                name,
                f"{seen.within_100_ms:.1%}",
                f"{seen.within_250_ms:.1%}",
                f"{seen.mean_ms:.1f}",
                f"{seen.p99_ms:.0f}",
                str(seen.updates),
                f"{seen.nudges_per_second:.0f}",
                report.verdict(seen.p99_ms <= TARGET_P99_MS),
            ]
        )
        key = "now" if name == "this tree" else "base"
        for field in ("within_100_ms", "within_250_ms", "mean_ms", "p99_ms"):
            figures[f"backlog_{backend}_{key}_{field}"] = float(getattr(seen, field))
    print(
        f"\n  replies under a backlog: {DUE:,} nudges due at {RATE}/s, {PEOPLE} people sending "
        f"{COMMAND} once a second for {SECONDS:.0f} s; the bot's own backcare_update_seconds:"
    )
    print(
        report.table(
            [
                "  database",
                "tree",
                "≤ 100 ms",
                "≤ 250 ms",
                "mean ms",
                "p99 ms",
                "updates",
                "nudges/s",
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
