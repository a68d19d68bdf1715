"""The warning signs of signs.toml, and how a message shows each one (its frames)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from guidance.reading.triage.concepts import Span
from guidance.reading.triage.scope import Context, same_clause

SIGNS = Path(__file__).parent / "signs.toml"
SOURCES = Path(__file__).parents[2] / "knowledge" / "sources.toml"


class Level(StrEnum):
    """How soon someone needs a doctor, or whether to ask first."""

    NONE = "none"
    CHECK = "check"  # not sure: ask the warning-sign question rather than guess
    DOCTOR = "doctor"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        """Order the levels: none < check < doctor < urgent."""
        return _RANK[self]


_RANK = {Level.NONE: 0, Level.CHECK: 1, Level.DOCTOR: 2, Level.URGENT: 3}


class When(StrEnum):
    """How soon a sign needs a doctor."""

    NOW = "now"
    TODAY = "today"
    SOON = "soon"


@dataclass(frozen=True, slots=True)
class Frame:
    """Concepts that together show a sign: all of them in one clause, or any one alone."""

    concepts: tuple[str, ...]
    together: bool
    within: int = 0
    firm: bool = False  # told even with a harmless cause named ("can't feel myself wiping")
    anywhere: bool = False  # its concepts may meet anywhere in the message ("36 weeks. It
    # comes and goes"): for a state said once, such as a pregnancy

    def targets(self, tokens: Sequence[str], found: Mapping[str, Sequence[Span]]) -> list[Span]:
        """Return the spans where this frame occurs (its first concept's span in each)."""
        return [head for head, _ in self.meetings(tokens, found)]

    def meetings(
        self, tokens: Sequence[str], found: Mapping[str, Sequence[Span]]
    ) -> list[tuple[Span, list[Span]]]:
        """Return each place the frame occurs: its first concept's span, and the spans of
        the concept it meets there (none for a concept alone)."""
        if not self.together:
            return [(span, []) for concept in self.concepts for span in found.get(concept, ())]
        head, other = self.concepts[0], self.concepts[-1]
        meetings: list[tuple[Span, list[Span]]] = []
        for span in found.get(head, ()):
            partners = self._near(tokens, span, found.get(other, ()))
            if partners:
                meetings.append((span, partners))
        return meetings

    def _near(self, tokens: Sequence[str], span: Span, others: Sequence[Span]) -> list[Span]:
        return [
            other
            for other in others
            if other != span
            and (
                self.anywhere
                or (
                    max(other[0] - span[1], span[0] - other[1], 0) <= self.within
                    and same_clause(tokens, span, other)
                )
            )
        ]


@dataclass(frozen=True, slots=True)
class Sign:
    """A warning sign, the documents that give it, and how a message shows it.

    `sources` names the documents' files; an empty tuple marks a caution of BackCare's
    own, which the answers label as such. `own` says what BackCare adds to the documents.
    """

    key: str
    level: Level
    when: When
    label: str
    sources: tuple[str, ...]
    own: str
    disagreement: str
    frames: tuple[Frame, ...]
    contexts: frozenset[Context]
    yields_to: frozenset[str]
    requires: str | None
    examples: tuple[str, ...]
    # A harmless cause named anywhere in the message ("…I'd been kneeling on it") makes
    # triage ask about this sign rather than tell of it.
    asks_if_explained: frozenset[Context] = frozenset()
    # The knowledge entry whose one-line summary goes under "see a doctor" when the question
    # itself asks for nothing the entries answer ("absolute agony, what do I do?": first aid).
    meanwhile: str = ""

    @property
    def own_caution(self) -> bool:
        """Tell whether this sign is BackCare's own addition, not the documents'."""
        return not self.sources


@dataclass(frozen=True, slots=True)
class SignTable:
    """Every sign, and the frames that make triage ask rather than tell."""

    signs: tuple[Sign, ...]
    check: tuple[Frame, ...]

    def __getitem__(self, key: str) -> Sign:
        """Return a sign by its key."""
        return next(sign for sign in self.signs if sign.key == key)


def _frame(data: Mapping[str, Any]) -> Frame:
    firm = bool(data.get("firm", False))
    if "all" in data:
        anywhere = bool(data.get("anywhere", False))
        within = int(data.get("within", 0)) if anywhere else int(data["within"])
        return Frame(tuple(data["all"]), True, within, firm=firm, anywhere=anywhere)
    return Frame(tuple(data["any"]), together=False, firm=firm)


def _files(prefixes: Sequence[str], names: Sequence[str]) -> tuple[str, ...]:
    """Name documents by their files, from the first three characters of each name."""
    files = []
    for prefix in prefixes:
        matches = [name for name in names if name.startswith(f"{prefix}_")]
        if len(matches) != 1:
            raise ValueError(f"signs.toml: no single document starts with {prefix!r}")
        files.append(matches[0])
    return tuple(files)


@cache
def table(path: Path = SIGNS) -> SignTable:
    """Load the signs table."""
    with path.open("rb") as file:
        data = tomllib.load(file)
    with SOURCES.open("rb") as file:
        documents = sorted(tomllib.load(file))
    signs = []
    for row in data["sign"]:
        level = Level(row["level"])
        signs.append(
            Sign(
                key=row["key"],
                level=level,
                when=When(row.get("when", "now" if level is Level.URGENT else "soon")),
                label=row["label"],
                sources=_files(row["documents"], documents),
                own=row["own"],
                disagreement=row.get("disagreement", ""),
                # Firm frames first: once one is told, no harmless cause is weighed.
                frames=tuple(
                    sorted((_frame(frame) for frame in row["frames"]), key=lambda f: not f.firm)
                ),
                contexts=frozenset(Context(name) for name in row["contexts"]),
                yields_to=frozenset(row.get("yields_to", ())),
                requires=row.get("requires"),
                examples=tuple(row["examples"]),
                asks_if_explained=frozenset(
                    Context(name) for name in row.get("asks_if_explained", ())
                ),
                meanwhile=row.get("meanwhile", ""),
            )
        )
    return SignTable(tuple(signs), tuple(_frame(frame) for frame in data["check"]["frames"]))
