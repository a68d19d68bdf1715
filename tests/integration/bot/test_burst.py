"""A burst of messages answered once (issue 27 item 6): the next message's answer joins the
reply right above it, decided from what the person's row keeps, whichever process reads it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import wording
from bot.burst import BURST, Said, _plain, joins
from bot.callbacks import Do, encode
from bot.flows.reply import Reply
from bot.wording.common import Screen
from storage.models import User
from storage.repositories import join_burst_reply, keep_burst_reply
from tests.support.factories import make_ready_user

NOW = datetime(2025, 6, 2, 8, 30, tzinfo=UTC)
Sessions = async_sessionmaker[AsyncSession]
UNDO = ("↩️ Undo", Do.UNDO)


def kept(reply_id: int = 11, message_id: int = 10, ago: float = 2) -> User:
    """Someone whose message `message_id` was answered by reply `reply_id`, `ago` s ago."""
    said = Said.of(Screen("💧 Glass logged: 4 of 8.", [[UNDO]]))
    return User(
        burst_reply_id=reply_id,
        burst_message_id=message_id,
        burst_at=NOW - timedelta(seconds=ago),
        burst_said=said.dump(),
    )


def test_the_next_message_right_below_the_reply_within_seconds_joins_it() -> None:
    joined = joins(kept(), 12, NOW)
    assert joined is not None
    assert joined.html == "💧 Glass logged: 4 of 8."


def test_a_third_message_joins_the_same_reply() -> None:
    # Message 12 was answered in reply 11: the row now says reply 11 answers message 12.
    assert joins(kept(reply_id=11, message_id=12), 13, NOW) is not None


def test_anything_between_them_or_a_pause_starts_a_new_reply() -> None:
    # Reply 11, then the bot's own message 12 (a warning sign's answer, a nudge): 13 is apart.
    assert joins(kept(), 13, NOW) is None
    assert joins(kept(ago=BURST.total_seconds() + 1), 12, NOW) is None
    assert joins(User(), 12, NOW) is None


def test_a_joined_reply_says_both_and_shows_each_button_once_at_the_end() -> None:
    first = Said.of(Screen("💧 Glass logged.", [[UNDO]]))
    second = Said.of(Screen("🧘 Stretch done.", [[UNDO]]))
    together = first.then(second)
    assert together.html == "💧 Glass logged.\n\n🧘 Stretch done."
    assert together.rows == ((("↩️ Undo", encode(Do.UNDO)),),)
    assert Said.load(together.dump()) == together


async def test_two_processes_joining_the_same_reply_never_both_win(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await keep_burst_reply(session, user.id, reply_id=11, message_id=10, said="a", now=NOW)
        # Two processes read the same row (reply 11 answers message 10) and both try to join.
        first = await join_burst_reply(
            session, user.id, reply_id=11, after=10, message_id=12, said="a b", now=NOW
        )
        second = await join_burst_reply(
            session, user.id, reply_id=11, after=10, message_id=13, said="a c", now=NOW
        )
        assert (first, second) == (True, False)  # the loser answers in a reply of its own
        await session.refresh(user)
        assert (user.burst_message_id, user.burst_said) == (12, "a b")


def test_only_a_plain_answer_joins_a_burst_never_a_question_with_its_buttons() -> None:
    logged = Reply(Screen("💧 Logged.", [[UNDO]]))
    assert _plain(logged)
    assert not _plain(Reply(wording.talk.did_you_mean(["skip", "stop"])))
    assert not _plain(Reply(wording.talk.cannot()))
    assert not _plain(Reply(Screen("")))
