"""A question for the guide, answered from the knowledge base."""

from __future__ import annotations

from bot import wording
from bot.flows.reply import Reply, Visit
from bot.wording.common import SILENCE, Screen
from guidance import Answer, Guide
from guidance.reading.triage import CALM, Finding
from jobs.services import questions


async def ask(
    visit: Visit,
    text: str,
    guide: Guide,
    *,
    per_minute: int,
    answer: Answer | None = None,
    finding: Finding = CALM,
) -> Reply:
    """Answer a question from the guidance, within the rate limit.

    `finding` is the message's one reading by triage; `answer` the guide's answer to `text`
    if the caller has it already.
    """
    asked = await questions.ask(
        visit.session,
        visit.user,
        guide,
        text,
        now=visit.now,
        per_minute=per_minute,
        finding=finding,
        answer=answer,
    )
    if asked.answer is not None and asked.answer.own_back:
        return Reply(wording.warning.own_back(asked.answer))
    if asked.answer is not None:
        return Reply(wording.questions.answer(asked.answer, asked.question_id))
    if asked.slow_down:
        return Reply(Screen(wording.questions.SLOW_DOWN))
    return Reply(SILENCE)
