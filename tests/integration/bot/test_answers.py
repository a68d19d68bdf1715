"""Everything gets an answer, in Telegram's conventions: help, unknown commands, messages
without text, the command menu, and HTML that no typed or stored text can break.
"""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import BotCommand, Message, Update
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes, MessageHandler

from bot import commands, handlers
from bot.callbacks import Do, decode, encode
from bot.context import AppContext, BotData
from bot.flows import care, conversation, onboarding
from bot.flows.reply import Visit
from bot.wording import help
from bot.wording.common import Screen
from bot.wording.help import Unread, cannot_read, unknown_command
from bot.wording.menu import MENU, MENU_SIZE, menu
from bot.wording.talk import STOP as STOP_IN_WORDS
from tests.integration.bot.test_flows import NOW, Sessions
from tests.support.botapi_stub import _MEDIA, _render_text
from tests.support.factories import make_user

# A phone shows about 40 characters a line in a chat bubble, and 15 lines or so at once.
PHONE_WIDTH = 40
PHONE_LINES = 15
# Commands that are other names for one in the list, not commands of their own.
ALIASES = {"menu"}


def phone_lines(text: str) -> int:
    """Count the lines a text takes on a phone, long ones wrapped."""
    return sum(len(textwrap.wrap(line, PHONE_WIDTH)) or 1 for line in text.split("\n"))


def registered() -> Any:
    """Return an application with every handler registered (no network, nothing started)."""
    app = (
        ApplicationBuilder()
        .token("123:TEST")
        .context_types(ContextTypes(context=AppContext, bot_data=BotData))
        .build()
    )
    handlers.register(app)  # type: ignore[arg-type]
    return app


# -- HTML -------------------------------------------------------------------------------------


def test_a_heading_is_bold_and_everything_else_escaped() -> None:
    screen = Screen("📅 Today\n<b>1 < 2</b> & so on\n📅 Today!", headings=("📅 Today",))
    assert screen.html() == ("<b>📅 Today</b>\n&lt;b&gt;1 &lt; 2&lt;/b&gt; &amp; so on\n📅 Today!")


@given(
    lines=st.lists(st.text(alphabet=st.characters(exclude_characters="\n\r")), max_size=6),
    data=st.data(),
)
def test_any_text_reads_in_telegram_exactly_as_written(lines: list[str], data: Any) -> None:
    text = "\n".join(lines)
    headings = tuple(data.draw(st.lists(st.sampled_from(lines))) if lines else ())
    screen = Screen(text, headings=headings)
    # What Telegram shows for the HTML sent: the same text, whatever it holds.
    assert _render_text(screen.html(), "HTML") == text


def test_a_line_above_a_screen_keeps_its_headings_and_buttons() -> None:
    screen = Screen("📋 Your plan\n…", [[("Go", Do.FINISH)]], headings=("📋 Your plan",))
    saved = screen.under("Saved ✓")
    assert saved.text == "Saved ✓\n\n📋 Your plan\n…"
    assert saved.rows == screen.rows
    assert "<b>📋 Your plan</b>" in saved.html()


# -- /help ------------------------------------------------------------------------------------


def test_help_fits_one_phone_screen_with_buttons_for_a_spasm_and_every_command() -> None:
    screen = help.help_screen()
    assert phone_lines(screen.text) <= PHONE_LINES, phone_lines(screen.text)
    assert screen.text.split("\n")[2:4] == ["", "🆘 /flare – my back just went into spasm"]
    assert [row[0][1] for row in screen.rows] == [Do.FLARE, Do.COMMANDS]
    assert "medical help now" in screen.text


def test_every_command_is_in_the_full_list_with_a_way_back() -> None:
    screen = help.all_commands()
    for command in commands.commands(registered()) - ALIASES:
        assert f"/{command}" in screen.text, command
    assert [row[0][1] for row in screen.rows] == [Do.FLARE, Do.HELP]


def test_the_help_buttons_survive_the_round_trip() -> None:
    for do in (Do.COMMANDS, Do.HELP):
        assert decode(encode(do)) is do


