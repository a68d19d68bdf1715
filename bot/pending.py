"""What the bot asked, and which buttons a typed answer to it presses (issue 27).

The question a person is answering is the latest nudge still waiting for them (the one they
replied to, if they used Telegram's reply): its parts say what it asked, "stretch+water" for
a merged stretch and glass of water. `guidance.reading.replies.understand` reads the reply
against it ("its off", "like a 7", "did the stretch"); `buttons_for` turns that meaning into
the buttons the person would have pressed, so a typed answer and a tap do exactly the same.
Pure: no database, no Telegram.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.callbacks import REST_WORD, NudgeButton
from guidance.reading import replies
from guidance.reading.intents.reader import Act
from guidance.reading.triage import Finding
from jobs.composer.nudge import OpenNudge
from storage.kinds import NudgeKind

# What each kind of nudge asks, in the reader's words (tests/guidance/language/replies).
_ASKED = {
    NudgeKind.SESSION_END: "taken_off",
    NudgeKind.PAIN_CHECK: "pain_check",
    NudgeKind.CARE_OFFER: "ice_offer",
    NudgeKind.STRETCH: "stretch",
    NudgeKind.POSTURE: "posture",
    NudgeKind.WATER: "water",
}
# When one message waits on several parts, the reply answers the one that matters most now:
# a pad still on, then today's pain, then an offer, then the daily nudges.
_FIRST = tuple(_ASKED)
# The button words a plain "done", "skip" or "later" presses, by part.
_WORDS = {"done": ("drink", "done"), "skip": ("skip",), "later": ("snooze",)}
# The parts a merged reply names.
_NAMED = {
    "stretch": (NudgeKind.STRETCH,),
    "water": (NudgeKind.WATER,),
    "both": (NudgeKind.STRETCH, NudgeKind.WATER),
}
_TREATMENTS = ("ice", "heat", "alternate")
# Readings of a message's own words that say nothing of a nudge: then "yep", "sry no",
# "brb" answer the nudge waiting as the reader of replies reads them.
SAY_NOTHING_OF_A_NUDGE = frozenset({Act.QUESTION, Act.SMALL_TALK})
# How long a nudge is the question a typed word answers (a tap on its button works longer).
ASKS_FOR = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class Presses:
    """The buttons a typed answer presses on a waiting message, and extra glasses to log."""

    buttons: tuple[NudgeButton, ...]
    more_glasses: int = 0


def waiting_kinds(message: OpenNudge) -> list[NudgeKind]:
    """Return the kinds of a message's parts that still wait for an answer."""
    return [part.kind for part in message.message.parts if message.waits_on(part.kind)]


def still_asks(message: OpenNudge, *, now: datetime) -> bool:
    """Tell whether a waiting message is recent enough for a typed reply to answer it."""
    return message.sent_at is None or now - message.sent_at <= ASKS_FOR


def asked_by(message: OpenNudge | None) -> str:
    """Return what a waiting message asked, in the reader's words ("none" if nothing)."""
    if message is None:
        return "none"
    waiting = waiting_kinds(message)
    if NudgeKind.STRETCH in waiting and NudgeKind.WATER in waiting:
        return "stretch+water"
    for kind in _FIRST:
        if kind in waiting:
            return _ASKED[kind]
    return "none"


def candidates(
    waiting: Sequence[OpenNudge], *, now: datetime, replying_to: int | None = None
) -> list[OpenNudge]:
    """Return the messages a typed reply may answer, the likeliest first: the one replied
    to (Telegram's reply) alone, else those still asking, latest first."""
    chosen = [message for message in waiting if message.message_id == replying_to]
    if chosen:
        return chosen
    return [message for message in reversed(waiting) if still_asks(message, now=now)]


# What a reply means when it answers none of the messages waiting.
_NOT_AN_ANSWER = frozenset({"question", "other", "undo", "warning", "cannot"})


def answered(
    waiting: Sequence[OpenNudge], text: str, finding: Finding | None
) -> tuple[OpenNudge | None, str, str]:
    """Return the message a reply answers, what that message asked and what the reply means
    to it: the latest one the reply fits ("like a 6" answers the morning check-in under a
    newer ice offer). With none, the message is None and the meaning is the reply's own
    ("question", "cannot", "other"...)."""
    meaning = replies.understand("none", text, finding=finding)
    for message in sorted(waiting, key=lambda message: _precedence(message, text)):
        asked = asked_by(message)
        said = replies.understand(asked, text, finding=finding)
        if said not in _NOT_AN_ANSWER and buttons_for(said, message, text=text) is not None:
            return message, asked, said
        if said in ("not_yet", "later") and asked == "taken_off":
            return message, asked, said
    return None, "none", meaning


# Words that make a number a drink, not a pain score ("2 glasses", "drank 3").
_DRINK_WORDS = re.compile(r"glass|drank|drink|water|\bml\b|\bcups?\b|litre|liter|\boz\b")
_ORDER = {asked: index for index, asked in enumerate((*_ASKED.values(), "stretch+water"))}


def _precedence(message: OpenNudge, text: str) -> int:
    """Rank a waiting message for a reply: one about water first if the reply names a
    drink, then by what matters most now (a pad still on, today's pain, an offer, the daily
    nudges); `sorted` keeps the latest first among equals."""
    asked = asked_by(message)
    drink = asked in ("water", "stretch+water") and _DRINK_WORDS.search(text.lower())
    return -1 if drink else _ORDER.get(asked, len(_ORDER))


def buttons_for(meaning: str, message: OpenNudge, *, text: str = "") -> Presses | None:
    """Return the buttons a reply's meaning presses on a waiting message, or None when the
    meaning is not an answer to it (the reply is then read as a message of its own)."""
    word, _, detail = meaning.partition(":")
    waiting = waiting_kinds(message)
    actions = {
        part.kind: list(part.buttons) for part in message.message.parts if part.kind in waiting
    }

    def press(kinds: tuple[NudgeKind, ...], words: tuple[str, ...]) -> tuple[NudgeButton, ...]:
        found = []
        for kind in kinds:
            action = next((a for a in actions.get(kind, []) if a.partition(".")[0] in words), None)
            if action is not None:
                found.append(NudgeButton(kind, action))
        return tuple(found)

    every = tuple(waiting)
    buttons: tuple[NudgeButton, ...] = ()
    more = 0
    if word in _WORDS and detail in _NAMED:
        buttons = press(_NAMED[detail], _WORDS[word])
    elif word == "done" and not detail:
        buttons = press(every, _WORDS[word])[-1:]  # "done" under several parts: the latest
    elif word in _WORDS and not detail:
        buttons = press(every, _WORDS[word])
    elif word == "done" and detail.isdigit():
        buttons = press((NudgeKind.WATER,), ("drink",))
        more = int(detail) - 1 if buttons else 0
    elif word == "score" and detail.isdigit():
        buttons = press((NudgeKind.PAIN_CHECK,), (detail,))
    elif word == "off":
        buttons = press((NudgeKind.SESSION_END,), ("done",))
    elif word == "rest_today":
        buttons = press(every, (REST_WORD,))
    elif word == "start":
        offered = [a for a in actions.get(NudgeKind.CARE_OFFER, []) if a in _TREATMENTS]
        named = [a for a in offered if re.search(rf"\b{a}\b", text.lower())] or offered[:1]
        buttons = tuple(NudgeButton(NudgeKind.CARE_OFFER, a) for a in named[:1])
    return Presses(buttons, more) if buttons else None
