"""The Bot API stand-in serves the real python-telegram-bot as Telegram would."""

import asyncio
import datetime as dtm
import threading
import time
from collections.abc import Coroutine
from typing import Any

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    MenuButtonCommands,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
)
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from guidance.pictures import picture_for
from tests.support.botapi_stub import BotApiStub, buttons, find_button

TOKEN = "123456789:TEST-token"
ANA = 42


def water_keyboard() -> InlineKeyboardMarkup:
    """Build a one-row keyboard like the bot's hydration prompt."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Log a glass", callback_data="water:1"),
                InlineKeyboardButton("Later", callback_data="water:later"),
            ]
        ]
    )


async def test_bot_gets_itself_from_the_token_it_was_given(botapi: BotApiStub) -> None:
    async with Bot(TOKEN, base_url=botapi.base_url) as bot:
        me = await bot.get_me()

    assert me.id == 123456789
    assert me.is_bot
    assert botapi.tokens_seen == {TOKEN}


async def test_sent_message_with_keyboard_can_be_read_back(botapi: BotApiStub) -> None:
    async with Bot(TOKEN, base_url=botapi.base_url) as bot:
        message = await bot.send_message(ANA, "Time for water", reply_markup=water_keyboard())

    (sent,) = botapi.sent(ANA)
    assert sent["message_id"] == message.message_id
    assert sent["text"] == "Time for water"
    assert buttons(sent) == [("Log a glass", "water:1"), ("Later", "water:later")]
    assert find_button(sent, "glass") == "water:1"
    assert message.reply_markup == water_keyboard()


async def test_parameters_keep_the_types_telegram_gives_them(botapi: BotApiStub) -> None:
    async with Bot(TOKEN, base_url=botapi.base_url) as bot:
        await bot.send_message(
            ANA, "123", disable_notification=True, reply_markup=water_keyboard()
        )

    (params,) = botapi.calls_to("sendMessage")
    assert params["chat_id"] == ANA
    assert params["text"] == "123"
    assert params["disable_notification"] is True
    assert params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "water:1"


async def test_html_text_is_stored_as_the_user_sees_it(botapi: BotApiStub) -> None:
    async with Bot(TOKEN, base_url=botapi.base_url) as bot:
        await bot.send_message(ANA, "<b>Ice</b> &amp; rest", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match=r'(?i)unsupported start tag "br"'):
            await bot.send_message(ANA, "Ice<br>rest", parse_mode=ParseMode.HTML)

    assert [message["text"] for message in botapi.sent(ANA)] == ["Ice & rest"]


async def test_editing_text_without_keyboard_removes_the_keyboard(botapi: BotApiStub) -> None:
    async with Bot(TOKEN, base_url=botapi.base_url) as bot:
        message = await bot.send_message(ANA, "Time for water", reply_markup=water_keyboard())
        await bot.edit_message_text("Logged", chat_id=ANA, message_id=message.message_id)
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_text("Logged", chat_id=ANA, message_id=message.message_id)

    (edited,) = botapi.sent(ANA)
    assert edited["text"] == "Logged"
    assert "reply_markup" not in edited
    assert [event.kind for event in botapi.history(ANA)] == ["sent", "edited"]


async def test_setup_and_housekeeping_calls_answer_in_shapes_ptb_accepts(
    botapi: BotApiStub,
) -> None:
    commands = [BotCommand("start", "Begin"), BotCommand("flare", "Start a flare")]
    private = BotCommandScopeAllPrivateChats()
    async with Bot(TOKEN, base_url=botapi.base_url) as bot:
        assert await bot.set_my_commands(commands, scope=private)
        assert await bot.get_my_commands(scope=private) == tuple(commands)
        assert await bot.get_my_commands() == ()
        assert await bot.delete_my_commands(scope=private)
        assert await bot.set_chat_menu_button(menu_button=MenuButtonCommands())
        assert await bot.get_chat_menu_button() == MenuButtonCommands()
        assert await bot.send_chat_action(ANA, ChatAction.TYPING)
        assert (await bot.get_webhook_info()).url == ""
        message = await bot.send_message(ANA, "Time for water", reply_markup=water_keyboard())
        await bot.edit_message_reply_markup(ANA, message.message_id)
        assert await bot.delete_message(ANA, message.message_id)
        assert await bot.log_out()
        assert await bot.close()

    assert [event.kind for event in botapi.history(ANA)] == ["sent", "edited", "deleted"]
    assert botapi.sent() == []
    assert botapi.unknown_methods == []


async def test_a_second_poller_ends_the_first_with_conflict(botapi: BotApiStub) -> None:
    async with (
        Bot(TOKEN, base_url=botapi.base_url) as first,
        Bot(TOKEN, base_url=botapi.base_url) as second,
    ):
        poll = asyncio.create_task(first.get_updates(timeout=5))
        await asyncio.to_thread(botapi.wait_for_poll, timeout=2)
        await second.get_updates()
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await asyncio.wait_for(poll, timeout=1)


async def test_long_poll_waits_for_an_update_and_returns_once_one_arrives(
    botapi: BotApiStub,
) -> None:
    async with Bot(TOKEN, base_url=botapi.base_url) as bot:
        started = time.monotonic()
        assert await bot.get_updates(timeout=dtm.timedelta(seconds=0.2)) == ()
        assert time.monotonic() - started >= 0.2

        poll = asyncio.create_task(bot.get_updates(timeout=5))
        await asyncio.to_thread(botapi.wait_for_poll, timeout=2)
        update_id = botapi.send_text(ANA, "/start")
        (update,) = await asyncio.wait_for(poll, timeout=1)

    assert update.update_id == update_id
    assert update.message is not None
    assert update.message.text == "/start"


async def test_updates_stay_queued_until_confirmed_by_offset(botapi: BotApiStub) -> None:
    first = botapi.send_text(ANA, "hello")
    second = botapi.send_text(ANA, "again")
    async with Bot(TOKEN, base_url=botapi.base_url) as bot:
        unconfirmed = await bot.get_updates()
        repeated = await bot.get_updates()
        rest = await bot.get_updates(offset=first + 1)
        await bot.get_updates(offset=second + 1)

    assert [u.update_id for u in unconfirmed] == [first, second]
    assert [u.update_id for u in repeated] == [first, second]
    assert [u.update_id for u in rest] == [second]
    assert botapi.pending_updates() == 0


async def test_updates_of_kinds_not_allowed_are_not_delivered(botapi: BotApiStub) -> None:
    async with Bot(TOKEN, base_url=botapi.base_url) as bot:
        await bot.send_message(ANA, "Time for water", reply_markup=water_keyboard())
        botapi.send_text(ANA, "hello")
        press = botapi.press(ANA, botapi.last(ANA), "water:1")
        (update,) = await bot.get_updates(allowed_updates=[Update.CALLBACK_QUERY])

    assert update.callback_query is not None
    assert update.callback_query.id == press


async def test_application_polling_answers_start_and_a_button_press(botapi: BotApiStub) -> None:
    async def cmd_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(
            "Welcome! Drink some water?", reply_markup=water_keyboard()
        )

    async def on_water(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Logged")
        await query.edit_message_text(f"Logged: {query.data}")

    app = ApplicationBuilder().token(TOKEN).base_url(botapi.base_url).build()
    app.add_handler(CommandHandler("start", cmd_start))
    app.add_handler(CallbackQueryHandler(on_water, pattern="^water:"))
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        try:
            botapi.send_text(ANA, "/start")
            welcome = await botapi.wait_for_async(chat_id=ANA, with_buttons=True, timeout=3)
            query_id = botapi.press(ANA, welcome, find_button(welcome, "glass"))
            logged = await botapi.wait_for_async(chat_id=ANA, text="Logged: water:1", timeout=3)
            answer = await botapi.wait_for_call_async(
                "answerCallbackQuery", lambda p: p["callback_query_id"] == query_id, timeout=3
            )
        finally:
            await app.updater.stop()
            await app.stop()

    assert welcome["text"] == "Welcome! Drink some water?"
    assert logged["message_id"] == welcome["message_id"]
    assert answer["text"] == "Logged"
    assert botapi.unknown_methods == []


async def test_too_many_requests_surfaces_as_retry_after(
    botapi: BotApiStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without it PTB warns that retry_after will become a timedelta, and warnings are errors.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    botapi.fail_next(
        "sendMessage",
        error_code=429,
        description="Too Many Requests: retry after 7",
        retry_after=7,
        chat_id=ANA,
    )
    async with Bot(TOKEN, base_url=botapi.base_url) as bot:
        await bot.send_message(ANA + 1, "other chats are unaffected")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(ANA, "hello")
        await bot.send_message(ANA, "the fault was used up")

    assert caught.value.retry_after == dtm.timedelta(seconds=7)
    assert [message["text"] for message in botapi.sent()] == [
        "other chats are unaffected",
        "the fault was used up",
    ]


async def test_blocked_user_surfaces_as_forbidden(botapi: BotApiStub) -> None:
    botapi.fail_next(
        "sendMessage", error_code=403, description="Forbidden: bot was blocked by the user"
    )
    botapi.block(ANA + 1)
    async with Bot(TOKEN, base_url=botapi.base_url) as bot:
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(ANA, "hello")
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(ANA + 1, "hello")
        (membership,) = await bot.get_updates()

    assert membership.my_chat_member is not None
    assert membership.my_chat_member.new_chat_member.status == "kicked"


async def test_wrong_token_is_refused_as_invalid(botapi: BotApiStub) -> None:
    botapi.token = TOKEN
    with pytest.raises(InvalidToken):
        async with Bot("987654321:wrong", base_url=botapi.base_url):
            pass

    assert botapi.tokens_seen == {"987654321:wrong"}


async def test_unknown_method_is_not_found_and_recorded(botapi: BotApiStub) -> None:
    async with Bot(TOKEN, base_url=botapi.base_url) as bot:
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("sendTelepathy")

    assert botapi.unknown_methods == ["sendTelepathy"]


async def test_waiting_in_vain_fails_listing_what_was_sent(botapi: BotApiStub) -> None:
    async with Bot(TOKEN, base_url=botapi.base_url) as bot:
        await bot.send_message(ANA, "Time for water", reply_markup=water_keyboard())

    with pytest.raises(AssertionError, match="no matching message") as caught:
        await botapi.wait_for_async(text="Goodbye", timeout=0.05)

    assert "Time for water" in str(caught.value)
    assert "water:later" in str(caught.value)


def run_in_thread(coroutine: Coroutine[Any, Any, None]) -> threading.Thread:
    """Run a bot client on its own event loop, as a bot in another process would."""
    thread = threading.Thread(target=asyncio.run, args=(coroutine,))
    thread.start()
    return thread


def test_a_bot_elsewhere_is_awaited_by_blocking_waits(botapi: BotApiStub) -> None:
    async def bot_process() -> None:
        async with Bot(TOKEN, base_url=botapi.base_url) as bot:
            (update,) = await bot.get_updates(timeout=2)
            assert update.message is not None
            await update.message.reply_text("Welcome", reply_markup=water_keyboard())

    client = run_in_thread(bot_process())
    botapi.wait_for_poll(timeout=2)
    botapi.send_text(ANA, "/start")
    welcome = botapi.wait_for(chat_id=ANA, with_buttons=True, timeout=2)
    client.join(timeout=2)

    assert welcome["text"] == "Welcome"


def test_closing_ends_a_pending_long_poll_and_leaves_no_threads() -> None:
    before = set(threading.enumerate())

    async def poll(stub: BotApiStub) -> None:
        async with Bot(TOKEN, base_url=stub.base_url) as bot:
            assert await bot.get_updates(timeout=5) == ()

    with BotApiStub() as stub:
        client = run_in_thread(poll(stub))
        stub.wait_for_poll(timeout=2)
        started = time.monotonic()

    client.join(timeout=2)
    assert time.monotonic() - started < 0.5
    assert set(threading.enumerate()) == before


MEDIA = (
    "sticker",
    "voice",
    "photo",
    "video",
    "video_note",
    "animation",
    "document",
    "audio",
    "location",
    "contact",
)


async def test_messages_without_text_arrive_in_shapes_ptb_reads(botapi: BotApiStub) -> None:
    for kind in MEDIA:
        botapi.send_media(ANA, kind, caption="my back" if kind == "photo" else None)
    async with Bot(TOKEN, base_url=botapi.base_url) as bot:
        updates = await bot.get_updates()

    assert len(updates) == len(MEDIA)
    for kind, update in zip(MEDIA, updates, strict=True):
        message = update.message
        assert message is not None
        assert message.text is None
        assert getattr(message, kind), kind
        assert message.effective_attachment, kind
    photo = updates[MEDIA.index("photo")].message
    assert photo is not None
    assert photo.caption == "my back"
    assert photo.photo[-1].width == 1280
    voice = updates[MEDIA.index("voice")].message
    assert voice is not None
    assert voice.voice is not None
    assert voice.voice.duration == dtm.timedelta(seconds=4)


def test_a_sticker_has_no_caption(botapi: BotApiStub) -> None:
    with pytest.raises(ValueError, match=r"(?i)no caption"):
        botapi.send_media(ANA, "sticker", caption="hi")


async def test_a_photo_is_sent_by_upload_or_file_id_and_edited_in_place(
    botapi: BotApiStub,
) -> None:
    first = picture_for("stretch-cat-cow")
    second = picture_for("stretch-childs-pose")
    assert first is not None
    assert second is not None
    async with Bot(TOKEN, base_url=botapi.base_url) as bot:
        sent = await bot.send_photo(
            ANA,
            first.read_bytes(),
            caption="<b>Cat-cow</b>",
            parse_mode=ParseMode.HTML,
            reply_markup=water_keyboard(),
        )
        file_id = sent.photo[-1].file_id
        again = await bot.send_photo(ANA, file_id, caption="by id")
        assert again.photo[-1].file_id == file_id
        with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
            await bot.send_photo(ANA, "not-an-id")
        edited = await bot.edit_message_caption(
            chat_id=ANA,
            message_id=sent.message_id,
            caption="20 s left",
            reply_markup=water_keyboard(),
        )
        assert isinstance(edited, type(sent))
        assert edited.caption == "20 s left"
        assert edited.reply_markup is not None
        changed = await bot.edit_message_media(
            InputMediaPhoto(
                second.read_bytes(), caption="<b>Child's pose</b>", parse_mode=ParseMode.HTML
            ),
            chat_id=ANA,
            message_id=sent.message_id,
        )
        assert isinstance(changed, type(sent))
        assert changed.photo[-1].file_id != file_id
        assert changed.caption == "Child's pose"
        assert changed.reply_markup is None  # not repeated: dropped, as Telegram does
        text = await bot.send_message(ANA, "plain")
        with pytest.raises(BadRequest, match=r"(?i)no caption"):
            await bot.edit_message_caption(chat_id=ANA, message_id=text.message_id, caption="x")
        botapi.forget_file_ids()
        with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
            await bot.send_photo(ANA, file_id)
    assert [how for how, _ in botapi.photos_sent(ANA)] == ["upload", "file_id", "upload"]
    assert len(botapi.uploads) == 2
