"""Warning signs in people's own words: the real-language sets and the issue's targets.

`language/dev` (written after reading real people's posts, and our own older phrasings)
is what the rules were written on and the classifier trained on; `language/holdout` was
written by people who saw neither the code nor the dev set, and nobody reads it. This file
holds the held-out figures to the targets; it never prints a held-out text. Run
`python -m tests.guidance.language.evaluate` for the figures.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from guidance import Guide
from guidance.reading.triage import Level
from guidance.reading.triage.signs import table
from tests.guidance.language.sets import (
    DEV,
    HELD_OUT,
    HOLDOUT,
    Figures,
    answers,
    level_name,
    measure,
    phrasings,
    read_answers,
)
from tests.support.paths import TESTS

README = TESTS / "guidance" / "language" / "README.md"
# The issue's targets on the held-out set.
MIN_URGENT_OUTRIGHT = 0.85
MIN_DOCTOR = 0.90
MAX_CALM_CHECKED = 0.20


# Where each held-out set stands: floors at what this reading reached, so that a regression
# fails. Set c (2026-12-08) came in at first sight: 64 / 71 of 75, 39 of 45, 5 of 80, 55 of 60
# typed answers (read as the bot reads them: warning signs first).
@dataclass(frozen=True)
class Floor:
    urgent_outright: int
    urgent_or_check: int
    doctor: int
    false_alarms: int  # at most
    answers: int


FLOORS = {
    "held-out a+b": Floor(
        urgent_outright=81, urgent_or_check=89, doctor=46, false_alarms=3, answers=41
    ),
    "held-out c (2026-12-08)": Floor(
        urgent_outright=64, urgent_or_check=71, doctor=39, false_alarms=5, answers=55
    ),
}
# The issue's ratio targets, asserted on the sets that meet them (the safety page says which
# are not met yet): urgent outright 85% and calm asked about at most 20% on every set.
MEETS_DOCTOR_TARGET = ("held-out a+b",)
# Typed answers read as meant (our own bar; first sight on the held-out answers: 42 of 50).
MIN_ANSWERS_READ = 0.85
# What the development set must keep (it was written against): 2,218 phrasings, 2026-12-07.
DEV_MIN_URGENT_OUTRIGHT = 0.967
DEV_MIN_URGENT_OR_CHECK = 0.993
DEV_MIN_DOCTOR = 0.987
DEV_MAX_FALSE_ALARMS = 0.0071
# The fresh set b (dev/fresh_dec7b.toml), first sight 119 / 151 of 162, 43 of 62, 4 of 70.
FRESH_B_URGENT_OUTRIGHT = 156
FRESH_B_URGENT_OR_CHECK = 160
FRESH_B_DOCTOR = 60
FRESH_B_FALSE_ALARMS = 0


def _figures(guide: Guide, folder: Path) -> Figures:
    return measure(phrasings(folder), lambda text: level_name(guide.triage(text)))


@pytest.fixture(scope="module", params=list(HELD_OUT))
def held_out(request: pytest.FixtureRequest, guide: Guide) -> tuple[str, Figures]:
    name = request.param
    return name, measure(
        phrasings(HOLDOUT, only=HELD_OUT[name]), lambda text: level_name(guide.triage(text))
    )


@pytest.fixture(scope="module")
def dev(guide: Guide) -> Figures:
    return _figures(guide, DEV)


def test_the_sets_are_as_large_as_the_issue_asks() -> None:
    assert len(phrasings(DEV)) + len(phrasings(HOLDOUT)) >= 400
    assert len(phrasings(HOLDOUT)) >= 150


def test_every_label_is_a_sign_of_the_table() -> None:
    keys = {sign.key for sign in table().signs}
    for item in phrasings(DEV) + phrasings(HOLDOUT):
        assert item.level in ("urgent", "doctor", "none"), item.source
        assert item.sign in keys or item.sign == "none", (item.source, item.sign)
        if item.level != "none":
            assert table()[item.sign].level.value == item.level, (item.source, item.sign)


def test_held_out_urgent_messages_are_urgent_outright_as_the_issue_asks(
    held_out: tuple[str, Figures],
) -> None:
    _, figures = held_out
    assert figures.urgent_outright >= MIN_URGENT_OUTRIGHT * figures.urgent


def test_held_out_figures_are_no_worse_than_measured(held_out: tuple[str, Figures]) -> None:
    # The issue asks for every urgent one urgent or asked about; the floors keep what each set
    # reached from slipping (the docs' safety page says which kinds are still missed).
    name, figures = held_out
    floor = FLOORS[name]
    assert figures.urgent_or_check >= floor.urgent_or_check
    assert figures.urgent_outright >= floor.urgent_outright
    assert figures.doctor_caught >= floor.doctor
    assert figures.false_alarms <= floor.false_alarms


def test_the_fresh_set_b_stays_read(guide: Guide) -> None:
    fresh = measure(
        phrasings(DEV, only=["fresh_dec7b"]), lambda text: level_name(guide.triage(text))
    )
    assert fresh.urgent_outright >= FRESH_B_URGENT_OUTRIGHT
    assert fresh.urgent_or_check >= FRESH_B_URGENT_OR_CHECK
    assert fresh.doctor_caught >= FRESH_B_DOCTOR
    assert fresh.false_alarms <= FRESH_B_FALSE_ALARMS


def test_held_out_doctor_messages_are_caught(held_out: tuple[str, Figures]) -> None:
    name, figures = held_out
    if name in MEETS_DOCTOR_TARGET:
        assert figures.doctor_caught >= MIN_DOCTOR * figures.doctor
    else:  # not met yet: the floor above holds it; this says how far off it is
        assert figures.doctor_caught < MIN_DOCTOR * figures.doctor, f"{name} meets it now"


def test_held_out_calm_messages_are_asked_about_rarely(held_out: tuple[str, Figures]) -> None:
    _, figures = held_out
    assert figures.checks <= MAX_CALM_CHECKED * figures.calm


def test_the_development_set_stays_read(dev: Figures) -> None:
    assert dev.urgent_or_check >= DEV_MIN_URGENT_OR_CHECK * dev.urgent
    assert dev.urgent_outright >= DEV_MIN_URGENT_OUTRIGHT * dev.urgent
    assert dev.doctor_caught >= DEV_MIN_DOCTOR * dev.doctor
    assert dev.false_alarms <= DEV_MAX_FALSE_ALARMS * dev.calm


def test_no_urgent_or_doctor_message_is_declined(guide: Guide) -> None:
    declined = [
        item.source
        for item in phrasings(DEV) + phrasings(HOLDOUT)
        if item.level != "none"
        and not (answer := guide.answer(item.text)).matched
        and not answer.own_back
    ]
    assert declined == []


def test_typed_answers_to_the_warning_sign_question_are_read_and_no_yes_is_a_no(
    guide: Guide,
) -> None:
    def level_of(text: str) -> str:
        return level_name(guide.triage(text))

    for folder in (DEV, HOLDOUT):
        right, total, unsafe, _ = read_answers(answers(folder), level_of)
        assert unsafe == 0
        assert right >= MIN_ANSWERS_READ * total
    for name, files in HELD_OUT.items():
        assert read_answers(answers(HOLDOUT, only=files), level_of)[0] >= FLOORS[name].answers, (
            name
        )


def test_the_readme_of_the_sets_lists_every_sign() -> None:
    text = README.read_text(encoding="utf-8")
    for sign in table().signs:
        assert f"`{sign.key}`" in text, sign.key


# The phrasings the issue and the audit name, each a category (the sets hold many of each).
@pytest.mark.parametrize(
    ("text", "level"),
    [
        # The third round's categories (fresh set b, 2026-12-07 night).
        ("keep leaking a bit without noticing, back went on monday", "urgent"),
        ("went in my trousers on the bus, didnt know till i stood up", "urgent"),
        ("i have to lean on my lower belly to get it going when i pee", "urgent"),
        ("my flip flop keeps sliding off because the front of my foot wont come up", "urgent"),
        ("my big toe won't point up when I try", "urgent"),
        ("i lift my knee right up high so my foot doesnt scrape", "urgent"),
        ("keep toppling over in the shower", "urgent"),
        ("on a scale of 1 to 10 it's about a 12", "urgent"),
        ("kid's thermometer says 100.8 on me and my back is killing me", "urgent"),
        ("since mid january and it's march now", "doctor"),
        ("it started when we got back from holiday and that was 5 weeks ago", "doctor"),
        ("my daughter had to help me dry my legs after the shower", "doctor"),
        ("couldn't get my work trousers on this morning", "doctor"),
        ("tingling down one leg into my bum", "doctor"),
        ("pins and needles from my bum down my right leg", "doctor"),
        ("tingling down both legs into my bum", "urgent"),
        ("my legs are jelly after leg day at the gym", "none"),
        ("friend of mine lost control of his bladder, it scares me", "none"),
        ("took me ages to get up off the sofa, stiff as a board", "none"),
        # The second round's categories (fresh phrasings, 2026-12-07 evening).
        ("my back has been like this since before easter", "doctor"),
        ("temp is 38 point 4 and my back is killing me", "urgent"),
        ("stuck half out of bed, if i move an inch it is agony", "urgent"),
        ("back pain went 4 on friday, 6 yesterday, 8 today", "doctor"),
        ("ibuprofen barely takes the edge off my back", "doctor"),
        ("third time my back has gone since summer", "doctor"),
        ("i lift my knee really high so my toes dont catch the step", "urgent"),
        ("hand numb from scraping frost off the car", "none"),
        ("my legs nearly buckled when i opened the gas bill", "none"),
        ("my pain is 3 out of 10", "none"),
        ("it is 1 out of 10 now", "none"),
        ("im at 4 out of 10", "none"),
        ("I'd give it a 6 out of 10", "none"),
        ("my pain is 7 out of 10, is that normal", "none"),
        ("I'd rate it 8 out of 10", "none"),
        ("it's a 9 out of 10", "urgent"),
        ("pain 10/10", "urgent"),
        ("sharp intense pain when I bend", "none"),
        ("it's hard to get up from a chair", "none"),
        ("my legs feel heavy after sitting all day", "none"),
        ("I can barely walk", "doctor"),
        ("I can barely get out of bed this morning", "doctor"),
        ("I can't move at all", "urgent"),
        ("worst pain of my life", "urgent"),
        ("my leg is tingling and my back hurts", "doctor"),
        ("feels like I'm sitting on a bag of ice", "urgent"),
        ("my toes catch the carpet when I walk", "urgent"),
        ("thermometer says 38.6 and my back is killing me", "urgent"),
        ("my toes went numb from the ice pack", "none"),
        ("my dad can't feel his legs", "none"),
        ("I had foot drop years ago after my op, fine now", "none"),
        ("is numbness a bad sign?", "none"),
    ],
)
def test_the_issues_examples(guide: Guide, text: str, level: str) -> None:
    assert guide.triage(text).level.value == level


@pytest.mark.parametrize(
    ("text", "means"),
    [
        *[(text, "yes") for text in ("yeahh", "yh", "👍", "👌", "yess", "defo", "aye")],
        *[(text, "yes") for text in ("only the tingling", "no, just the numbness", "numbness")],
        *[(text, "yes") for text in ("the fever", "yep the bladder thing", "tbh yeah")],
        *[(text, "no") for text in ("nopes", "nuh uh", "🙅", "nothing", "lol no im fine")],
        *[(text, "no") for text in ("no numbness or anything", "nah just the back")],
        *[(text, "unsure") for text in ("🤷", "no clue", "im not sure", "does tingling count?")],
        *[(text, "unsure") for text in ("hmm not sure", "dont know", "a bit of tingling")],
    ],
)
def test_every_form_of_an_answer_to_the_warning_question_reads_right(
    text: str, means: str
) -> None:
    from guidance.reading.answers import said, with_emoji_as_words
    from guidance.reading.triage.words import tokens

    found = said(tokens(with_emoji_as_words(text)))
    assert found is not None
    assert found.value == means


def test_typos_in_symptoms_are_repaired(guide: Guide) -> None:
    assert guide.triage("my leggs are numm").level is Level.URGENT
    for word in ("ladder", "horse", "felt", "kneeling", "dumb", "food"):
        assert guide.triage(f"the {word} is fine").signs == (), word


def test_the_old_sets_live_on_in_the_dev_set() -> None:
    with (DEV / "own.toml").open("rb") as file:
        assert len(tomllib.load(file)["phrasing"]) == 634
