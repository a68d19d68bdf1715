"""`backcare ask`: one answer per question, as text or as JSON lines."""

from __future__ import annotations

import io
import json

import pytest

from bot.__main__ import main
from guidance import Guide
from guidance.cli import run_ask


def test_ask_with_json_prints_one_object_per_question(guide: Guide) -> None:
    out = io.StringIO()
    questions = [
        "is heat or ice better",
        "capital of France",
        "cant control my bladder",
        "it's getting worse every day",
    ]
    assert run_ask(questions, as_json=True, out=out, guide=guide) == 0
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [record["question"] for record in records] == questions
    assert all(
        set(record) == {"question", "answer", "sources", "urgent", "level", "matched"}
        for record in records
    )
    heat, france, bladder, worse = records
    assert heat["matched"] is True
    assert heat["urgent"] is False
    assert heat["sources"] == list(guide.knowledge.get("ice-or-heat").sources)
    assert france["matched"] is False
    assert france["sources"] == []
    assert bladder["urgent"] is True
    assert [record["level"] for record in records] == ["none", "none", "urgent", "doctor"]
    assert worse["sources"] == list(guide.knowledge.get("when-to-see-doctor").sources)


def test_ask_as_text_prints_each_question_and_its_answer(guide: Guide) -> None:
    out = io.StringIO()
    assert run_ask(["how much water", "numb legs"], as_json=False, out=out, guide=guide) == 0
    text = out.getvalue()
    assert "Q: how much water\nDrinking enough water" in text
    assert "URGENT Q: numb legs\n⚠️ Please get medical help now." in text


def test_backcare_ask_answers_from_the_packaged_guide_in_the_bots_words(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["ask", "--json", "shoulder rolls"])
    assert done.value.code == 0
    assert json.loads(capsys.readouterr().out)["matched"] is True


def test_ask_reports_check_when_the_bot_would_ask_the_warning_sign_question(
    guide: Guide,
) -> None:
    out = io.StringIO()
    assert run_ask(["my legs feel a bit funny"], as_json=True, out=out, guide=guide) == 0
    record = json.loads(out.getvalue())
    assert record["level"] == "check"
    assert record["answer"].startswith("Before I answer: is any of these happening")
