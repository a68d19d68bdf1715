"""Warning-sign triage: meaning over keywords, context, the check, and the answers."""

from __future__ import annotations

import pytest

from bot.wording.answers import CAUTION, NOT_A_DOCTOR
from guidance import Guide, Triage
from guidance.reading.triage import Level, When
from guidance.reading.triage.learned import SecondOpinion
from guidance.reading.triage.signs import table


@pytest.fixture(scope="module")
def triage(guide: Guide) -> Triage:
    """Return a triage that knows the knowledge base's words, as the guide's does."""
    return Triage(known_words=guide.knowledge_words)


def _keys(triage: Triage, message: str) -> list[str]:
    return [sign.key for sign in triage.check(message).signs]


@pytest.mark.parametrize(
    ("message", "sign"),
    [
        # a change in feeling × a place, in any words
        ("my groin feels numb", "saddle_numbness"),
        ("can't feel the paper when I wipe", "saddle_numbness"),
        ("down there feels like after the dentist", "saddle_numbness"),
        ("both legs feel like cotton wool", "limb_numbness"),
        ("lost all sensation in my foot", "limb_numbness"),
        ("pins and needles down my left leg", "leg_tingling"),
        # a toilet word × something gone wrong, or said in one go
        ("cant control my bladder", "bladder_bowel"),
        ("can't controll my blader", "bladder_bowel"),
        ("sat on the loo for ages and nothing comes out", "bladder_bowel"),
        ("found my joggers wet and never felt a thing", "bladder_bowel"),
        ("incontinance", "bladder_bowel"),
        # a weak leg, or what a weak foot does
        ("my knees keep buckling", "weakness"),
        ("leg weekness", "weakness"),
        ("I have to lift my knee really high so my foot clears the step", "weakness"),
        ("my foot slaps the floor", "weakness"),
        # balance in people's terms
        ("walking like I've had six pints and I haven't touched a drop", "balance"),
        ("holding onto the walls to get to the loo", "balance"),
        # one side, fever, chest
        ("my whole left side feels weird", "one_side"),
        ("running a temperature", "fever"),
        ("101.8 this morning", "fever"),
        ("tight band round my chest", "chest_pain"),
        # doctor
        ("fell down the stairs and now my back hurts", "injury"),
        ("it has been three weeks now", "long_lasting"),
        ("from a 4 to a 7 since yesterday", "worsening"),
        ("painkillers aren't touching it", "no_relief"),
        ("third spasm this month", "recurring"),
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
        "I feel a knot in my back",
        "could it be a slipped disc",
        "stretch your legs every hour",
        "the left side of my back hurts",
        "I have fewer spasms now",
        "I'm numb to the news these days",
        "on pins and needles waiting for my results",
        "trying to balance work and rest",
        "nearly wet myself laughing",
        "world cup fever in our house",
    ],
)
def test_an_ordinary_message_is_calm(triage: Triage, message: str) -> None:
    assert triage.check(message).level is Level.NONE


@pytest.mark.parametrize(
    "message",
    [
        "no numbness, just a tight back",
        "I don't have a fever",
        "my leg is not numb",
        "numbness? no",
        "nothing wrong with my bladder",
    ],
)
def test_a_denied_sign_is_not_described(triage: Triage, message: str) -> None:
    assert _keys(triage, message) == []


def test_a_denied_sign_does_not_hide_another_one(triage: Triage) -> None:
    assert _keys(triage, "no fever but I can't control my bladder") == ["bladder_bowel"]
    assert triage.check("no fever, my legs are numb").urgent


def test_a_harmless_cause_anywhere_in_the_sentence_quietens_numbness(triage: Triage) -> None:
    assert triage.check("sat cross legged for storytime and my leg went dead").level is Level.NONE
    assert triage.check("my bum went numb on the bike").level is Level.NONE
    # ...but not a sign in another sentence, and never bladder trouble.
    assert triage.check("my legs went numb from the ice. I wet myself today").urgent


def test_someone_elses_sign_is_told_of_them_not_of_the_sender(triage: Triage) -> None:
    finding = triage.check("my son hurt his back at rugby and says his leg keeps giving way")
    assert finding.level is Level.NONE
    assert [sign.key for sign in finding.others] == ["weakness"]
    assert triage.check("my dad's legs are numb and now I can't feel my foot").urgent


def test_a_story_of_the_past_is_past_unless_it_comes_back_to_now(triage: Triage) -> None:
    assert triage.check("back in 2015 my right foot dragged for months").level is Level.NONE
    assert triage.check("years ago I had surgery and now my legs are numb").urgent


