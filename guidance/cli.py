"""`backcare ask`: answer questions from the command line, as text or JSON lines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TextIO

from guidance.knowledge.guide import Answer, Guide
from guidance.reading import Situation
from guidance.reading.triage import Level


def run_ask(questions: Sequence[str], *, as_json: bool, out: TextIO, guide: Guide) -> int:
    """Print one answer per question (one JSON object per line with as_json) and return 0;
    `guide` answers in the words it was given (`bot.wording.answers`)."""
    for number, question in enumerate(questions):
        reading = guide.reader.read(question, Situation(now=datetime.now(UTC)))
        answer = guide.answer(question, finding=reading.finding)
        if as_json:
            out.write(json.dumps(answer_record(answer), ensure_ascii=False) + "\n")
            continue
        if number:
            out.write("\n")
        marker = "" if answer.level is Level.NONE else f"{answer.level.value.upper()} "
        out.write(f"{marker}Q: {answer.question}\n{answer.answer}\n")
    return 0


def answer_record(answer: Answer) -> dict[str, object]:
    """Return the JSON-ready fields of an answer."""
    return {
        "question": answer.question,
        "answer": answer.answer,
        "sources": list(answer.sources),
        "urgent": answer.urgent,
        "level": answer.level.value,
        "matched": answer.matched,
    }
