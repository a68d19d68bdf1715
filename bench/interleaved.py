"""This tree beside a base commit, interleaved: A B, B A, with the machine's load beside.

On a shared machine the load moves by the minute, so running one tree's whole bench and
then the other's (`side_by_side`) can measure the moment rather than the code. This runs
short measurements of each tree in turn, several rounds, and prints each with the load
average (`/proc/loadavg`) at its start, and the median per tree:

- `dispatch`: one dispatch throughput run (`bench.profile_bench`, no profiler) on each
  database: nudges a second, and the process's CPU a nudge (less sensitive to the load);
- `replies`: the real bot from each tree (`bench.reply_bench.measure`) at a nudge limit of
  1,000/s with 50 updates/s of `/today`: nudges a second meanwhile and the reply p99;
- `startup`: the real bot from each tree on 100,000 people (`bench.process_bench`): time to
  the first nudge and RSS after sending.

    BENCH_BASE=7085be1 python -m bench.interleaved dispatch --rounds 3 --due 5000

The base's code runs from a git worktree of `BENCH_BASE`, measured by this tree's bench (so
the two are measured the same way).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_RATE = re.compile(r"= ([\d,]+)/s; loop thread CPU (\d+) µs a nudge")


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


def load() -> str:
    """Return the machine's 1-minute load average, as `uptime` shows it."""
    return Path("/proc/loadavg").read_text().split()[0]


def _dispatch(tree: Path, backend: str, arguments: argparse.Namespace) -> dict[str, float]:
    """One dispatch run of a tree's code, measured by this tree's profile_bench."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "profile_bench.py"),
            "--profiler",
            "none",
            "--backend",
            backend,
            "--due",
            str(arguments.due),
        ],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree), "PTB_TIMEDELTA": "true"},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    found = _RATE.search(done.stdout)
    if found is None:
        raise RuntimeError(
            f"the run at {tree} failed:\n{done.stdout[-1500:]}{done.stderr[-3000:]}"
        )
    return {"nudges/s": float(found[1].replace(",", "")), "CPU µs/nudge": float(found[2])}


def _replies(tree: Path, backend: str, arguments: argparse.Namespace) -> dict[str, float]:
    from bench import population, reply_bench

    url = asyncio.run(population.copy_with_due(backend, reply_bench.USERS, reply_bench.DUE))
    try:
        with tempfile.TemporaryDirectory(prefix="backcare-replies-") as folder:
            found = reply_bench.measure(backend, arguments.limit, url, Path(folder), source=tree)
    finally:
        asyncio.run(population.discard(url))
    return {
        "nudges/s": found.nudges_per_second,
        "reply p50 ms": found.p50_ms,
        "reply p99 ms": found.p99_ms,
    }


def _startup(tree: Path, backend: str, arguments: argparse.Namespace) -> dict[str, float]:
    from bench import population, process_bench

    url = asyncio.run(population.copy_of(backend, arguments.users))
    asyncio.run(
        population.make_due(
            url, population.due_now(arguments.users, process_bench.DUE), at=population.T0
        )
    )
    try:
        with tempfile.TemporaryDirectory(prefix="backcare-start-") as folder:
            found = process_bench.start_and_send(
                backend, arguments.users, url, Path(folder), source=tree
            )
    finally:
        asyncio.run(population.discard(url))
    return {
        "to 1st nudge s": found.to_first_send_s,
        "RSS after MB": found.rss_after_mb,
        "peak MB": found.peak_mb,
    }


MEASURES: dict[str, Callable[[Path, str, argparse.Namespace], dict[str, float]]] = {
    "dispatch": _dispatch,
    "replies": _replies,
    "startup": _startup,
}


def main() -> None:
    """Measure this tree and the base in turn, round after round, and print both."""
    parser = argparse.ArgumentParser(prog="python -m bench.interleaved")
    parser.add_argument("measure", choices=sorted(MEASURES))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--due", type=int, default=5_000, help="dispatch: rows due")
    parser.add_argument("--users", type=int, default=100_000, help="startup: people")
    parser.add_argument("--limit", type=int, default=1000, help="replies: nudges/s limit")
    arguments = parser.parse_args()
    base = _git("rev-parse", "--short", os.environ.get("BENCH_BASE", "HEAD~1"))
    here = _git("rev-parse", "--short", "HEAD")
    changed = bool(_git("status", "--porcelain", "--untracked-files=no"))
    label = f"{here}{'+changes' if changed else ''}"
    measure = MEASURES[arguments.measure]
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    from bench import population

    try:
        with tempfile.TemporaryDirectory(prefix="backcare-base-") as folder:
            checkout = Path(folder) / "base"
            _git("worktree", "add", "--detach", str(checkout), base)
            try:
                for number in range(1, arguments.rounds + 1):
                    for backend in arguments.backends.split(","):
                        pair = [(label, ROOT), (f"base {base}", checkout)]
                        if number % 2 == 0:
                            pair.reverse()  # A B, then B A: neither always goes first
                        for name, tree in pair:
                            at = load()
                            found = measure(tree, backend, arguments)
                            results.setdefault((backend, name), []).append(found)
                            shown = ", ".join(
                                f"{key} {value:,.1f}" for key, value in found.items()
                            )
                            print(
                                f"round {number} {backend:<10} {name:<16} load {at:>5}: {shown}",
                                flush=True,
                            )
            finally:
                _git("worktree", "remove", "--force", str(checkout))
    finally:
        population.cleanup()
    print(f"\n{arguments.measure}, median of {arguments.rounds} interleaved rounds:\n")
    keys = list(next(iter(results.values()))[0])
    print("| database | code | " + " | ".join(keys) + " |")
    print("|---|---|" + "---|" * len(keys))
    for (backend, name), runs in results.items():
        cells = [f"{statistics.median(run[key] for run in runs):,.1f}" for key in keys]
        print(f"| {backend} | {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
