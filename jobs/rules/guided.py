"""A guided stretch session, as a pure state machine: which exercise shows after each press.

A session is a short plan of exercises (by id), shown one at a time. Next goes on (after
the last, the stretch is done and logged, as the prompt's Done logs it); Skip goes on
without counting the one skipped; Easier shows the same exercise in its easier form, and
pressed again swaps it for a resting position of the gentle set (nothing easier exists in
the documents than resting); Stop ends it. Which plan a session gets is `flare.stretch_set`'s
decision: the day's routine, the gentle set in care mode, none on an episode's first day.
Nothing here reads a clock, a database or Telegram.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace

from jobs.rules.flare import StretchSet

# A plan holds at most this many exercises (a button payload numbers them in one digit).
MAX_PLAN = 9


class Move(enum.StrEnum):
    """A button of a guided session; its value is the payload's word, kept stable."""

    START = "start"
    NEXT = "next"
    EASIER = "easier"
    SKIP = "skip"
    STOP = "stop"


@dataclass(frozen=True, slots=True)
class Session:
    """Where a session stands: its plan, the exercise shown, and how many were done."""

    plan: tuple[str, ...]
    at: int = 0
    done: int = 0  # exercises finished with Next (a skipped one is not counted)
    easier: bool = False  # the shown exercise is in its easier form
    prompt: int = 0  # the stretch prompt's message id the session began from (0: none)

    def __post_init__(self) -> None:
        if not 0 < len(self.plan) <= MAX_PLAN:
            raise ValueError(f"a plan has 1 to {MAX_PLAN} exercises, not {len(self.plan)}")
        if not 0 <= self.at < len(self.plan) or not 0 <= self.done <= self.at + 1:
            raise ValueError(f"not a place in the plan: at {self.at}, done {self.done}")

    @property
    def current(self) -> str:
        """Return the id of the exercise shown."""
        return self.plan[self.at]

    @property
    def last(self) -> bool:
        """Tell whether the exercise shown is the plan's last."""
        return self.at == len(self.plan) - 1


@dataclass(frozen=True, slots=True)
class Show:
    """Show an exercise: the session's current one (`swapped`: Easier changed it)."""

    session: Session
    swapped: bool = False


@dataclass(frozen=True, slots=True)
class Finished:
    """The plan is over; `logged`: the stretch counts as done (at least one was done)."""

    session: Session
    logged: bool


@dataclass(frozen=True, slots=True)
class Stopped:
    """The person stopped the session: nothing is logged."""

    session: Session


@dataclass(frozen=True, slots=True)
class Gentlest:
    """Easier was pressed on what is already the gentlest: nothing changes."""

    session: Session


@dataclass(frozen=True, slots=True)
class RestFirst:
    """No session today: the episode's first day is for rest (001)."""


@dataclass(frozen=True, slots=True)
class HeldForHelp:
    """No session: after a yes to a warning sign, help comes first (BackCare's own hold)."""


Outcome = Show | Finished | Stopped | Gentlest


def plan_for(
    allowed: StretchSet, routine: Sequence[str], gentle: Sequence[str]
) -> tuple[str, ...] | None:
    """Return the exercises a session may show now: the routine, the gentle set, or none."""
    match allowed:
        case "full":
            return tuple(routine)
        case "gentle":
            return tuple(gentle)
        case "rest" | "held":
            return None


def start(
    allowed: StretchSet, routine: Sequence[str], gentle: Sequence[str], *, prompt: int = 0
) -> Show | RestFirst | HeldForHelp:
    """Begin a session with the first exercise of the plan that fits now."""
    if allowed == "held":
        return HeldForHelp()
    plan = plan_for(allowed, routine, gentle)
    if plan is None:
        return RestFirst()
    return Show(Session(plan[:MAX_PLAN], prompt=prompt))


def step(session: Session, move: Move, gentle: Sequence[str]) -> Outcome:
    """Carry out a press on a session's message."""
    match move:
        case Move.NEXT:
            return _on(session, done=session.done + 1)
        case Move.SKIP:
            return _on(session, done=session.done)
        case Move.EASIER:
            return _easier(session, gentle)
        case Move.STOP:
            return Stopped(session)
        case Move.START:
            return Show(replace(session, at=0, done=0, easier=False))


def _on(session: Session, *, done: int) -> Show | Finished:
    """Go on to the next exercise; after the last, the session is finished."""
    if session.last:
        return Finished(replace(session, done=done), logged=done > 0)
    return Show(replace(session, at=session.at + 1, done=done, easier=False))


def _easier(session: Session, gentle: Sequence[str]) -> Show | Gentlest:
    """The easier form first; then a resting position in its place; a resting position is
    already the gentlest."""
    if session.current in gentle:
        return Gentlest(session)
    if not session.easier:
        return Show(replace(session, easier=True))
    spare = next((one for one in gentle if one not in session.plan), None)
    if spare is None:
        return Gentlest(session)
    plan = (*session.plan[: session.at], spare, *session.plan[session.at + 1 :])
    return Show(replace(session, plan=plan, easier=False), swapped=True)


__all__ = [
    "MAX_PLAN",
    "Finished",
    "Gentlest",
    "HeldForHelp",
    "Move",
    "Outcome",
    "RestFirst",
    "Session",
    "Show",
    "Stopped",
    "plan_for",
    "start",
    "step",
]
