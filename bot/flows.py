"""What each button, command and typed answer does to someone's settings, and what to show.

Where onboarding stands, and which typed answer is expected, are read from and written
to the user's row, so any bot process can take the next update.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import render
from bot.callbacks import AskFor, Callback, Do, NudgeButton, OpenMenu, SetValue, Toggle
from bot.render import Screen
from jobs.pure.nudges import NudgeTexts, session_of
from jobs.pure.person import person_of
from jobs.pure.planning import zone_of
from jobs.services import care, schedule
from jobs.services.profile import (
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
)
from storage.models import NudgeKind, Treatment, User
from storage.repositories import UserRepository, first_press

# Onboarding: each step, the field it asks for, and the step after it.
_STEPS = {"timezone": ("tz", "hours"), "hours": ("hours", "nudges")}


class StaleButton(Exception):
    """A button whose subject is gone or was never its presser's: nothing is done."""


@dataclass(frozen=True, slots=True)
class Reply:
    """What to answer: a screen, and a short notice for a button press."""

    screen: Screen
    notice: str | None = None
    # Whether settings changed, so the person's nudges must be rescheduled.
    changed: bool = False


def onboarding_screen(user: User) -> Screen:
    """Show the open onboarding step, and wait for its typed answer if it takes one."""
    step = user.onboarding_step
    if step in _STEPS:
        user.awaiting = _STEPS[step][0]
        return render.question(_STEPS[step][0], onboarding=True)
    user.awaiting = None
    return render.nudge_choice(person_of(user))


def _advance(user: User, field: str) -> None:
    step = _STEPS.get(user.onboarding_step or "")
    if step and step[0] == field:
        user.onboarding_step = step[1]


def _after_change(user: User, *, now: datetime) -> Screen:
    if user.onboarding_step:
        return onboarding_screen(user)
    return render.settings_menu(person_of(user), now=now)


def change_setting(user: User, field: str, text: str, *, now: datetime) -> Reply:
    """Apply a typed or picked value of one field; InputError leaves everything unchanged."""
    change = parse_field(field, text)
    apply_change(user, change, now=now)
    user.awaiting = None
    _advance(user, field)
    return Reply(_after_change(user, now=now), render.SAVED, changed=True)


def press(user: User, action: Callback, *, now: datetime) -> Reply:
    """Carry out a button press for its sender."""
    match action:
        case SetValue(field, value):
            return change_setting(user, field, value, now=now)
        case Toggle(kind):
            enabled = not getattr(user.preferences, f"{kind.value}_enabled")
            apply_change(user, SetEnabled(kind, enabled), now=now)
            return Reply(_after_change(user, now=now), render.SAVED, changed=True)
        case OpenMenu("close"):
            user.awaiting = None
            return Reply(render.summary(person_of(user), now=now))
        case OpenMenu("main"):
            user.awaiting = None
            return Reply(render.settings_menu(person_of(user), now=now))
        case OpenMenu(name):
            return Reply(render.question(name, onboarding=False))
        case AskFor(field):
            user.awaiting = field
            return Reply(render.typing_prompt(field))
        case Do("finish"):
            user.onboarding_step = user.awaiting = None
            screen = render.summary(person_of(user), now=now)
            return Reply(Screen("You're all set ✅\n\n" + screen.text, screen.rows), changed=True)
        case Do("resume"):
            apply_change(user, Resume(), now=now)
            menu = render.settings_menu(person_of(user), now=now)
            return Reply(menu, "Nudges resumed", changed=True)
        case _:
            raise ValueError(f"not a settings button: {action}")


