"""Factories for the models and domain values the tests use."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from jobs.profile import NewUserDefaults, find_or_create_user
from jobs.windows import MONDAY_TO_FRIDAY, TimeWindow
from storage.models import User

DEFAULTS = NewUserDefaults(
    waking=TimeWindow(time(8), time(22)),
    work=TimeWindow(time(9), time(17)),
    work_days=MONDAY_TO_FRIDAY,
    water_goal_ml=2000,
    water_glass_ml=250,
    posture_every_minutes=60,
    stretch_time=time(19),
)


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
