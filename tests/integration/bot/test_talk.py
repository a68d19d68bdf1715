"""Plain messages through the flows, on a real database, without Telegram."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import wording
from bot.callbacks import SetValue
from bot.flows import care, conversation
from bot.flows import reply as flows_reply
from bot.wording.nudges import NudgeTexts
from guidance import Guide
from guidance.reading import Reading, Situation
from guidance.reading.intents.reader import Act, Chat
from jobs.services import schedule
from storage.models import NudgeKind, ScheduledNudge, User
from tests.support.factories import make_ready_user

NOW = datetime(2025, 6, 2, 8, 30, tzinfo=UTC)  # Monday 10:30 in Berlin, at work
Sessions = async_sessionmaker[AsyncSession]


def reading(guide: Guide, text: str, zone: str = "UTC") -> Reading:
    """Read a message as the bot does before any flow sees it, in the person's zone."""
    return guide.reader.read(text, Situation(now=NOW, zone=ZoneInfo(zone)))


async def say(
    session: AsyncSession, text: str, guide: Guide, texts: NudgeTexts
) -> flows_reply.Reply:
    user = await make_ready_user(session)
    return await conversation.typed(
        flows_reply.Visit(session, user, NOW),
        reading(guide, text, user.timezone or "UTC"),
        guide,
        texts,
        per_minute=6,
    )


async def test_done_with_nothing_waiting_says_how_to_log_instead(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        reply = await say(session, "done", guide, texts)
    assert reply.screen.text == wording.talk.NOTHING_WAITING[Act.DONE]
    assert reply.edit is None


async def test_stop_offers_a_pause_or_turning_some_off(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        reply = await say(session, "stop messaging me", guide, texts)
    offered = [data for row in reply.screen.rows for _, data in row]
    assert SetValue("pause", "today") in offered
    assert SetValue("pause", "1w") in offered
    assert "/forget" in reply.screen.text


async def test_pause_without_a_time_asks_how_long(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        reply = await say(session, "pause pls", guide, texts)
    assert reply.screen.text == wording.asking.question("pause", onboarding=False).text


async def test_busy_moves_what_falls_due_meanwhile_to_its_end(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await schedule.reschedule(session, user, now=NOW)
        reply = await conversation.typed(
            flows_reply.Visit(session, user, NOW),
            reading(guide, "in a meeting until 3", user.timezone or "UTC"),
            guide,
            texts,
            per_minute=6,
        )
        rows = {
            row.kind: row.due_at
            for row in await session.scalars(
                select(ScheduledNudge).where(ScheduledNudge.user_id == user.id)
            )
        }
    until = datetime(2025, 6, 2, 13, 0, tzinfo=UTC)  # 15:00 in Berlin
    assert "hold your nudges until" in reply.screen.text
    assert user.paused_until == until
    assert until <= rows[NudgeKind.POSTURE] < until + timedelta(minutes=1)
    assert until <= rows[NudgeKind.WATER] < until + timedelta(minutes=1)
    assert rows[NudgeKind.STRETCH] > until  # due in the evening: as planned
    assert not reply.reschedule  # a reschedule would move the held ones on again


async def test_thanks_and_another_language_get_a_short_line(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        thanks = await say(session, "thanks!", guide, texts)
        foreign = await say(session, "danke, erledigt", guide, texts)
    assert thanks.screen.text == wording.talk.SMALL_TALK[Chat.THANKS]
    assert foreign.screen == wording.talk.FOREIGN


def test_a_pause_to_a_named_day_says_tomorrow_or_the_date() -> None:
    midnight = datetime(2025, 6, 2, 22, 0, tzinfo=UTC)  # Tuesday 00:00 in Berlin
    said = wording.talk.paused(midnight, "Europe/Berlin", day_only=True, now=NOW)
    assert said.startswith("⏸ Paused until tomorrow: your nudges come back when you wake up")
    later = wording.talk.paused(
        midnight + timedelta(days=3), "Europe/Berlin", day_only=True, now=NOW
    )
    assert later.startswith("⏸ Paused until Fri 6 Jun:")


async def test_first_aid_is_not_sent_twice_within_six_hours(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async def hurts(session: AsyncSession, user: User, at: datetime) -> flows_reply.Reply:
        said = guide.reader.read("my back just went into spasm", Situation(now=at))
        return await conversation.typed(
            flows_reply.Visit(session, user, at), said, guide, texts, per_minute=6
        )

    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        first = await hurts(session, user, NOW)
        again = await hurts(session, user, NOW + timedelta(hours=1))
        later = await hurts(session, user, NOW + care.FIRST_AID_EVERY + timedelta(minutes=1))
    assert texts.first_aid in first.screen.text
    assert again.screen == wording.talk.DISTRESS_AGAIN
    assert texts.first_aid not in again.screen.text
    assert texts.first_aid in later.screen.text


async def test_in_care_mode_it_still_hurts_gets_the_plan_without_the_steps_again(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        started = await care.start_flare(flows_reply.Visit(session, user, NOW), texts)
        at = NOW + timedelta(hours=2)
        said = guide.reader.read("my back is still spasming, it hurts", Situation(now=at))
        reply = await conversation.typed(
            flows_reply.Visit(session, user, at), said, guide, texts, per_minute=6
        )
    assert texts.first_aid in started.screen.text
    assert texts.first_aid not in reply.screen.text
    assert wording.talk.STILL_APPLIES in reply.screen.text