async def nudge_pressed(
    session: AsyncSession,
    user: User,
    button: NudgeButton,
    texts: NudgeTexts,
    *,
    message_id: int,
    now: datetime,
) -> Reply:
    """Carry out a button on a nudge: log, start or take off, snooze, or skip.

    A nudge message's buttons act once, however often (or however fast) they are pressed.
    """
    if not await first_press(session, user.id, message_id, now=now):
        raise StaleButton(render.ALREADY_NOTED)
    kind, action, zone = button.kind, button.action, user.timezone
    if kind is NudgeKind.PAIN_CHECK:
        logged = await care.log_pain(session, user, int(action), now=now)
        if logged is None:
            raise StaleButton(render.OLD_CHECK_IN)
        return Reply(Screen(render.pain_logged(logged, texts)), "Noted")
    if kind is NudgeKind.SESSION_END:
        taken_off = await care.take_off(session, user, now=now, session_id=session_of(action))
        if taken_off is None:  # not a session of theirs
            raise StaleButton(render.EXPIRED_SESSION)
        return Reply(Screen(render.TAKEN_OFF), "Noted")
    if kind is NudgeKind.CARE_OFFER and action != "skip":
        if await care.open_flare(session, user) is None:
            raise StaleButton(render.EXPIRED_OFFER)
        started = await care.start_session(session, user, Treatment(action), now=now)
        return Reply(Screen(render.session_started(started, texts, zone=zone)), "Started")
    if action == "drink":
        try:
            logged_water = await schedule.log_water(session, user, now=now)
        except schedule.NeedsConfirmation:
            raise StaleButton(render.TOO_MUCH_WATER_ON_A_NUDGE) from None
        return Reply(Screen(render.water_logged(logged_water, zone=zone)), "+1 glass")
    if action == "done":
        due = await schedule.log_done(session, user, kind, now=now)
        return Reply(Screen(render.done(kind, due, zone=zone)), "Logged ✓")
    if action == "snooze":
        due = await schedule.snooze(session, user, kind, now=now)
        return Reply(Screen(render.moved("⏰ Snoozed", due, zone=zone)), "Snoozed")
    due = await schedule.skip(session, user, kind, now=now)
    return Reply(Screen(render.moved("Skipped", due, zone=zone)), "Skipped")


async def flare_pressed(
    session: AsyncSession, user: User, action: str, texts: NudgeTexts, *, now: datetime
) -> Screen:
    """Start care mode from its button, or take the answer to the warning-sign question."""
    match action:
        case "flare":
            return await start_flare(session, user, texts, now=now)
        case "redflag_yes":
            await care.answer_red_flags(session, user, present=True, now=now)
            return render.seeking_help(texts)
        case "redflag_no":
            episode = await care.answer_red_flags(session, user, present=False, now=now)
            return render.flare_plan(schedule.plan_of(episode), zone=user.timezone)
        case "seen":
            seen = await care.seen(session, user, now=now)
            if seen is None:
                raise StaleButton(render.EXPIRED_BUTTON)
            return render.care_resumed(schedule.plan_of(seen), zone=user.timezone)
        case "no_flare":
            return Screen(render.NO_FLARE)
        case _:
            raise ValueError(f"not a care-mode button: {action}")


async def start_flare_with_pain(
    session: AsyncSession, user: User, score: int, texts: NudgeTexts, *, now: datetime
) -> Screen:
    """Start care mode from `/pain` outside it: note the score, then first aid and the question.

    A 9 or 10 got its urgent advice with the `/pain` command already.
    """
    started = await start_flare(session, user, texts, now=now)
    logged = await care.log_pain(session, user, score, now=now, start=True)
    assert logged is not None  # care mode was just started
    noted = render.pain_logged(replace(logged, urgent=False), texts)
    return Screen(f"{noted}\n\n{started.text}", started.rows)


async def start_flare(
    session: AsyncSession, user: User, texts: NudgeTexts, *, now: datetime
) -> Screen:
    """Start an episode (first aid and the red-flag question), or say where it stands."""
    episode, new = await care.start_flare(session, user, now=now)
    if new:
        return render.flare_started(texts)
    scores = await care.pain_scores(session, episode)
    status = render.flare_status(schedule.plan_of(episode), scores, now=now, zone=user.timezone)
    return Screen(
        f"{status}\n/ice or /heat starts a session, /pain 0-10 logs today's pain, and /better "
        "ends care mode."
    )


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
    profile = person_of(user)
    match change:
        case SetZone(zone):
            local = now.astimezone(zone_of(zone))
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
            until = render.at(profile.paused_until, profile.zone)
            return f"Nudges paused until {until}. /resume brings them back."
        case Resume():
            return "Nudges resumed."
