"""`make bench`: every benchmark, with the machine it ran on."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

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
    # dispatch and lateness, here and at BENCH_BASE (the previous commit by default)
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


def main() -> None:
    """Run the chosen suites (all by default) and print their figures."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    known = {**SUITES, **OPTIONAL}
    parser.add_argument("suites", nargs="*", metavar="SUITE", help=", ".join(known))
    chosen = parser.parse_args().suites or list(SUITES)
    unknown = set(chosen) - set(known)
    if unknown:
        parser.error(f"unknown suite(s): {', '.join(sorted(unknown))}")
    # As `backcare` itself does: python-telegram-bot's timedelta durations, no warnings.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
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
