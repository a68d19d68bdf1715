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
# A question the bot asked waits this long for an answer in words; then "yes" is just "yes".
ASKED_FOR = timedelta(hours=6)
# The unsure warning-sign question is asked at most this often, unless something new is said.
CHECK_EVERY = timedelta(hours=1)


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
    finding: Finding,
    answer: Answer | None = None,
) -> Asked:
    """Answer a message; questions beyond `per_minute` wait, warning signs never do.

    `finding` is the message's one reading by triage (`guidance.reading`); `answer` the
    guide's answer, when the caller has it already: each message is answered once.
    """
    found = finding
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


def waiting_answer(user: User, *, now: datetime) -> str | None:
    """Return the question the bot waits for this person to answer, if it still waits."""
    if user.asked is None or user.asked_at is None or now - user.asked_at > ASKED_FOR:
        return None
    return user.asked


def set_asked(user: User, asked: str | None, *, now: datetime, text: str | None = None) -> None:
    """Remember the question the bot waits for an answer to (None: it waits for none)."""
    user.asked = asked
    user.asked_at = now if asked is not None else None
    user.asked_text = text[:500] if text is not None else None


def may_check(
    checked_at: datetime | None, checked_about: str | None, about: frozenset[str], *, now: datetime
) -> bool:
    """Tell whether to ask the unsure warning-sign question: at most once an hour, unless
    the message speaks of something the last one did not."""
    if checked_at is None or now - checked_at >= CHECK_EVERY:
        return True
    before = frozenset((checked_about or "").split(","))
    return not about <= before


def note_check(user: User, about: frozenset[str], *, now: datetime) -> None:
    """Remember that the unsure question was asked now, and about what."""
    user.checked_at = now
    user.checked_about = ",".join(sorted(about))[:64]


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
    """Forget what people typed before a moment: a voted answer keeps only its entry and vote,
    and a warning-sign question never answered forgets the message that made the bot ask.

    Returns how many questions were deleted or emptied.
    """
    old = Question.asked_at < before
    deleted = await session.execute(delete(Question).where(old, Question.vote.is_(None)))
    emptied = await session.execute(
        update(Question).where(old, Question.text != "").values(text="")
    )
    # The message that made the bot ask the warning-sign question, never answered.
    await session.execute(
        update(User)
        .where(User.asked_at < before, User.asked_text.is_not(None))
        .values(asked=None, asked_at=None, asked_text=None)
    )
    return int(deleted.rowcount) + int(emptied.rowcount)  # type: ignore[attr-defined]
