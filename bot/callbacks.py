"""Button payloads: built and parsed strictly, so a forged or stale button does nothing.

The payload never names a user: handlers always act for the update's sender.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Literal, assert_never

from guidance.reading.forgiving import COMMAND_WORDS
from jobs.composer.decisions import SLOWS_DOWN
from jobs.composer.nudge import ACTIONS as NUDGE_ACTIONS
from jobs.composer.nudge import BETTER, REST_TODAY
from jobs.rules.fields import FIELDS
from jobs.rules.guided import Move
from jobs.rules.planning import DAILY_KINDS
from storage.models import NudgeKind

MAX_BYTES = 64  # Telegram's limit for callback_data

# Menus that offer a few values for one setting, and the settings menu itself.
MENUS = frozenset({"main", "close", *FIELDS})


class Do(enum.StrEnum):
    """A one-off button; its value is the payload's name (`do:finish`), kept stable.

    Buttons sit in people's chats for months: a value here never changes, it is only added.
    """

    FINISH = "finish"  # finish setting up
    RESUME = "resume"  # resume paused nudges
    FORGET = "forget"  # yes, delete everything stored about me
    KEEP = "keep"  # no, keep it
    FLARE = "flare"  # my back just went into spasm
    REDFLAG_YES = "redflag_yes"
    REDFLAG_NO = "redflag_no"
    SEEN = "seen"  # I've been seen by a doctor: resume care
    NO_FLARE = "no_flare"  # don't start care mode for a pain score
    KEEP_WATER = "keep_water"  # don't log a drink past the daily amount that needs confirming
    NO_BREAKS = "no_breaks"  # setting up, awake outside the work hours: no posture breaks
    COMMANDS = "commands"  # the short help: show every command instead
    HELP = "help"  # every command: back to the short help
    MONTH = "month"  # show the progress chart for the last 30 days
    SIGN_YES = "sign_yes"  # yes to the warning-sign question asked when triage was unsure
    SIGN_NO = "sign_no"  # no to it: answer the message that made the bot ask
    UNDO = "undo"  # take back the last thing logged (ten minutes)


_DO_NAMES = frozenset(do.value for do in Do)


class NudgeAction(enum.Enum):
    """What a button on a nudge asks for.

    The payload keeps the words of `jobs.composer.nudge.ACTIONS` (`nud:water:drink`,
    `nud:session_end:done.12`, `nud:pain_check:7`); `NudgeButton.asks` reads them as one of these.
    """

    DRINK = enum.auto()  # log a glass of water
    DONE = enum.auto()  # a posture break or the stretch is done
    SNOOZE = enum.auto()
    SKIP = enum.auto()
    START = enum.auto()  # start the offered session: the payload names its treatment
    TAKE_OFF = enum.auto()  # the ice or heat is off (`done`, or `done.12` for session 12)
    NOTE_PAIN = enum.auto()  # the morning check-in: the payload is the score
    BETTER = enum.auto()  # after a week, the check-in's "it's better: end care mode"
    REST = enum.auto()  # after several missed: pause this kind of nudge for today


REST_WORD = REST_TODAY

# The words of the daily nudges' and the care offer's buttons.
_NUDGE_WORDS = {
    "drink": NudgeAction.DRINK,
    "done": NudgeAction.DONE,
    "snooze": NudgeAction.SNOOZE,
    "skip": NudgeAction.SKIP,
    "ice": NudgeAction.START,
    "heat": NudgeAction.START,
    "alternate": NudgeAction.START,
    REST_WORD: NudgeAction.REST,
}


BETTER_WORD = BETTER


def _nudge_action(kind: NudgeKind, word: str) -> NudgeAction | None:
    """Read the word on a nudge's button, or None for a word no button of ours has."""
    if kind is NudgeKind.PAIN_CHECK:
        return NudgeAction.BETTER if word == BETTER_WORD else NudgeAction.NOTE_PAIN
    if kind is NudgeKind.SESSION_END:
        return NudgeAction.TAKE_OFF
    return _NUDGE_WORDS.get(word)


_PAIN_SCORES = frozenset(str(score) for score in range(11))
MAX_ML = 2000  # the most one logged drink can be (`/drank 2000`)
# Row ids are 32-bit integers in the database: a bigger number is not one of ours.
MAX_ID = 2**31 - 1


def _is_id(text: str) -> bool:
    """Tell whether text is a row id the bot could have put on a button."""
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID


def _is_session_done(text: str) -> bool:
    """Tell whether text says one session is off (`done.12`)."""
    word, dot, number = text.partition(".")
    return word == "done" and dot == "." and _is_id(number)


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
class Vote:
    """👍 or 👎 on an answer; the answer must belong to whoever presses."""

    question_id: int
    helpful: bool


