"""Telegram handlers: read the sender, run one flow in one transaction, send its reply."""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import Message, Update
from telegram.constants import ChatMemberStatus
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import burst, countdown, gate, wording
from bot.callbacks import CallbackDataError, decode
from bot.commands import (
    _run,
    cmd_better,
    cmd_cancel,
    cmd_drank,
    cmd_export,
    cmd_flare,
    cmd_forget,
    cmd_help,
    cmd_pain,
    cmd_progress,
    cmd_report,
    cmd_resume,
    cmd_session,
    cmd_setting,
    cmd_settings,
    cmd_start,
    cmd_today,
    cmd_undo,
    commands,
)
from bot.context import AppContext, BackCareApp
from bot.flows import conversation, onboarding
from bot.flows import reply as flows_reply
from bot.flows.reply import Arrival, Reply, Visit
from bot.render import NotForThisHandler, _send, _show, _show_fewer_buttons, _text
from bot.warnings_first import read_first
from bot.wording.common import as_html
from bot.wording.help import Unread
from guidance.reading import Reading
from jobs.services import schedule
from storage.repositories import UserRepository, first_time

log = logging.getLogger(__name__)


async def on_unknown_command(update: Update, context: AppContext) -> None:
    """Answer a command the bot does not have, once, naming /help.

    Registered in a group of its own after every other: it answers only what no command
    handler took, wherever that handler was registered. Nothing is stored.
    """
    message, typed = _text(update)
    name = typed.partition(" ")[0].lstrip("/").partition("@")[0].lower()
    known = commands(context.application)
    if name in known:
        return  # a command handler answered it
    await gate.once(update, context)
    await _send(message, Reply(wording.help.unknown_command(name, known)))


def _unread(message: Message) -> Unread:
    """Tell what kind of message without text someone sent."""
    kinds = (
        (message.voice, Unread.VOICE),
        (message.video_note, Unread.VIDEO_NOTE),
        (message.audio, Unread.AUDIO),
        (message.sticker, Unread.STICKER),
        (message.animation, Unread.ANIMATION),  # before document: a GIF is both
        (message.photo, Unread.PHOTO),
        (message.video, Unread.VIDEO),
        (message.document, Unread.DOCUMENT),
        (message.location, Unread.LOCATION),
        (message.contact, Unread.CONTACT),
    )
    return next((kind for present, kind in kinds if present), Unread.OTHER)


async def on_unread(update: Update, context: AppContext) -> None:
    """Answer a voice note, sticker, photo or file once: BackCare reads text only.

    A warning sign in its caption was answered first (`read_first`). Nothing is stored.
    """
    message = update.effective_message
    if message is None:
        raise NotForThisHandler("expected a message")
    await gate.once(update, context)
    await message.reply_text(as_html(wording.help.cannot_read(_unread(message))))


async def on_button(update: Update, context: AppContext) -> None:
    """Carry out a button press for the person who pressed it."""
    query = update.callback_query
    if query is None:
        raise NotForThisHandler("expected a button press")
    if not isinstance(query.message, Message):
        # Too old to edit.
        await query.answer(wording.common.EXPIRED_BUTTON, show_alert=True)
        return
    if query.message.chat.id != query.from_user.id:
        await query.answer(wording.common.NOT_YOURS, show_alert=True)
        return
    try:
        button = decode(query.data if isinstance(query.data, str) else None)
    except CallbackDataError:
        await query.answer(wording.common.EXPIRED_BUTTON, show_alert=True)
        return
    texts, message_id = context.bot_data.texts, query.message.message_id
    chat_id = query.message.chat.id
    countdown.stop(context, chat_id, message_id)  # no edit of a guided hold after a press
    try:
        reply = await _run(
            context,
            update,
            conversation.pressed,
            button,
            texts,
            message_id=message_id,
            guide=context.bot_data.guide,
            per_minute=context.bot_data.settings.questions.per_minute,
            outbox=context.bot_data.outbox,
        )
    except flows_reply.Stranger:
        reply = conversation.pressed_by_stranger(button)
    shown = await _show(query, reply, context.bot_data.renderer, context.bot_data.pictures)
    countdown.start(context, chat_id, shown, reply)
    if reply.edit is not None:  # "Did you mean “done”?" pressed: the nudge loses its buttons
        await _show_fewer_buttons(context, chat_id, reply.edit)


async def on_text(update: Update, context: AppContext) -> None:
    """Take a typed answer the bot asked for; anything else is a question.

    Warning signs never reach here: `read_first` answered them already.
    """
    message, typed = _text(update)
    guide, per_minute = context.bot_data.guide, context.bot_data.settings.questions.per_minute
    texts = context.bot_data.texts
    replied = message.reply_to_message
    reading = context.reading if context.reading is not None else _read_late(context, typed)
    reply = await _run(
        context,
        update,
        conversation.typed,
        replace(reading, text=typed),
        guide,
        texts,
        per_minute=per_minute,
        replying_to=replied.message_id if replied is not None else None,
    )
    # Sent, or added to the reply right above in a burst; "what's my streak?": a chart;
    # "show me child's pose": its picture.
    await burst.answer(context, message, reply)
    if reply.edit is not None:
        await _show_fewer_buttons(context, message.chat_id, reply.edit)


