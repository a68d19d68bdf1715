"""Warning-sign triage: levels, context, typos, and the answers it leads to."""

from __future__ import annotations

import pytest

from guidance import NOT_A_DOCTOR, Guide, Level, Triage
from guidance.triage import SIGNS


@pytest.fixture(scope="module")
def triage(guide: Guide) -> Triage:
    """Return a triage that knows the knowledge base's words, as the guide's does."""
    return Triage(known_words=guide.knowledge_words)


def _keys(triage: Triage, message: str) -> list[str]:
    return [sign.key for sign in triage.check(message).signs]


@pytest.mark.parametrize(
    ("message", "sign"),
    [
        ("my leg is numb and my back hurts", "numbness"),
        ("numbnes in legs", "numbness"),
        ("numb around my groin", "numbness"),
        ("saddle numbness", "numbness"),
        ("cant control my bladder", "bladder-bowel"),
        ("can't controll my blader", "bladder-bowel"),
        ("I can't pee since this morning", "bladder-bowel"),
        ("incontinance", "bladder-bowel"),
        ("my knees keep buckling", "weakness"),
        ("my leg gives way", "weakness"),
        ("leg weekness", "weakness"),
        ("my balance is off", "balance"),
        ("fell down the stairs and now my back hurts", "injury"),
        ("was in a car crash", "injury"),
        ("feverish with a sore back", "fever"),
        ("running a temperature", "fever"),
        ("unbearible pain", "severe-pain"),
        ("worst pain ever", "severe-pain"),
        ("lost all sensation in my foot", "numbness"),
        ("I cant feel my legs", "numbness"),
    ],
)
def test_a_sign_is_caught_in_plain_or_misspelt_words(
    triage: Triage, message: str, sign: str
) -> None:
    assert sign in _keys(triage, message)


@pytest.mark.parametrize(
    "message",
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
def test_an_ordinary_message_is_calm(triage: Triage, message: str) -> None:
    assert triage.check(message).level is Level.NONE


@pytest.mark.parametrize(
    "message",
    ["no numbness, just a tight back", "I don't have a fever", "my leg is not numb"],
)
def test_a_denied_sign_is_not_described(triage: Triage, message: str) -> None:
    assert _keys(triage, message) == []


def test_a_denied_sign_does_not_hide_another_one(triage: Triage) -> None:
    assert _keys(triage, "no fever but I can't control my bladder") == ["bladder-bowel"]


def test_triage_works_without_a_knowledge_base() -> None:
    assert _keys(Triage(), "numbnes in legs") == ["numbness"]


def test_every_sign_has_a_distinct_key_a_label_and_patterns() -> None:
    keys = [sign.key for sign in SIGNS]
    assert len(keys) == len(set(keys))
    assert all(sign.label and sign.patterns for sign in SIGNS)
    assert [sign.key for sign in SIGNS if sign.own_caution] == ["fever", "chest-pain"]


def test_the_most_urgent_sign_sets_the_level(triage: Triage) -> None:
    finding = triage.check("I fell last night and now my legs are numb")
    assert finding.level is Level.URGENT
    assert [sign.key for sign in finding.signs] == ["numbness", "injury"]


def test_urgent_answer_says_get_help_now_names_the_sign_and_cites_titles(guide: Guide) -> None:
    answer = guide.answer("my leg is numb and my back hurts")
    assert answer.urgent
    assert answer.answer.startswith("⚠️ Please get medical help now.")
    assert "You described numbness, tingling or loss of feeling." in answer.answer
    assert "emergency" in answer.answer
    assert NOT_A_DOCTOR in answer.answer
    titles = guide.knowledge.titles(answer.sources)
    assert answer.answer.endswith("Sources: " + "; ".join(titles))
    assert ".txt" not in answer.answer


def test_urgent_answer_includes_the_warning_signs_entry(guide: Guide) -> None:
    answer = guide.answer("cant control my bladder")
    assert guide.knowledge.get("red-flags").body in answer.answer
    assert answer.entry_id == "red-flags"


def test_urgent_answer_names_every_urgent_sign_and_labels_our_own_caution(guide: Guide) -> None:
    answer = guide.answer("I have a fever and my foot drags")
    assert "trouble with balance, coordination or a dragging foot and a fever" in answer.answer
    assert "A fever is not in my sources" in answer.answer


def test_a_doctor_level_message_gets_the_when_to_see_a_doctor_answer(guide: Guide) -> None:
    answer = guide.answer("how long should I ice my back after I fell off a ladder")
    assert answer.level is Level.DOCTOR
    assert answer.entry_id == "when-to-see-doctor"
    assert answer.answer.startswith("🩺 Please see a doctor soon.")
    assert "a spasm after a fall, accident or injury" in answer.answer


def test_a_question_about_a_sign_gets_the_signs_without_being_told_it_has_one(
    guide: Guide,
) -> None:
    answer = guide.answer("can a spasm cause tingling?")
    assert answer.level is Level.NONE
    assert answer.entry_id == "red-flags"
    assert "You described" not in answer.answer


def test_a_treatment_answer_carries_one_line_of_caution(guide: Guide) -> None:
    assert "I'm not a doctor." in guide.answer("how long should I ice my back").answer
    assert "I'm not a doctor." not in guide.answer("what causes back spasms").answer
