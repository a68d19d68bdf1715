"""Things the documents never mention: said to be so, by kind, with what they do say."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidance import Guide, KnowledgeBase, KnowledgeBaseError
from guidance.knowledge.guide import MAX_REPLY_CHARS
from guidance.knowledge.knowledge_base import DEFAULT_DIRECTORY, SOURCES_FILE
from guidance.knowledge.retrieval import SearchIndex

SOURCE = "001_c26b4f9eeb9e9c5a.txt"


@pytest.fixture(scope="module")
def index(guide: Guide) -> SearchIndex:
    return SearchIndex.build(guide.knowledge.entries)


def _write(folder: Path, entry_id: str, extra: str) -> None:
    titles = DEFAULT_DIRECTORY / SOURCES_FILE
    (folder / SOURCES_FILE).write_text(titles.read_text(encoding="utf-8"), encoding="utf-8")
    front = f'id = "{entry_id}"\ntitle = "T"\nsources = ["{SOURCE}"]\nkeywords = ["k"]\n{extra}'
    (folder / f"{entry_id}.md").write_text(f"+++\n{front}\n+++\nSome advice.\n", "utf-8")


def test_one_uncovered_thing_has_one_home_and_the_loader_names_both(tmp_path: Path) -> None:
    _write(tmp_path, "a", 'uncovered = ["cupping"]')
    _write(tmp_path, "b", 'uncovered = ["Cupping => cupping therapy"]')
    with pytest.raises(KnowledgeBaseError, match=r"b\.md: 'Cupping' is already answered by a"):
        KnowledgeBase.load(tmp_path)


def test_context_must_be_true_or_false(tmp_path: Path) -> None:
    _write(tmp_path, "a", 'context = "yes"')
    with pytest.raises(KnowledgeBaseError, match=r"a\.md: 'context' must be true or false"):
        KnowledgeBase.load(tmp_path)


@pytest.mark.parametrize(
    ("question", "entry_id", "opener", "also"),
    [
        ("does gabapentin help back spasms", "other-medicines", "gabapentin", "pharmacist"),
        ("is co-codamol ok for a back spasm", "other-medicines", "co-codamol", "doctor"),
        ("cupping for lower back spasm, any good?", "other-therapies", "cupping", "diagnosis"),
        ("turmeric capsules for back muscle pain", "supplements", "turmeric", "potassium"),
        ("would an ice bath help my back spasm", "ice-how-to", "ice baths", "15–20"),
        ("heat patches on my back overnight?", "heat-safety", "heat patches", "Never sleep"),
        ("could shingles feel like a back spasm", "organ-pain", "shingles", "doctor"),
        ("is back cramping normal for kids", "organ-pain", "children's backs", "doctor"),
    ],
)
def test_a_question_naming_an_uncovered_thing_says_so_first_then_what_the_sources_say(
    guide: Guide, question: str, entry_id: str, opener: str, also: str
) -> None:
    answer = guide.answer(question)
    assert answer.entry_id == entry_id
    assert answer.answer.startswith(f"My sources don't cover {opener}.")
    assert also in answer.answer
    assert len(answer.answer) <= MAX_REPLY_CHARS


def test_who_it_is_about_keeps_the_answer_unless_the_thing_needs_a_doctor(
    guide: Guide, index: SearchIndex
) -> None:
    hot_tub = guide.answer("is the hot tub ok for my back when im pregnant")
    assert hot_tub.entry_id == "pregnancy"
    assert hot_tub.answer.startswith("My sources don't cover hot tubs.")
    kidney = index.search("pregnant and my kidneys hurt, or is it my back?")
    assert kidney is not None
    assert (kidney.entry.id, kidney.unsaid) == ("organ-pain", "kidneys")


def test_an_uncovered_thing_without_a_word_of_back_care_is_not_answered(guide: Guide) -> None:
    assert not guide.answer("what's the best coffee in town").matched


def test_a_doctor_reply_says_what_the_sources_dont_cover_in_its_meanwhile_line(
    guide: Guide,
) -> None:
    signs = guide.triage("my back spasms keep coming back").signs
    assert signs
    reply = guide.doctor_advice(signs, question="is it my periods or a back spasm")
    assert "Meanwhile: My sources don't cover periods. A doctor can tell" in reply
    assert len(reply) <= MAX_REPLY_CHARS


def test_a_doctor_reply_drops_its_meanwhile_line_rather_than_pass_a_phone_screen(
    guide: Guide,
) -> None:
    signs = guide.triage("fell off a ladder and my back spasms keep coming back").signs
    long = "is it ok to sleep on my heating pad, it's the only thing that helps"
    reply = guide.doctor_advice(signs, question=long)
    assert len(reply) <= MAX_REPLY_CHARS
    assert reply.startswith("🩺")


def test_a_common_english_word_is_never_corrected_into_another(index: SearchIndex) -> None:
    terms = index.read("thinking about a chiropractor for my back").terms
    assert "drink" not in terms  # "thinking" was read as "drinking"
    assert "chiropractor" in terms


def test_asking_what_to_do_now_gets_first_aid_whatever_else_it_names(guide: Guide) -> None:
    answer = guide.answer("my back went while i was swimming, what do i do now")
    assert answer.entry_id == "during-a-spasm"
    assert guide.answer("is swimming good for a back spasm").entry_id == "other-therapies"
