"""Figures of the reply reader on the replies-in-context sets.

    python -m tests.guidance.language.replies.evaluate            dev and held-out figures
    python -m tests.guidance.language.replies.evaluate --misses   and the dev sets' misses

    python -m tests.guidance.language.replies.evaluate --only dev_dec8   one file (dev_dec8.toml)

Every `dev*.toml` is a dev set and every `holdout*.toml` a held-out set, each with its own
figures: `dev.toml` (the first 200), `dev_dec7b.toml` (220, 2026-12-07) and `dev_dec8.toml`
(180, 2026-12-08), `holdout.toml` (110) and `holdout_b.toml` (130, 2026-12-08); every set but
the first was written by a writer who had not seen the reader.

A held-out set's texts are never printed: only its figures, and its misses counted by what
was asked and what was meant.
"""

from __future__ import annotations

import argparse
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.wording.answers import ANSWER_WORDS

HERE = Path(__file__).parent
DEV = HERE / "dev.toml"
DEV_SETS = tuple(sorted(HERE.glob("dev*.toml")))
HOLDOUT = HERE / "holdout.toml"
HOLDOUT_SETS = tuple(sorted(HERE.glob("holdout*.toml")))
# Replies this short must never get the stock decline ("other" where an answer was meant).
SHORT_WORDS = 3


@dataclass(frozen=True)
class Reply:
    asked: str
    says: str
    means: str


def load(path: Path) -> list[Reply]:
    with path.open("rb") as file:
        return [
            Reply(item["asked"], item["says"], item["means"])
            for item in tomllib.load(file)["reply"]
        ]


def read_all(replies: list[Reply]) -> list[str]:
    from guidance import Guide
    from guidance.reading.replies import understand

    guide = Guide.load(words=ANSWER_WORDS)
    return [
        understand(reply.asked, reply.says, finding=guide.triage(reply.says)) for reply in replies
    ]


# To the warning-sign question, "yes" and a sign described act alike: urgent advice first.
_SAME = {("signs", "yes", "warning"), ("signs", "warning", "yes")}


def same(reply: Reply, got: str) -> bool:
    """Tell whether a reading is what the reply meant (or acts exactly as it does)."""
    return got == reply.means or (reply.asked, reply.means, got) in _SAME


def figures(replies: list[Reply], got: list[str]) -> tuple[int, int, int, list[str], Counter[str]]:
    right = sum(same(r, g) for g, r in zip(got, replies, strict=True))
    warnings = [(g, r) for g, r in zip(got, replies, strict=True) if r.means == "warning"]
    missed_warnings = sum(not same(r, g) for g, r in warnings)
    short_declines = sum(
        g == "other" and r.means != "other" and len(r.says.split()) <= SHORT_WORDS
        for g, r in zip(got, replies, strict=True)
    )
    misses = [
        f"{r.asked:14} {r.says!r}: got {g}, meant {r.means}"
        for g, r in zip(got, replies, strict=True)
        if not same(r, g)
    ]
    by_kind = Counter(
        f"{r.asked}/{r.means.split(':')[0]}->{g.split(':')[0]}"
        for g, r in zip(got, replies, strict=True)
        if not same(r, g)
    )
    return right, missed_warnings, short_declines, misses, by_kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--only", help="one set, by its file's name without .toml")
    args = parser.parse_args()
    sets = [(path, True) for path in DEV_SETS] + [(path, False) for path in HOLDOUT_SETS]
    for path, readable in sets:
        if args.only and path.stem != args.only:
            continue
        name = path.stem if readable else f"{path.stem} (held out)"
        replies = load(path)
        got = read_all(replies)
        right, missed, short, misses, by_kind = figures(replies, got)
        warnings = sum(r.means == "warning" for r in replies)
        print(
            f"{name:22} {len(replies)} replies: read as meant {right} "
            f"({right / len(replies):.1%}); "
            f"warnings missed {missed} of {warnings}; short replies declined {short}"
        )
        if args.misses:
            if readable:
                print("\n".join(f"  {miss}" for miss in misses))
            print("  by kind: " + ", ".join(f"{k} {v}" for k, v in by_kind.most_common()))


if __name__ == "__main__":
    main()
