"""This tree beside a base commit's, in one run: the benches' one way to run a base's code.

The base is `BENCH_BASE` (the previous commit by default), checked out in a git worktree
(`base_worktree`) that every bench comparing with it uses (triage, progress, backlog,
reading and this one). Two ways to compare:

- `python -m bench side_by_side` (part of `make bench`): the `dispatch` and `lateness`
  suites, run whole from this tree and then from the base, each with its own code and its
  own bench; every figure both print is shown side by side with the change.
- `python -m bench side_by_side --interleaved dispatch|replies|startup --rounds N`: on a
  shared machine the load moves by the minute, so one tree's whole bench and then the
  other's can measure the moment rather than the code. This runs short measurements of each
  tree in turn, A B then B A, each with the load average (`/proc/loadavg`) at its start,
  and prints the median per tree:

  - `dispatch`: one dispatch throughput run per database (`bench/profile_bench.py` from
    this tree, no profiler, driving each tree's own `bench.dispatch_bench`): nudges a
    second, and the process's CPU a nudge, which moves less with the load than the rate;
  - `replies`: the real bot from each tree (`bench.reply_bench.measure`) at a nudge limit
    of `--limit` (1,000/s) with 50 updates/s of `/today`: nudges a second meanwhile, the
    bot's CPU a nudge meanwhile, and the reply p50 and p99;
  - `startup`: the real bot from each tree on `--users` people (`bench.process_bench`):
    time to the first nudge and RSS after sending.

      BENCH_BASE=7085be1 python -m bench side_by_side --interleaved dispatch --rounds 2

  The base's bot runs on a database taken back to the base's newest migration.
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.ext.asyncio import create_async_engine

from bench import population, process_bench, reply_bench, report
from storage.migrate import downgrade

ROOT = Path(__file__).resolve().parent.parent
SUITES = ("dispatch", "lateness")
_FIGURE = re.compile(r"^\s*(\S.*?): (-?\d+\.\d{4})$")  # as `python -m bench` prints them
_RATE = re.compile(r"= ([\d,]+)/s; process CPU (\d+) µs a nudge")  # as profile_bench does


# -- the base's worktree ---------------------------------------------------------------------


def git(*args: str) -> str:
    """Run git in this tree and return what it printed."""
    return subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


@contextmanager
def base_worktree() -> Iterator[tuple[str, Path]]:
    """Check out `BENCH_BASE` (the previous commit by default) in a git worktree of its own,
    removed afterwards; give its short commit and its folder."""
    commit = git("rev-parse", "--short", os.environ.get("BENCH_BASE", "HEAD~1"))
    with tempfile.TemporaryDirectory(prefix="backcare-base-") as folder:
        checkout = Path(folder) / "base"
        git("worktree", "add", "--detach", str(checkout), commit)
        try:
            yield commit, checkout
        finally:
            git("worktree", "remove", "--force", str(checkout))


def head_revision(commit: str) -> str:
    """Return the newest migration revision in a commit's tree."""
    folder = "storage/migrations/versions"
    newest = sorted(git("ls-tree", "--name-only", commit, f"{folder}/").splitlines())[-1]
    text = git("show", f"{commit}:{newest}")
    return re.search(r'^revision: str = "([^"]+)"', text, re.MULTILINE)[1]  # type: ignore[index]


async def at_revision(url: str, revision: str | None) -> None:
    """Take a database back to a revision (the base's code knows only its own migrations)."""
    if revision is None:
        return
    engine = create_async_engine(url)
    try:
        await downgrade(engine, revision)
    finally:
        await engine.dispose()


def this_tree() -> str:
    """Name this tree's commit, with `+changes` if it has uncommitted ones."""
    changed = bool(git("status", "--porcelain", "--untracked-files=no"))
    return f"{git('rev-parse', '--short', 'HEAD')}{'+changes' if changed else ''}"


def load() -> str:
    """Return the machine's 1-minute load average, as `uptime` shows it."""
    return Path("/proc/loadavg").read_text().split()[0]


# -- whole suites, one tree after the other ----------------------------------------------------


def figures(tree: Path) -> dict[str, float]:
    """Run the suites from a tree's own code and read the figures they print."""
    done = subprocess.run(
        [sys.executable, "-m", "bench", *SUITES],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the bench at {tree} failed:\n{done.stdout[-2000:]}{done.stderr}")
    return read_figures(done.stdout)


def read_figures(printed: str) -> dict[str, float]:
    """Read the figures `python -m bench` printed (`name: 1.2345`, one a line)."""
    found: dict[str, float] = {}
    for line in printed.splitlines():
        match = _FIGURE.match(line)
        if match:
            found[match[1]] = float(match[2])
    return found


def _one_after_the_other() -> dict[str, float]:
    here = figures(ROOT)
    with base_worktree() as (base, checkout):
        there = figures(checkout)
    rows = []
    result: dict[str, float] = {}
    for name in sorted(here.keys() & there.keys()):
        now, before = here[name], there[name]
        change = f"{(now - before) / before * 100:+.0f}%" if before else "-"
        rows.append([name, f"{now:.4g}", f"{before:.4g}", change])
        result[f"now_{name}"], result[f"base_{name}"] = now, before
    print(f"\n  dispatch and lateness, this tree beside base {base}, one after the other:")
    print(report.table(["figure", "this tree", f"base {base}", "change"], rows))
    return result


# -- short measurements, the trees taking turns ------------------------------------------------

Measure = Callable[[Path, str, str | None, argparse.Namespace], dict[str, float]]


def read_rate(printed: str) -> dict[str, float]:
    """Read the rate and CPU a nudge that `bench/profile_bench.py` printed."""
    found = _RATE.search(printed)
    if found is None:
        raise ValueError("no rate in what the profile bench printed")
    return {
        "nudges_per_second": float(found[1].replace(",", "")),
        "cpu_us_a_nudge": float(found[2]),
    }


def _dispatch(
    tree: Path, backend: str, _revision: str | None, options: argparse.Namespace
) -> dict[str, float]:
    """One dispatch run of a tree's code (it seeds its own database at its own head)."""
    command = [sys.executable, str(ROOT / "bench" / "profile_bench.py"), "--profiler", "none"]
    done = subprocess.run(
        [*command, "--backend", backend, "--due", str(options.due)],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree), "PTB_TIMEDELTA": "true"},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    try:
        return read_rate(done.stdout)
    except ValueError:
        raise RuntimeError(
            f"the run at {tree} failed:\n{done.stdout[-1500:]}{done.stderr[-3000:]}"
        ) from None


