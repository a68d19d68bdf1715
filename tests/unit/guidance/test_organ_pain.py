"""Organ pain in every wording (issue 24, M7): kidneys, a urine infection, periods, an organ
or another illness reach the organ-pain entry, whose answer says "see one" and so is a
see-a-doctor answer, with BackCare's own fever line; a warning sign told with it still
comes first. The wordings here are new, none taken from the question sets."""

from __future__ import annotations

import pytest

from guidance import Guide
from guidance.knowledge.guide import Answer
from guidance.reading.triage import CALM, Level

ORGAN_PAIN = "organ-pain"
FEVER_LINE = "With a fever, get medical help now: that is my own caution, not my sources'."


@pytest.mark.parametrize(
    "question",
    [
        # kidneys, or the kidney-or-back question
        "is it my kidneys or my back",
        "kidney or back pain, how would I know",
        "kidney stone or a pulled muscle?",
        "pain in my side near my kidney",
        # where it hurts: under the ribs on one side, the flank
        "pain under my ribs on the right side",
        "my flank hurts, is that a back spasm",
        "sore in my flank, is it my back",
        # the bladder and peeing
        "burns when i wee and my lower back aches",
        "does a urine infection give you back pain",
        "could my back pain be a uti",
        "lower back pain with a bladder infection",
        "can an infection cause back spasms",
        # periods, ovaries
        "my back always spasms on my period",
        "i get lower back cramps with my period, is that a spasm",
        "is my ovary causing the back pain",
        # other organs
        "could it be my appendix",
        "could it be my gallbladder",
        # something else, something serious, an illness
        "could my back pain be something else",
        "could my back pain be something serious",
        "could my back spasm be a sign of something worse",
        "could this be an illness and not a spasm",
        "what if it's not a muscle thing",
        "is this back pain something internal",
    ],
)
def test_organ_pain_in_any_wording_reaches_the_doctor_answer(guide: Guide, question: str) -> None:
    answer = _answered(guide, question)
    assert answer.entry_id == ORGAN_PAIN
    assert answer.level is Level.DOCTOR
    assert "see one" in answer.answer
    assert FEVER_LINE in answer.answer
    assert "ibuprofen" not in answer.answer.lower()


def test_the_organ_pain_answer_leads_with_the_doctor_after_saying_it_is_not_covered(
    guide: Guide,
) -> None:
    lines = guide.answer("is it my kidneys or my back").answer.splitlines()
    assert lines[0] == "My sources don't cover kidneys."
    assert lines[2].startswith("A doctor can tell this apart from a back spasm: see one")


def test_only_the_entries_that_send_you_to_a_doctor_are_doctor_level(guide: Guide) -> None:
    sending = {entry.id for entry in guide.knowledge if entry.see_doctor}
    assert sending == {ORGAN_PAIN}
    # what else "see one" is said in is a see-a-doctor reply, never a plain entry answer
    for entry in guide.knowledge:
        if entry.id not in sending:
            assert "see one" not in entry.body, entry.id


@pytest.mark.parametrize(
    "question",
    [
        "my back is a wee bit sore today",  # "wee", not peeing
        "is voltaren gel any good or should i get something else",  # another product
        "how do I breathe through a spasm",  # breathing, not pain on breathing
        "is lumbago the same as a back spasm",  # an old name for low back pain
    ],
)
def test_words_near_organ_pain_that_are_not_about_it_stay_away(
    guide: Guide, question: str
) -> None:
    assert guide.answer(question).entry_id != ORGAN_PAIN


@pytest.mark.parametrize(
    "question",
    [
        "my back hurts, I have a fever and I think it's my kidneys",
        "I can't feel my legs, could it be my kidneys",
    ],
)
def test_a_warning_sign_told_with_organ_pain_is_answered_first(
    guide: Guide, question: str
) -> None:
    answer = guide.answer(question)
    assert answer.level is Level.URGENT
    assert answer.answer.startswith("⚠️ Please get medical help now.")


def test_pain_on_breathing_after_the_warning_sign_question_gets_the_doctor(guide: Guide) -> None:
    """Triage may ask the warning-sign question first (chest); after "no" the answer is
    the doctor's, not the breathing exercise."""
    answer = _answered(guide, "it hurts when I breathe in since my back went")
    assert answer.entry_id == ORGAN_PAIN
    assert answer.level is Level.DOCTOR


def _answered(guide: Guide, question: str) -> Answer:
    """The answer, or when triage asks the warning-sign question first (the bot asks it
    before any answer), the answer after "no"."""
    answer = guide.answer(question)
    return guide.answer(question, finding=CALM) if answer.level is Level.CHECK else answer
