"""Print every knowledge entry's longest answer, longest first: `python -m
tests.guidance.answering.lengths`. No answer may be longer than LONGEST characters."""

from __future__ import annotations

from bot.wording.answers import ANSWER_WORDS
from guidance import Guide
from guidance.knowledge.knowledge_base import Entry, unsaid_name
from tests.guidance.answering.quality import LONGEST


def replies(guide: Guide, entry: Entry) -> list[str]:
    """Every reply an entry gives: as itself, and opening with each thing it says its
    sources don't cover."""
    shown = [unsaid_name(item)[1] for item in entry.uncovered]
    if entry.context:  # it also answers other entries' things, those that need no doctor
        shown += [
            unsaid_name(item)[1]
            for other in guide.knowledge
            if other.category != "doctor"
            for item in other.uncovered
        ]
    return [guide.entry_text(entry), *(guide.entry_text(entry, unsaid=name) for name in shown)]


def main() -> None:
    guide = Guide.load(words=ANSWER_WORDS)
    rows = sorted(
        (
            (max(len(text) for text in replies(guide, entry)), entry.id)
            for entry in guide.knowledge
        ),
        reverse=True,
    )
    for length, entry_id in rows:
        print(f"{length:5} {'OVER ' if length > LONGEST else '     '}{entry_id}")


if __name__ == "__main__":
    main()
