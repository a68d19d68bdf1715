"""The question set: how well real-world phrasings reach the right entry, or a safe refusal."""

from __future__ import annotations

from typing import Any

import pytest

from guidance import Guide
from guidance.reading.triage.signs import table
from tests.reporting import report

MIN_IN_SCOPE_ACCURACY = 0.90


def test_question_set_is_large_enough(question_set: dict[str, list[dict[str, Any]]]) -> None:
    assert len(question_set["in_scope"]) >= 80
    assert len(question_set["red_flag"]) >= 15
    assert len(question_set["out_of_scope"]) >= 10


def test_question_set_names_only_existing_entries(
    guide: Guide, question_set: dict[str, list[dict[str, Any]]]
) -> None:
    known = {entry.id for entry in guide.knowledge}
    named = {entry_id for item in question_set["in_scope"] for entry_id in item["ids"]}
    assert named <= known, f"unknown ids in questions.toml: {sorted(named - known)}"


def test_in_scope_questions_reach_an_acceptable_entry_at_least_90_percent_of_the_time(
    guide: Guide,
    question_set: dict[str, list[dict[str, Any]]],
    request: pytest.FixtureRequest,
    record_property: Any,
) -> None:
    items = question_set["in_scope"]
    misses = []
    for item in items:
        answer = guide.answer(item["q"])
        if answer.urgent or answer.entry_id not in item["ids"]:
            misses.append(f"{item['q']!r}: got {answer.entry_id}, want one of {item['ids']}")
    accuracy = 1 - len(misses) / len(items)
    record_property("in_scope_accuracy", round(accuracy, 4))
    report(
        request,
        f"guidance: in-scope accuracy {accuracy:.1%} ({len(items) - len(misses)}/{len(items)})",
    )
    assert accuracy >= MIN_IN_SCOPE_ACCURACY, "\n".join(misses)


def test_no_in_scope_question_is_flagged_urgent(
    guide: Guide, question_set: dict[str, list[dict[str, Any]]]
) -> None:
    flagged = [item["q"] for item in question_set["in_scope"] if guide.answer(item["q"]).urgent]
    assert flagged == []


def test_every_red_flag_question_gets_the_answer_of_its_level_naming_its_sign(
    guide: Guide,
    question_set: dict[str, list[dict[str, Any]]],
    request: pytest.FixtureRequest,
    record_property: Any,
) -> None:
    missed = []
    for item in question_set["red_flag"]:
        answer = guide.answer(item["q"])
        flags = [sign.key for sign in guide.triage(item["q"]).signs]
        expected = table()[item["flag"]].level
        if answer.level is not expected or item["flag"] not in flags:
            missed.append(f"{item['q']!r}: level={answer.level}, signs={flags}")
    caught = len(question_set["red_flag"]) - len(missed)
    record_property("red_flags_caught", caught)
    report(request, f"guidance: red flags caught {caught}/{len(question_set['red_flag'])}")
    assert missed == []


def test_every_out_of_scope_question_is_declined(
    guide: Guide,
    question_set: dict[str, list[dict[str, Any]]],
    request: pytest.FixtureRequest,
    record_property: Any,
) -> None:
    answered = []
    for item in question_set["out_of_scope"]:
        answer = guide.answer(item["q"])
        if answer.matched or answer.urgent or answer.sources:
            answered.append(f"{item['q']!r}: answered from {answer.entry_id}")
    declined = len(question_set["out_of_scope"]) - len(answered)
    record_property("out_of_scope_declined", declined)
    report(
        request, f"guidance: out-of-scope declined {declined}/{len(question_set['out_of_scope'])}"
    )
    assert answered == []
