"""A guided stretch session's reads and writes: which set fits now, and logging it done.

The decision itself is `jobs.rules.flare.stretch_set` (the calm plan); the log is the one
the stretch prompt's Done makes (`schedule.log_done`), once per session and per prompt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from jobs.rules import flare
from jobs.services import care, facts, schedule
from storage.models import NudgeKind, User
from storage.repositories import first_press

# The part a finished session's message records as pressed: it logs once, however pressed.
SESSION_PART = "guided"


async def stretch_set_now(session: AsyncSession, user: User, *, now: datetime) -> flare.StretchSet:
    """Tell which stretches fit someone now: the full routine, the gentle set, or none."""
    episode = await care.open_flare(session, user)
    held = user.held_for_help_since is not None
    if episode is None:
        return flare.stretch_set(None, [], now, seeking_help=held)
    seeking_help = held or (bool(episode.red_flags) and episode.seen_at is None)
    scores = await care.checkins(session, episode)
    return flare.stretch_set(facts.plan_of(episode), scores, now, seeking_help=seeking_help)


@dataclass(frozen=True, slots=True)
class SessionLogged:
    """How logging a finished session went: whether it logged, and the next prompt."""

    logged: bool
    next_due: datetime | None = None


async def log_session(
    session: AsyncSession, user: User, *, message_id: int, prompt: int, now: datetime
) -> SessionLogged:
    """Log the daily stretch as done, as the prompt's Done does; once per session message,
    and not again if the prompt it began from was already answered."""
    if not await first_press(session, user.id, message_id, kind=SESSION_PART, now=now):
        return SessionLogged(logged=False)
    kind = NudgeKind.STRETCH
    if prompt and not await first_press(session, user.id, prompt, kind=kind.value, now=now):
        return SessionLogged(logged=False)
    return SessionLogged(True, await schedule.log_done(session, user, kind, now=now))
