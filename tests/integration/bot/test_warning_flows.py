"""Warning signs in the conversation: the unsure question, typed answers, and the hold.

On a real database, without Telegram: each message is read once (as `read_first` does) and
handed to the flows, which answer as the buttons would.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import wording
from bot.callbacks import Do
from bot.flows import conversation, signs
from bot.flows import reply as flows_reply
from bot.wording.nudges import NudgeTexts
from guidance import Guide
from guidance.reading import Asked, Reading, Situation
from guidance.reading.triage import Level
from jobs.rules.person import person_of
from jobs.services import facts as schedule_facts
from jobs.services import questions
from storage.models import User
from tests.support.factories import make_ready_user

NOW = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)

Sessions = async_sessionmaker[AsyncSession]


def read(guide: Guide, user: User, text: str, now: datetime = NOW) -> Reading:
    """Read a message with what the bot knows of the person, as `read_first` does."""
    waiting = questions.waiting_answer(user, now=now)
    situation = Situation(
        now=now,
        asked=Asked(waiting) if waiting else None,
        told_to_get_help=user.held_for_help_since is not None,
    )
    return guide.reader.read(text, situation)


async def say(
    session: AsyncSession, user: User, text: str, guide: Guide, texts: NudgeTexts
) -> flows_reply.Reply:
    reading = read(guide, user, text)
    visit = flows_reply.Visit(session, user, NOW)
    return await conversation.typed(visit, reading, guide, texts, per_minute=6)


async def test_an_urgent_sign_typed_outside_care_mode_holds_self_care_until_seen(
    sessionmaker: Sessions, guide: Guide
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        reading = read(guide, user, "my left leg keeps giving way")
        assert reading.level is Level.URGENT
        answer = guide.answer(reading.text, finding=reading.finding)
        await signs.record_warning(flows_reply.Visit(session, user, NOW), answer)
        assert user.held_for_help_since == NOW
        facts = await schedule_facts.facts_of(session, person_of(user), now=NOW)
        assert facts.seeking_help
    screen = wording.warning.urgent(answer, held=True)
    assert wording.warning.HELD in screen.text
    assert screen.rows == wording.warning.SEEN_ROW


async def test_after_get_help_now_worry_going_and_seen_each_get_their_answer(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        user.held_for_help_since = NOW - timedelta(minutes=5)
        worry = await say(session, user, "is that bad?", guide, texts)
        assert worry.screen.text == wording.warning.WORRY
        going = await say(session, user, "ok my wife is driving me to urgent care", guide, texts)
        assert going.screen.text == wording.warning.GOING
        assert user.held_for_help_since is not None
        seen = await say(session, user, "been to the ER, they said its muscular", guide, texts)
        assert seen.screen.text == wording.warning.SEEN
        assert user.held_for_help_since is None


async def test_an_unsure_message_asks_the_question_and_a_typed_no_answers_it_in_full(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        text = "my legs feel a bit funny, is ice or heat better?"
        reading = read(guide, user, text)
        assert reading.level is Level.CHECK
        asked = await signs.ask_signs(
            flows_reply.Visit(session, user, NOW), text, reading.finding.unsure
        )
        assert asked.screen.text.startswith("Before I answer")
        assert asked.screen.rows == wording.warning.SIGN_BUTTONS
        assert user.asked == Asked.CHECK_SIGNS
        answered = await say(session, user, "nope none of those", guide, texts)
        assert answered.screen.text.startswith(wording.warning.NO_SIGNS)
        assert "Sources:" in answered.screen.text
        assert user.asked is None
        assert user.held_for_help_since is None


async def test_a_typed_yes_to_the_unsure_question_is_help_now_and_the_hold(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await signs.ask_signs(flows_reply.Visit(session, user, NOW), "legs feel odd", frozenset())
        reply = await say(session, user, "yeah", guide, texts)
        assert reply.screen.text.startswith("⚠️ Please get medical help now.")
        assert user.held_for_help_since == NOW
        assert user.asked is None


async def test_not_sure_asks_again_with_the_buttons(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await signs.ask_signs(flows_reply.Visit(session, user, NOW), "legs feel odd", frozenset())
        reply = await say(session, user, "not sure", guide, texts)
        assert reply.screen.text == wording.warning.UNSURE
        assert reply.screen.rows == wording.warning.SIGN_BUTTONS
        assert user.asked == Asked.CHECK_SIGNS  # still waiting


async def test_a_yes_long_after_the_question_is_just_a_yes(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await signs.ask_signs(flows_reply.Visit(session, user, NOW), "legs feel odd", frozenset())
        later = NOW + questions.ASKED_FOR + timedelta(minutes=1)
        assert read(guide, user, "yes", now=later).said is None


async def test_the_buttons_act_as_the_words(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        visit = flows_reply.Visit(session, user, NOW)
        nothing_asked = await conversation.pressed(
            visit, Do.SIGN_NO, texts, message_id=1, guide=guide, per_minute=6
        )
        assert nothing_asked.screen.text == wording.warning.NO_SIGNS_NOTHING_ASKED
        yes = await conversation.pressed(
            visit, Do.SIGN_YES, texts, message_id=1, guide=guide, per_minute=6
        )
        assert yes.screen.text.startswith("⚠️ Please get medical help now.")
        seen = await conversation.pressed(
            visit, Do.SEEN, texts, message_id=1, guide=guide, per_minute=6
        )
        assert seen.screen.text == wording.warning.SEEN
        with pytest.raises(flows_reply.StaleButton):
            await conversation.pressed(
                visit, Do.SEEN, texts, message_id=1, guide=guide, per_minute=6
            )


async def test_a_message_about_ones_own_back_gets_what_the_bot_can_do(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        reply = await say(session, user, "my back hates mondays", guide, texts)
    assert "only have guidance" not in reply.screen.text
    assert [label for row in reply.screen.rows for label, _ in row] == ["🆘 It's in spasm now"]


def test_the_unsure_question_is_asked_at_most_hourly_unless_something_new_is_said() -> None:
    about = frozenset({"legs"})
    assert questions.may_check(None, None, about, now=NOW)
    recent = NOW - timedelta(minutes=20)
    assert not questions.may_check(recent, "legs", about, now=NOW)
    assert questions.may_check(recent, "legs", frozenset({"legs", "toilet"}), now=NOW)
    assert questions.may_check(NOW - timedelta(hours=1), "legs", about, now=NOW)


@pytest.mark.parametrize(
    "text",
    [
        "yes the tingling down my left leg",
        "yep my right leg tingles",
        "yeah, pins and needles in one leg",
    ],
)
async def test_a_yes_naming_a_see_a_doctor_sign_acts_as_the_yes_button(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts, text: str
) -> None:
    # The question lists tingling among the signs to get help for now; the gate sends a yes
    # that names it here rather than to the see-a-doctor answer (bot/commands.py).
    assert guide.triage(text).level is Level.DOCTOR
    assert guide.reader.says_yes(text)
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await signs.ask_signs(flows_reply.Visit(session, user, NOW), "legs feel odd", frozenset())
        reply = await signs.yes_naming_a_sign(flows_reply.Visit(session, user, NOW), texts)
        assert reply.screen.text.startswith("⚠️ Please get medical help now.")
        assert user.held_for_help_since == NOW
        assert user.asked is None


async def test_a_see_a_doctor_sign_said_with_a_yes_when_nothing_was_asked_keeps_its_answer(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        reply = await signs.yes_naming_a_sign(flows_reply.Visit(session, user, NOW), texts)
        assert not reply.screen.text  # silence: the gate sends the see-a-doctor answer
        assert user.held_for_help_since is None
        late = NOW + questions.ASKED_FOR + timedelta(minutes=1)
        await signs.ask_signs(flows_reply.Visit(session, user, NOW), "legs feel odd", frozenset())
        reply = await signs.yes_naming_a_sign(flows_reply.Visit(session, user, late), texts)
        assert not reply.screen.text
