"""Write `real_words.txt`: common English words triage must never "correct".

Triage corrects typos into body parts and symptoms ("leggs" → "legs"). A real word one or
two letters from one ("ladder", "kneeling", "horse", "felt") must stay as typed, or a
ladder becomes a bladder. This lists the common words (wordfreq's 80,000 most frequent
English words) that the corrector would otherwise change, leaving out mere variants of
the same word ("feelings", "comin"). Run it by hand after changing the triage words:

    pip install wordfreq && python -m guidance.reading.triage.real_words
"""

from __future__ import annotations

from pathlib import Path

OUTPUT = Path(__file__).parent / "real_words.txt"
HEADER = (
    "# Common English words one or two typos from a triage word, never corrected into it.\n"
    "# Made by `python -m guidance.reading.triage.real_words` from wordfreq's 80,000 most\n"
    "# frequent words.\n"
)


def _variant(word: str, corrected: str) -> bool:
    """Tell whether a word is only another form of its correction ("injuries", "fallin")."""
    shared = 0
    for a, b in zip(word, corrected, strict=False):
        if a != b:
            break
        shared += 1
    shorter = min(len(word), len(corrected))
    return (shorter >= 6 and shared >= shorter - 2) or word + "g" == corrected


def main() -> None:
    """Write the list of real words the triage corrector would change."""
    from wordfreq import top_n_list  # a tool's dependency, not the bot's

    from guidance.reading.triage.words import Corrector

    triage = Corrector(protect=False)
    words = [word for word in top_n_list("en", 80_000) if word.isascii() and word.isalpha()]
    protected = sorted(
        word
        for word in words
        if (corrected := triage.correct(word)) != word and not _variant(word, corrected)
    )
    OUTPUT.write_text(HEADER + "\n".join(protected) + "\n", encoding="utf-8")
    print(f"{len(protected)} words written to {OUTPUT}")  # noqa: T201


if __name__ == "__main__":
    main()
