"""The real bot process (`python -m bot run`): start-up time and resident memory by user count.

The bot runs against `tests.support.fast_botapi` with a database of 10k or 100k people and a clock
file holding `T0` (so every zone is in its work hours), the rate limit off, and a few
thousand nudges already due. Start-up is timed from `Popen` to the first getUpdates and to
the first sendMessage the stand-in receives; memory is the process's VmRSS once it polls
and after it has sent them all (and its peak, VmHWM).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import population, report
from bench.population import T0
from tests.support.bot_process import bot_environment, spawn_bot, stop_bot
from tests.support.fast_botapi import FastBotApi

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:AAE-backcare-bench-token"
SIZES = (10_000, 100_000)
DUE = 2_000
READY_TIMEOUT_S = 60.0
SEND_TIMEOUT_S = 120.0
SAMPLE_S = 0.02
RSS_TARGET_MB = 150.0
START_TARGET_S = 2.0


def _status(pid: int) -> dict[str, int]:
    """Return a process's VmRSS and VmHWM in bytes (empty once it is gone)."""
    found: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                name, _, value = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    found[name] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return found


@dataclass(slots=True)
class Run:
    """What one start of the real bot measured."""

    backend: str
    users: int
    to_poll_s: float
    to_first_send_s: float
    rss_up_mb: float
    rss_after_mb: float
    peak_mb: float
    sent: int
    send_s: float


def _environment(api: FastBotApi, url: str, clock_file: Path) -> dict[str, str]:
    return bot_environment(
        api,
        url,
        BACKCARE_TELEGRAM__TOKEN=TOKEN,
        BACKCARE_CLOCK__FILE=str(clock_file),
        BACKCARE_DELIVERY__MESSAGES_PER_SECOND="0",
        BACKCARE_LOGGING__LEVEL="INFO",
    )


def start_and_send(
    backend: str, users: int, url: str, folder: Path, *, source: Path = ROOT
) -> Run:
    """Start the real bot (from `source`, this tree by default) on a prepared database.

    Times it and samples its memory.
    """
    clock_file = folder / "clock.txt"
    clock_file.write_text(T0.isoformat())
    log = folder / f"bot-{backend}-{users}.log"
    with FastBotApi() as api, log.open("wb") as output:
        started_wall = time.time()
        process = spawn_bot(_environment(api, url, clock_file), output, source=source)
        try:
            rss_up = 0
            deadline = time.monotonic() + READY_TIMEOUT_S
            stats = api.stats()
            while stats["first_poll_at"] is None or stats["first_sent_at"] is None:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the bot did not start; its log:\n{log.read_text()[-3000:]}"
                    )
                sample = _status(process.pid)
                if stats["first_poll_at"] is None or not rss_up:
                    rss_up = sample.get("VmRSS", rss_up)
                time.sleep(SAMPLE_S)
                stats = api.stats()
            deadline = time.monotonic() + SEND_TIMEOUT_S
            while stats["sent"] < DUE and time.monotonic() < deadline:
                time.sleep(0.1)
                stats = api.stats()
            time.sleep(1.0)  # let the last batch be recorded
            final = _status(process.pid)
            stats = api.stats()
        finally:
            stop_bot(process)
    return Run(
        backend=backend,
        users=users,
        to_poll_s=stats["first_poll_at"] - started_wall,
        to_first_send_s=stats["first_sent_at"] - started_wall,
        rss_up_mb=rss_up / 2**20,
        rss_after_mb=final.get("VmRSS", 0) / 2**20,
        peak_mb=final.get("VmHWM", 0) / 2**20,
        sent=int(stats["sent"]),
        send_s=float(stats["last_sent_at"] or 0) - float(stats["first_sent_at"] or 0),
    )


async def first_run_delay(base_url: str, *, next_run_time: bool) -> float:
    """Time app.start() to the first run of a repeating job added before it, as post_init does."""
    # With `first=0` alone, APScheduler computes the first run when the scheduler starts, from
    # a start date already past: one interval later. An explicit `next_run_time` runs it now.
    from telegram.ext import Application, ApplicationBuilder, CallbackContext, JobQueue

    app: Application[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder().token(TOKEN).base_url(base_url).job_queue(JobQueue()).build()
    )
    fired: asyncio.Future[float] = asyncio.get_running_loop().create_future()

    async def tick(_context: CallbackContext[Any, Any, Any, Any]) -> None:
        if not fired.done():
            fired.set_result(time.perf_counter())

    await app.initialize()
    queue = app.job_queue
    assert queue is not None
    options: dict[str, Any] = {"max_instances": 1, "coalesce": True}
    if next_run_time:
        options["next_run_time"] = datetime.now(UTC)
    queue.run_repeating(tick, interval=1.0, first=0, name="dispatcher", job_kwargs=options)
    await asyncio.sleep(0.05)  # the rest of post_init and start_polling take a moment
    started = time.perf_counter()
    await app.start()
    try:
        return await asyncio.wait_for(fired, timeout=5) - started
    finally:
        await app.stop()
        await app.shutdown()


async def _first_run_delays() -> tuple[float, float]:
    with FastBotApi() as api:
        return (
            await first_run_delay(api.base_url, next_run_time=False),
            await first_run_delay(api.base_url, next_run_time=True),
        )


def run() -> dict[str, float]:
    """Start the real bot at 10k and 100k people per backend; report start-up and memory."""
    figures: dict[str, float] = {}
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="backcare-process-") as folder:
        for backend in asyncio.run(population.backends()):
            for users in SIZES:
                url = asyncio.run(population.copy_with_due(backend, users, DUE))
                try:
                    runs.append(start_and_send(backend, users, url, Path(folder)))
                finally:
                    asyncio.run(population.discard(url))
    rows = []
    for found in runs:
        label = f"{found.backend}_{found.users // 1000}k"
        for key in ("to_poll_s", "to_first_send_s", "rss_up_mb", "rss_after_mb", "peak_mb"):
            value = float(getattr(found, key))
            figures[f"{label}_{key}"] = value
            report.record(f"process.{found.backend}.{found.users // 1000}k.{key}", value)
        rows.append(
            [
                found.backend,
                f"{found.users:,}",
                f"{found.to_poll_s:.2f}",
                f"{found.to_first_send_s:.2f}",
                f"{found.rss_up_mb:.0f}",
                f"{found.rss_after_mb:.0f}",
                f"{found.peak_mb:.0f}",
                f"{found.sent:,} in {found.send_s:.1f} s",
            ]
        )
    print(
        f"\n  the real bot (python -m bot run) on a stand-in, {DUE:,} nudges due at start, "
        "rate limit off:"
    )
    print(
        report.table(
            [
                "  database",
                "people",
                "to polling s",
                "to 1st nudge s",
                "RSS up MB",
                "RSS after MB",
                "peak MB",
                "sent",
            ],
            rows,
        )
    )
    first_zero_alone, explicit = asyncio.run(_first_run_delays())
    figures["first_tick_after_start_s"] = first_zero_alone
    figures["first_tick_after_start_with_next_run_time_s"] = explicit
    report.record("process.first_tick_delay_s", first_zero_alone)
    report.record("process.first_tick_delay_fixed_s", explicit)
    print(
        "  the dispatcher job's first run after app.start(): "
        f"{first_zero_alone:.2f} s with first=0 alone, "
        f"{explicit:.3f} s with job_kwargs next_run_time=now (as bot/app.py does)"
    )
    return figures


if __name__ == "__main__":
    try:
        for key, value in run().items():
            print(f"{key:>40}: {value:.4f}")
    finally:
        population.cleanup()
