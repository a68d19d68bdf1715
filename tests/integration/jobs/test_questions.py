"""Questions are answered and stored, votes count only on one's own answers, floods are held."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from guidance import Guide
from jobs.services import questions
from jobs.services.questions import prune, vote
from storage.models import Question, User
from tests.support.factories import make_user

NOW = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)


async def ask(
    session: AsyncSession, user: User, guide: Guide, text: str, **kwargs: Any
) -> questions.Asked:
    """Ask as the bot does: with the message's one reading by triage."""
    return await questions.ask(session, user, guide, text, finding=guide.triage(text), **kwargs)


async def test_a_question_is_answered_and_kept_with_its_entry(
    sessionmaker: async_sessionmaker[AsyncSession], guide: Guide
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        asked = await ask(session, user, guide, "how long should I ice", now=NOW, per_minute=6)
    assert asked.answer is not None
    assert asked.answer.matched
    assert "Sources:" in asked.answer.answer
    async with sessionmaker() as session:
        stored = (await session.scalars(select(Question))).one()
    assert stored.id == asked.question_id
    assert stored.entry_id == asked.answer.entry_id
    assert stored.level == "none"


async def test_a_flood_gets_one_notice_then_silence_then_answers_again(
    sessionmaker: async_sessionmaker[AsyncSession], guide: Guide
) -> None:
    outcomes = []
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        for second in range(10):
            now = NOW + timedelta(seconds=second)
            outcomes.append(await ask(session, user, guide, "ice?", now=now, per_minute=3))
        later = await ask(
            session, user, guide, "ice?", now=NOW + timedelta(minutes=2), per_minute=3
        )
    answered = [o for o in outcomes if o.answer is not None]
    notices = [o for o in outcomes if o.slow_down]
    assert len(answered) == 3
    assert len(notices) == 1
    assert outcomes[3].slow_down
    assert later.answer is not None


async def test_warning_signs_are_answered_beyond_the_rate_limit_and_kept_with_their_level(
    sessionmaker: async_sessionmaker[AsyncSession], guide: Guide
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        for second in range(4):
            await ask(
                session, user, guide, "ice?", now=NOW + timedelta(seconds=second), per_minute=3
            )
        legs = await ask(
            session,
            user,
            guide,
            "i can't feel my legs",
            now=NOW + timedelta(seconds=5),
            per_minute=3,
        )
        worse = await ask(
            session,
            user,
            guide,
            "it's worse every day",
            now=NOW + timedelta(seconds=6),
            per_minute=3,
        )
    assert legs.answer is not None
    assert legs.answer.urgent
    assert worse.answer is not None
    assert worse.answer.entry_id == "when-to-see-doctor"
    async with sessionmaker() as session:
        levels = (await session.scalars(select(Question.level).order_by(Question.id))).all()
    assert levels == ["none", "none", "none", "urgent", "doctor"]


async def test_a_vote_counts_only_on_the_voters_own_answer(
    sessionmaker: async_sessionmaker[AsyncSession], guide: Guide
) -> None:
    async with sessionmaker.begin() as session:
        owner = await make_user(session, telegram_id=1)
        other = await make_user(session, telegram_id=2)
        asked = await ask(session, owner, guide, "heat or ice", now=NOW, per_minute=6)
        assert asked.question_id is not None
        assert not await vote(session, other, asked.question_id, helpful=False)
        assert await vote(session, owner, asked.question_id, helpful=True)
    async with sessionmaker() as session:
        stored = (await session.scalars(select(Question))).one()
    assert stored.vote == 1


async def test_old_questions_are_forgotten_and_a_vote_keeps_only_its_answer(
    sessionmaker: async_sessionmaker[AsyncSession], guide: Guide
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        old = await ask(session, user, guide, "heat or ice", now=NOW, per_minute=6)
        voted = await ask(session, user, guide, "how long to ice", now=NOW, per_minute=6)
        assert voted.question_id is not None
        await vote(session, user, voted.question_id, helpful=True)
        later = NOW + timedelta(days=31)
        recent = await ask(session, user, guide, "stretches", now=later, per_minute=6)
        removed = await prune(session, before=later - timedelta(days=30))
    assert removed == 2
    async with sessionmaker() as session:
        kept = {row.id: row for row in await session.scalars(select(Question))}
    assert old.question_id not in kept
    assert kept[voted.question_id].text == ""
    assert kept[voted.question_id].vote == 1
    assert kept[voted.question_id].entry_id == voted.answer.entry_id  # type: ignore[union-attr]
    assert recent.question_id is not None
    assert kept[recent.question_id].text == "stretches"
