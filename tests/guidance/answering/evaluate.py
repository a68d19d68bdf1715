"""Figures of the answers on the audit's questions, the blind set and the fresh sets.

    python -m tests.guidance.answering.evaluate            figures
    python -m tests.guidance.answering.evaluate --misses   and the misses that may be read

Answers come the way `backcare ask` gives them (each message read once, then answered).
The blind set's second half is never printed: only its figures.
"""

from __future__ import annotations

import argparse
from collections import Counter
from datetime import UTC, datetime

from bot.wording.answers import ANSWER_WORDS
from guidance import Guide
from guidance.knowledge.guide import Answer
from guidance.reading import Situation
from guidance.reading.triage import CALM, Level
from tests.guidance.answering.quality import (
    AUDIT,
    BLIND,
    FRESH,
    LONGEST,
    Expected,
    Verdict,
    halves,
    judge,
    load,
)


def ask(guide: Guide, question: str) -> tuple[Answer, Answer | None]:
    """Answer as `backcare ask` does; when that is the unsure warning-sign question, also
    the answer the bot gives after "no"."""
    reading = guide.reader.read(question, Situation(now=datetime.now(UTC)))
    answer = guide.answer(question, finding=reading.finding)
    after_no = guide.answer(question, finding=CALM) if answer.level is Level.CHECK else None
    return answer, after_no


def figures(guide: Guide, items: list[Expected]) -> tuple[Counter[Verdict], int, list[str]]:
    """Count the verdicts and the answers over the length limit; list the misses, and
    count them by topic and verdict (all that is printed of the held-out half)."""
    counts: Counter[Verdict] = Counter()
    long = 0
    misses = []
    by_topic: Counter[str] = Counter()
    for item in items:
        answer, after_no = ask(guide, item.q)
        verdict, why = judge(item, answer, after_no=after_no)
        counts[verdict] += 1
        long += max(len(answer.answer), len(after_no.answer) if after_no else 0) > LONGEST
        if verdict is not Verdict.RIGHT:
            misses.append(f"{verdict:9} {item.q!r}: {why}")
            declined = answer.entry_id is None and after_no is None
            kind = "declined" if declined else why.split(" (")[0]
            kind = "as if covered" if "as if covered" in why else kind
            kind = "says none" if kind.startswith("says none") else kind
            by_topic[f"{item.topic or '-'}/{verdict}/{kind[:30]}"] += 1
    summary = ", ".join(f"{key} {count}" for key, count in by_topic.most_common())
    return counts, long, [*misses, f"by topic: {summary}"]


def line(name: str, counts: Counter[Verdict], long: int, total: int) -> str:
    parts = ", ".join(f"{verdict} {counts[verdict]}" for verdict in Verdict)
    return f"{name:18} {total:4} questions: {parts}; over {LONGEST} chars {long}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="print the readable misses")
    parser.add_argument("--dev", action="store_true", help="leave the held-out half out")
    args = parser.parse_args()
    guide = Guide.load(words=ANSWER_WORDS)
    seen, held_out = halves(load(BLIND))
    for name, items, readable in (
        ("audit", load(AUDIT) if AUDIT.exists() else [], True),
        ("blind, read", seen, True),
        ("blind, held out", [] if args.dev else held_out, False),
        *((path.stem, load(path), True) for path in FRESH if path.exists()),
    ):
        counts, long, misses = figures(guide, items)
        print(line(name, counts, long, len(items)))
        if args.misses:
            shown = misses if readable else misses[-1:]
            print("\n".join(f"  {miss}" for miss in shown))


if __name__ == "__main__":
    main()
