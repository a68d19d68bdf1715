"""dateparser reads nothing of a phrase with a word its English cannot know: checked on the
40,000 commonest English words and on every word of the development sets.

    python -m bench.date_words            every word (a few minutes)

`guidance.reading.when` asks dateparser about a phrase only when every plain word of it is
one of dateparser's own (`when._date_words`): each word left out is put here alone and in
dates dateparser does read ("friday", "14 dec", "in 3 …", "… at noon"), and dateparser must
read none of them. `tests/unit/guidance/test_when_prefilter.py` checks a sample of them.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from guidance.reading import when

ROOT = Path(__file__).resolve().parents[1]
WORDS = ROOT / "guidance" / "reading" / "english_words.txt"
# Dates dateparser reads, with the word put in at `{}`: at the start, the middle, the end.
CONTEXTS = (
    "{}",
    "friday {}",
    "{} friday",
    "14 dec {}",
    "next {}",
    "{} 3pm",
    "in 3 {}",
    "3 {} ago",
    "{} at noon",
    "tomorrow {}",
    "a {}",
    "the {} of may",
)
BASE = datetime(2025, 6, 2, 9, 30)  # noqa: DTZ001 - dateparser's naive local base


def english_words() -> list[str]:
    """Return the commonest English words (guidance/reading/english_words.txt)."""
    lines = WORDS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def set_words() -> list[str]:
    """Return every lower-case word of the development sets' messages."""
    from bench.reading_snapshot import inputs

    return sorted({w for item in inputs() for w in re.findall(r"[a-z]+", item["text"].lower())})


def left_out(words: Iterable[str]) -> list[str]:
    """Return the words that make `when` leave a phrase unasked."""
    return sorted({word for word in words if not when._may_be_a_date(word)})


def read_anyway(words: Iterable[str]) -> list[tuple[str, datetime]]:
    """Return each phrase with a left-out word that dateparser reads all the same."""
    read = []
    for word in words:
        for context in CONTEXTS:
            phrase = context.format(word)
            assert not when._may_be_a_date(phrase)
            parsed = when._parse(phrase, BASE)
            if parsed is not None:
                read.append((phrase, parsed))
    return read


def main() -> None:
    """Check every word; print what dateparser read that `when` would not have asked."""
    started = time.perf_counter()
    words = left_out([*english_words(), *set_words()])
    wrong = read_anyway(words)
    print(
        f"{len(words):,} words left out, each in {len(CONTEXTS)} dates: "
        f"{len(wrong)} read by dateparser ({time.perf_counter() - started:.0f} s)"
    )
    for phrase, parsed in wrong:
        print(f"  {phrase!r}: {parsed}")
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
