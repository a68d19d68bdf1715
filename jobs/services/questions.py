"""Questions people ask: answered from the guidance, kept with their votes, rate-limited.

The rate limit is counted from the stored questions, not in process memory, so it holds
across restarts and across several bot processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from guidance import Answer, Finding, Guide, Level
from storage.models import Question, User

RATE_WINDOW = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Asked:
    """The outcome of a question: an answer, or being asked to slow down (once), or silence."""

    answer: Answer | None
    question_id: int | None
    slow_down: bool


async def ask(
    session: AsyncSession,
    user: User,
    guide: Guide,
    text: str,
    *,
    now: datetime,
    per_minute: int,
    finding: Finding | None = None,
    answer: Answer | None = None,
) -> Asked:
    """Answer a message; questions beyond `per_minute` wait, warning signs never do.

    `finding` and `answer` are the guide's, when the caller has them already: each message
    is triaged and answered once.
    """
    found = finding if finding is not None else guide.triage(text)
    if found.level is Level.NONE:
        window_start = now - RATE_WINDOW
        recent = await session.scalar(
            select(func.count())
            .select_from(Question)
            .where(Question.user_id == user.id, Question.asked_at > window_start)
        )
        if (recent or 0) >= per_minute:
            # One notice per flood, which says warning signs are still answered at once.
            if user.question_notice_at is not None and user.question_notice_at > window_start:
                return Asked(None, None, slow_down=False)
            user.question_notice_at = now
            return Asked(None, None, slow_down=True)
    if answer is None:
        answer = guide.answer(text, finding=found)
    return Asked(answer, await record(session, user, answer, now=now), slow_down=False)


async def record(session: AsyncSession, user: User, answer: Answer, *, now: datetime) -> int:
    """Keep a message and how it was answered; return its id for the 👍/👎 buttons."""
    question = Question(
        user_id=user.id,
        asked_at=now,
        text=answer.question[:500],
        entry_id=answer.entry_id,
        matched=answer.matched,
        level=answer.level.value,
    )
    session.add(question)
    await session.flush()
    return question.id


async def vote(session: AsyncSession, user: User, question_id: int, *, helpful: bool) -> bool:
    """Record 👍 or 👎 on one of this person's own answers; False if it is not theirs."""
    question = await session.scalar(
        select(Question).where(Question.id == question_id, Question.user_id == user.id)
    )
    if question is None:
        return False
    question.vote = 1 if helpful else -1
    return True


async def prune(session: AsyncSession, *, before: datetime) -> int:
    """Forget what people typed before a moment: a voted answer keeps only its entry and vote.

    Returns how many questions were deleted or emptied.
    """
    old = Question.asked_at < before
    deleted = await session.execute(delete(Question).where(old, Question.vote.is_(None)))
    emptied = await session.execute(
        update(Question).where(old, Question.text != "").values(text="")
    )
    return int(deleted.rowcount) + int(emptied.rowcount)  # type: ignore[attr-defined]