def test_a_question_about_a_sign_is_asked_not_told(triage: Triage) -> None:
    finding = triage.check("is numbness a bad sign?")
    assert finding.level is Level.NONE
    assert finding.asked_about == {"feeling"}
    assert triage.check("is it normal that I can't feel my toes?").urgent
    assert triage.check("can barely walk").level is Level.DOCTOR


def test_only_nine_or_ten_out_of_ten_is_severe(triage: Triage) -> None:
    for score in range(9):
        assert triage.check(f"my pain is {score} out of 10").level is Level.NONE, score
    assert triage.check("pain is an 8-9/10").urgent
    assert triage.check("the film was 10/10").level is Level.NONE


def test_a_fever_is_a_reading_of_38_or_more(triage: Triage) -> None:
    assert triage.check("my temp is 38.2").urgent
    assert triage.check("temperature 100.9 F").urgent
    assert triage.check("my temp is 37.1, just a cold").level is Level.NONE


def test_unsure_messages_about_the_body_are_asked_about(triage: Triage) -> None:
    finding = triage.check("something feels a bit funny in my legs today")
    assert finding.level is Level.CHECK
    assert finding.unsure


def test_the_learned_opinion_never_quietens_a_sign() -> None:
    class Never(SecondOpinion):
        def score(self, words: object) -> float:
            return 0.0

    quiet = Triage(second_opinion=Never())
    assert quiet.check("I wet myself and didn't feel it").urgent


def test_every_sign_has_a_key_a_label_frames_and_examples() -> None:
    signs = table().signs
    keys = [sign.key for sign in signs]
    assert len(keys) == len(set(keys))
    assert all(sign.label and sign.frames and sign.examples for sign in signs)
    assert {sign.key for sign in signs if sign.own_caution} == {
        "saddle_numbness",
        "fever",
        "chest_pain",
        "labour",
    }
    assert all(sign.own for sign in signs if sign.own_caution)
    assert all(sign.disagreement for sign in signs if sign.when is When.TODAY)


def test_the_most_urgent_sign_sets_the_level(triage: Triage) -> None:
    finding = triage.check("I fell last night and now my legs are numb")
    assert finding.level is Level.URGENT
    assert [sign.key for sign in finding.signs] == ["limb_numbness", "injury"]


def test_urgent_answer_says_get_help_now_names_the_sign_and_cites_titles(guide: Guide) -> None:
    answer = guide.answer("my leg is numb and my back hurts")
    assert answer.urgent
    assert answer.answer.startswith("⚠️ Please get medical help now.")
    assert "You mentioned loss of feeling in a leg, a foot or an arm." in answer.answer
    assert "emergency" in answer.answer
    assert NOT_A_DOCTOR in answer.answer
    titles = guide.knowledge.names(answer.sources)
    assert answer.answer.endswith("Sources: " + "; ".join(titles))
    assert ".txt" not in answer.answer
    assert len(answer.answer) < 700


def test_urgent_answer_labels_our_own_caution(guide: Guide) -> None:
    answer = guide.answer("I have a fever and my foot drags")
    assert "a fever" in answer.answer
    assert "A fever is not in my sources" in answer.answer


def test_severe_pain_and_trouble_moving_get_a_doctor_today_with_the_disagreement(
    guide: Guide,
) -> None:
    answer = guide.answer("I can barely walk this morning")
    assert answer.level is Level.DOCTOR
    assert answer.answer.startswith("🩺 Please see a doctor today.")
    assert "the others call them common in a spasm" in answer.answer
    assert "emergency number" not in answer.answer


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
    assert "You mentioned" not in answer.answer


def test_someone_elses_sign_gets_the_signs_and_says_they_need_help(guide: Guide) -> None:
    answer = guide.answer("my husband wet himself and didn't feel it")
    assert answer.level is Level.NONE
    assert answer.answer.startswith("If this is happening to them now, they need medical help")


def test_the_check_asks_the_warning_sign_question(guide: Guide) -> None:
    answer = guide.answer("something feels a bit funny in my legs today")
    assert answer.level is Level.CHECK
    assert answer.answer.startswith("Before I answer: is any of these happening to you now?")


def test_a_message_about_ones_own_back_is_never_declined(guide: Guide) -> None:
    answer = guide.answer("back's a bit meh today")
    assert answer.own_back
    assert "only have guidance" not in answer.answer
    assert "only have guidance" in guide.answer("what's the capital of France").answer


def test_a_treatment_answer_carries_one_line_of_caution(guide: Guide) -> None:
    assert CAUTION in guide.answer("how long should I ice my back").answer
    assert CAUTION not in guide.answer("what causes back spasms").answer