async def test_the_help_buttons_swap_the_two_screens(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        visit = Visit(session, user, NOW)
        unused: Any = None  # the help buttons need neither the nudge texts nor the guide
        full = await conversation.pressed(
            visit, Do.COMMANDS, unused, message_id=1, guide=unused, per_minute=6
        )
        short = await conversation.pressed(
            visit, Do.HELP, unused, message_id=1, guide=unused, per_minute=6
        )
    assert full.screen == help.all_commands()
    assert short.screen == help.help_screen()


# -- unknown commands ------------------------------------------------------------------------

KNOWN = frozenset({"today", "drank", "pause", "settings", "help", "flare"})


@pytest.mark.parametrize("name", ["stop", "cancel", "unsubscribe", "quit"])
def test_stop_says_how_to_pause_and_where_the_settings_are(name: str) -> None:
    said = unknown_command(name, KNOWN)
    assert "/pause" in said.text
    assert "/settings" in said.text
    assert "/help" in said.text
    # The same buttons as "stop" in words: a pause, or the settings.
    assert said.rows == STOP_IN_WORDS.rows


@pytest.mark.parametrize("name", ["stats", "streak", "history"])
def test_stats_points_to_today(name: str) -> None:
    said = unknown_command(name, KNOWN).text
    assert "/today" in said
    assert "/help" in said


def test_a_typo_gets_the_command_it_was_close_to() -> None:
    assert unknown_command("todya", KNOWN).text == (
        "I don't know /todya. Did you mean /today? Every command: /help."
    )
    assert unknown_command("setings", KNOWN).text.startswith(
        "I don't know /setings. Did you mean /settings?"
    )


def test_anything_else_names_help_and_never_echoes_odd_characters() -> None:
    assert unknown_command("foo", KNOWN).text == "I don't know /foo. /help shows what I can do."
    odd = unknown_command("\u00ff\u202eevil", KNOWN).text
    assert odd == "I don't know that command. /help shows what I can do."


async def test_cancel_drops_an_awaited_setting_but_never_setting_up(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        onboarding.onboarding_screen(user)  # waiting for a time zone, while setting up
        during = await care.cancel(Visit(session, user, NOW))
        assert user.awaiting == "tz"
        assert during.screen == help.stop()

        user.onboarding_step = None
        user.awaiting = "goal"  # "✏️ Type it" on the water goal
        typed = await care.cancel(Visit(session, user, NOW))
        assert user.awaiting is None
        assert typed.screen.text == help.CANCELLED

        again = await care.cancel(Visit(session, user, NOW))
        assert again.screen == help.stop()


# -- messages without text -------------------------------------------------------------------

SHAPES = {
    "voice": Unread.VOICE,
    "video_note": Unread.VIDEO_NOTE,
    "audio": Unread.AUDIO,
    "sticker": Unread.STICKER,
    "animation": Unread.ANIMATION,
    "photo": Unread.PHOTO,
    "video": Unread.VIDEO,
    "document": Unread.DOCUMENT,
    "location": Unread.LOCATION,
    "contact": Unread.CONTACT,
}


def message_with(kind: str) -> Message:
    """Build a message as Telegram sends it, holding one kind of media."""
    body: dict[str, Any] = {
        "message_id": 5,
        "date": 1_700_000_000,
        "chat": {"id": 42, "type": "private", "first_name": "Ana"},
        "from": {"id": 42, "is_bot": False, "first_name": "Ana"},
        kind: _MEDIA[kind],
    }
    if kind == "animation":
        body["document"] = _MEDIA["document"]
    return Message.de_json(body, None)


@pytest.mark.parametrize(("kind", "unread"), SHAPES.items())
def test_each_kind_of_message_without_text_is_told_apart(kind: str, unread: Unread) -> None:
    message = message_with(kind)
    assert handlers._unread(message) is unread
    assert handlers.UNREAD.check_update(Update(1, message=message))


def test_a_voice_note_is_asked_to_be_typed_and_everything_else_told_text_only() -> None:
    for unread in Unread:
        said = cannot_read(unread)
        assert len(said) <= 120, said
        if unread in (Unread.VOICE, Unread.VIDEO_NOTE, Unread.AUDIO):
            assert "type it" in said, said
        else:
            assert "read text" in said, said
            assert "/help" in said, said


# -- registration and the menu ---------------------------------------------------------------


def test_unknown_commands_are_answered_after_every_command_handler() -> None:
    app = registered()
    fallback = [
        group
        for group, handlers_of_group in app.handlers.items()
        for handler in handlers_of_group
        if isinstance(handler, MessageHandler) and handler.callback is handlers.on_unknown_command
    ]
    command_groups = [
        group
        for group, handlers_of_group in app.handlers.items()
        for handler in handlers_of_group
        if isinstance(handler, CommandHandler)
    ]
    assert fallback == [max(app.handlers)]
    assert max(command_groups) < fallback[0]


def test_the_menu_leads_with_flare_and_shows_only_commands_that_answer() -> None:
    handled = commands.commands(registered())
    shown = [command.command for command in menu(handled)]
    assert shown[0] == "flare"
    assert len(shown) <= MENU_SIZE
    assert set(shown) <= handled
    # Every command in the menu is one the bot has, but /progress, which another branch adds.
    assert {command.command for command in MENU} - handled <= {"progress"}


def test_progress_takes_its_place_in_the_menu_once_it_has_a_handler() -> None:
    app = registered()
    app.add_handler(CommandHandler("progress", commands.cmd_help))
    shown = [command.command for command in menu(commands.commands(app))]
    assert shown[:3] == ["flare", "today", "progress"]
    assert len(shown) == MENU_SIZE


def test_a_menu_of_more_than_ten_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    everything = {command.command for command in MENU}
    assert len(menu(everything)) == MENU_SIZE
    monkeypatch.setattr("bot.wording.menu.MENU", (*MENU, BotCommand("extra", "One too many")))
    with pytest.raises(ValueError, match="at most 10"):
        menu({*everything, "extra"})