def _replies(
    tree: Path, backend: str, revision: str | None, options: argparse.Namespace
) -> dict[str, float]:
    url = asyncio.run(population.copy_with_due(backend, reply_bench.USERS, reply_bench.DUE))
    try:
        asyncio.run(at_revision(url, revision))
        with tempfile.TemporaryDirectory(prefix="backcare-replies-") as folder:
            found = reply_bench.measure(backend, options.limit, url, Path(folder), source=tree)
    finally:
        asyncio.run(population.discard(url))
    return {
        "nudges_per_second": found.nudges_per_second,
        "cpu_us_a_nudge": found.cpu_us_a_nudge,
        "reply_p50_ms": found.p50_ms,
        "reply_p99_ms": found.p99_ms,
    }


def start_from(
    tree: Path, backend: str, users: int, folder: Path, *, revision: str | None = None
) -> process_bench.Run:
    """Start the real bot from a tree on a fresh copy of `users` people, with
    `process_bench.DUE` of them due; the database goes back to `revision` (the base's
    newest migration) first, if one is given."""
    url = asyncio.run(population.copy_of(backend, users))
    due = population.due_now(users, process_bench.DUE)
    try:
        asyncio.run(population.make_due(url, due, at=population.T0))
        asyncio.run(at_revision(url, revision))
        return process_bench.start_and_send(backend, users, url, folder, source=tree)
    finally:
        asyncio.run(population.discard(url))


def _startup(
    tree: Path, backend: str, revision: str | None, options: argparse.Namespace
) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="backcare-start-") as folder:
        found = start_from(tree, backend, options.users, Path(folder), revision=revision)
    return {
        "to_first_nudge_s": found.to_first_send_s,
        "rss_after_mb": found.rss_after_mb,
        "peak_mb": found.peak_mb,
    }


MEASURES: dict[str, Measure] = {"dispatch": _dispatch, "replies": _replies, "startup": _startup}


def options(parser: argparse.ArgumentParser) -> None:
    """Add the interleaved comparison's options to `python -m bench`."""
    group = parser.add_argument_group("side_by_side --interleaved")
    group.add_argument(
        "--interleaved",
        choices=sorted(MEASURES),
        help="compare with BENCH_BASE in short runs taking turns (A B, B A), load beside each",
    )
    group.add_argument("--rounds", type=int, default=2, help="rounds of A B / B A")
    group.add_argument(
        "--backends", help="comma-separated (default: sqlite, and postgresql if it answers)"
    )
    group.add_argument("--due", type=int, default=5_000, help="dispatch: rows due")
    group.add_argument("--users", type=int, default=100_000, help="startup: people")
    group.add_argument("--limit", type=int, default=1000, help="replies: nudges/s limit")


def _interleaved(chosen: argparse.Namespace) -> dict[str, float]:
    measure = MEASURES[chosen.interleaved]
    backends = (
        chosen.backends.split(",") if chosen.backends else asyncio.run(population.backends())
    )
    here = this_tree()
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    with base_worktree() as (base, checkout):
        revision = head_revision(base)
        for number in range(1, chosen.rounds + 1):
            for backend in backends:
                pair = [(here, ROOT, None), (f"base {base}", checkout, revision)]
                if number % 2 == 0:
                    pair.reverse()  # A B, then B A: neither always goes first
                for name, tree, at in pair:
                    started_at = load()
                    found = measure(tree, backend, at, chosen)
                    results.setdefault((backend, name), []).append(found)
                    shown = ", ".join(f"{key} {value:,.1f}" for key, value in found.items())
                    print(
                        f"  round {number} {backend:<10} {name:<16} load {started_at:>5}: {shown}",
                        flush=True,
                    )
    print(f"\n  {chosen.interleaved}, median of {chosen.rounds} interleaved rounds:\n")
    keys = list(next(iter(results.values()))[0])
    rows, result = [], {}
    for (backend, name), runs in results.items():
        medians = {key: statistics.median(run[key] for run in runs) for key in keys}
        rows.append([f"  {backend}", name, *(f"{medians[key]:,.1f}" for key in keys)])
        who = "base" if name.startswith("base ") else "now"
        result.update({f"{who}_{backend}_{key}": value for key, value in medians.items()})
    print(report.table(["  database", "code", *keys], rows))
    return result


def run(chosen: argparse.Namespace | None = None) -> dict[str, float]:
    """Measure here and at the base: whole suites one after the other, or interleaved."""
    if chosen is not None and chosen.interleaved:
        return _interleaved(chosen)
    return _one_after_the_other()
