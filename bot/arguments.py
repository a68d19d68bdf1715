"""Read the arguments of the settings commands (`/water goal 2500`) into changes."""

from __future__ import annotations

from guidance.reading import problems as says
from guidance.reading.intents.reader import Drink, drink, normalise
from guidance.reading.times import InputError, small_number
from jobs.rules.changes import Change, Resume, SetEnabled
from jobs.rules.fields import parse_field
from jobs.services.schedule import DEFAULT_GLASS, MAX_DRINK_ML
from storage.models import NudgeKind

MAX_ARGUMENT_LENGTH = 100
MAX_GLASSES = 10  # typed at once: more is a slip

_SWITCH = {"on": True, "off": False}

# For each command: (usage shown on error, its default field, its named sub-fields).
_COMMANDS: dict[str, tuple[str, str | None, dict[str, str]]] = {
    "timezone": ("/timezone Europe/Berlin", "tz", {}),
    "hours": ("/hours 07:30-22:30", "hours", {}),
    "water": (
        "/water on, /water goal 2500, /water glass 300, /water unit oz",
        None,
        {"goal": "goal", "glass": "glass", "unit": "unit"},
    ),
    "posture": (
        "/posture on, /posture every 45m, /posture work 08:30-17:00 mon-fri",
        None,
        {"every": "every", "work": "work"},
    ),
    "stretch": ("/stretch on, /stretch 19:30", "stretch", {}),
    "pause": ("/pause 2h (or 3 days, until friday, today)", "pause", {}),
    "summary": ("/summary on, /summary off, /summary sun 18:00", "summary", {}),
}
# The commands that switch a kind of nudge on and off.
_SWITCHED = {
    "water": NudgeKind.WATER,
    "posture": NudgeKind.POSTURE,
    "stretch": NudgeKind.STRETCH,
    "summary": NudgeKind.WEEKLY_SUMMARY,
}


def parse_command(command: str, text: str) -> Change | None:
    """Return the change a settings command asks for, or None to show its menu instead."""
    usage, default_field, sub_fields = _COMMANDS[command]
    text = " ".join(text.split())
    if not text:
        return None
    if len(text) > MAX_ARGUMENT_LENGTH:
        raise InputError(says.TOO_LONG_FOR_A_SETTING, example=usage)
    word, _, rest = text.partition(" ")
    word = word.lower()
    if word in _SWITCH and not rest and command in _SWITCHED:
        return SetEnabled(_SWITCHED[command], _SWITCH[word])
    if word in sub_fields:
        if not rest:
            raise InputError(says.value_missing(word), example=usage)
        return parse_field(sub_fields[word], rest)
    if default_field is None:
        raise InputError(says.not_understood(text), example=usage)
    return parse_field(default_field, text)


def parse_resume(text: str) -> Resume:
    """Accept `/resume` with no arguments."""
    if text.strip():
        raise InputError(says.RESUME_TAKES_NOTHING, example="/resume")
    return Resume()


def parse_drank(text: str) -> int | Drink:
    """Read `/drank` (one glass), `/drank 500` (millilitres), or an amount in words:
    `/drank 2 glasses`, `/drank 16 oz`, `/drank half a litre` (glasses are the person's)."""
    cleaned = text.strip().lower().removesuffix("ml").strip()
    if not cleaned:
        return DEFAULT_GLASS
    ml = small_number(cleaned)
    drunk = None if ml is not None or cleaned.startswith("-") else drink(normalise(text))
    if drunk is not None and drunk.in_glasses:
        if not 0 < drunk.amount <= MAX_GLASSES:
            raise InputError(says.drink_out_of_range(MAX_DRINK_ML), example="/drank 2 glasses")
        return drunk
    if drunk is not None:
        ml = round(drunk.amount)
    if ml is None or not 50 <= ml <= MAX_DRINK_ML:
        raise InputError(says.drink_out_of_range(MAX_DRINK_ML), example="/drank 500")
    return ml


def parse_pain(text: str) -> int:
    """Read `/pain 6`: today's pain from 0 (none) to 10 (worst)."""
    score = small_number(text.strip().removesuffix("/10"), digits=2)
    if score is None or not 0 <= score <= 10:
        raise InputError(says.PAIN_SCALE, example="/pain 6")
    return score