async def on_membership(update: Update, context: AppContext) -> None:
    """Stop nudges at once when someone blocks the bot; welcome them back when they return."""
    change = update.my_chat_member
    if change is None:
        raise NotForThisHandler("expected a change of the bot's membership")
    status = change.new_chat_member.status
    now = context.clock.now()
    async with context.transaction() as session:
        # Recorded with what it changes (see commands._in_one_transaction).
        if not await first_time(session, update.update_id, now=now):
            log.info("update %d came again; it was handled already", update.update_id)
            return
        user = await UserRepository(session).by_telegram_id(change.from_user.id)
        if user is None:
            return  # never used the bot: nothing stored, nothing to stop
        if status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
            user.active = False
            await schedule.stop_all(session, user)
            return
        if status != ChatMemberStatus.MEMBER or user.active:
            return
        user.active = True
        await schedule.reschedule(session, user, now=now)
        reply = await onboarding.start(Visit(session, user, now, Arrival.BACK))
    for screen in (reply.screen, *reply.then):
        await context.bot.send_message(change.chat.id, screen.html(), reply_markup=screen.markup())


async def on_error(update: object, context: AppContext) -> None:
    """Log an unexpected failure and tell the person something went wrong; a store that
    refuses writes (read-only, full) is said plainly, and logged once per change."""
    store = getattr(context.bot_data, "store", None)
    if store is not None and store.failed(context.error) is not None:
        await _cannot_save(update)
        raise ApplicationHandlerStop  # one answer: the handlers after this one would fail too
    log.error("update failed", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message:
        await update.effective_message.reply_text(as_html(wording.common.SOMETHING_WENT_WRONG))


async def _cannot_save(update: object) -> None:
    """Tell the person nothing could be saved: as an alert to a button, else as a reply."""
    if not isinstance(update, Update):
        return
    if update.callback_query is not None:
        await update.callback_query.answer(wording.common.CANNOT_SAVE, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(as_html(wording.common.CANNOT_SAVE))


SETTINGS_COMMANDS = ("timezone", "hours", "water", "posture", "stretch", "pause", "summary")
# Messages without text that people send a bot; each gets one note (service messages, such
# as a pinned message, get none).
UNREAD = (
    filters.VOICE
    | filters.VIDEO_NOTE
    | filters.AUDIO
    | filters.Sticker.ALL
    | filters.ANIMATION
    | filters.PHOTO
    | filters.VIDEO
    | filters.Document.ALL
    | filters.LOCATION
    | filters.CONTACT
    | filters.POLL
    | filters.Dice.ALL
)


def _read_late(context: AppContext, typed: str) -> Reading:
    """Read a message that `read_first` did not see (only tests call handlers so)."""
    return context.bot_data.guide.reader.first(typed)


def register(app: BackCareApp) -> None:
    """Register every handler: the gate, warning signs, then the rest (each records its
    update as handled in its own transaction, so a replay acts once)."""
    app.add_handler(TypeHandler(Update, gate.gate), group=-3)
    app.add_handler(MessageHandler(filters.TEXT | filters.CAPTION, read_first), group=-2)
    app.add_handler(ChatMemberHandler(on_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(CommandHandler("start", cmd_start))
    app.add_handler(CommandHandler("settings", cmd_settings))
    app.add_handler(CommandHandler(SETTINGS_COMMANDS, cmd_setting))
    app.add_handler(CommandHandler("resume", cmd_resume))
    app.add_handler(CommandHandler("drank", cmd_drank))
    app.add_handler(CommandHandler("today", cmd_today))
    app.add_handler(CommandHandler("undo", cmd_undo))
    app.add_handler(CommandHandler("progress", cmd_progress))
    app.add_handler(CommandHandler("report", cmd_report))
    app.add_handler(CommandHandler("export", cmd_export))
    app.add_handler(CommandHandler("flare", cmd_flare))
    app.add_handler(CommandHandler("better", cmd_better))
    app.add_handler(CommandHandler(("ice", "heat"), cmd_session))
    app.add_handler(CommandHandler("pain", cmd_pain))
    app.add_handler(CommandHandler(("help", "menu"), cmd_help))
    app.add_handler(CommandHandler("cancel", cmd_cancel))
    app.add_handler(CommandHandler("forget", cmd_forget))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    app.add_handler(MessageHandler(UNREAD, on_unread))
    # Last, in a group of its own, so that a command registered anywhere is never taken.
    app.add_handler(MessageHandler(filters.COMMAND, on_unknown_command), group=1)
    app.add_error_handler(on_error)
