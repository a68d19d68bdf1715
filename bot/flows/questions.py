"""A question for the guide, answered from the knowledge base."""

from __future__ import annotations

from bot import wording
from bot.flows.reply import Reply, Visit
from bot.wording.common import SILENCE, Screen
from guidance import Answer, Guide
from guidance.pictures import picture_for
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
        screen = wording.questions.answer(asked.answer, asked.question_id)
        return Reply(screen, photo=_picture_of(guide, asked.answer))
    if asked.slow_down:
        return Reply(Screen(wording.questions.SLOW_DOWN))
    return Reply(SILENCE)


def _picture_of(guide: Guide, answer: Answer) -> str | None:
    """The picture to send an answer under: a stretch's own ("show me child's pose")."""
    if not answer.matched or answer.entry_id is None or picture_for(answer.entry_id) is None:
        return None
    entry = next((one for one in guide.knowledge if one.id == answer.entry_id), None)
    return answer.entry_id if entry is not None and entry.category == "stretch" else None
