"""The warning-sign set: every sign of the documents, in plain words, with its context.

`warning_signs.toml` (394 phrasings) and `warning_signs_holdout.toml` (120) were written
from the guidance documents alone, before their writers saw the triage rules. Run with
`-s` to see the figures.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from guidance import Guide, Level
from guidance.triage import SIGNS, SIGNS_BY_KEY

HERE = Path(__file__).parent
SETS = (
    "warning_signs.toml",
    "warning_signs_holdout.toml",
    "warning_signs_batch3.toml",
    "warning_signs_chest.toml",  # written with the rule, not blind (see its header)
)
# False alarms allowed among the calm phrasings; doctor-level phrasings that must be caught.
MAX_FALSE_ALARMS = 0.03
MIN_DOCTOR_CAUGHT = 0.95


def _load(name: str) -> dict[str, Any]:
    with (HERE / name).open("rb") as file:
        loaded: dict[str, Any] = tomllib.load(file)
    return loaded


@pytest.fixture(scope="module")
def table() -> dict[str, Any]:
    signs: dict[str, Any] = _load(SETS[0])["signs"]
    return signs


@pytest.fixture(scope="module")
def phrasings() -> list[dict[str, str]]:
    return [item for name in SETS for item in _load(name)["phrasing"]]


def _key(sign: str) -> str:
    return sign.replace("_", "-")


def _level(guide: Guide, text: str) -> Level:
    return guide.triage(text).level


def test_the_table_names_every_sign_and_its_documents(table: dict[str, Any]) -> None:
    for key, sign in SIGNS_BY_KEY.items():
        row = table[key.replace("-", "_")]
        prefixes = {source[:3] for source in sign.sources}
        assert set(row["documents"]) <= prefixes, key
        assert sign.own_caution == (not row["documents"]), key


def test_every_sign_has_phrasings_of_its_own_level(phrasings: list[dict[str, str]]) -> None:
    counts = Counter(_key(item["sign"]) for item in phrasings if item["level"] != "none")
    for sign in SIGNS:
        assert counts[sign.key] >= 10, sign.key
    levels = {_key(item["sign"]): item["level"] for item in phrasings if item["level"] != "none"}
    assert all(levels[sign.key] == sign.level.value for sign in SIGNS)


def test_every_urgent_phrasing_is_caught(guide: Guide, phrasings: list[dict[str, str]]) -> None:
    missed = [
        item["text"]
        for item in phrasings
        if item["level"] == "urgent" and _level(guide, item["text"]) is not Level.URGENT
    ]
    assert missed == []


def test_doctor_phrasings_are_caught(guide: Guide, phrasings: list[dict[str, str]]) -> None:
    doctor = [item["text"] for item in phrasings if item["level"] == "doctor"]
    caught = [text for text in doctor if _level(guide, text) is not Level.NONE]
    print(f"\ndoctor: {len(caught)}/{len(doctor)} caught")  # noqa: T201
    assert len(caught) >= MIN_DOCTOR_CAUGHT * len(doctor)


def test_calm_phrasings_raise_few_false_alarms(
    guide: Guide, phrasings: list[dict[str, str]]
) -> None:
    calm = [item["text"] for item in phrasings if item["level"] == "none"]
    alarms = [text for text in calm if _level(guide, text) is not Level.NONE]
    print(f"\ncalm: {len(alarms)}/{len(calm)} false alarms: {alarms}")  # noqa: T201
    assert len(alarms) <= MAX_FALSE_ALARMS * len(calm)


# The phrasings the issue found missed, muddled or wrongly alarming.
@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("I haven't been able to pee all day", "urgent"),
        ("my bladder feels full but nothing comes out", "urgent"),
        ("my legs feel like jelly", "urgent"),
        ("my leg drags", "urgent"),
        ("feels like my leg is asleep", "urgent"),
        ("my leggs are numb", "urgent"),
        ("the pain is 10/10", "urgent"),
        ("9 out of 10", "urgent"),
        ("I can't move at all", "urgent"),
        ("can't get off the floor", "urgent"),
        ("I keep tripping because my foot drags", "urgent"),
        ("abnormal sensation on one side of the body", "urgent"),
        ("not numb, but tingling in my foot", "urgent"),
        ("no weakness, but tingling down my leg", "urgent"),
        ("no tingling but numbness in my toes", "urgent"),
        ("numm feet", "urgent"),
        ("i have a fever and my back hurts", "urgent"),
        ("I fell asleep on the sofa and woke up with a spasm", "none"),
        ("I slipped a disc years ago", "none"),
        ("numbness? no", "none"),
        ("I haven't had a fall or accident", "none"),
        ("can a spasm cause tingling?", "none"),
        ("my toes went numb from the ice pack", "none"),
        ("I climbed the ladder to clean the gutters", "none"),
        ("pain for more than two weeks", "doctor"),
        ("it's getting worse every day", "doctor"),
        ("painkillers aren't helping", "doctor"),
        ("spasm after an injury", "doctor"),
    ],
)
def test_the_issues_examples(guide: Guide, text: str, level: str) -> None:
    assert _level(guide, text).value == level


def test_a_sign_reaches_past_a_denied_one_at_a_clause_boundary(guide: Guide) -> None:
    assert [sign.key for sign in guide.triage("no fever, my legs are numb").signs] == ["numbness"]
    assert guide.triage("no fever and my legs are numb").urgent
    assert not guide.triage("no numbness, tingling or weakness").signs


def test_a_question_about_a_sign_is_asked_not_described(guide: Guide) -> None:
    finding = guide.triage("is numbness a bad sign?")
    assert finding.level is Level.NONE
    assert [sign.key for sign in finding.asked] == ["numbness"]
    # Telling is not asking, even as a question.
    assert guide.triage("is it normal that I can't feel my toes?").urgent


def test_someone_elses_sign_is_answered_with_the_signs(guide: Guide) -> None:
    finding = guide.triage("my dad can't feel his legs")
    assert finding.level is Level.NONE
    assert finding.asked


def test_real_words_are_never_corrected_into_symptoms(guide: Guide) -> None:
    for word in ("ladder", "horse", "felt", "kneeling", "dumb", "food"):
        assert guide.triage(f"the {word} is fine").signs == (), word
