"""Print every knowledge entry's answer length, longest first: `python -m
tests.guidance.answering.lengths`. No answer may be longer than LONGEST characters."""

from __future__ import annotations

from guidance import Guide
from tests.guidance.answering.quality import LONGEST


def main() -> None:
    guide = Guide.load()
    rows = sorted(
        ((len(guide.entry_text(entry)), entry.id) for entry in guide.knowledge), reverse=True
    )
    for length, entry_id in rows:
        print(f"{length:5} {'OVER ' if length > LONGEST else '     '}{entry_id}")


if __name__ == "__main__":
    main()
