"""Factories for the models and domain values the tests use."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.wording.answers import ANSWER_WORDS
from bot.wording.nudges import NudgeTexts
from guidance import Guide
from jobs.composer.nudge import NudgeMessage
from jobs.rules.person import Person
from jobs.rules.windows import MONDAY_TO_FRIDAY, TimeWindow
from jobs.services.profile import NewUserDefaults, find_or_create_user
from storage.models import CareSession, NudgeKind, Treatment, User

DEFAULTS = NewUserDefaults(
    waking=TimeWindow(time(8), time(22)),
    work=TimeWindow(time(9), time(17)),
    work_days=MONDAY_TO_FRIDAY,
    water_goal_ml=2000,
    water_glass_ml=250,
    posture_every_minutes=60,
    stretch_time=time(19),
)


def a_person(**changes: object) -> Person:
    """Someone set up in Berlin, awake 07:00-23:00, at work 09:00-17:00 on weekdays, every
    nudge on (as a plain value: no database)."""
    base = Person(
        id=7,
        chat_id=7,
        zone="Europe/Berlin",
        waking=TimeWindow(time(7), time(23)),
        work=TimeWindow(time(9), time(17)),
        work_days=MONDAY_TO_FRIDAY,
        water=True,
        water_goal_ml=2000,
        water_glass_ml=250,
        posture=True,
        posture_every_minutes=60,
        stretch=True,
        stretch_time=time(19),
        paused_until=None,
        onboarding_step=None,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


async def make_user(session: AsyncSession, telegram_id: int = 1001) -> User:
    """Create (or find) a person with the default settings, chat id = Telegram id."""
    user, _ = await find_or_create_user(
        session, telegram_id=telegram_id, chat_id=telegram_id, defaults=DEFAULTS
    )
    return user


async def make_ready_user(
    session: AsyncSession, telegram_id: int = 1001, *, zone: str = "Europe/Berlin"
) -> User:
    """Create a person who finished onboarding in a zone, with every nudge on."""
    user = await make_user(session, telegram_id)
    user.timezone = zone
    user.onboarding_step = None
    user.awaiting = None
    await session.flush()
    return user


def care_session(
    user_id: int, flare_id: int, started: datetime, treatment: Treatment, *, off: int | None = 15
) -> CareSession:
    """An ice or heat session of 15 minutes, taken off `off` minutes after it started (None:
    never said to be off)."""
    return CareSession(
        user_id=user_id,
        flare_id=flare_id,
        treatment=treatment,
        started_at=started,
        step=0,
        step_ends_at=started + timedelta(minutes=15),
        taken_off_at=None if off is None else started + timedelta(minutes=off),
    )


class DrivenClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def now(self) -> datetime:
        """Return the current (driven) time."""
        return self.moment

    def advance(self, span: timedelta) -> None:
        """Move the clock forward."""
        self.moment += span

    def set(self, moment: datetime) -> None:
        """Put the clock at a moment."""
        self.moment = moment


@functools.cache
def nudge_texts() -> NudgeTexts:
    """The nudges' words from the packaged knowledge base, loaded once."""
    return NudgeTexts(Guide.load(words=ANSWER_WORDS))


@dataclass(frozen=True, slots=True)
class SaidNudge:
    """A nudge as the bot says it (`bot.wording.nudges`): its kind, its words and its first
    part's buttons as (label, action), each part likewise, and the content it says."""

    kind: NudgeKind
    text: str
    buttons: tuple[tuple[str, str], ...]
    parts: tuple[SaidNudge, ...]
    content: NudgeMessage


def said(message: NudgeMessage, texts: NudgeTexts | None = None) -> SaidNudge:
    """Say a nudge in words, as the bot's sender does."""
    words = texts or nudge_texts()
    parts = tuple(
        SaidNudge(part.kind, text, words.buttons(part), (), part)
        for part, text in zip(message.parts, words.part_texts(message), strict=True)
    )
    return SaidNudge(message.kind, words.say(message), parts[0].buttons, parts, message)


class RecordingSender:
    """Collects what would go to Telegram, said in words; can be told to fail, or to hang."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, SaidNudge]] = []
        self.failures: dict[int, list[Exception]] = {}
        self.block: asyncio.Event | None = None
        # Set when a send begins: a test waits on it rather than sleeping.
        self.sending = asyncio.Event()
        self.edits: list[tuple[int, int, SaidNudge, bool]] = []

    async def send(self, chat_id: int, message: NudgeMessage) -> int:
        """Record the nudge, or raise the next failure queued for this chat."""
        self.sending.set()
        if self.block is not None:
            await self.block.wait()
        queued = self.failures.get(chat_id)
        if queued:
            raise queued.pop(0)
        self.sent.append((chat_id, said(message)))
        return len(self.sent)

    async def edit(
        self, chat_id: int, message_id: int, message: NudgeMessage, with_text: bool
    ) -> None:
        """Record an edit of an earlier nudge."""
        self.edits.append((chat_id, message_id, said(message), with_text))

    def kinds(self) -> Counter[tuple[int, NudgeKind]]:
        """Count sends per chat and kind (a merged message counts once per part)."""
        return Counter((chat, part.kind) for chat, message in self.sent for part in message.parts)

    def take(self) -> list[tuple[int, SaidNudge]]:
        """Return what was sent since the last call, and forget it."""
        sent, self.sent = self.sent, []
        return sent
