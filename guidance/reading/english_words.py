"""Write `guidance/reading/english_words.txt`: the English words a chat message is likely to use.

BackCare speaks English for now. A message that matches nothing it understands and is made
mostly of words outside this list ("ho bevuto un bicchiere d'acqua", "dzięki, zrobione") gets
a short note saying so, instead of the "I only know back care" answer. The list is wordfreq's
40,000 most frequent English words, letters and apostrophes only. Run it by hand to refresh:

    pip install wordfreq && python -m guidance.reading.english_words
"""

from __future__ import annotations

import re
from pathlib import Path

OUTPUT = Path(__file__).parent / "english_words.txt"
SIZE = 40_000
HEADER = (
    "# The most frequent English words, for telling a message in another language.\n"
    "# Made by `python -m guidance.reading.english_words`"
    f" from wordfreq's {SIZE:,} most frequent.\n"
)
_WORD = re.compile(r"[a-z][a-z']*")


def main() -> None:
    """Write the list."""
    from wordfreq import top_n_list  # a tool's dependency, not the bot's

    words = sorted({word for word in top_n_list("en", SIZE) if _WORD.fullmatch(word)})
    OUTPUT.write_text(HEADER + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words in {OUTPUT}")  # noqa: T201 - a tool's report


if __name__ == "__main__":
    main()
