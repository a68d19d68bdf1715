"""Reading a message, alone: this tree and a base revision, taking turns in one run.

    python -m bench reading                 base: the previous commit
    BENCH_BASE=7085be1 python -m bench reading

Every phrasing and typed answer of the real-language sets (the texts `bench triage` reads)
goes through `Reader.read`, a cold pass and then five warm rounds, in a fresh process for
each tree; the trees take turns three times, so that a machine shared with other work slows
both alike. Each message is timed on the wall clock and in the thread's CPU time (which
other processes on the machine disturb far less). `bench triage` adds the real bot's
start-up and memory; this suite is the latency alone, in a minute.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench import report
from bench.process_bench import ROOT
from bench.side_by_side import base_worktree
from bench.triage_bench import P95_TARGET_MS, ROUNDS, _phrasings

TURNS = 3
_MEASURE = f"""
import json, sys, time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo
from guidance import Guide
from guidance.reading import Situation
texts = json.load(sys.stdin)
reader = Guide.load(words=ANSWER_WORDS).reader
situation = Situation(now=datetime(2025, 6, 2, 9, 30, tzinfo=UTC), zone=ZoneInfo("Europe/Berlin"))
for text in texts:
    reader.read(text, situation)
wall, cpu = [], []
for _ in range({ROUNDS}):
    for text in texts:
        started, thread = time.perf_counter(), time.thread_time()
        reader.read(text, situation)
        cpu.append((time.thread_time() - thread) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
print(json.dumps({{"wall": wall, "cpu": cpu}}))
"""


def _measure(tree: Path, texts: list[str]) -> dict[str, float]:
    """Read every text in a fresh process of a tree's code; return its percentiles."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    times = json.loads(done.stdout)
    return {
        f"{clock}_{name}": report.percentile(times[clock], share)
        for clock in ("wall", "cpu")
        for name, share in (("p50", 0.50), ("p95", 0.95))
    }


def run() -> dict[str, float]:
    """Time reading here and at the base, taking turns; report each tree's median turn."""
    texts = _phrasings()
    turns: dict[str, list[dict[str, float]]] = {"now": [], "base": []}
    with base_worktree() as (base_commit, checkout):
        for _ in range(TURNS):
            turns["now"].append(_measure(ROOT, texts))
            turns["base"].append(_measure(checkout, texts))
    figures: dict[str, float] = {"messages": float(len(texts))}
    rows = []
    for key, label in (("now", "this tree"), ("base", f"base {base_commit}")):
        median = {
            name: statistics.median(turn[name] for turn in turns[key]) for name in turns[key][0]
        }
        figures.update({f"{key}_{name}_ms": value for name, value in median.items()})
        rows.append(
            [
                label,
                f"{median['wall_p50']:.2f}",
                f"{median['wall_p95']:.2f}",
                f"{median['cpu_p50']:.2f}",
                f"{median['cpu_p95']:.2f}",
                " / ".join(f"{turn['cpu_p95']:.2f}" for turn in turns[key]),
            ]
        )
    report.record("reading.p95_ms", figures["now_wall_p95_ms"])
    print(
        f"\n  reading {len(texts)} messages, {ROUNDS} warm rounds, {TURNS} turns each "
        f"(target p95 <= {P95_TARGET_MS} ms), median turn:"
    )
    print(
        report.table(
            ["  code", "wall p50 ms", "wall p95 ms", "CPU p50 ms", "CPU p95 ms", "CPU p95 turns"],
            rows,
        )
    )
    return figures
