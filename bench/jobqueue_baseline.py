"""The obvious alternative to the database schedule: one PTB JobQueue job per reminder.

Each person gets three jobs (water and posture with `run_repeating`, the stretch with
`run_daily` in their zone) at the first due times the real rules give. Each size runs in a
fresh process (`python -m bench.jobqueue_baseline --worker …`), so its resident memory is
its own: the figures are the time to add the jobs to a running JobQueue and the memory they
hold. Then, if asked, some jobs come due at once and send through the same TelegramSender
to the stand-in, to compare dispatch rates (they write nothing to a database, so they only
flatter this design).
"""

from __future__ import annotations

import argparse
import array
import asyncio
import gc
import json
import logging
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench import population, report
from tests.support.fast_botapi import FastBotApi

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:AAE-backcare-bench-token"
SIZES = (10_000, 100_000)
DUE_AT_ONCE = 2_000
INTERVALS = {"water": timedelta(seconds=6300), "posture": timedelta(minutes=60)}
SEND_TIMEOUT_S = 120.0


def rss_bytes(pid: int | str = "self") -> int:
    """Return a process's resident set size in bytes, from /proc."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc status")


class _Missed(logging.Handler):
    """Count the runs APScheduler skipped because they were later than their grace."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.burst = 0

    def emit(self, record: logging.LogRecord) -> None:
        """Count one missed run (and whether it was one of the burst's)."""
        message = record.getMessage()
        if "was missed by" in message:
            self.count += 1
            self.burst += "burst:" in message


async def _settle(missed: _Missed, *, quiet_s: float = 1.0, limit_s: float = 120.0) -> None:
    """Wait until the scheduler has worked off what came due meanwhile (no new misses)."""
    deadline = time.perf_counter() + limit_s
    seen, since = missed.count, time.perf_counter()
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        await asyncio.sleep(0.1)
        lag = time.perf_counter() - started - 0.1
        if missed.count != seen or lag > 0.05:
            seen, since = missed.count, time.perf_counter()
        elif time.perf_counter() - since >= quiet_s:
            return


async def _worker(users: int, offsets_file: Path, base_url: str, due: int) -> dict[str, Any]:
    from telegram.ext import Application, ApplicationBuilder, CallbackContext, JobQueue

    from bench.dispatch_bench import texts
    from bot.app import make_bot
    from bot.telegram_io.sender import TelegramSender
    from storage.models import NudgeKind

    offsets = array.array("d")
    with offsets_file.open("rb") as file:
        offsets.fromfile(file, users * len(population.KINDS))
    message = texts().choices.posture(due_at=population.T0, zone=ZoneInfo("Europe/Berlin"))
    outcome = {"sent": 0, "errors": 0}
    errors: dict[str, int] = {}

    async def remind(context: CallbackContext[Any, Any, Any, Any]) -> None:
        job = context.job
        assert job is not None
        assert job.chat_id is not None
        await TelegramSender(context.bot, texts()).send(job.chat_id, message)

    async def burst(context: CallbackContext[Any, Any, Any, Any]) -> None:
        job = context.job
        assert job is not None
        assert job.chat_id is not None
        try:
            await TelegramSender(context.bot, texts()).send(job.chat_id, message)
            outcome["sent"] += 1
        except Exception as error:
            outcome["errors"] += 1
            errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1

    app: Application[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder().bot(make_bot(TOKEN, base_url)).job_queue(JobQueue()).build()
    )
    await app.initialize()
    queue = app.job_queue
    assert queue is not None
    await queue.start()
    missed = _Missed()
    logging.getLogger("apscheduler").addHandler(missed)
    gc.collect()
    before = rss_bytes()

    now = datetime.now(UTC)
    started = time.perf_counter()
    index = 0
    for user_id in range(1, users + 1):
        chat = population.chat_id(user_id)
        for kind in population.KINDS:
            first = now + timedelta(seconds=offsets[index])
            index += 1
            name = f"{kind.value}:{user_id}"
            if kind is NudgeKind.STRETCH:
                at = clock_time(19, tzinfo=ZoneInfo(population.zone_of(user_id)))
                queue.run_daily(remind, at, name=name, chat_id=chat, user_id=user_id)
            else:
                queue.run_repeating(
                    remind,
                    INTERVALS[kind.value],
                    first=first,
                    name=name,
                    chat_id=chat,
                    user_id=user_id,
                )
    build_seconds = time.perf_counter() - started
    await asyncio.sleep(0.2)  # let the scheduler take its pending wake-up
    gc.collect()
    after = rss_bytes()
    jobs = users * len(population.KINDS)
    figures: dict[str, Any] = {
        "users": users,
        "jobs": jobs,
        "build_s": build_seconds,
        "build_us_per_job": build_seconds / jobs * 1e6,
        "rss_before_mb": before / 2**20,
        "rss_after_mb": after / 2**20,
        "bytes_per_job": (after - before) / jobs,
    }
    # Reminders that came due while the jobs were being added were skipped (missed).
    await _settle(missed)
    figures["missed_while_building"] = missed.count
    if due:
        # A burst: `due` people's nudges come due in the same second (as at a shared wake-up).
        when = datetime.now(UTC) + timedelta(seconds=2)
        for user_id, _kind in population.due_now(users, due):
            chat = population.chat_id(user_id)
            queue.run_once(burst, when, name=f"burst:{user_id}", chat_id=chat, user_id=user_id)
        await asyncio.sleep(max((when - datetime.now(UTC)).total_seconds(), 0))
        started = time.perf_counter()
        deadline = started + SEND_TIMEOUT_S
        last_done, last_change = 0, started
        while time.perf_counter() < deadline:
            asleep = time.perf_counter()
            await asyncio.sleep(0.05)
            done = outcome["sent"] + outcome["errors"] + missed.burst
            if done >= due:
                break
            # The scheduler blocks the loop while it hands out due jobs: that is not a stall.
            if done != last_done or time.perf_counter() - asleep > 1.0:
                last_done, last_change = done, time.perf_counter()
            elif time.perf_counter() - last_change > 10:
                break  # nothing more is coming
        seconds = time.perf_counter() - started
        figures.update(
            due=due,
            sent=outcome["sent"],
            errors=outcome["errors"],
            error_kinds=errors,
            missed=missed.burst,
            send_s=seconds,
            nudges_per_s=outcome["sent"] / seconds,
            rss_after_send_mb=rss_bytes() / 2**20,
        )
    await queue.stop(wait=False)
    await app.shutdown()
    return figures


