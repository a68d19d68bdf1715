"""The settings menus, the settings commands, and their buttons."""

from __future__ import annotations

import re
from datetime import datetime
from typing import assert_never

from bot import wording
from bot.callbacks import (
    AskFor,
    Do,
    OpenMenu,
    SettingsButton,
    SetValue,
    Toggle,
)
from bot.flows.onboarding import _advance, _after_change, _first_nudge
from bot.flows.reply import Reply, Visit
from bot.wording.common import Screen
from guidance.reading import replies
from guidance.reading.times import InputError
from jobs.rules.changes import (
    Change,
    Resume,
    SetEnabled,
    SetStretchTime,
    SetWaking,
    SetZone,
)
from jobs.rules.fields import parse_field
from jobs.rules.person import person_of
from jobs.services.profile import apply_change
from storage.models import NudgeKind, User

# The menu a settings command with nothing after it shows (`/water` shows the goal's).
_MENU_OF_COMMAND = {"timezone": "tz", "water": "goal", "posture": "every"}


async def settings_menu(visit: Visit) -> Reply:
    """Show the settings menu."""
    visit.user.awaiting = None
    return Reply(wording.settings.settings_menu(person_of(visit.user), now=visit.now))


async def command_menu(_visit: Visit, command: str) -> Reply:
    """Show the choices for a settings command sent with nothing after it (`/hours`)."""
    return Reply(wording.asking.question(_MENU_OF_COMMAND.get(command, command), onboarding=False))


async def command(visit: Visit, change: Change) -> Reply:
    """Apply a change typed as a command (`/hours 07:30-22:30`)."""
    return Reply(Screen(apply_command(visit.user, change, now=visit.now)), reschedule=True)


def change_setting(user: User, field: str, text: str, *, now: datetime) -> Reply:
    """Apply a typed or picked value of one field; InputError leaves everything unchanged."""
    change = parse_field(field, text)
    apply_change(user, change, now=now)
    user.awaiting = None
    _advance(user, field)
    screen = _noting_a_quiet_stretch(user, change, _after_change(user, now=now))
    return Reply(screen, wording.settings.SAVED, reschedule=True)


def _noting_a_quiet_stretch(user: User, change: Change, screen: Screen) -> Screen:
    """Put a note above the screen when a change leaves the stretch in quiet hours (it then
    comes at the wake-up)."""
    if isinstance(change, SetStretchTime | SetWaking) or change == SetEnabled(
        NudgeKind.STRETCH, True
    ):
        note = wording.settings.quiet_stretch_note(person_of(user))
        return screen.under(note) if note else screen
    return screen


def press(user: User, button: SettingsButton, *, now: datetime) -> Reply:
    """Carry out a settings button for its sender."""
    match button:
        case SetValue(field, value):
            return change_setting(user, field, value, now=now)
        case Toggle(kind):
            enabled = not getattr(user.preferences, f"{kind.value}_enabled")
            apply_change(user, SetEnabled(kind, enabled), now=now)
            screen = _noting_a_quiet_stretch(
                user, SetEnabled(kind, enabled), _after_change(user, now=now)
            )
            return Reply(screen, wording.settings.SAVED, reschedule=True)
        case OpenMenu("close"):
            user.awaiting = None
            return Reply(wording.settings.summary(person_of(user), now=now))
        case OpenMenu("main"):
            user.awaiting = None
            return Reply(wording.settings.settings_menu(person_of(user), now=now))
        case OpenMenu(name):
            return Reply(wording.asking.question(name, onboarding=False))
        case AskFor(field):
            user.awaiting = field
            return Reply(wording.asking.typing_prompt(field))
        case Do.FINISH:
            user.onboarding_step = user.awaiting = None
            person = person_of(user)
            plan = wording.settings.summary(person, now=now)
            first = _first_nudge(person, now)
            return Reply(
                wording.settings.all_set(plan, first, person.zone, now=now), reschedule=True
            )
        case Do.NO_BREAKS:
            apply_change(user, SetEnabled(NudgeKind.POSTURE, False), now=now)
            user.awaiting = None
            _advance(user, "work")
            return Reply(_after_change(user, now=now), wording.settings.SAVED, reschedule=True)
        case Do.RESUME:
            apply_change(user, Resume(), now=now)
            menu = wording.settings.settings_menu(person_of(user), now=now)
            return Reply(menu, wording.settings.RESUMED, reschedule=True)
        case _:
            assert_never(button)


def apply_command(user: User, change: Change, *, now: datetime) -> str:
    """Apply a change typed as a command and say what it did."""
    apply_change(user, change, now=now)
    for field, kind in (("tz", SetZone), ("hours", SetWaking)):
        if isinstance(change, kind):
            user.awaiting = None
            _advance(user, field)
    text = wording.settings.confirmation(change, person_of(user), now=now)
    if user.onboarding_step:
        return wording.settings.still_setting_up(text)
    return text


# What a settings screen asks, in the words of the reader of replies; and how each of its
# meanings is written for the setting's own parser.
_SETTING_ASKED = {"tz": "timezone", "hours": "wake_sleep", "goal": "water_goal"}
# A typed value this long or longer is a sentence, and read as one.
_SETTING_WORDS = 5
_QUESTION = re.compile(
    r"(?:what|how|why|when|where|which|who|is|are|can|could|should|do|does)\b|.*\?$"
)


def setting_said(field: str, text: str) -> str:
    """Return a typed setting as its parser reads it: as typed when the parser takes it,
    else as the reader of replies understood it ("8am to 11pm", "new yrok", "2 litres")."""
    if len(text.split()) > _SETTING_WORDS or _QUESTION.match(text.strip().lower()):
        return text  # a sentence or a question is not a value ("what is the capital of France")
    try:
        parse_field(field, text)
    except InputError:
        asked = _SETTING_ASKED.get(field)
        meaning = replies.understand(asked, text) if asked is not None else ""
        kind, _, value = meaning.partition(":")
        if kind in ("zone", "ml", "time", "range") and value:
            return value
    return text
