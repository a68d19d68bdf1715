"""Triage by category: the bot's own world, short negations, what a harmless cause can
explain, pregnancy, severe pain by strength and by effect, a patch on one side."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidance import Guide, Triage
from guidance.knowledge.guide import MAX_REPLY_CHARS
from guidance.reading.answers import Said, said
from guidance.reading.triage import Level
from guidance.reading.triage.concepts import lexicon
from guidance.reading.triage.learned import SecondOpinion
from guidance.reading.triage.signs import table
from guidance.reading.triage.words import tokens


@pytest.fixture(scope="module")
def triage(guide: Guide) -> Triage:
    return Triage(known_words=guide.knowledge_words)


def _keys(triage: Triage, message: str) -> set[str]:
    return {sign.key for sign in triage.check(message).signs}


# -- the bot's own world: its buttons, its ice packs, the things that fall -----------------


@pytest.mark.parametrize(
    "message",
    [
        "pressed yes by accident",
        "oops tapped no by mistake, sorry",
        "sorry my thumb slipped",
        "it fell off",
        "the ice pack fell off in the night",
        "the heat pad keeps sliding off",
        "my phone fell off the bed",
        "the pillow keeps falling down",
        "the bottle fell over again",
        "knocked my water over reaching for the ice",
        "put the washing in the tumble dryer",
        "did a crash course in yoga",
        "crashed out on the sofa early",
        "long motorway drives wreck my back",
    ],
)
def test_the_bots_own_world_is_no_injury_and_no_fall(triage: Triage, message: str) -> None:
    finding = triage.check(message)
    assert not finding.told, (message, finding.signs)


@pytest.mark.parametrize(
    ("message", "sign"),
    [
        ("i fell off a ladder", "injury"),
        ("slipped on the ice and fell", "injury"),
        ("the ice pack fell off when I fell down the stairs", "injury"),
        ("I was knocked over by a car", "injury"),
        ("had an accident at work on monday", "injury"),
        ("was in a wreck last week and my back hurts", "injury"),
        ("I keep falling over", "balance"),
    ],
)
def test_the_person_falling_is_still_told(triage: Triage, message: str, sign: str) -> None:
    assert sign in _keys(triage, message)


# -- short negations, in slang or another language -------------------------------------------


@pytest.mark.parametrize("message", ["nada", "zilch", "not a sausage", "nein", "nope nada"])
def test_a_short_negation_is_calm(triage: Triage, message: str) -> None:
    assert triage.check(message).level is Level.NONE


@pytest.mark.parametrize(
    "message", ["numbness? nada", "tingling? zilch", "bladder ok, balance nein"]
)
def test_a_sign_denied_in_slang_is_denied(triage: Triage, message: str) -> None:
    assert not triage.check(message).told


@pytest.mark.parametrize(
    "message",
    [
        "tried ibuprofen, heat and stretching... nada",
        "painkillers do zilch",
        "took the tablets. zip.",
    ],
)
def test_nothing_after_something_tried_is_still_no_relief(triage: Triage, message: str) -> None:
    assert "no_relief" in _keys(triage, message)


def test_doing_nothing_oneself_is_no_treatment_that_failed(triage: Triage) -> None:
    assert triage.check("i did nothing all day").level is Level.NONE


@pytest.mark.parametrize("answer", ["nada", "zilch", "niet", "nee", "nix", "nope nada"])
def test_a_slang_no_answers_the_warning_sign_question(answer: str) -> None:
    assert said(tokens(answer)) is Said.NO


# -- what a harmless cause can explain ------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "the ice made my bum go numb and i can't feel myself wiping",
        "the ice made my bum go numb and it hasnt come back, cant feel myself wiping either",
        "sat on a bag of frozen peas and now I can't feel the toilet paper when I wipe",
    ],
)
def test_not_feeling_the_paper_when_wiping_is_told_whatever_numbed_the_skin(
    triage: Triage, message: str
) -> None:
    finding = triage.check(message)
    assert finding.level is Level.URGENT
    assert "saddle_numbness" in _keys(triage, message)


@pytest.mark.parametrize(
    "message",
    [
        "after the ice pack on my back i cant feel my legs",
        "iced my lower back and now both legs are numb",
        "with the ice pack on my back my legs went numb",
    ],
)
def test_ice_on_the_back_does_not_explain_numb_legs(triage: Triage, message: str) -> None:
    assert "limb_numbness" in _keys(triage, message)


@pytest.mark.parametrize(
    "message",
    [
        "ice pack on my back for 20 mins, the skin there is numb and pink, normal?",
        "used the ice pack on my bum and the skin is numb",
        "my leg is numb from the ice pack",
    ],
)
def test_numb_skin_where_the_ice_was_stays_calm(triage: Triage, message: str) -> None:
    assert not triage.check(message).told


def test_ice_on_the_back_and_a_numb_bum_is_asked_about(triage: Triage) -> None:
    assert triage.check("ice pack on my lower back and now my bum is numb").level is Level.CHECK


# -- pregnancy and labour (BackCare's own caution) --------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "36 weeks and my lower back is cramping every 10 mins or so, comes and goes",
        "I'm 34 weeks. My back pain comes and goes",
        "12 weeks pregnant, back ache and some spotting",
        "38 weeks, waters broke and my back is killing me",
        "third trimester and my back tightens in waves",
    ],
)
def test_back_pain_in_waves_late_in_pregnancy_or_with_bleeding_is_the_labour_sign(
    triage: Triage, message: str
) -> None:
    assert "labour" in _keys(triage, message)
    assert triage.check(message).level is Level.URGENT


@pytest.mark.parametrize(
    "message",
    [
        "is the hot tub ok for my back when im pregnant",
        "pregnant and my back spasms come and go",
        "pregnant, no bleeding, just backache",
        "my back has hurt for 30 weeks",
        "I've been expecting this spasm, it comes and goes",
    ],
)
def test_pregnancy_alone_or_pain_for_weeks_is_no_labour(triage: Triage, message: str) -> None:
    assert "labour" not in _keys(triage, message)


def test_the_labour_answer_sends_to_the_midwife_as_our_own_caution(guide: Guide) -> None:
    answer = guide.answer("36 weeks and my back cramps every 10 mins, is this a spasm?")
    assert answer.level is Level.URGENT
    assert "midwife or maternity unit" in answer.answer
    assert "my own caution" in answer.answer


# -- severe pain: by its strength (a doctor today) or by its effect (help now) --------------


@pytest.mark.parametrize(
    "message", ["absolute agony", "the pain is excruciating", "agonising spasm this morning"]
)
def test_agony_is_severe_pain_for_a_doctor_today(triage: Triage, message: str) -> None:
    finding = triage.check(message)
    assert finding.level is Level.DOCTOR
    assert "hard_to_move" in _keys(triage, message)


@pytest.mark.parametrize(
    "message",
    [
        "in agony and I can't move at all",
        "I'm in agony and can't stop crying",
        "the pain had me in tears",
        "the pain is unbearable",
    ],
)
def test_pain_by_its_effect_is_the_extreme(triage: Triage, message: str) -> None:
    assert "severe_pain" in _keys(triage, message)


def test_severe_pain_gets_a_doctor_today_and_first_aid_meanwhile(guide: Guide) -> None:
    answer = guide.answer(
        "bent over to fill the dogs bowl and my lower back just seized up, absolute agony. "
        "what do i do right now??"
    )
    assert answer.answer.startswith("🩺 Please see a doctor today.")
    assert "Meanwhile: Stop and rest" in answer.answer
    assert "ice" in answer.answer
    assert len(answer.answer) <= MAX_REPLY_CHARS


def test_every_meanwhile_a_sign_names_is_an_entry_with_a_summary(guide: Guide) -> None:
    named = [sign.meanwhile for sign in table().signs if sign.meanwhile]
    assert named
    assert all(guide.knowledge.get(entry_id).nudge for entry_id in named)


# -- a patch on one side is not one side of the body --------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "could shingles start off like a back spasm? got a burning patch on one side only",
        "numb patch on one side of my lower back",
        "tingling on one side of my back",
    ],
)
def test_a_patch_or_one_side_of_a_part_is_not_one_side_of_the_body(
    triage: Triage, message: str
) -> None:
    assert "one_side" not in _keys(triage, message)


@pytest.mark.parametrize(
    "message", ["my whole left side feels weird", "numb down one side of my body"]
)
def test_one_whole_side_is_still_told(triage: Triage, message: str) -> None:
    assert "one_side" in _keys(triage, message)


def test_the_shingles_question_says_the_sources_dont_cover_it_and_names_a_doctor(
    guide: Guide,
) -> None:
    answer = guide.answer(
        "could shingles start off like a back spasm? got a burning patch on one side only"
    )
    assert answer.answer.startswith("My sources don't cover shingles.")
    assert "doctor" in answer.answer


def test_a_fever_stays_help_now_said_as_our_own_caution(guide: Guide) -> None:
    answer = guide.answer("back spasm and ive had a temperature of 38.5 since last night")
    assert answer.level is Level.URGENT
    assert "A fever is not in my sources" in answer.answer


# -- the fourth round (dev/fresh_dec8.toml), by category ---------------------------------


@pytest.mark.parametrize(
    ("message", "sign"),
    [
        # a cause on the far side of a comparison is no cause
        (
            "both cheeks feel like I've been sat on a bag of frozen peas. I haven't",
            "saddle_numbness",
        ),
        ("can't feel anything down there, like it was numb from the dentist", "saddle_numbness"),
        ("like a layer of something between me and the chair", "saddle_numbness"),
        # "back in 3 hours" is no year of the past; "the worst I've ever had" is now
        ("my leg went numb and it hasn't come back in 3 hours", "limb_numbness"),
        ("Worst pain I've ever had and I've had two kids", "severe_pain"),
        # someone else's thing, used by me
        ("wearing my nan's tena pads because i keep leaking", "bladder_bowel"),
        # everyday words for the signs
        ("it just dribbles out and i cant stop it", "bladder_bowel"),
        ("I can't have a slash, been standing there for ages", "bladder_bowel"),
        ("my foot is like a dead fish, it just flops when I walk", "weakness"),
        ("my left leg is not taking my weight, it is giving way", "weakness"),
        ("scuffing the front of my right shoe on the pavement", "weakness"),
        ("kept bumping into stuff all day", "balance"),
        ("my legs aren't talking to my brain", "balance"),
        ("38+2, it tightens then lets go, timing them 4 minutes apart, midwife", "labour"),
        ("getting dressed took me about twenty minutes", "hard_to_move"),
        ("takin me forever to get up off the sofa n walk to the kitchen", "hard_to_move"),
        ("copped a knee straight in the back at footy", "injury"),
        ("2 and a half weeks of spasms", "long_lasting"),
        ("a 3 last week, today a 7 and climbing", "worsening"),
        ("tried heat, ice, naproxen, nothing makes a dent", "no_relief"),
        ("None of it is making any difference after a week", "no_relief"),
        ("back spasm number 4 this year", "recurring"),
    ],
)
def test_the_fourth_rounds_categories_are_told(triage: Triage, message: str, sign: str) -> None:
    assert sign in _keys(triage, message)


@pytest.mark.parametrize(
    "message",
    [
        "my foot went numb from sitting cross legged",
        "back in 2015 my foot dragged for months, fine now",
        "when I was pregnant with my first (she's 12 now) my back was agony, today is fine",
        "the spasm last month was a 10 but it's long gone, just a bit stiff now",
        "this week's been a car crash tbh, back, kids, work, the lot",
        "feeling a bit wobbly about the MRI results tomorrow",
        "accident, meant to press no",
        "leaning on my elbow reading and my pinky went tingly",
        "carried my heavy rucksack all day and my shoulders are tingly",
        "the numbing cream from my tattoo has my lower back numb",
    ],
)
def test_the_fourth_rounds_calm_look_alikes_stay_calm(triage: Triage, message: str) -> None:
    assert not triage.check(message).told


# -- the second opinion on a doctor-level reading ------------------------------------------


class _Sure(SecondOpinion):
    """An opinion that always thinks a warning sign is told."""

    def score(self, words: object) -> float:
        return 1.0

    def about_the_body(self, found: object) -> bool:
        return True


def test_a_doctor_level_reading_the_model_doubts_also_asks() -> None:
    finding = Triage(second_opinion=_Sure(threshold=0.5)).check("absolute agony down my leg")
    assert finding.level is Level.DOCTOR
    assert finding.asks
    assert "opinion" in finding.unsure


def test_the_second_opinion_never_lowers_a_doctor_level_reading(triage: Triage) -> None:
    class _Never(SecondOpinion):
        def score(self, words: object) -> float:
            return 0.0

    assert Triage(second_opinion=_Never()).check("absolute agony").level is Level.DOCTOR
    assert not Triage(second_opinion=_Never()).check("absolute agony").asks


# -- the look-alikes table ----------------------------------------------------------------


def test_a_look_alike_of_no_concept_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text(
        '[groups]\n[concepts]\nnumb = ["numb"]\n[lookalikes]\nnumbb = ["numb to it"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="numbb"):
        lexicon(path)