def _offsets_file(users: int, folder: Path) -> Path:
    """Write everyone's first due times as seconds after T0, in (user, kind) order."""
    path = folder / f"offsets-{users}.bin"
    offsets = array.array(
        "d", ((due - population.T0).total_seconds() for _, _, due in population.first_due(users))
    )
    with path.open("wb") as file:
        offsets.tofile(file)
    return path


def measure(users: int, *, base_url: str, due: int, folder: Path) -> dict[str, Any]:
    """Run one size in a fresh process and return what it measured."""
    offsets = _offsets_file(users, folder)
    answer = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.jobqueue_baseline",
            "--worker",
            "--users",
            str(users),
            "--offsets",
            str(offsets),
            "--base-url",
            base_url,
            "--due",
            str(due),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    result: dict[str, Any] = json.loads(answer.stdout.strip().splitlines()[-1])
    return result


def run() -> dict[str, float]:
    """Measure the one-job-per-reminder JobQueue design at 10k and 100k people."""
    figures: dict[str, float] = {}
    rows = []
    with FastBotApi() as api, tempfile.TemporaryDirectory(prefix="backcare-jq-") as folder:
        for users in SIZES:
            due = DUE_AT_ONCE if users == max(SIZES) else 0
            found = measure(users, base_url=api.base_url, due=due, folder=Path(folder))
            api.reset()
            label = f"{users // 1000}k"
            for key in (
                "build_s",
                "build_us_per_job",
                "bytes_per_job",
                "rss_after_mb",
                "missed_while_building",
            ):
                figures[f"jobqueue_{label}_{key}"] = float(found[key])
                report.record(f"jobqueue.{label}.{key}", float(found[key]))
            growth = found["rss_after_mb"] - found["rss_before_mb"]
            report.record(f"jobqueue.{label}.rss_growth_mb", growth)
            figures[f"jobqueue_{label}_rss_growth_mb"] = growth
            line = [
                f"{users:,}",
                f"{found['jobs']:,}",
                f"{found['build_s']:.2f}",
                f"{found['build_us_per_job']:.0f}",
                f"{growth:.0f}",
                f"{found['bytes_per_job']:,.0f}",
                f"{found['rss_after_mb']:.0f}",
                f"{found['missed_while_building']:,}",
            ]
            if due:
                for key in ("nudges_per_s", "sent", "errors", "missed"):
                    figures[f"jobqueue_{label}_{key}"] = float(found[key])
                    report.record(f"jobqueue.{label}.{key}", float(found[key]))
                kinds = ", ".join(f"{n} {k}" for k, n in found["error_kinds"].items())
                line.append(
                    f"{found['nudges_per_s']:,.0f}/s: {found['sent']:,} sent, "
                    f"{found['errors']:,} failed{' (' + kinds + ')' if kinds else ''}, "
                    f"{found['missed']:,} missed, of {due:,} due at once"
                )
            else:
                line.append("–")
            rows.append(line)
    print("\n  one JobQueue job per reminder (3 per person), each size in a fresh process:")
    print(
        report.table(
            [
                "  people",
                "jobs",
                "build s",
                "µs/job",
                "RSS +MB",
                "bytes/job",
                "RSS MB",
                "missed",
                "dispatch (sends only, no DB)",
            ],
            rows,
        )
    )
    return figures


def main() -> None:
    """Run the suite, or (with --worker) one size in this process, printing JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.jobqueue_baseline")
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--offsets", type=Path)
    parser.add_argument("--base-url", default="")
    parser.add_argument("--due", type=int, default=0)
    arguments = parser.parse_args()
    if not arguments.worker:
        for key, value in run().items():
            print(f"{key:>40}: {value:.4f}")
        return
    figures = asyncio.run(
        _worker(arguments.users, arguments.offsets, arguments.base_url, arguments.due)
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
