"""Reading a message (triage first): its latency, and what it costs the bot process.

Latency: every phrasing of the real-language sets (tests/guidance/language) through the one
reading of a message, `guidance.reading.Reader.read` (triage, the learned second opinion,
typed answers, intents), the first pass cold (each typo met fresh), then warm. Cost: the
real bot process started from this
tree and from a base revision (`BENCH_BASE`, the previous commit by default), one after the
other in the same run, on the same 10k-person SQLite database: time to polling and to the
first nudge, and resident memory.
"""

from __future__ import annotations

import tempfile
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bench import population, report
from bench.process_bench import DUE, ROOT, Run
from bench.side_by_side import base_worktree, head_revision, start_from
from bot.wording.answers import ANSWER_WORDS
from guidance import Guide
from guidance.reading import Situation

SETS = ROOT / "tests" / "guidance" / "language"
ROUNDS = 5
USERS = 10_000
P95_TARGET_MS = 2.0
NOW = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)


def _phrasings() -> list[str]:
    texts: list[str] = []
    for path in sorted(SETS.glob("*/*.toml")):
        with path.open("rb") as file:
            data = tomllib.load(file)
        texts += [item["text"] for item in data.get("phrasing", []) + data.get("answer", [])]
    return texts


# A chat message is short: most people type a line or two; the sets hold long stories too.
SHORT_WORDS = 40


def _latencies(*, longest: int | None = None) -> tuple[list[float], list[float]]:
    reader = Guide.load(words=ANSWER_WORDS).reader
    texts = [text for text in _phrasings() if longest is None or len(text.split()) <= longest]
    situation = Situation(now=NOW, zone=ZoneInfo("Europe/Berlin"))
    cold, warm = [], []
    for text in texts:
        started = time.perf_counter()
        reader.read(text, situation)
        cold.append((time.perf_counter() - started) * 1000)
    for _ in range(ROUNDS):
        for text in texts:
            started = time.perf_counter()
            reader.read(text, situation)
            warm.append((time.perf_counter() - started) * 1000)
    return cold, warm


def _process(source: Path, folder: Path, *, revision: str | None = None) -> Run:
    return start_from(source, "sqlite", USERS, folder, revision=revision)


def run() -> dict[str, float]:
    """Measure triage latency, and the bot's start-up and memory here and at the base."""
    cold, warm = _latencies()
    _, short = _latencies(longest=SHORT_WORDS)
    figures = {
        "reading_short_p95_ms": report.percentile(short, 0.95),
        "reading_p50_ms": report.percentile(warm, 0.50),
        "reading_p95_ms": report.percentile(warm, 0.95),
        "reading_max_ms": max(warm),
        "reading_cold_p95_ms": report.percentile(cold, 0.95),
        "phrasings": float(len(cold)),
    }
    report.record("reading.p95_ms", figures["reading_p95_ms"])
    with (
        tempfile.TemporaryDirectory(prefix="backcare-triage-") as folder,
        base_worktree() as (base_commit, checkout),
    ):
        runs = {
            "this tree": _process(ROOT, Path(folder)),
            f"base {base_commit}": _process(
                checkout, Path(folder), revision=head_revision(base_commit)
            ),
        }
    rows = []
    for label, found in runs.items():
        key = "now" if label == "this tree" else "base"
        figures[f"{key}_to_first_send_s"] = found.to_first_send_s
        figures[f"{key}_rss_after_mb"] = found.rss_after_mb
        rows.append(
            [
                label,
                f"{found.to_poll_s:.2f}",
                f"{found.to_first_send_s:.2f}",
                f"{found.rss_up_mb:.0f}",
                f"{found.rss_after_mb:.0f}",
                f"{found.peak_mb:.0f}",
            ]
        )
    print(
        f"\n  reading of {len(cold)} messages: p50 {figures['reading_p50_ms']:.2f} ms, "
        f"p95 {figures['reading_p95_ms']:.2f} ms (target <= {P95_TARGET_MS} ms), "
        f"cold p95 {figures['reading_cold_p95_ms']:.2f} ms; messages of at most {SHORT_WORDS} "
        f"words: p95 {figures['reading_short_p95_ms']:.2f} ms"
    )
    print(f"  the real bot, SQLite, {USERS:,} people, {DUE:,} due, side by side:")
    print(
        report.table(
            ["  code", "to polling s", "to 1st nudge s", "RSS up MB", "RSS after MB", "peak MB"],
            rows,
        )
    )
    return figures


if __name__ == "__main__":
    try:
        for name, value in run().items():
            print(f"{name:>28}: {value:.4f}")
    finally:
        population.cleanup()
