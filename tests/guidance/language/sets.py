"""The real-language sets: loading them, and the figures triage earns on them."""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from guidance.reading.triage import Finding, Level

HERE = Path(__file__).parent
DEV = HERE / "dev"
HOLDOUT = HERE / "holdout"
# The held-out sets by when they were written: each is measured on its own, so a new one's
# first-sight figures stay visible beside the older ones that earlier rounds were judged on.
HELD_OUT = {
    "held-out a+b": ("set_a", "set_b", "answers_a"),
    "held-out c (2026-12-08)": ("set_c", "answers_c"),
}


@dataclass(frozen=True, slots=True)
class Phrasing:
    """One labelled message."""

    text: str
    level: str  # urgent, doctor or none
    sign: str
    context: str
    source: str  # the file it comes from


def phrasings(folder: Path, *, only: Iterable[str] = ()) -> list[Phrasing]:
    """Load every phrasing of a folder's sets (or of the named files only)."""
    names = set(only)
    loaded: list[Phrasing] = []
    for path in sorted(folder.glob("*.toml")):
        if names and path.stem not in names:
            continue
        with path.open("rb") as file:
            rows = tomllib.load(file).get("phrasing", [])
        loaded.extend(
            Phrasing(row["text"], row["level"], row["sign"], row.get("context", ""), path.stem)
            for row in rows
        )
    return loaded


def answers(folder: Path, *, only: Iterable[str] = ()) -> list[dict[str, str]]:
    """Load every typed answer of a folder's answer sets (or of the named files only)."""
    names = set(only)
    loaded: list[dict[str, str]] = []
    for path in sorted(folder.glob("answers*.toml")):
        if names and path.stem not in names:
            continue
        with path.open("rb") as file:
            loaded.extend(tomllib.load(file).get("answer", []))
    return loaded


@dataclass
class Figures:
    """What triage made of a set, by the issue's measures."""

    urgent: int = 0
    urgent_outright: int = 0
    urgent_or_check: int = 0
    doctor: int = 0
    doctor_caught: int = 0  # read as doctor or urgent
    doctor_or_check: int = 0
    calm: int = 0
    false_alarms: int = 0  # calm read as doctor or urgent
    checks: int = 0  # calm read as check
    misses: list[tuple[Phrasing, str]] = field(default_factory=list)

    def add(self, item: Phrasing, level: str) -> None:
        """Count one phrasing and the level triage gave it."""
        missed = False
        if item.level == "urgent":
            self.urgent += 1
            self.urgent_outright += level == "urgent"
            self.urgent_or_check += level in ("urgent", "check", "doctor+check")
            missed = level != "urgent"
        elif item.level == "doctor":
            self.doctor += 1
            self.doctor_caught += level in ("doctor", "urgent", "doctor+check")
            self.doctor_or_check += level in ("doctor", "urgent", "check", "doctor+check")
            missed = level not in ("doctor", "urgent", "doctor+check")
        else:
            self.calm += 1
            self.false_alarms += level in ("doctor", "urgent", "doctor+check")
            self.checks += level == "check"
            missed = level != "none"
        if missed:
            self.misses.append((item, level))

    def lines(self) -> list[str]:
        """Say the figures, one measure a line."""

        def share(part: int, whole: int) -> str:
            return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "0/0"

        return [
            f"urgent read urgent:           {share(self.urgent_outright, self.urgent)}",
            f"urgent read urgent or check:  {share(self.urgent_or_check, self.urgent)}",
            f"doctor read doctor or urgent: {share(self.doctor_caught, self.doctor)}",
            f"doctor read doctor/urgent/check: {share(self.doctor_or_check, self.doctor)}",
            f"calm read doctor or urgent:   {share(self.false_alarms, self.calm)}",
            f"calm read check:              {share(self.checks, self.calm)}",
        ]


def level_name(finding: Finding) -> str:
    """Name what the bot does with a finding: a level, or "doctor+check" for a doctor's
    answer that also asks the warning-sign question."""
    if finding.level is Level.DOCTOR and finding.asks:
        return "doctor+check"
    return finding.level.value


def measure(items: Sequence[Phrasing], level_of: Callable[[str], str]) -> Figures:
    """Read every phrasing and count what came out."""
    figures = Figures()
    for item in items:
        figures.add(item, level_of(item.text))
    return figures


def by_sign(figures: Figures) -> Counter[str]:
    """Count the misses by the sign (or calm context) they were labelled with."""
    return Counter(
        f"{item.level}/{item.sign if item.level != 'none' else item.context}"
        for item, _ in figures.misses
    )


def read_answers(
    rows: Sequence[dict[str, str]], level_of: Callable[[str], str]
) -> tuple[int, int, int, list[tuple[str, str, str]]]:
    """Read typed answers as the bot does: how many are read right, how many yeses read as
    no, the misses.

    The bot reads warning signs first (guidance.reading.Reader): an answer that tells an
    urgent sign ("nah, just my foot keeps catching") gets the urgent answer, as a yes does;
    one that tells a see-a-doctor sign gets that answer ("doctor"), unless it says yes ("yes,
    the tingling"): then it acts as the Yes button (bot/commands.py). Only what tells no sign
    is read as a yes, no or "not sure". `level_of` is triage's level for a text.
    """
    from guidance.reading import Said
    from guidance.reading.answers import after_urgent, said, with_emoji_as_words
    from guidance.reading.triage.words import tokens

    right = unsafe = 0
    missed = []
    for row in rows:
        words = tokens(with_emoji_as_words(row["text"]))
        if row["to"] == "warning_question":
            level = level_of(row["text"])
            found = said(words)
            if level == "urgent":
                got = "yes"
            elif level.startswith("doctor"):  # a yes naming it acts as the Yes button
                got = "yes" if found is Said.YES else "doctor"
            else:
                got = found.value if found else "none"
        else:
            found_after = after_urgent(words)
            got = found_after.value if found_after else "other"
        if got == row["means"]:
            right += 1
        else:
            missed.append((row["text"], row["means"], got))
        unsafe += row["means"] == "yes" and got in ("no", "none")
    return right, len(rows), unsafe, missed
