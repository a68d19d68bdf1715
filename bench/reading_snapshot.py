"""Everything the reading makes of every development message, kept to prove a speed-up
changes none of it.

    python -m bench.reading_snapshot                 record it at 5872724 (the fixture)
    python -m bench.reading_snapshot --at HEAD       record it at another revision

Every phrasing and typed answer of `tests/guidance/language/dev/*.toml`, every reply of
`tests/guidance/language/replies/dev*.toml` and every case of `tests/jobs/intents/*.toml`
goes through `Reader.read` in each of the situations below (another day, zone and time;
the bot waiting for an answer to its warning-sign question, or not), and every reply also
through `replies.understand` after what was asked. The whole reading is written out: the
level, the signs told, asked about or of others, what made triage unsure, the learned
opinion (to the last bit), the answer to the bot's question, what follows "get help now",
and the intent with its amounts and times.

The revision is checked out in a temporary worktree and read by its own code there, in
another process; this file runs there as a script, so it imports nothing from `bench`.
`tests/unit/guidance/test_reading_snapshot.py` reads the recorded inputs with this tree's
code and compares the two, whole.
"""

from __future__ import annotations

import argparse
import dataclasses
import enum
import gzip
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "unit" / "guidance" / "reading_snapshot.json.gz"
BASE = "5872724"  # main with the fourth round's rules, before its speed-ups

# What the bot knows when the message comes: the bench's morning in Berlin; the intent sets'
# Wednesday morning in London, waiting for an answer to the warning-sign question after
# telling the person to get help; a late evening in New York, before a DST change.
SITUATIONS: dict[str, dict[str, Any]] = {
    "berlin": {"now": "2025-06-02T09:30:00+00:00", "zone": "Europe/Berlin"},
    "london-asked": {
        "now": "2026-12-02T10:20:00+00:00",
        "zone": "Europe/London",
        "asked": "check-signs",
        "told_to_get_help": True,
    },
    "new-york-evening": {
        "now": "2025-11-01T02:50:00+00:00",
        "zone": "America/New_York",
        "glass_ml": 330,
        "asked": "flare-signs",
    },
}


def inputs(root: Path = ROOT) -> list[dict[str, str]]:
    """Return every development message to read: its text, and what was asked (replies)."""
    found: list[dict[str, str]] = []
    language = root / "tests" / "guidance" / "language"
    for path in sorted((language / "dev").glob("*.toml")):
        data = _toml(path)
        found += [{"text": row["text"]} for row in data.get("phrasing", [])]
        found += [{"text": row["text"]} for row in data.get("answer", [])]
    for path in sorted((language / "replies").glob("dev*.toml")):
        found += [{"text": row["says"], "asked": row["asked"]} for row in _toml(path)["reply"]]
    for path in sorted((root / "tests" / "jobs" / "intents").glob("*.toml")):
        found += [{"text": row["text"]} for row in _toml(path)["case"]]
    return found


def _toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        return tomllib.load(file)


def encode(value: Any) -> Any:
    """Write a reading's value as plain JSON: signs by key, sets sorted, times as text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value.hex()  # to the last bit
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, ZoneInfo):
        return value.key
    if hasattr(value, "key") and hasattr(value, "frames"):  # a warning sign
        return value.key
    if isinstance(value, frozenset | set):
        return sorted(map(str, map(encode, value)))
    if isinstance(value, list | tuple):
        return [encode(item) for item in value]
    if dataclasses.is_dataclass(value):
        return {
            field.name: encode(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    raise TypeError(f"cannot write {type(value).__name__}")


def reader() -> Any:
    """Return this tree's reader and its guide (loaded once)."""
    from guidance import Guide

    guide = Guide.load()
    return guide, guide.reader


def situation(name: str) -> Any:
    """Return one of the situations, as this tree's `Situation`."""
    from guidance.reading import Asked, Situation

    given = dict(SITUATIONS[name])
    zone = ZoneInfo(given.pop("zone"))
    now = datetime.fromisoformat(given.pop("now"))
    asked = given.pop("asked", None)
    return Situation(now=now, zone=zone, asked=None if asked is None else Asked(asked), **given)


def describe(items: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Read every message in every situation with this tree's code; return what it read."""
    from guidance.reading.replies import understand

    guide, read = reader()
    (first_name, first), *others = [(name, situation(name)) for name in SITUATIONS]
    described = []
    for item in items:
        text = item["text"]
        reading = read.read(text, first)
        # Triage knows nothing of the sender: the rest is read again in each situation from
        # the same first reading (as `read` itself does: `finish(first(text), situation)`).
        triaged = dataclasses.replace(reading, said=None, after_urgent=None, intent=None)
        readings: dict[str, Any] = {first_name: _written(reading)}
        readings |= {name: _written(read.finish(triaged, known)) for name, known in others}
        if "asked" in item:
            readings["understood"] = understand(item["asked"], text, finding=guide.triage(text))
        described.append(readings)
    return described


def _written(reading: Any) -> dict[str, Any]:
    written: dict[str, Any] = encode(reading)
    del written["text"]  # the input's, written once
    return written


def record(revision: str) -> Path:
    """Read every input at a revision, in its own worktree; write the fixture."""
    items = inputs()
    commit = _git("rev-parse", "--short", revision)
    with tempfile.TemporaryDirectory(prefix="backcare-snapshot-") as folder:
        tree = Path(folder) / "tree"
        _git("worktree", "add", "--detach", str(tree), commit)
        try:
            done = subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), "--describe"],
                cwd=tree,
                env={**os.environ, "PYTHONPATH": str(tree)},
                input=json.dumps(items),
                capture_output=True,
                text=True,
                check=True,
            )
        finally:
            _git("worktree", "remove", "--force", str(tree))
    described = json.loads(done.stdout)
    data = {"revision": commit, "situations": SITUATIONS, "inputs": items, "read": described}
    with gzip.open(FIXTURE, "wt", encoding="utf-8") as file:
        json.dump(data, file, ensure_ascii=False, sort_keys=True)
    return FIXTURE


def load() -> dict[str, Any]:
    """Return the recorded fixture."""
    with gzip.open(FIXTURE, "rt", encoding="utf-8") as file:
        loaded: dict[str, Any] = json.load(file)
    return loaded


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


def main() -> None:
    """Record the fixture at a revision, or (inside a worktree) describe stdin's inputs."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--at", default=BASE, help=f"the revision to record (default {BASE})")
    parser.add_argument("--describe", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.describe:
        print(json.dumps(describe(json.load(sys.stdin))))
        return
    path = record(arguments.at)
    print(f"{path.relative_to(ROOT)}: {len(load()['inputs'])} messages at {arguments.at}")


if __name__ == "__main__":
    main()
