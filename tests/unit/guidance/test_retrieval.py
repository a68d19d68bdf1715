"""Retrieval: synonyms, typos, stemming and the refusal of questions it cannot answer."""

from __future__ import annotations

import pytest

from bot.wording.answers import EXAMPLE_QUESTIONS
from guidance import Guide
from guidance.reading.synonyms import expand


def _entry(guide: Guide, question: str) -> str | None:
    return guide.answer(question).entry_id


@pytest.mark.parametrize(
    ("question", "entry_ids"),
    [
        ("cold pack how many mins", {"ice-how-to"}),
        ("frozen peas on my back how long", {"ice-how-to"}),
        ("hot water bottle how long", {"heat-how-to"}),
        ("warm compress ok?", {"heat-how-to"}),
        ("how many fluids a day", {"hydration"}),
        ("thirsty a lot, does it matter for cramps", {"hydration"}),
        ("cramp in my lower back right now", {"during-a-spasm"}),
        ("should I see my gp", {"when-to-see-doctor"}),
        ("advil ok?", {"medicines-otc"}),
        ("tylenol ok?", {"medicines-otc"}),
        ("naproxen for back", {"medicines-prescription"}),
        ("physio for back", {"other-treatments", "strengthening-exercise"}),
    ],
)
def test_plain_words_reach_the_entry_that_uses_the_clinical_word(
    guide: Guide, question: str, entry_ids: set[str]
) -> None:
    assert _entry(guide, question) in entry_ids


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("hamstring strech how long", "stretch-hamstring"),
        ("hamstirng stretch", "stretch-hamstring"),
        ("pelvic tlit", "stretch-pelvic-tilt"),
        ("masage gun", "massage"),
        ("im pregant with back pain", "pregnancy"),
        ("how much watter should i drink", "hydration"),
        ("heating pad slepe", "heat-safety"),
    ],
)
def test_misspelt_words_are_corrected_to_the_nearest_known_word(
    guide: Guide, question: str, entry_id: str
) -> None:
    assert _entry(guide, question) == entry_id


def test_a_multiword_phrase_replaces_its_words_so_they_do_not_mislead() -> None:
    assert expand(["hot", "water", "bottle"]) == ["heat"]


def test_a_single_word_synonym_keeps_the_word_and_adds_the_meaning() -> None:
    assert expand(["mins"]) == ["mins", "minutes"]


def test_openers_that_say_nothing_are_dropped() -> None:
    assert expand(["tell", "me", "about", "heat"]) == ["heat"]


@pytest.mark.parametrize(
    "question",
    [
        "what is the capital of France",
        "write me code",
        "what's the weather",
        "how do I reset my password",
        "who won the football game last night",
        "",
        "   ",
        "???",
    ],
)
def test_out_of_scope_question_gets_an_honest_refusal_with_examples(
    guide: Guide, question: str
) -> None:
    answer = guide.answer(question)
    assert not answer.matched
    assert not answer.urgent
    assert answer.entry_id is None
    assert answer.sources == ()
    assert "I only have guidance on back spasm care" in answer.answer
    for example in EXAMPLE_QUESTIONS[:3]:
        assert example in answer.answer


def test_every_example_question_is_answered_from_the_knowledge_base(guide: Guide) -> None:
    for question in EXAMPLE_QUESTIONS:
        answer = guide.answer(question)
        assert answer.matched, question
        assert not answer.urgent, question
