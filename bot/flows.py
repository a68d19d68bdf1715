"""What each button, command and typed answer does to someone's settings, and what to show.

Where onboarding stands, and which typed answer is expected, are read from and written
to the user's row, so any bot process can take the next update.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import render
from bot.callbacks import AskFor, Callback, Do, NudgeButton, OpenMenu, SetValue, Toggle
from bot.render import Screen
from jobs import schedule
from jobs.profile import (
    Change,
    Pause,
    Resume,
    SetEnabled,
    SetPostureEvery,
    SetStretchTime,
    SetWaking,
    SetWaterGlass,
    SetWaterGoal,
    SetWork,
    SetZone,
    apply_change,
    parse_field,
    profile_of,
)
from storage.models import User
from storage.repositories import UserRepository

# Onboarding: each step, the field it asks for, and the step after it.
_STEPS = {"timezone": ("tz", "hours"), "hours": ("hours", "nudges")}


@dataclass(frozen=True, slots=True)
class Reply:
    """What to answer: a screen, and a short notice for a button press."""

    screen: Screen
    notice: str | None = None


def onboarding_screen(user: User) -> Screen:
    """Show the open onboarding step, and wait for its typed answer if it takes one."""
    step = user.onboarding_step
    if step in _STEPS:
        user.awaiting = _STEPS[step][0]
        return render.question(_STEPS[step][0], onboarding=True)
    user.awaiting = None
    return render.nudge_choice(profile_of(user))


def _advance(user: User, field: str) -> None:
    step = _STEPS.get(user.onboarding_step or "")
    if step and step[0] == field:
        user.onboarding_step = step[1]


def _after_change(user: User, *, now: datetime) -> Screen:
    if user.onboarding_step:
        return onboarding_screen(user)
    return render.settings_menu(profile_of(user), now=now)


def change_setting(user: User, field: str, text: str, *, now: datetime) -> Reply:
    """Apply a typed or picked value of one field; InputError leaves everything unchanged."""
    change = parse_field(field, text)
    apply_change(user, change, now=now)
    user.awaiting = None
    _advance(user, field)
    return Reply(_after_change(user, now=now), render.SAVED)


def press(user: User, action: Callback, *, now: datetime) -> Reply:
    """Carry out a button press for its sender."""
    match action:
        case SetValue(field, value):
            return change_setting(user, field, value, now=now)
        case Toggle(kind):
            enabled = not getattr(user.preferences, f"{kind.value}_enabled")
            apply_change(user, SetEnabled(kind, enabled), now=now)
            return Reply(_after_change(user, now=now), render.SAVED)
        case OpenMenu("close"):
            user.awaiting = None
            return Reply(render.summary(profile_of(user), now=now))
        case OpenMenu("main"):
            user.awaiting = None
            return Reply(render.settings_menu(profile_of(user), now=now))
        case OpenMenu(name):
            return Reply(render.question(name, onboarding=False))
        case AskFor(field):
            user.awaiting = field
            return Reply(render.typing_prompt(field))
        case Do("finish"):
            user.onboarding_step = user.awaiting = None
            screen = render.summary(profile_of(user), now=now)
            return Reply(Screen("You're all set ✅\n\n" + screen.text, screen.rows))
        case Do("resume"):
            apply_change(user, Resume(), now=now)
            return Reply(render.settings_menu(profile_of(user), now=now), "Nudges resumed")
        case _:
            raise ValueError(f"not a settings button: {action}")


async def nudge_pressed(
    session: AsyncSession, user: User, button: NudgeButton, *, now: datetime
) -> Reply:
    """Carry out a button on a nudge: log a glass or a break, snooze, or skip."""
    kind, action = button.kind, button.action
    if action == "drink":
        logged = await schedule.log_water(session, user, now=now)
        return Reply(Screen(render.water_logged(logged, zone=user.timezone)), "+1 glass")
    if action == "done":
        due = await schedule.log_done(session, user, kind, now=now)
        return Reply(Screen(render.done(kind, due, zone=user.timezone)), "Logged ✓")
    if action == "snooze":
        due = await schedule.snooze(session, user, kind, now=now)
        return Reply(Screen(render.moved("⏰ Snoozed", due, zone=user.timezone)), "Snoozed")
    due = await schedule.skip(session, user, kind, now=now)
    return Reply(Screen(render.moved("Skipped", due, zone=user.timezone)), "Skipped")


async def forget(session: AsyncSession, user: User) -> Screen:
    """Delete everything stored about someone."""
    await UserRepository(session).delete(user)
    return Screen(render.FORGOTTEN)


def apply_command(user: User, change: Change, *, now: datetime) -> str:
    """Apply a change typed as a command and say what it did."""
    apply_change(user, change, now=now)
    for field, kind in (("tz", SetZone), ("hours", SetWaking)):
        if isinstance(change, kind):
            user.awaiting = None
            _advance(user, field)
    text = confirmation(user, change, now=now)
    if user.onboarding_step:
        text += " Send /start to finish setting up."
    return text


def confirmation(user: User, change: Change, *, now: datetime) -> str:
    """Say in one line what a change did."""
    profile = profile_of(user)
    match change:
        case SetZone(zone):
            local = now.astimezone(profile_zone(zone))
            return f"Time zone set to {zone} (it's {local:%H:%M} there now)."
        case SetWaking(window):
            return (
                f"Awake {window}; I'll stay quiet from {window.end:%H:%M} to {window.start:%H:%M}."
            )
        case SetWork():
            return f"Posture breaks during work: {profile.work_days} {profile.work}."
        case SetEnabled(kind, enabled):
            return f"{kind.value.capitalize()} nudges {'on' if enabled else 'off'}."
        case SetWaterGoal() | SetWaterGlass():
            return (
                f"Water goal {profile.water_goal_ml} ml a day: {profile.glasses_per_day} "
                f"glasses of {profile.water_glass_ml} ml."
            )
        case SetPostureEvery(minutes):
            return f"A posture break every {minutes} minutes while you work."
        case SetStretchTime(at):
            return f"Daily stretch at {at:%H:%M}."
        case Pause():
            assert profile.paused_until is not None  # set by apply_change
            until = profile.paused_until.astimezone(profile_zone(profile.zone))
            return f"Nudges paused until {until:%a %H:%M}. /resume brings them back."
        case Resume():
            return "Nudges resumed."


def profile_zone(zone: str | None) -> ZoneInfo:
    """Return a person's zone, UTC until they choose one."""
    return ZoneInfo(zone or "UTC")
