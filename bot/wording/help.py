"""Help, and an answer to everything: the short help, every command, and what is said to a
command the bot does not have or a message it cannot read (a voice note, a sticker, a photo).
"""

from __future__ import annotations

import enum
from difflib import get_close_matches
from typing import assert_never

from bot.callbacks import Do
from bot.wording.common import NOT_A_DOCTOR, Screen
from bot.wording.flare import SPASM_BUTTON
from bot.wording.talk import STOP as STOP_IN_WORDS
from guidance import EXAMPLE_QUESTIONS

ALL_COMMANDS_BUTTON = "📖 All commands"
BACK_BUTTON = "« Back"

# One phone screen: what most people need, most used first; the rest is a tap away.
HELP_HEADING = "BackCare"
HELP = f"""{HELP_HEADING}
I nudge you to drink, move and stretch.

🆘 /flare – my back just went into spasm
📅 /today – today so far, what's next
💧 /drank – log a glass of water
🩹 /pain 6 – today's pain, 0-10
⏸ /pause 2h · /resume – hold nudges
⚙️ /settings – change anything
🗑 /forget – delete your data

Or just ask: "how long should I ice?"
⚠️ Not a doctor: numbness, weakness, bladder or bowel trouble or severe pain mean get \
medical help now."""

COMMANDS_HEADINGS = (
    "Every command",
    "Setting up",
    "Nudges",
    "Your day",
    "When your back goes into spasm",
    "Your data",
    "Questions",
)
COMMANDS = (
    """Every command

Setting up
/start – set up, or see your plan
/settings – change anything with buttons
/timezone Europe/Berlin – your time zone (a city works too)
/hours 07:30-22:30 – when you're awake (22:00-06:00 for nights)
/help – the key commands, in short
/cancel – stop waiting for a value I asked you to type

Nudges
/water on|off · /water goal 2500 · /water glass 300 · /water unit oz
/posture on|off · /posture every 45m · /posture work 08:30-17:00 mon-fri
/stretch on|off · /stretch 19:30
/stretch show – a guided stretch now, with pictures (/stretch show cat cow: just that one)
/pause 2h|3 days|until friday|today · /resume

Your day
/drank – log a glass of water (/drank 500, /drank 2 glasses)
/today – what you did today and your next nudges
/undo – take back the last thing you logged (ten minutes)
/progress – a chart of your last 7 days (and 30), with your streaks
/summary on|off · /summary sun 18:00 – your weekly summary, its day and time

When your back goes into spasm
/flare – care mode: what to do now, ice then heat on time, a daily pain check
/ice · /heat – start a session now (I'll say when to take it off)
/pain 6 – how bad it is today, 0-10
/better – end care mode, with a summary

Your data
/report – a PDF for your physiotherapist or doctor
/export – everything I store about you, as CSV files in a zip
/forget – delete everything I store about you

Questions
Just type them, for example:
"""
    + "\n".join(f"• {question}" for question in EXAMPLE_QUESTIONS)
    + "\n\nI read text only: type rather than send voice notes, photos or stickers.\n\n"
)


def help_screen() -> Screen:
    """Show the short help: the key commands, with buttons for a spasm and for every command."""
    return Screen(
        HELP,
        [[(SPASM_BUTTON, Do.FLARE)], [(ALL_COMMANDS_BUTTON, Do.COMMANDS)]],
        headings=(HELP_HEADING,),
    )


def all_commands() -> Screen:
    """Show every command, with a button back to the short help."""
    return Screen(
        COMMANDS + NOT_A_DOCTOR,
        [[(SPASM_BUTTON, Do.FLARE)], [(BACK_BUTTON, Do.HELP)]],
        headings=COMMANDS_HEADINGS,
    )


# Commands people try that mean "stop the nudges".
STOP_WORDS = frozenset({"stop", "cancel", "unsubscribe", "quit", "mute", "off", "end"})
# Commands people try that mean "show me what I've done".
STATS_WORDS = frozenset({"stats", "statistics", "streak", "history", "log", "summary"})

STOP = (
    "⏸ To stop the nudges for a while, send /pause (/pause 2h, /pause today); to turn one "
    "kind off, use /settings. Everything else: /help."
)
STATS = (
    "📈 /progress shows your last 7 days and your streaks; 📅 /today shows today. "
    "Everything else: /help."
)
CANCELLED = "Okay, cancelled: nothing was changed."


def stop() -> Screen:
    """Say how to stop the nudges, with the buttons "stop" in words gets (a pause, settings)."""
    return Screen(STOP, STOP_IN_WORDS.rows)


def unknown_command(name: str, known: frozenset[str]) -> Screen:
    """Answer a command the bot does not have: the one it may have meant, and /help."""
    if name in STOP_WORDS:
        return stop()
    if name in STATS_WORDS:
        return Screen(STATS)
    shown = f"/{name}" if name.isascii() and name.replace("_", "").isalnum() else "that command"
    close = get_close_matches(name, sorted(known), n=1, cutoff=0.75)
    if close:
        return Screen(f"I don't know {shown}. Did you mean /{close[0]}? Every command: /help.")
    return Screen(f"I don't know {shown}. /help shows what I can do.")


class Unread(enum.Enum):
    """Something a person sent that is not text, which BackCare cannot read."""

    VOICE = enum.auto()
    VIDEO_NOTE = enum.auto()
    AUDIO = enum.auto()
    STICKER = enum.auto()
    ANIMATION = enum.auto()
    PHOTO = enum.auto()
    VIDEO = enum.auto()
    DOCUMENT = enum.auto()
    LOCATION = enum.auto()
    CONTACT = enum.auto()
    OTHER = enum.auto()  # a poll, a dice, a game...


TYPE_INSTEAD = "Type what you'd like, or send /help."


def cannot_read(what: Unread) -> str:
    """Say, once and briefly, that BackCare reads text only; for a voice note, to type it."""
    match what:
        case Unread.VOICE | Unread.VIDEO_NOTE | Unread.AUDIO:
            return "🎙 I can't listen to recordings: I only read text. Could you type it?"
        case Unread.STICKER | Unread.ANIMATION:
            return f"I only read text, so stickers and GIFs are lost on me. {TYPE_INSTEAD}"
        case Unread.PHOTO | Unread.VIDEO | Unread.DOCUMENT:
            return f"I only read text, so I can't look at photos, videos or files. {TYPE_INSTEAD}"
        case Unread.LOCATION | Unread.CONTACT | Unread.OTHER:
            return f"I only read text, so I can't use that. {TYPE_INSTEAD}"
        case _:
            assert_never(what)
