"""Red-flag triage: plain and misspelt warning signs are caught; ordinary questions are not."""

from __future__ import annotations

import pytest

from guidance import NOT_A_DOCTOR, Guide, Triage
from guidance.triage import RED_FLAGS


@pytest.fixture(scope="module")
def triage(guide: Guide) -> Triage:
    """Return a triage that knows the knowledge base's words, as the guide's does."""
    return Triage(known_words=guide.knowledge_words)


def _keys(triage: Triage, question: str) -> list[str]:
    return [flag.key for flag in triage.check(question)]


@pytest.mark.parametrize(
    ("question", "flag"),
    [
        ("my leg is numb and my back hurts", "numbness"),
        ("numbnes in legs", "numbness"),
        ("numb around my groin", "numbness"),
        ("saddle numbness", "numbness"),
        ("cant control my bladder", "bladder-bowel"),
        ("can't controll my blader", "bladder-bowel"),
        ("I can't pee since this morning", "bladder-bowel"),
        ("incontinance", "bladder-bowel"),
        ("my knees keep buckling", "leg-weakness"),
        ("my leg gives way", "leg-weakness"),
        ("leg weekness", "leg-weakness"),
        ("my balance is off", "balance"),
        ("fell down the stairs and now my back hurts", "fall-or-accident"),
        ("was in a car crash", "fall-or-accident"),
        ("feverish with a sore back", "fever"),
        ("running a temperature", "fever"),
        ("unbearible pain", "severe-pain"),
        ("worst pain ever", "severe-pain"),
        ("lost all sensation in my foot", "loss-of-sensation"),
        ("I cant feel my legs", "loss-of-sensation"),
    ],
)
def test_red_flag_is_caught_in_plain_or_misspelt_words(
    triage: Triage, question: str, flag: str
) -> None:
    assert flag in _keys(triage, question)


@pytest.mark.parametrize(
    "question",
    [
        "how long should I ice",
        "is heat or ice better",
        "can I sleep on my heating pad",
        "can i fall asleep with the heat on",
        "what if the pain gets worse",
        "I feel a knot in my back",
        "could it be a slipped disc",
        "my back feels weak and tight",
        "what's the worst thing to do for back pain",
        "stretch your legs every hour",
        "the left side of my back hurts",
        "I have fewer spasms now",
    ],
)
def test_ordinary_question_is_not_flagged(triage: Triage, question: str) -> None:
    assert _keys(triage, question) == []


@pytest.mark.parametrize(
    "question",
    ["no numbness, just a tight back", "I don't have a fever", "my leg is not numb"],
)
def test_a_denied_symptom_is_not_flagged(triage: Triage, question: str) -> None:
    assert _keys(triage, question) == []


def test_a_denied_symptom_does_not_hide_another_one(triage: Triage) -> None:
    assert _keys(triage, "no fever but I can't control my bladder") == ["bladder-bowel"]


def test_triage_works_without_a_knowledge_base() -> None:
    assert _keys(Triage(), "numbnes in legs") == ["numbness"]


def test_every_red_flag_has_a_distinct_key_and_a_label() -> None:
    keys = [flag.key for flag in RED_FLAGS]
    assert len(keys) == len(set(keys))
    assert all(flag.label and flag.patterns for flag in RED_FLAGS)


def test_urgent_answer_says_get_help_now_names_the_flag_and_cites_sources(guide: Guide) -> None:
    answer = guide.answer("my leg is numb and my back hurts")
    assert answer.urgent
    assert answer.answer.startswith("⚠️ Please get medical help now.")
    assert "numbness or tingling" in answer.answer
    assert "emergency" in answer.answer
    assert "doctor immediately" in answer.answer
    assert NOT_A_DOCTOR in answer.answer
    assert answer.sources
    assert answer.answer.endswith(f"Sources: {', '.join(answer.sources)}")


def test_urgent_answer_includes_the_warning_signs_entry(guide: Guide) -> None:
    answer = guide.answer("cant control my bladder")
    warning = guide.knowledge.get("red-flags")
    assert warning.body in answer.answer
    assert answer.entry_id == "red-flags"


def test_urgent_answer_names_every_flag_it_noticed(guide: Guide) -> None:
    answer = guide.answer("I fell and now I have a fever")
    assert "a fall or an accident and fever" in answer.answer


def test_urgent_answer_wins_over_an_in_scope_match(guide: Guide) -> None:
    answer = guide.answer("how long should I ice my back after I fell off a ladder")
    assert answer.urgent
    assert answer.entry_id == "red-flags"