@dataclass(frozen=True, slots=True)
class NudgeButton:
    """A button on a nudge: log a glass, done, snooze or skip; for the presser only."""

    kind: NudgeKind
    action: str  # as `jobs.composer.nudge.ACTIONS` words it: `drink`, `done.12`, `7`

    @property
    def asks(self) -> NudgeAction:
        """Return what the button asks for."""
        asks = _nudge_action(self.kind, self.action)
        if asks is None:  # `decode` never makes such a button
            raise ValueError(f"not a nudge button's action: {self.action!r}")
        return asks


@dataclass(frozen=True, slots=True)
class GuidedPress:
    """A button of a guided stretch session; the session travels in the payload.

    `state` is the session packed by `bot.flows.guided` ("" for ▶️ Start on the stretch
    prompt, whose payload is the nudge's own `nud:stretch:guide`).
    """

    move: Move
    state: str = ""


@dataclass(frozen=True, slots=True)
class StartFlareWithPain:
    """Start care mode and note a pain score typed outside it (`/pain 7`)."""

    score: int


@dataclass(frozen=True, slots=True)
class ConfirmDrink:
    """Log a drink that takes the day past the daily amount that needs confirming."""

    ml: int


@dataclass(frozen=True, slots=True)
class Mean:
    """ "Did you mean …?": do what typing this word would (one of the command words)."""

    word: str


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
    | Mean
    | GuidedPress
)
# The buttons that change only someone's settings (and the screens for them).
SettingsButton = (
    SetValue | Toggle | OpenMenu | AskFor | Literal[Do.FINISH, Do.RESUME, Do.NO_BREAKS]
)

_PATTERN = re.compile(r"(set|tog|menu|ask|do|vote|nud|gs):([a-z_]{1,16})(?::([\w+\-:/ .]{1,40}))?")
# A guided session as its buttons carry it: prompt.codes.at.done.easier (bot.flows.guided).
GUIDED_STATE = re.compile(r"\d{1,10}\.[a-z]{1,9}\.\d\.\d\.[01]")
# The stretch prompt's ▶️ Start: a nudge button's payload, read as a guided session's start.
GUIDE_WORD = "guide"
_GUIDED_MOVES = frozenset(move.value for move in Move if move is not Move.START)


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
        case Do():
            data = f"do:{callback.value}"
        case Vote(question_id, helpful):
            data = f"vote:{'up' if helpful else 'down'}:{question_id}"
        case NudgeButton(kind, action):
            data = f"nud:{kind.value}:{action}"
        case StartFlareWithPain(score):
            data = f"do:flare_pain:{score}"
        case ConfirmDrink(ml):
            data = f"do:drink_ok:{ml}"
        case Mean(word):
            data = f"do:mean:{word}"
        case GuidedPress(Move.START, ""):
            data = f"nud:{NudgeKind.STRETCH.value}:{GUIDE_WORD}"
        case GuidedPress(move, state):
            data = f"gs:{move.value}:{state}"
        case _:
            assert_never(callback)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"button payload too long: {data!r}")
    return data


def decode(data: str | None) -> Callback:
    """Parse a payload, raising CallbackDataError for anything we did not make."""
    match = _PATTERN.fullmatch(data or "")
    if match is None:
        raise CallbackDataError("unrecognised button")
    verb, name, value = match.groups()
    if verb == "nud" and name == NudgeKind.STRETCH.value and value == GUIDE_WORD:
        return GuidedPress(Move.START)
    if verb == "gs" and name in _GUIDED_MOVES and value and GUIDED_STATE.fullmatch(value):
        return GuidedPress(Move(name), value)
    if verb == "set" and name in FIELDS and value:
        return SetValue(name, value)
    if verb == "nud" and name in NudgeKind.__members__.values() and value:
        kind = NudgeKind(name)
        offered = (
            value in NUDGE_ACTIONS[kind]
            or (kind is NudgeKind.PAIN_CHECK and value == BETTER_WORD)
            or (kind in SLOWS_DOWN and value == REST_WORD)
        )
        timed = kind is NudgeKind.SESSION_END and _is_session_done(value)
        if (offered or timed) and _nudge_action(kind, value) is not None:
            return NudgeButton(kind, value)
    if verb == "do" and name == "flare_pain" and value in _PAIN_SCORES:
        return StartFlareWithPain(int(value))
    if verb == "do" and name == "drink_ok" and value and _is_id(value) and int(value) <= MAX_ML:
        return ConfirmDrink(int(value))
    if verb == "do" and name == "mean" and value in COMMAND_WORDS:
        return Mean(value)
    if verb == "vote" and name in ("up", "down") and value and _is_id(value):
        return Vote(int(value), helpful=name == "up")
    if value is not None:
        raise CallbackDataError("unexpected value")
    if verb == "tog" and name in {kind.value for kind in (*DAILY_KINDS, NudgeKind.WEEKLY_SUMMARY)}:
        return Toggle(NudgeKind(name))
    if verb == "menu" and name in MENUS:
        return OpenMenu(name)
    if verb == "ask" and name in FIELDS:
        return AskFor(name)
    if verb == "do" and name in _DO_NAMES:
        return Do(name)
    raise CallbackDataError("unrecognised button")
