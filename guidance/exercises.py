"""The exercises of a guided stretch session, each as one card: read from the knowledge base.

A stretch entry (category `stretch`) gives its card: the title, the numbered steps of its
body, the dose (`hold 30 seconds` counts down), the line on what to feel and when to stop,
and whether the steps are BackCare's own (the entry says "My own steps"). The gentle set
for care mode is the resting positions of `positions-for-relief`, one card each, with the
slow breathing of `breathing` as their steps: nothing here is written that the entries do
not say. Every card has the picture of the same name (`guidance.pictures`), if one exists.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from guidance.knowledge.guide import BREATHING_ENTRY, POSITIONS_ENTRY, STRETCH_CAUTION_ENTRY
from guidance.knowledge.knowledge_base import Entry, KnowledgeBase
from guidance.pictures import DIRECTORY as PICTURES_DIRECTORY
from guidance.pictures import picture_for

_NUMBERED = re.compile(r"^(\d+)\.\s+(.*)$")
_HOLD = re.compile(r"\bhold (\d+) seconds\b", re.IGNORECASE)
_OWN_STEPS = "my own steps"
# Each resting position of `positions-for-relief`, by the words its line starts with, and
# its picture (in the order a session in care mode offers them: lying down first).
POSITIONS: tuple[tuple[str, str], ...] = (
    ("Lying:", "positions-side-lying"),
    ("Sitting:", "positions-legs-raised"),
    ("On the floor:", "positions-floor-cushions"),
)


@dataclass(frozen=True, slots=True)
class Exercise:
    """One exercise as a guided session shows it: what to do, for how long, when to stop."""

    id: str
    title: str
    steps: tuple[str, ...]
    dose: str  # "hold 30 seconds, then switch legs"; "" for a resting position
    feel: str  # what to feel, and when to stop (the entry's own words)
    sources: tuple[str, ...]
    own_steps: bool  # the steps are BackCare's own: the sources give none
    gentle: bool  # one of the care-mode set (a resting position, with slow breathing)
    picture: Path | None

    @property
    def hold_seconds(self) -> int | None:
        """Return the seconds of a timed hold the dose names (`hold 30 seconds`), if any."""
        found = _HOLD.search(self.dose)
        return int(found.group(1)) if found else None


class Exercises:
    """Every exercise a session can show, by id: the stretches, then the gentle set."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        stretches = [_stretch(entry) for entry in knowledge.in_category("stretch")]
        gentle = _positions(knowledge.get(POSITIONS_ENTRY), knowledge.get(BREATHING_ENTRY))
        self._by_id = {exercise.id: exercise for exercise in (*stretches, *gentle)}
        self.stretch_ids = tuple(exercise.id for exercise in stretches)
        self.gentle_ids = tuple(exercise.id for exercise in gentle)
        self.easier_line = _easier_line(knowledge.get(STRETCH_CAUTION_ENTRY))
        self.easier_sources = knowledge.get(STRETCH_CAUTION_ENTRY).sources

    def __getitem__(self, exercise_id: str) -> Exercise:
        """Return one exercise, or raise KeyError naming it."""
        return self._by_id[exercise_id]

    def __contains__(self, exercise_id: object) -> bool:
        """Tell whether an id is one of the exercises."""
        return exercise_id in self._by_id

    def __iter__(self) -> Iterator[Exercise]:
        """Iterate over the stretches, then the gentle set."""
        return iter(self._by_id.values())

    def ids(self) -> tuple[str, ...]:
        """Return every exercise's id, sorted: the order button payloads number them by."""
        return tuple(sorted(self._by_id))

    def by_title(self, name: str) -> Exercise | None:
        """Return the exercise whose title or id a few words name ("child's pose")."""
        wanted = _words(name)
        if not wanted:
            return None
        for exercise in self:
            names = (_words(exercise.title), _words(exercise.id.split("-", 1)[-1]))
            if any(words and (words <= wanted or wanted <= words) for words in names):
                return exercise
        return None


def _words(text: str) -> frozenset[str]:
    """The words of a name, without apostrophes, hyphens, "stretch" or "pose"."""
    cleaned = re.sub(r"['’]s?\b", "", text.lower()).replace("-", " ")
    return frozenset(cleaned.split()) - {"stretch", "the", "a", "pose", "do", "how", "i"}


def _paragraphs(body: str) -> list[str]:
    return [part.strip() for part in re.split(r"\n\s*\n", body) if part.strip()]


def _stretch(entry: Entry) -> Exercise:
    """Read a stretch entry's card: its numbered steps, and its last paragraph (what to feel)."""
    steps = tuple(
        found.group(2)
        for line in entry.body.splitlines()
        if (found := _NUMBERED.match(line.strip()))
    )
    if not steps:
        raise ValueError(f"{entry.id}: a stretch needs numbered steps")
    last = _paragraphs(entry.body)[-1]
    feel = "" if _NUMBERED.match(last.splitlines()[-1]) else last
    return Exercise(
        id=entry.id,
        title=entry.title,
        steps=steps,
        dose=entry.dose or "",
        feel=feel,
        sources=entry.sources,
        own_steps=_OWN_STEPS in entry.body.lower(),
        gentle=False,
        picture=picture_for(entry.id),
    )


def _positions(positions: Entry, breathing: Entry) -> list[Exercise]:
    """One card per resting position, with the slow breathing as what to do in it."""
    lines = [line.removeprefix("- ").strip() for line in positions.body.splitlines()]
    breaths = tuple(
        line.removeprefix("- ").strip()
        for line in breathing.body.splitlines()
        if line.startswith("- ")
    )[:2]
    last = _paragraphs(positions.body)[-1]
    titles = _picture_titles()
    found = []
    for opening, picture_id in POSITIONS:
        line = next((line for line in lines if line.startswith(opening)), None)
        if line is None:
            raise ValueError(f"{positions.id}: no line starts with {opening!r}")
        what = line.removeprefix(opening).strip()
        found.append(
            Exercise(
                id=picture_id,
                title=titles.get(picture_id, opening.rstrip(":")),
                steps=(what[:1].upper() + what[1:], *breaths),
                dose="",
                feel=" ".join(last.split()),
                sources=tuple(dict.fromkeys((*positions.sources, *breathing.sources))),
                own_steps=False,
                gentle=True,
                picture=picture_for(picture_id),
            )
        )
    return found


def _picture_titles() -> dict[str, str]:
    """The title of each picture, as drawn on it (poses.toml)."""
    poses = tomllib.loads((PICTURES_DIRECTORY / "poses.toml").read_text(encoding="utf-8"))
    return {name: str(table.get("title", "")) for name, table in poses.items()}


def _easier_line(caution: Entry) -> str:
    """The stretch caution's line on not forcing the range: what "easier" rests on."""
    for line in caution.body.splitlines():
        if "force" in line.lower():
            return line.removeprefix("- ").strip()
    raise ValueError(f"{caution.id}: no line on not forcing a stretch")


__all__ = ["POSITIONS", "Exercise", "Exercises"]
