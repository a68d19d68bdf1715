"""Figures of triage on the real-language sets: `python -m tests.guidance.language.evaluate`.

    python -m tests.guidance.language.evaluate            dev and held-out figures
    python -m tests.guidance.language.evaluate --misses   and the dev set's misses
    python -m tests.guidance.language.evaluate --only fresh_dec7b --dev-only   one dev file

The held-out set's texts are never printed: only its figures, and its misses counted by sign.
`--rules-only` leaves the learned second opinion out; `--old REV` measures the triage of an
earlier commit (its `guidance/triage.py`) from a temporary worktree.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bot.wording.answers import ANSWER_WORDS
from tests.guidance.language.sets import (
    DEV,
    HELD_OUT,
    HOLDOUT,
    answers,
    by_sign,
    level_name,
    measure,
    phrasings,
    read_answers,
)

ROOT = Path(__file__).parents[3]


def _current(rules_only: bool) -> Callable[[str], str]:
    from guidance import Guide

    guide = Guide.load(words=ANSWER_WORDS)
    return lambda text: level_name(guide.triage(text, rules_only=rules_only))


def _old(revision: str) -> Callable[[str], str]:
    """Read with the triage of an earlier commit, checked out beside this one."""
    folder = Path(tempfile.mkdtemp(prefix="triage-old-"))
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), revision],
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(folder))
    for name in [name for name in sys.modules if name.startswith("guidance")]:
        del sys.modules[name]
    from guidance import Guide

    guide = Guide.load(words=ANSWER_WORDS)
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)],
        check=True,
        capture_output=True,
    )
    return lambda text: str(guide.triage(text).level.value)


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the dev set's misses")
    parser.add_argument("--rules-only", action="store_true", help="without the learned model")
    parser.add_argument("--old", metavar="REV", help="measure the triage of an earlier commit")
    parser.add_argument("--dev-only", action="store_true", help="leave the held-out set out")
    parser.add_argument(
        "--only", action="append", default=[], metavar="NAME", help="only these dev files"
    )
    args = parser.parse_args()
    level_of = _old(args.old) if args.old else _current(args.rules_only)
    sets = [("dev", DEV, tuple(args.only))]
    if not args.dev_only:
        sets += [(name, HOLDOUT, files) for name, files in HELD_OUT.items()]
    for name, folder, only in sets:
        items = phrasings(folder, only=only)
        figures = measure(items, level_of)
        print(f"\n== {name}: {len(items)} phrasings")
        for line in figures.lines():
            print("  " + line)
        print(
            "  misses by label: "
            + ", ".join(f"{k} {v}" for k, v in by_sign(figures).most_common())
        )
        rows = answers(folder, only=only)
        right, total, unsafe, missed = read_answers(rows, level_of)
        print(f"  typed answers read right: {right}/{total}; a yes read as no: {unsafe}")
        if args.misses and name == "dev":
            for text, expected, got in missed:
                print(f"  [answer {expected} -> {got}] {text}")
            for item, level in figures.misses:
                label = f"{item.level}/{item.sign}/{item.context} -> {level}"
                print(f"  [{label}] ({item.source}) {item.text}")


if __name__ == "__main__":
    main()
