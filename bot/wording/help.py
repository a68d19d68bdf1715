"""Help, and an answer to everything: the short help, every command, and what is said to a
command the bot does not have or a message it cannot read (a voice note, a sticker, a photo).
"""

from __future__ import annotations

import enum
from difflib import get_close_matches
from typing import assert_never

from bot.callbacks import Do
from bot.i18n import _
from bot.wording.answers import EXAMPLE_QUESTIONS
from bot.wording.common import NOT_A_DOCTOR, Screen
from bot.wording.flare import SPASM_BUTTON
from bot.wording.talk import STOP as STOP_IN_WORDS

ALL_COMMANDS_BUTTON = _("📖 All commands")
BACK_BUTTON = _("« Back")

# One phone screen: what most people need, most used first; the rest is a tap away.
HELP_HEADING = _("BackCare")
HELP = _(
    "{help_heading}\n"
    "I nudge you to drink, move and stretch.\n"
    "\n"
    "🆘 /flare – my back just went into spasm\n"
    "📅 /today – today so far, what's next\n"
    "💧 /drank – log a glass of water\n"
    "🩹 /pain 6 – today's pain, 0-10\n"
    "⏸ /pause 2h · /resume – hold nudges\n"
    "⚙️ /settings – change anything\n"
    "🗑 /forget – delete your data\n"
    "\n"
    'Or just ask: "how long should I ice?"\n'
    "⚠️ Not a doctor: numbness, weakness, bladder or bowel trouble or severe "
    "pain mean get medical help now."
).format(help_heading=HELP_HEADING)

COMMANDS_HEADINGS = (
    _("Every command"),
    _("Setting up"),
    _("Nudges"),
    _("Your day"),
    _("When your back goes into spasm"),
    _("Your data"),
    _("Questions"),
)
COMMANDS = (
    _(
        "Every command\n"
        "\n"
        "Setting up\n"
        "/start – set up, or see your plan\n"
        "/settings – change anything with buttons\n"
        "/timezone Europe/Berlin – your time zone (a city works too)\n"
        "/hours 07:30-22:30 – when you're awake (22:00-06:00 for nights)\n"
        "/help – the key commands, in short\n"
        "/cancel – stop waiting for a value I asked you to type\n"
        "\n"
        "Nudges\n"
        "/water on|off · /water goal 2500 · /water glass 300 · /water unit oz\n"
        "/posture on|off · /posture every 45m · /posture work 08:30-17:00 "
        "mon-fri\n"
        "/stretch on|off · /stretch 19:30\n"
        "/stretch show – a guided stretch now, with pictures (/stretch show cat "
        "cow: just that one)\n"
        "/pause 2h|3 days|until friday|today · /resume\n"
        "\n"
        "Your day\n"
        "/drank – log a glass of water (/drank 500, /drank 2 glasses)\n"
        "/today – what you did today and your next nudges\n"
        "/undo – take back the last thing you logged (ten minutes)\n"
        "/progress – a chart of your last 7 days (and 30), with your streaks\n"
        "/summary on|off · /summary sun 18:00 – your weekly summary, its day and "
        "time\n"
        "\n"
        "When your back goes into spasm\n"
        "/flare – care mode: what to do now, ice then heat on time, a daily pain "
        "check\n"
        "/ice · /heat – start a session now (I'll say when to take it off)\n"
        "/pain 6 – how bad it is today, 0-10\n"
        "/better – end care mode, with a summary\n"
        "\n"
        "Your data\n"
        "/report – a PDF for your physiotherapist or doctor\n"
        "/export – everything I store about you, as CSV files in a zip\n"
        "/forget – delete everything I store about you\n"
        "\n"
        "Questions\n"
        "Just type them, for example:\n"
    )
    + "\n".join(f"• {question}" for question in EXAMPLE_QUESTIONS)
    + "\n\n"
    + _("I read text only: type rather than send voice notes, photos or stickers.")
    + "\n\n"
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

STOP = _(
    "⏸ To stop the nudges for a while, send /pause (/pause 2h, /pause "
    "today); to turn one kind off, use /settings. Everything else: /help."
)
STATS = _(
    "📈 /progress shows your last 7 days and your streaks; 📅 /today shows "
    "today. Everything else: /help."
)
CANCELLED = _("Okay, cancelled: nothing was changed.")


def stop() -> Screen:
    """Say how to stop the nudges, with the buttons "stop" in words gets (a pause, settings)."""
    return Screen(STOP, STOP_IN_WORDS.rows)


def unknown_command(name: str, known: frozenset[str]) -> Screen:
    """Answer a command the bot does not have: the one it may have meant, and /help."""
    if name in STOP_WORDS:
        return stop()
    if name in STATS_WORDS:
        return Screen(STATS)
    shown = f"/{name}" if name.isascii() and name.replace("_", "").isalnum() else _("that command")
    close = get_close_matches(name, sorted(known), n=1, cutoff=0.75)
    if close:
        return Screen(
            _("I don't know {shown}. Did you mean /{close}? Every command: /help.").format(
                shown=shown, close=close[0]
            )
        )
    return Screen(_("I don't know {shown}. /help shows what I can do.").format(shown=shown))


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


TYPE_INSTEAD = _("Type what you'd like, or send /help.")


def cannot_read(what: Unread) -> str:
    """Say, once and briefly, that BackCare reads text only; for a voice note, to type it."""
    match what:
        case Unread.VOICE | Unread.VIDEO_NOTE | Unread.AUDIO:
            return _("🎙 I can't listen to recordings: I only read text. Could you type it?")
        case Unread.STICKER | Unread.ANIMATION:
            return _(
                "I only read text, so stickers and GIFs are lost on me. {type_instead}"
            ).format(type_instead=TYPE_INSTEAD)
        case Unread.PHOTO | Unread.VIDEO | Unread.DOCUMENT:
            return _(
                "I only read text, so I can't look at photos, videos or files. {type_instead}"
            ).format(type_instead=TYPE_INSTEAD)
        case Unread.LOCATION | Unread.CONTACT | Unread.OTHER:
            return _("I only read text, so I can't use that. {type_instead}").format(
                type_instead=TYPE_INSTEAD
            )
        case _:
            assert_never(what)
