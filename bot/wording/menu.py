"""The command menu and the bot's description, as Telegram shows them."""

from __future__ import annotations

from collections.abc import Collection

from telegram import BotCommand

from bot.i18n import _

# The menu beside the text box, in private chats only: what a person needs most, the spasm
# first; /help lists every command. Telegram shows about ten without scrolling. A command
# is shown once a handler for it is registered, so one not built yet can wait here.
MENU = (
    BotCommand("flare", _("My back just went into spasm")),
    BotCommand("today", _("Today so far, and your next nudges")),
    BotCommand("progress", _("Your last 7 days as a chart")),
    BotCommand("drank", _("Log a glass of water")),
    BotCommand("pain", _("Today's pain, 0-10, e.g. /pain 6")),
    BotCommand("pause", _("Pause nudges: 2h, 3 days, until friday")),
    BotCommand("resume", _("Bring paused nudges back")),
    BotCommand("settings", _("Change your settings")),
    BotCommand("help", _("What I do, and every command")),
    BotCommand("forget", _("Delete everything I store about you")),
)
MENU_SIZE = 10


def menu(handled: Collection[str]) -> list[BotCommand]:
    """Return the menu: its commands that have a handler, at most `MENU_SIZE`."""
    shown = [command for command in MENU if command.command in handled]
    if len(shown) > MENU_SIZE:
        raise ValueError(f"the menu holds at most {MENU_SIZE} commands, not {len(shown)}")
    return shown


DESCRIPTION = _(
    "BackCare helps you look after a back prone to spasms: water, getting up "
    "while you work, a daily stretch and, in a flare, ice then heat on time, "
    "all in your own time zone and never at night. Ask it questions about "
    "back spasms. It is not a doctor: numbness, weakness, bladder or bowel "
    "trouble or severe pain mean get medical help now. Your data stays in "
    "this private chat; /forget deletes it."
)
SHORT_DESCRIPTION = _("Water, movement, stretches and spasm care, on time. Not a doctor.")
