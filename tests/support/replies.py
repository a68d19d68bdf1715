"""Typed replies to a nudge still waiting, on a real database without Telegram: a message
sent earlier (`sent`), a part of each kind (`part`), and a typed reply read as the bot reads
it (`say`). Shared by the reply-in-context tests (tests/integration/bot)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.flows import conversation
from bot.flows import reply as flows_reply
from bot.wording.nudges import NudgeTexts
from guidance import Guide
from guidance.reading import Situation
from jobs.composer.content import (
    CareOffer,
    Content,
    GentleStretch,
    PainCheck,
    Posture,
    SessionAlarm,
    Water,
)
from jobs.composer.nudge import ACTIONS, NudgeMessage
from storage.kinds import DeliveryStatus, Treatment
from storage.models import Delivery, Event, NudgeKind, User

NOW = datetime(2025, 6, 2, 8, 30, tzinfo=UTC)  # Monday 10:30 in Berlin
Sessions = async_sessionmaker[AsyncSession]
MESSAGE_ID = 4242


# What a part of each kind says, for a message sent earlier.
CONTENT: dict[NudgeKind, Content] = {
    NudgeKind.WATER: Water(0, 8, 0),
    NudgeKind.POSTURE: Posture(0),
    NudgeKind.STRETCH: GentleStretch(),
    NudgeKind.CARE_OFFER: CareOffer(Treatment.ICE, 15, 20),
    NudgeKind.SESSION_END: SessionAlarm("take_off", Treatment.ICE, 20),
    NudgeKind.PAIN_CHECK: PainCheck(),
}


def part(kind: NudgeKind) -> NudgeMessage:
    return NudgeMessage(kind, CONTENT[kind], ACTIONS[kind])


async def sent(
    session: AsyncSession,
    user: User,
    *parts: NudgeMessage,
    ago: int = 5,
    message_id: int = MESSAGE_ID,
) -> None:
    """A nudge message sent `ago` minutes before NOW, its buttons still waiting."""
    at = NOW - timedelta(minutes=ago)
    message = NudgeMessage.of_parts(parts)
    session.add(
        Delivery(
            user_id=user.id,
            kind=message.kind,
            due_at=at,
            status=DeliveryStatus.SENT,
            attempts=1,
            payload=message.to_payload(),
            created_at=at,
            sent_at=at,
            message_id=message_id,
        )
    )
    await session.flush()


async def say(
    session: AsyncSession, user: User, text: str, guide: Guide, texts: NudgeTexts
) -> flows_reply.Reply:
    read = guide.reader.read(text, Situation(now=NOW, zone=ZoneInfo(user.timezone or "UTC")))
    return await conversation.typed(
        flows_reply.Visit(session, user, NOW), read, guide, texts, per_minute=6
    )


async def events(session: AsyncSession, user: User, kind: NudgeKind) -> list[Event]:
    rows = await session.scalars(select(Event).where(Event.user_id == user.id))
    return [
        row
        for row in rows
        if row.kind.value == (kind.value if kind is not NudgeKind.POSTURE else "posture_break")
    ]
