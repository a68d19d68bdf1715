"""The guide's public face: answers with sources, nudge texts, cheap and Telegram-free import."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from bot.wording.answers import ANSWER_WORDS, CAUTION
from guidance import Answer, Guide, KnowledgeBase, KnowledgeBaseError, Level
from guidance.knowledge.guide import MAX_QUESTION_CHARS


def test_answer_is_the_entry_text_with_a_final_sources_line(guide: Guide) -> None:
    answer = guide.answer("is heat or ice better")
    entry = guide.knowledge.get("ice-or-heat")
    titles = "; ".join(guide.knowledge.names(entry.sources))
    assert answer == Answer(
        question="is heat or ice better",
        answer=f"{entry.title}\n\n{entry.body}\n\n{CAUTION}\n\nSources: {titles}",
        sources=entry.sources,
        level=Level.NONE,
        matched=True,
        entry_id="ice-or-heat",
    )


def test_answer_is_frozen(guide: Guide) -> None:
    answer = guide.answer("is heat or ice better")
    with pytest.raises(FrozenInstanceError):
        answer.level = Level.URGENT  # type: ignore[misc]


def test_an_overlong_question_is_cut_not_refused(guide: Guide) -> None:
    question = "how much water should I drink " + "please " * 200
    answer = guide.answer(question)
    assert len(answer.question) == MAX_QUESTION_CHARS
    assert answer.entry_id == "hydration"


def test_a_warning_sign_anywhere_in_a_long_message_is_seen(guide: Guide) -> None:
    padding = "x " * 1500
    assert guide.answer("my leg is numb " + padding).urgent
    assert guide.answer("how much water " + padding + " my leg is numb").urgent


def test_stretches_come_from_the_stretch_entries_with_their_doses(guide: Guide) -> None:
    stretches = {stretch.name: stretch for stretch in guide.stretches()}
    assert stretches["Hamstring stretch"].dose == "hold 30 seconds, then switch legs"
    assert stretches["Pelvic tilt"].dose == "hold 5 seconds, 10 times"
    assert stretches["Cat-cow stretch"].dose == "10 times"
    assert stretches["Shoulder rolls"].dose == "10 circles each way"
    assert {"Child's pose", "Seated twist", "Lying twist"} <= set(stretches)
    for stretch in stretches.values():
        assert stretch.how
        assert stretch.sources


def test_stretches_come_in_the_routine_order_of_the_sources(guide: Guide) -> None:
    assert [stretch.name for stretch in guide.stretches()] == [
        "Hamstring stretch",
        "Pelvic tilt",
        "Cat-cow stretch",
        "Child's pose",
        "Seated twist",
        "Lying twist",
        "Shoulder rolls",
    ]


def test_posture_tips_include_walking_shoulder_rolls_and_changing_position(guide: Guide) -> None:
    tips = " ".join(guide.posture_tips()).lower()
    assert "short walk" in tips
    assert "shoulders" in tips
    assert "change position" in tips


def test_ice_safety_says_towel_15_to_20_minutes_and_skin_break(guide: Guide) -> None:
    text = guide.ice_safety()
    assert "towel" in text
    assert "15–20 minutes" in text
    assert "skin a break" in text


def test_heat_safety_says_lowest_setting_time_and_never_sleep_on_the_pad(guide: Guide) -> None:
    text = guide.heat_safety()
    assert "lowest setting" in text
    assert "15–20 minutes" in text
    assert "never fall asleep on a heating pad" in text


def test_stretch_caution_says_gently_no_forcing_and_ease_off(guide: Guide) -> None:
    text = guide.stretch_caution()
    assert "gently" in text
    assert "don't force" in text
    assert "ease off if the pain gets sharper" in text


def test_not_a_doctor_says_so(guide: Guide) -> None:
    assert "not a doctor" in guide.not_a_doctor()


def test_a_knowledge_base_missing_a_nudge_entry_is_refused_by_name(tmp_path: Path) -> None:
    for path in KnowledgeBase.load().directory.glob("*.*"):
        if path.name != "heat-safety.md":
            (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="'heat-safety' is required"):
        Guide.load(tmp_path, words=ANSWER_WORDS)


def test_importing_guidance_loads_neither_telegram_nor_bm25s() -> None:
    code = (
        "import sys, guidance; print(sorted(m for m in ('telegram', 'bm25s') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_loading_and_answering_never_loads_telegram() -> None:
    # The guide's own layer answers, with words as plain data (the bot's come from
    # bot.wording, above it).
    code = (
        "import sys, dataclasses; from guidance import AnswerWords, Guide; "
        "words = AnswerWords(**{f.name: '' for f in dataclasses.fields(AnswerWords)}); "
        "Guide.load(words=words).answer('ice'); print('telegram' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
