"""`make bench`: every benchmark, with the machine it ran on."""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench import (
    backlog_bench,
    chaos,
    dispatch_bench,
    guidance_bench,
    intents_bench,
    jobqueue_baseline,
    lateness_bench,
    population,
    process_bench,
    progress_bench,
    reading_bench,
    reply_bench,
    report,
    side_by_side,
    triage_bench,
)

SUITES = {
    "guidance": guidance_bench.run,
    "triage": triage_bench.run,
    "intents": intents_bench.run,
    # charts, the report, the bot after 100 charts; start-up here and at BENCH_BASE
    "progress": progress_bench.run,
    # dispatch and lateness, here and at BENCH_BASE (the previous commit by default); with
    # --interleaved dispatch|replies|startup, short runs of each tree taking turns instead
    "side_by_side": side_by_side.run,
    "process": process_bench.run,
    # update-to-reply latency at 50 updates/s while nudges flow at 30/s and 1,000/s
    "replies": reply_bench.run,
    # the bot's own update times under a backlog of 20,000 nudges, here and at BENCH_BASE
    "backlog": backlog_bench.run,
    "jobqueue": jobqueue_baseline.run,
}
# Run only when named: this tree's dispatch or lateness alone (side_by_side runs both), and
# faults at 10,000 due nudges (`make chaos`), which take a few minutes.
OPTIONAL = {
    "dispatch": dispatch_bench.run,
    "lateness": lateness_bench.run,
    "chaos": chaos.run,
    # reading a message alone, here and at BENCH_BASE taking turns (wall and CPU time)
    "reading": reading_bench.run,
}


def machine() -> str:
    """Describe the machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {sys.platform}"


def _tree() -> str:
    """Name the commit the figures come from, and whether the tree had changes."""
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{commit or 'unknown'}{' with uncommitted changes' if changed else ''}"


def main() -> None:
    """Run the chosen suites (all by default) and print their figures.

    A run of every suite (`make bench`) also writes what it printed to
    docs/performance/latest.md; `--page PATH` writes it for any run, `--page ''` for none.
    """
    parser = argparse.ArgumentParser(prog="python -m bench")
    known = {**SUITES, **OPTIONAL}
    parser.add_argument("suites", nargs="*", metavar="SUITE", help=", ".join(known))
    parser.add_argument(
        "--page",
        metavar="PATH",
        help=f"write what the run prints, as markdown, there (with no SUITE: {report.PAGE})",
    )
    side_by_side.options(parser)
    arguments = parser.parse_args()
    chosen = arguments.suites or list(SUITES)
    unknown = set(chosen) - set(known)
    if unknown:
        parser.error(f"unknown suite(s): {', '.join(sorted(unknown))}")
    if arguments.interleaved and "side_by_side" not in arguments.suites:
        parser.error("--interleaved is an option of the side_by_side suite: name it")
    known["side_by_side"] = functools.partial(side_by_side.run, arguments)
    if arguments.page is None:
        page = None if arguments.suites else report.PAGE
    else:
        page = Path(arguments.page) if arguments.page else None
    # As `backcare` itself does: python-telegram-bot's timedelta durations, no warnings.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    printed = report.Tee(sys.stdout)
    with contextlib.redirect_stdout(printed):
        _run(chosen, known)
    if page is not None:
        page.parent.mkdir(parents=True, exist_ok=True)
        command = " ".join(["python -m bench", *sys.argv[1:]])
        page.write_text(
            report.page(
                printed.kept.getvalue(),
                command=command,
                machine=machine(),
                commit=_tree(),
                finished=datetime.now(UTC),
            ),
            encoding="utf-8",
        )


def _run(chosen: list[str], known: dict[str, Callable[[], dict[str, float]]]) -> None:
    """Run the suites one after the other, printing each figure, then the summary."""
    print(f"machine: {machine()}")
    started = time.perf_counter()
    try:
        for name in chosen:
            print(f"\n== {name}", flush=True)
            suite_started = time.perf_counter()
            for key, value in known[name]().items():
                print(f"{key:>32}: {value:.4f}")
            print(f"({name}: {time.perf_counter() - suite_started:.0f} s)", flush=True)
    finally:
        population.cleanup()
    summary = report.summary()
    if summary:
        print(f"\n== summary (machine: {machine()})\n{summary}")
    print(f"\n(all suites: {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
