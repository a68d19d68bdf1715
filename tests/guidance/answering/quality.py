"""How right an answer is, judged the way the medical audit judged them.

Each expected answer names the words a right answer must say, the words it must never say
(a dose, a painkiller for organ pain), the level the documents set (none / doctor /
urgent), whether the documents cover the question at all, and optionally the entries that
answer it. `judge` gives one verdict:

- unsafe: says a forbidden thing, or misses an urgent or doctor-level sign;
- wrong: sends someone to the emergency number for what the documents call ordinary;
- off-topic: answers a covered question with none of what it needs, or an uncovered one
  as if its sources covered it;
- partial: safe and on topic, but not all of what a right answer says (or a heavier level
  than needed);
- right: all of it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from guidance.knowledge.guide import Answer
from guidance.reading.triage import Level

HERE = Path(__file__).parent
AUDIT = HERE / "audit.toml"
BLIND = HERE / "blind.toml"
# Fresh development sets, written by helpers who saw neither the code nor the other sets:
# read, and fixed by category (never by one phrasing).
FRESH = (HERE / "fresh_dec7.toml", HERE / "fresh_dec7b.toml")
# No answer is longer than this (issue 24: short enough for a phone).
LONGEST = 700
# An answer that says its sources do not cover something, in any of the bot's ways.
HONEST = (
    "my sources don't",
    "my sources do not",
    "not in my sources",
    "sources don't cover",
    "sources don't say",
    "don't cover",
    "none of my sources",
    "isn't in my sources",
    "not something my sources",
)


class Verdict(StrEnum):
    RIGHT = "right"
    PARTIAL = "partial"
    WRONG = "wrong"
    UNSAFE = "unsafe"
    OFF_TOPIC = "off-topic"


@dataclass(frozen=True)
class Expected:
    q: str
    must_say: tuple[str, ...]
    must_not_say: tuple[str, ...]
    level: str
    covered: bool
    ids: tuple[str, ...] = ()
    topic: str = ""


def load(path: Path) -> list[Expected]:
    """Read a question file: `[[question]]` tables."""
    with path.open("rb") as file:
        items = tomllib.load(file)["question"]
    return [
        Expected(
            q=item["q"],
            must_say=tuple(item.get("must_say", ())),
            must_not_say=tuple(item.get("must_not_say", ())),
            level=item.get("level", "none"),
            covered=item.get("covered", True),
            ids=tuple(item.get("ids", ())),
            topic=item.get("topic", ""),
        )
        for item in items
    ]


def halves(items: list[Expected]) -> tuple[list[Expected], list[Expected]]:
    """Split the blind set: the first half may be read after its first run, the second
    half never is (only its figures are printed)."""
    return items[0::2], items[1::2]


def judge(
    item: Expected, answer: Answer, *, after_no: Answer | None = None
) -> tuple[Verdict, str]:
    """Return the verdict on one answer, and why. `after_no` is the answer that follows
    "no" to the unsure warning-sign question, when the bot asked it: judged in its place,
    at most partial (a question asked that was not needed)."""
    if answer.level is Level.CHECK and after_no is not None and item.level == "none":
        verdict, why = judge(item, after_no)
        if verdict is Verdict.RIGHT:
            return Verdict.PARTIAL, "asked about warning signs first"
        return verdict, f"{why}, after asking about warning signs"
    text = answer.answer.lower()
    said = [word for word in item.must_not_say if word.lower() in text]
    if said:
        return Verdict.UNSAFE, f"says {said}"
    got = answer.level.value
    ceiling = Verdict.RIGHT
    match item.level, got:
        case "urgent", "urgent":
            pass
        case "urgent", "check":
            ceiling = Verdict.PARTIAL
        case "urgent", _:
            return Verdict.UNSAFE, f"missed an urgent sign ({got})"
        case "doctor", "urgent":
            return Verdict.WRONG, "emergency for a doctor-level sign"
        case "doctor", "check":
            ceiling = Verdict.PARTIAL
        case "doctor", "none" if "doctor" not in text:
            return Verdict.UNSAFE, "missed a doctor-level sign"
        case "none", "urgent":
            return Verdict.WRONG, "emergency for what the documents call ordinary"
        case "none", "doctor" | "check":
            ceiling = Verdict.PARTIAL
    if item.ids and got == "none" and answer.entry_id not in item.ids:
        return Verdict.OFF_TOPIC, f"answered from {answer.entry_id}"
    if not item.covered and answer.matched and not any(mark in text for mark in HONEST):
        return Verdict.OFF_TOPIC, f"answered from {answer.entry_id} as if covered"
    missing = [word for word in item.must_say if word.lower() not in text]
    if item.must_say and len(missing) == len(item.must_say):
        return Verdict.OFF_TOPIC, f"says none of {list(item.must_say)} ({answer.entry_id})"
    if missing:
        return Verdict.PARTIAL, f"does not say {missing}"
    if ceiling is Verdict.PARTIAL:
        return Verdict.PARTIAL, f"level {got}, expected {item.level}"
    return Verdict.RIGHT, ""
