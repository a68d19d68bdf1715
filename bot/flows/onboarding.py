"""The first steps: zone, hours, and the first nudge."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import assert_never

from bot import wording
from bot.flows.reply import Arrival, Reply, Visit
from bot.wording.common import Screen
from jobs.rules import planning
from jobs.rules.person import Person, person_of
from jobs.rules.planning import DAILY_KINDS, Facts
from storage.models import NudgeKind, User

# Onboarding: each step, the field it asks for, and the step after it.
_STEPS = {
    "timezone": ("tz", "hours"),
    "hours": ("hours", "nudges"),
    # Only when the work hours fall outside the waking hours chosen (a night or evening).
    "work": ("work", "nudges"),
}


def onboarding_screen(user: User) -> Screen:
    """Show the open onboarding step, and wait for its typed answer if it takes one."""
    step = user.onboarding_step
    if step == "work":
        user.awaiting = "work"
        return wording.asking.work_outside_waking(person_of(user))
    if step in _STEPS:
        user.awaiting = _STEPS[step][0]
        return wording.asking.question(_STEPS[step][0], onboarding=True)
    user.awaiting = None
    return wording.settings.nudge_choice(person_of(user))


def _set_up_first(user: User) -> Screen | None:
    """Return the onboarding screen if someone has not finished setting up, else None."""
    if user.onboarding_step is None:
        return None
    return wording.settings.set_up_first(onboarding_screen(user))


def _advance(user: User, field: str) -> None:
    step = _STEPS.get(user.onboarding_step or "")
    if step and step[0] == field:
        user.onboarding_step = step[1]
        if field == "hours" and not _work_fits(person_of(user)):
            user.onboarding_step = "work"  # a night or evening: ask when they work


def _first_nudge(person: Person, now: datetime) -> tuple[NudgeKind, datetime] | None:
    """Return the first everyday nudge someone just set up will get, and when."""
    planned = [
        (due, kind)
        for kind in DAILY_KINDS
        if (due := planning.next_due(person, kind, Facts(), now=now)) is not None
    ]
    if not planned:
        return None
    due, kind = min(planned)
    return kind, due


def _work_fits(person: Person) -> bool:
    """Tell whether the work hours lie inside the waking hours (else no break would come)."""
    last_minute = (datetime.combine(date.min, person.work.end) - timedelta(minutes=1)).time()
    return person.waking.contains(person.work.start) and person.waking.contains(last_minute)


def _after_change(user: User, *, now: datetime) -> Screen:
    if user.onboarding_step:
        return onboarding_screen(user)
    return wording.settings.settings_menu(person_of(user), now=now)


async def start(visit: Visit) -> Reply:
    """Welcome and onboard a newcomer, or show a returning person their plan."""
    user = visit.user
    screen = (
        onboarding_screen(user)
        if user.onboarding_step
        else wording.settings.summary(person_of(user), now=visit.now)
    )
    match visit.arrival:
        case Arrival.NEW:
            return Reply(Screen(wording.common.WELCOME), then=(screen,))
        case Arrival.BACK:
            return Reply(Screen(wording.common.WELCOME_BACK), then=(screen,))
        case Arrival.KNOWN:
            return Reply(screen)
        case _:
            assert_never(visit.arrival)
