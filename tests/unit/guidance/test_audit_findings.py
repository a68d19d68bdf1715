"""The medical audit's findings (../shared/reviews/medical-audit-2026-12.md), one test each
where the questions in `answering/audit.toml` do not already show it. Each failed on f15f31c.
"""

from __future__ import annotations

import pytest

from bot.wording.answers import CAUTION
from bot.wording.common import NOT_A_DOCTOR as WELCOME_NOT_A_DOCTOR
from guidance import Guide

FRESH_SPASM = "Not during a fresh spasm: rest first, and start once the worst pain has settled."


def test_h2_every_stretch_says_not_during_a_fresh_spasm_first(guide: Guide) -> None:
    for entry in guide.knowledge.in_category("stretch"):
        assert entry.body.startswith(FRESH_SPASM), entry.id


@pytest.mark.parametrize("entry_id", ["stretch-childs-pose", "stretch-seated-twist"])
def test_h2_the_stretches_one_source_allows_mid_spasm_say_the_sources_disagree(
    guide: Guide, entry_id: str
) -> None:
    body = guide.knowledge.get(entry_id).body
    assert "mid-spasm" in body
    assert "wait" in body


def test_h2_every_stretch_has_numbered_steps_a_count_what_to_feel_and_when_to_stop(
    guide: Guide,
) -> None:
    for entry in guide.knowledge.in_category("stretch"):
        body = entry.body.lower()
        assert "1. " in body, entry.id
        assert "2. " in body, entry.id
        assert entry.dose, entry.id
        assert "feel" in body, entry.id
        assert "stop" in body or "ease off" in body, entry.id


def test_h2_childs_pose_has_steps_not_only_ask_a_therapist(guide: Guide) -> None:
    answer = guide.answer("how do I do child's pose")
    assert answer.entry_id == "stretch-childs-pose"
    assert "1. " in answer.answer
    assert "my own" in answer.answer.lower()


@pytest.mark.parametrize(
    "question",
    [
        "should I keep moving or lie down during a spasm",
        "should I twist to loosen it during a spasm",
        "is stretching good during a spasm",
        "can I stretch while it's spasming",
    ],
)
def test_h2_during_a_spasm_questions_reach_the_during_a_spasm_answer(
    guide: Guide, question: str
) -> None:
    assert guide.answer(question).entry_id in ("during-a-spasm", "stretch-caution")


def test_m2_one_wording_for_injury_see_a_doctor(guide: Guide) -> None:
    assert "After a fall or injury, see a doctor." in guide.knowledge.get("red-flags").body
    assert "after a fall or injury" in guide.knowledge.get("when-to-see-doctor").body
    assert "After a fall or injury, see a doctor." in WELCOME_NOT_A_DOCTOR
    for text in (guide.knowledge.get("red-flags").body, WELCOME_NOT_A_DOCTOR):
        assert "injury, get medical help" not in text


def test_m3_groin_numbness_and_retention_are_our_own_caution(guide: Guide) -> None:
    lines = guide.knowledge.get("red-flags").body.splitlines()
    groin = next(line for line in lines if "groin" in line)
    urine = next(line for line in lines if "urine" in line)
    assert "my own caution" in groin
    assert "my own caution" in urine


def test_m4_the_plan_entries_name_their_sources_and_our_own_rules(guide: Guide) -> None:
    numbers = guide.knowledge.get("care-plan-numbers").body
    rules = guide.knowledge.get("care-plan-rules").body
    assert "I take the less frequent" in numbers
    assert "my own caution" in numbers
    for rule in ("Day one is for rest", "3/10", "9 or 10/10", "3 days without a check-in"):
        assert rule in rules
    assert guide.answer("why every two hours?").entry_id == "care-plan-numbers"
    assert guide.answer("what are the care mode rules").entry_id == "care-plan-rules"


def test_m5_first_aid_gives_the_ice_time_and_ice_overnight_gets_a_no(guide: Guide) -> None:
    assert "15–20 minutes" in guide.flare_first_aid()
    answer = guide.answer("can I ice overnight while I sleep")
    assert answer.entry_id == "ice-safety"
    assert "fall asleep" in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "how do I know if it's kidney pain or back pain",
        "I have a kidney infection and back pain",
        "could this be a uti",
    ],
)
def test_m7_organ_pain_is_not_covered_and_never_gets_a_painkiller(
    guide: Guide, question: str
) -> None:
    answer = guide.answer(question)
    assert answer.entry_id == "organ-pain"
    assert "My sources don't cover" in answer.answer
    assert "ibuprofen" not in answer.answer.lower()
    assert "fever" in answer.answer


def test_l1_single_entries_state_the_disagreement_the_others_state(guide: Guide) -> None:
    assert "alternate" in guide.knowledge.get("heat-how-to").body
    assert "ice first" in guide.knowledge.get("alternating-ice-heat").body.lower()
    assert "003_2632873957398a24.txt" in guide.knowledge.get("ice-or-heat").sources


def test_l2_the_plan_numbers_keep_at_least_and_say_less_frequent(guide: Guide) -> None:
    body = guide.knowledge.get("care-plan-numbers").body
    assert "at least 12–15 min every 2 h" in body
    assert "less frequent" in body


def test_l3_nudge_tips_not_in_any_document_are_labelled(guide: Guide) -> None:
    tips = [*guide.water_tips(), *guide.posture_tips()]
    assert not any("feet flat, back supported" in tip for tip in tips)
    assert not any(tip == "A steady glass through the day beats a lot at once." for tip in tips)


def test_l4_the_caution_says_leg_or_arm_weakness() -> None:
    assert "a weak leg or arm" in CAUTION


@pytest.mark.parametrize("entry_id", ["pregnancy", "strengthening-exercise"])
def test_l5_entries_that_advise_treatment_carry_the_caution(guide: Guide, entry_id: str) -> None:
    assert CAUTION in guide.entry_text(guide.knowledge.get(entry_id))


def test_l6_a_reply_to_a_question_about_chest_pain_says_mentioned(guide: Guide) -> None:
    answer = guide.answer("is it a heart attack if my back hurts")
    assert "You described" not in answer.answer
