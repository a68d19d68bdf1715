"""Render a flow's `Reply` to Telegram: send, edit, or answer a press."""

from __future__ import annotations

import logging
from typing import assert_never

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.callbacks import Do, encode
from bot.context import AppContext
from bot.flows import reply as flows_reply
from bot.flows.reply import Reply, Shown
from bot.telegram_io.pictures import Pictures
from bot.telegram_io.sender import fit_caption, nudge_markup
from bot.wording.common import Screen, as_html
from bot.wording.progress import chart_words
from guidance.reading.times import clean_typed
from jobs.documents import Renderer
from jobs.documents.chart import render_chart

log = logging.getLogger(__name__)


MAX_MESSAGE_LENGTH = 1000
# Telegram shows at most 200 characters of an answer to a button press.
MAX_ALERT_LENGTH = 200
# The ↩️ Undo button's payload: one per message, under the newest log.
UNDO_DATA = encode(Do.UNDO)


class NotForThisHandler(RuntimeError):
    """An update reached a handler whose filters should have kept it away."""


def _text(update: Update) -> tuple[Message, str]:
    """Return a text message and its text, normalised as every typed input is."""
    message = update.effective_message
    if message is None or message.text is None:
        raise NotForThisHandler("expected a text message")
    return message, clean_typed(message.text)


def _caption(screen: Screen) -> str:
    """A screen as a picture's caption: cut to Telegram's limit, as HTML."""
    return Screen(fit_caption(screen.text), screen.rows, screen.headings).html()


async def _send(
    message: Message,
    reply: Reply,
    renderer: Renderer | None = None,
    pictures: Pictures | None = None,
) -> Message | None:
    """Answer a message with a reply's screens, in order; a chart or a file is drawn or
    made in the renderer's worker, then sent with the first screen as its caption; a
    stretch picture goes with it as its caption. Return the picture's message, if one."""
    screens = (reply.screen, *reply.then)
    if (reply.picture or reply.document) is not None and renderer is None:
        raise NotForThisHandler("a chart or a file needs the renderer")
    if reply.photo is not None and pictures is None:
        raise NotForThisHandler("a stretch picture needs the pictures")
    shown: Message | None = None
    if reply.photo is not None:
        assert pictures is not None
        screen, *rest = screens
        shown = await pictures.send(
            message.get_bot(), message.chat_id, reply.photo, _caption(screen), screen.markup()
        )
        screens = tuple(rest)
    elif reply.picture is not None:
        assert renderer is not None
        png = await renderer.run(render_chart, reply.picture, chart_words(reply.picture))
        screen, *rest = screens
        await message.reply_photo(
            png, caption=as_html(fit_caption(screen.text)), reply_markup=screen.markup()
        )
        screens = tuple(rest)
    elif reply.document is not None:
        assert renderer is not None
        made = await renderer.run(reply.document.make)
        screen, *rest = screens
        await message.reply_document(
            made, filename=reply.document.filename, caption=as_html(fit_caption(screen.text))
        )
        screens = tuple(rest)
    for screen in screens:
        if screen.text:  # an empty one (a question that waits out a flood) sends nothing
            await message.reply_text(screen.html(), reply_markup=screen.markup())
    return shown


async def _edit(query: CallbackQuery, screen: Screen) -> None:
    try:
        await query.edit_message_text(screen.html(), reply_markup=screen.markup())
    except BadRequest as error:
        # Pressing a button that changes nothing leaves the text as it was.
        if "not modified" not in str(error).lower():
            raise


def _other_parts(query: CallbackQuery) -> InlineKeyboardMarkup | None:
    """Return the buttons of a nudge message's other parts: the pressed part's are done.

    Nudges due together go out as one message, each part with its own buttons.
    """
    if not isinstance(query.message, Message) or query.message.reply_markup is None:
        return None
    pressed = ":".join(str(query.data).split(":")[:2]) + ":"  # "nud:water:"
    rows = [
        [
            button
            for button in row
            if not str(button.callback_data).startswith(pressed)
            and button.callback_data != UNDO_DATA  # the newest reply brings its own Undo
        ]
        for row in query.message.reply_markup.inline_keyboard
    ]
    kept = [row for row in rows if row]
    return InlineKeyboardMarkup(kept) if kept else None


def _appended_markup(query: CallbackQuery, screen: Screen) -> InlineKeyboardMarkup | None:
    """Return the buttons a nudge keeps below what a press appended: its other parts', then
    the reply's own (↩️ Undo after a log)."""
    kept = _other_parts(query)
    added = screen.markup()
    rows = [*(kept.inline_keyboard if kept else ()), *(added.inline_keyboard if added else ())]
    return InlineKeyboardMarkup(rows) if rows else None


async def _show(
    query: CallbackQuery, reply: Reply, renderer: Renderer, pictures: Pictures | None = None
) -> int | None:
    """Show the reply to a button press on the message that had the button; return the id
    of the message a stretch picture now shows on, if one does."""
    if reply.refused:
        await query.answer(reply.screen.text[:MAX_ALERT_LENGTH], show_alert=True)
        return None
    await query.answer(reply.notice)
    message = query.message if isinstance(query.message, Message) else None
    match reply.shown:
        case Shown.REPLACED if reply.photo is not None and message is not None:
            if pictures is None:
                raise NotForThisHandler("a stretch picture needs the pictures")
            screen = reply.screen
            await pictures.edit(
                query.get_bot(),
                message.chat_id,
                message.message_id,
                reply.photo,
                _caption(screen),
                screen.markup(),
            )
            return message.message_id
        case Shown.REPLACED:
            await _edit(query, reply.screen)
        case Shown.CAPTION:
            await query.edit_message_caption(
                _caption(reply.screen),
                reply_markup=reply.screen.markup(),
            )
        case Shown.APPENDED:
            # The message as sent, its formatting kept (Telegram hands back plain text).
            original = message.text_html if message is not None else ""
            text = f"{original}\n\n{reply.screen.html()}".strip()
            await query.edit_message_text(text, reply_markup=_appended_markup(query, reply.screen))
        case Shown.BUTTONS_OFF:
            await query.edit_message_reply_markup(reply_markup=None)
        case Shown.NEW:
            if message is not None:
                sent = await _send(message, reply, renderer, pictures)
                return sent.message_id if sent is not None else None
        case _:
            assert_never(reply.shown)
    return None


async def _show_fewer_buttons(
    context: AppContext, chat_id: int, edit: flows_reply.NudgeEdit
) -> None:
    """Take the buttons of the parts answered in words off an earlier nudge."""
    markup = nudge_markup(context.bot_data.texts.labelled(edit.message))
    try:
        await context.bot.edit_message_reply_markup(
            chat_id, edit.message_id, reply_markup=markup if markup.inline_keyboard else None
        )
    except BadRequest:
        log.info("could not take the buttons off nudge %s", edit.message_id)
