"""Plain-word intents: how long reading a message takes, and what it adds to an answer.

Every phrasing of the intent sets (`tests/jobs/intents/*.toml`) through `intents.read`, the
first pass cold (dateparser imported and its English data loaded on first use), then warm.
The answer path of a typed question, side by side in one run: triage then the guide's
answer (as before intents), and triage, intents, then the answer (as now), over the
guidance question set.
"""

from __future__ import annotations

import resource
import time
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bench import report
from bench.process_bench import ROOT
from bot.wording.answers import ANSWER_WORDS
from guidance import Guide
from guidance.reading import when
from guidance.reading.intents import reader

SETS = sorted((ROOT / "tests" / "jobs" / "intents").glob("*.toml"))
QUESTIONS = ROOT / "tests" / "guidance" / "questions.toml"
ROUNDS = 5
P95_TARGET_MS = 5.0
NOW = datetime(2026, 12, 2, 10, 20, tzinfo=UTC)
ZONE = ZoneInfo("Europe/London")


def _texts() -> list[str]:
    texts: list[str] = []
    for path in SETS:
        with path.open("rb") as file:
            texts += [case["text"] for case in tomllib.load(file)["case"]]
    return texts


def _questions() -> list[str]:
    with QUESTIONS.open("rb") as file:
        loaded = tomllib.load(file)
    return [item["q"] for key in ("in_scope", "out_of_scope") for item in loaded[key]]


def _timed(texts: list[str], one: Callable[[str], object], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            one(text)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run() -> dict[str, float]:
    """Time intent reading and the answer path with and without it."""
    guide = Guide.load(words=ANSWER_WORDS)
    texts = _texts()
    before = _rss_mb()
    started = time.perf_counter()
    when.warm()
    warm_s = time.perf_counter() - started
    loaded_mb = _rss_mb() - before

    def read(text: str) -> object:
        return reader.read(text, now=NOW, zone=ZONE)

    cold = _timed(texts, read, 1)
    warm = _timed(texts, read, ROUNDS)
    questions = _questions()

    def answer_before(text: str) -> object:
        guide.triage(text)
        return guide.answer(text)

    def answer_now(text: str) -> object:
        guide.triage(text)
        read(text)
        return guide.answer(text)

    _timed(questions, answer_before, 1)  # the guide's own caches, warmed for both
    paths: dict[str, list[float]] = {"before": [], "now": []}
    for _ in range(ROUNDS):  # interleaved, so both see the same machine
        paths["before"] += _timed(questions, answer_before, 1)
        paths["now"] += _timed(questions, answer_now, 1)
    figures = {
        "dateparser_load_s": warm_s,
        "dateparser_rss_mb": loaded_mb,
        "read_p50_ms": report.percentile(warm, 0.5),
        "read_p95_ms": report.percentile(warm, 0.95),
        "read_cold_p95_ms": report.percentile(cold, 0.95),
        "answer_p95_ms_before": report.percentile(paths["before"], 0.95),
        "answer_p95_ms_now": report.percentile(paths["now"], 0.95),
    }
    print(
        f"  intents: {len(texts)} phrasings, read p50 {figures['read_p50_ms']:.2f} ms, "
        f"p95 {figures['read_p95_ms']:.2f} ms (target {P95_TARGET_MS:.0f} ms; first pass p95 "
        f"{figures['read_cold_p95_ms']:.2f} ms)"
    )
    print(
        f"  dateparser: loaded in {warm_s:.2f} s on first use (+{loaded_mb:.0f} MB peak RSS); "
        "imported lazily, warmed off the event loop after start-up"
    )
    print(
        f"  a typed question, {len(questions)} of them: answer p95 "
        f"{figures['answer_p95_ms_before']:.2f} ms without intents, "
        f"{figures['answer_p95_ms_now']:.2f} ms with (same run, interleaved)"
    )
    for name, value in figures.items():
        report.record(f"intents.{name}", value)
    return figures
