"""Benchmark the guide: knowledge-base load + index time and per-question answer latency."""

from __future__ import annotations

import statistics
import time
import tomllib
from pathlib import Path

from bench import report
from bot.wording.answers import ANSWER_WORDS
from guidance import Guide

QUESTIONS_FILE = Path(__file__).resolve().parents[1] / "tests" / "guidance" / "questions.toml"
LOAD_RUNS = 5
ANSWER_ROUNDS = 5
# Targets from the design: a restart must stay cheap and replies must feel instant.
LOAD_TARGET_S = 1.0
P95_TARGET_MS = 10.0


def _questions() -> list[str]:
    with QUESTIONS_FILE.open("rb") as file:
        data = tomllib.load(file)
    return [
        item["q"] for group in ("in_scope", "red_flag", "out_of_scope") for item in data[group]
    ]


def run() -> dict[str, float]:
    """Measure load+index time (median of several runs) and answer latency p50/p95 in ms."""
    started = time.perf_counter()
    guide = Guide.load(words=ANSWER_WORDS)
    first_load = time.perf_counter() - started

    loads = []
    for _ in range(LOAD_RUNS):
        started = time.perf_counter()
        guide = Guide.load(words=ANSWER_WORDS)
        loads.append(time.perf_counter() - started)

    questions = _questions()
    # The first pass meets every misspelling fresh; later passes hit the speller's cache.
    cold_ms = []
    for question in questions:
        started = time.perf_counter()
        guide.answer(question)
        cold_ms.append((time.perf_counter() - started) * 1000)
    latencies_ms = []
    for _ in range(ANSWER_ROUNDS):
        for question in questions:
            started = time.perf_counter()
            guide.answer(question)
            latencies_ms.append((time.perf_counter() - started) * 1000)

    return {
        "first_load_s": first_load,
        "load_median_s": statistics.median(loads),
        "answer_p50_ms": report.percentile(latencies_ms, 0.50),
        "answer_p95_ms": report.percentile(latencies_ms, 0.95),
        "answer_max_ms": max(latencies_ms),
        "cold_answer_p95_ms": report.percentile(cold_ms, 0.95),
        "questions": float(len(questions)),
    }


if __name__ == "__main__":
    figures = run()
    for name, value in figures.items():
        print(f"{name:>18}: {value:.4f}")
    load_ok = figures["load_median_s"] <= LOAD_TARGET_S
    p95_ok = figures["answer_p95_ms"] <= P95_TARGET_MS
    print(
        f"targets: load <= {LOAD_TARGET_S} s {'met' if load_ok else 'MISSED'}, "
        f"p95 <= {P95_TARGET_MS} ms {'met' if p95_ok else 'MISSED'}"
    )
