"""The guided stretch session's state machine, and which set a session may show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from guidance.exercises import Exercises
from guidance.knowledge.knowledge_base import KnowledgeBase
from jobs.rules import flare
from jobs.rules.guided import (
    Finished,
    Gentlest,
    HeldForHelp,
    Move,
    RestFirst,
    Session,
    Show,
    Stopped,
    plan_for,
    start,
    step,
)

ROUTINE = ("stretch-hamstring", "stretch-cat-cow", "stretch-childs-pose")
GENTLE = ("positions-side-lying", "positions-legs-raised", "positions-floor-cushions")
NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


def shown(outcome: object) -> Session:
    assert isinstance(outcome, Show), outcome
    return outcome.session


def test_start_shows_the_first_of_the_routine_and_keeps_the_prompt() -> None:
    session = shown(start("full", ROUTINE, GENTLE, prompt=41))
    assert (session.current, session.at, session.done, session.prompt) == (ROUTINE[0], 0, 0, 41)


def test_next_goes_through_the_plan_and_the_last_next_finishes_logged() -> None:
    session = shown(start("full", ROUTINE, GENTLE))
    seen = [session.current]
    outcome = step(session, Move.NEXT, GENTLE)
    while isinstance(outcome, Show):
        seen.append(outcome.session.current)
        outcome = step(outcome.session, Move.NEXT, GENTLE)
    assert seen == list(ROUTINE)
    assert isinstance(outcome, Finished)
    assert outcome.logged
    assert outcome.session.done == 3


def test_skip_goes_on_without_counting_and_skipping_all_logs_nothing() -> None:
    session = shown(start("full", ROUTINE, GENTLE))
    second = shown(step(session, Move.SKIP, GENTLE))
    assert (second.current, second.done) == (ROUTINE[1], 0)
    third = shown(step(second, Move.SKIP, GENTLE))
    end = step(third, Move.SKIP, GENTLE)
    assert isinstance(end, Finished)
    assert not end.logged


def test_skipping_the_last_after_doing_one_still_logs_the_stretch() -> None:
    session = shown(start("full", ROUTINE, GENTLE))
    session = shown(step(session, Move.NEXT, GENTLE))
    session = shown(step(session, Move.SKIP, GENTLE))
    end = step(session, Move.SKIP, GENTLE)
    assert isinstance(end, Finished)
    assert end.logged
    assert end.session.done == 1


def test_stop_ends_it_where_it_stands() -> None:
    session = shown(step(shown(start("full", ROUTINE, GENTLE)), Move.NEXT, GENTLE))
    assert step(session, Move.STOP, GENTLE) == Stopped(session)


def test_easier_first_the_easier_form_then_a_resting_position_in_its_place() -> None:
    session = shown(start("full", ROUTINE, GENTLE))
    easier = step(session, Move.EASIER, GENTLE)
    assert isinstance(easier, Show)
    assert not easier.swapped
    assert easier.session.easier
    assert easier.session.current == ROUTINE[0]
    swapped = step(easier.session, Move.EASIER, GENTLE)
    assert isinstance(swapped, Show)
    assert swapped.swapped
    assert swapped.session.plan == (GENTLE[0], *ROUTINE[1:])
    assert not swapped.session.easier
    assert step(swapped.session, Move.EASIER, GENTLE) == Gentlest(swapped.session)


def test_next_after_easier_shows_the_next_in_its_usual_form() -> None:
    easier = shown(step(shown(start("full", ROUTINE, GENTLE)), Move.EASIER, GENTLE))
    following = shown(step(easier, Move.NEXT, GENTLE))
    assert following.current == ROUTINE[1]
    assert not following.easier
    assert following.done == 1


def test_care_mode_gets_only_the_gentle_set_and_easier_changes_nothing() -> None:
    session = shown(start("gentle", ROUTINE, GENTLE))
    assert session.plan == GENTLE
    assert step(session, Move.EASIER, GENTLE) == Gentlest(session)


def test_the_first_day_of_an_episode_refuses_a_session() -> None:
    assert start("rest", ROUTINE, GENTLE) == RestFirst()
    assert plan_for("rest", ROUTINE, GENTLE) is None


def test_which_set_fits_follows_the_calm_plan() -> None:
    plan = flare.CarePlan(started_at=NOW)
    assert flare.stretch_set(None, [], NOW) == "full"
    assert flare.stretch_set(plan, [], NOW + timedelta(hours=23)) == "rest"
    later = NOW + timedelta(days=1, minutes=1)
    assert flare.stretch_set(plan, [], later) == "gentle"
    assert flare.stretch_set(plan, [(later, 6)], later) == "gentle"
    assert flare.stretch_set(plan, [(later, flare.EASED_PAIN)], later) == "full"
    # Eased on the first day is still the first day: rest comes first.
    assert flare.stretch_set(plan, [(NOW, 1)], NOW + timedelta(hours=2)) == "rest"


def test_a_session_that_is_not_a_place_in_its_plan_is_refused() -> None:
    with pytest.raises(ValueError, match="a plan has 1 to"):
        Session(())
    with pytest.raises(ValueError, match="not a place in the plan"):
        Session(ROUTINE, at=3)
    with pytest.raises(ValueError, match="not a place in the plan"):
        Session(ROUTINE, at=1, done=3)


def test_the_exercises_come_from_the_knowledge_base_with_their_pictures() -> None:
    exercises = Exercises(KnowledgeBase.load())
    for exercise in exercises:
        assert exercise.steps, exercise.id
        assert exercise.picture is not None, exercise.id
        assert exercise.picture.is_file(), exercise.id
    assert exercises["stretch-hamstring"].hold_seconds == 30
    assert exercises["stretch-cat-cow"].hold_seconds is None
    assert exercises["stretch-childs-pose"].own_steps
    assert not exercises["stretch-cat-cow"].own_steps
    assert exercises.gentle_ids == GENTLE
    assert all(exercises[one].gentle for one in GENTLE)
    breathing = "breath in while counting to 5"
    assert all(breathing in " ".join(exercises[one].steps) for one in GENTLE)
    assert "degree or an inch" in exercises.easier_line


@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("child's pose", "stretch-childs-pose"),
        ("childs pose", "stretch-childs-pose"),
        ("cat cow", "stretch-cat-cow"),
        ("Cat-cow", "stretch-cat-cow"),
        ("the hamstring stretch", "stretch-hamstring"),
        ("pelvic tilt", "stretch-pelvic-tilt"),
        ("headstand", None),
        ("", None),
    ],
)
def test_an_exercise_is_found_by_the_words_that_name_it(words: str, found: str | None) -> None:
    exercise = Exercises(KnowledgeBase.load()).by_title(words)
    assert (exercise.id if exercise else None) == found


def test_after_a_yes_to_a_warning_sign_no_session_until_seen() -> None:
    plan = flare.CarePlan(started_at=NOW)
    later = NOW + timedelta(days=3)
    assert flare.stretch_set(plan, [(later, 1)], later, seeking_help=True) == "held"
    assert flare.stretch_set(None, [], later, seeking_help=True) == "held"
    assert start("held", ROUTINE, GENTLE) == HeldForHelp()
