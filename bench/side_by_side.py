"""Throughput and lateness of this tree beside a base commit's, in one run.

The `dispatch` and `lateness` suites run twice, one after the other on the same machine:
from this tree, then from a git worktree of `BENCH_BASE` (the previous commit by default),
each with its own code and its own bench. Every figure both print is shown side by side
with the change, so a reshaping of the engine shows what it cost or saved.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import report

ROOT = Path(__file__).resolve().parent.parent
SUITES = ("dispatch", "lateness")
_FIGURE = re.compile(r"^\s*(\S.*?): (-?\d+\.\d{4})$")  # as `python -m bench` prints them


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


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
    found: dict[str, float] = {}
    for line in done.stdout.splitlines():
        match = _FIGURE.match(line)
        if match:
            found[match[1]] = float(match[2])
    return found


def run() -> dict[str, float]:
    """Measure throughput and lateness here and at the base; print them side by side."""
    base = os.environ.get("BENCH_BASE", "HEAD~1")
    base_commit = _git("rev-parse", "--short", base)
    here = figures(ROOT)
    with tempfile.TemporaryDirectory(prefix="backcare-base-") as folder:
        checkout = Path(folder) / "base"
        _git("worktree", "add", "--detach", str(checkout), base_commit)
        try:
            there = figures(checkout)
        finally:
            _git("worktree", "remove", "--force", str(checkout))
    rows = []
    result: dict[str, float] = {}
    for name in sorted(here.keys() & there.keys()):
        now, before = here[name], there[name]
        change = f"{(now - before) / before * 100:+.0f}%" if before else "-"
        rows.append([name, f"{now:.4g}", f"{before:.4g}", change])
        result[f"now_{name}"], result[f"base_{name}"] = now, before
    print(f"\n  dispatch and lateness, this tree beside base {base_commit}, one after the other:")
    print(report.table(["figure", "this tree", f"base {base_commit}", "change"], rows))
    return result
