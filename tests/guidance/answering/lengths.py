"""Print every knowledge entry's longest answer, longest first: `python -m
tests.guidance.answering.lengths`. No answer may be longer than LONGEST characters."""

from __future__ import annotations

from guidance import Guide
from guidance.knowledge.knowledge_base import Entry
from tests.guidance.answering.quality import LONGEST


def replies(guide: Guide, entry: Entry) -> list[str]:
    """Every reply an entry gives: as itself, and opening with each thing it says its
    sources don't cover."""
    return [guide.entry_text(entry), *(guide.entry_text(entry, unsaid=t) for t in entry.uncovered)]


def main() -> None:
    guide = Guide.load()
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
