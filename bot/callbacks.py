"""Button payloads: built and parsed strictly, so a forged or stale button does nothing.

The payload never names a user: handlers always act for the update's sender.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jobs.pure.nudges import ACTIONS as NUDGE_ACTIONS
from jobs.pure.planning import DAILY_KINDS
from jobs.services.profile import FIELDS
from storage.models import NudgeKind

MAX_BYTES = 64  # Telegram's limit for callback_data

# Menus that offer a few values for one setting, and the settings menu itself.
MENUS = frozenset({"main", "close", *FIELDS})
ACTIONS = frozenset(
    {
        "finish",
        "resume",
        "forget",
        "keep",
        "flare",
        "redflag_yes",
        "redflag_no",
        "seen",
        "no_flare",
        "keep_water",
    }
)


_PAIN_SCORES = frozenset(str(score) for score in range(11))
MAX_ML = 2000  # the most one logged drink can be (`/drank 2000`)
# Row ids are 32-bit integers in the database: a bigger number is not one of ours.
MAX_ID = 2**31 - 1


def _is_id(text: str) -> bool:
    """Tell whether text is a row id the bot could have put on a button."""
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID


class CallbackDataError(ValueError):
    """A button payload that is not one of ours."""


@dataclass(frozen=True, slots=True)
class SetValue:
    """Set a field to a value, read by the field's own parser."""

    field: str
    value: str


@dataclass(frozen=True, slots=True)
class Toggle:
    """Turn a kind of nudge on or off."""

    kind: NudgeKind


@dataclass(frozen=True, slots=True)
class OpenMenu:
    """Show a menu (or close the settings menu)."""

    name: str


@dataclass(frozen=True, slots=True)
class AskFor:
    """Ask the user to type a field's value."""

    field: str


@dataclass(frozen=True, slots=True)
class Do:
    """A one-off action: finish onboarding, resume, forget me."""

    action: str


@dataclass(frozen=True, slots=True)
class Vote:
    """👍 or 👎 on an answer; the answer must belong to whoever presses."""

    question_id: int
    helpful: bool


@dataclass(frozen=True, slots=True)
class NudgeButton:
    """A button on a nudge: log a glass, done, snooze or skip; for the presser only."""

    kind: NudgeKind
    action: str


@dataclass(frozen=True, slots=True)
class StartFlareWithPain:
    """Start care mode and note a pain score typed outside it (`/pain 7`)."""

    score: int


@dataclass(frozen=True, slots=True)
class ConfirmDrink:
    """Log a drink that takes the day past the daily amount that needs confirming."""

    ml: int


Callback = (
    SetValue
    | Toggle
    | OpenMenu
    | AskFor
    | Do
    | Vote
    | NudgeButton
    | StartFlareWithPain
    | ConfirmDrink
)

_PATTERN = re.compile(r"(set|tog|menu|ask|do|vote|nud):([a-z_]{1,16})(?::([\w+\-:/ .]{1,40}))?")


def encode(callback: Callback) -> str:
    """Return the payload for a button."""
    match callback:
        case SetValue(field, value):
            data = f"set:{field}:{value}"
        case Toggle(kind):
            data = f"tog:{kind.value}"
        case OpenMenu(name):
            data = f"menu:{name}"
        case AskFor(field):
            data = f"ask:{field}"
        case Do(action):
            data = f"do:{action}"
        case Vote(question_id, helpful):
            data = f"vote:{'up' if helpful else 'down'}:{question_id}"
        case NudgeButton(kind, action):
            data = f"nud:{kind.value}:{action}"
        case StartFlareWithPain(score):
            data = f"do:flare_pain:{score}"
        case ConfirmDrink(ml):
            data = f"do:drink_ok:{ml}"
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"button payload too long: {data!r}")
    return data


def decode(data: str | None) -> Callback:
    """Parse a payload, raising CallbackDataError for anything we did not make."""
    match = _PATTERN.fullmatch(data or "")
    if match is None:
        raise CallbackDataError("unrecognised button")
    verb, name, value = match.groups()
    if verb == "set" and name in FIELDS and value:
        return SetValue(name, value)
    if verb == "nud" and name in NudgeKind.__members__.values() and value:
        kind = NudgeKind(name)
        if value in {action for _, action in NUDGE_ACTIONS[kind]}:
            return NudgeButton(kind, value)
        if kind is NudgeKind.SESSION_END and _is_id(value.removeprefix("done.")):
            return NudgeButton(kind, value)
    if verb == "do" and name == "flare_pain" and value in _PAIN_SCORES:
        return StartFlareWithPain(int(value))
    if verb == "do" and name == "drink_ok" and value and _is_id(value) and int(value) <= MAX_ML:
        return ConfirmDrink(int(value))
    if verb == "vote" and name in ("up", "down") and value and _is_id(value):
        return Vote(int(value), helpful=name == "up")
    if value is not None:
        raise CallbackDataError("unexpected value")
    if verb == "tog" and name in {kind.value for kind in DAILY_KINDS}:
        return Toggle(NudgeKind(name))
    if verb == "menu" and name in MENUS:
        return OpenMenu(name)
    if verb == "ask" and name in FIELDS:
        return AskFor(name)
    if verb == "do" and name in ACTIONS:
        return Do(name)
    raise CallbackDataError("unrecognised button")
