"""Telegram handlers: read the sender, run one flow in one transaction, send its reply."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, Concatenate, ParamSpec, assert_never

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import flows, gate, wording
from bot.arguments import parse_command, parse_drank, parse_pain, parse_resume
from bot.callbacks import CallbackDataError, decode
from bot.context import AppContext, BackCareApp
from bot.flows import Arrival, Reply, Shown, Visit
from bot.sender import fit_caption, nudge_markup
from bot.wording.common import Screen
from bot.wording.help import Unread
from guidance import Finding, Level
from guidance.reading import Reading
from jobs.documents import Renderer
from jobs.documents.chart import render_chart
from jobs.pure import flare
from jobs.pure.time_input import InputError, clean_typed
from jobs.services import care, schedule
from jobs.services.profile import find_or_create_user, find_user
from storage.models import Treatment, User
from storage.repositories import UserRepository

log = logging.getLogger(__name__)

MAX_MESSAGE_LENGTH = 1000
# Telegram shows at most 200 characters of an answer to a button press.
MAX_ALERT_LENGTH = 200

# The arguments a flow takes after its `Visit`.
FlowArgs = ParamSpec("FlowArgs")


class NotForThisHandler(RuntimeError):
    """An update reached a handler whose filters should have kept it away."""


def _text(update: Update) -> tuple[Message, str]:
    """Return a text message and its text, normalised as every typed input is."""
    message = update.effective_message
    if message is None or message.text is None:
        raise NotForThisHandler("expected a text message")
    return message, clean_typed(message.text)


async def _user(
    context: AppContext, update: Update, session: AsyncSession
) -> tuple[User, Arrival]:
    # The sender is always taken from the update, never from button data; `gate` lets
    # through private chats only, so their chat is theirs.
    sender, chat = update.effective_user, update.effective_chat
    if sender is None or chat is None:
        raise NotForThisHandler("expected an update from a person in a chat")
    if update.message is None:
        # A button press (or any update but a new message) never makes a person: an old
        # button after /forget must not bring someone back half set up.
        found = await find_user(session, telegram_id=sender.id, chat_id=chat.id)
        if found is None:
            raise flows.Stranger
        user, new = found, False
    else:
        user, new = await find_or_create_user(
            session, telegram_id=sender.id, chat_id=chat.id, defaults=context.bot_data.defaults
        )
    if new:
        return user, Arrival.NEW
    if not user.active:
        # They blocked the bot once and are back: their nudges resume.
        user.active = True
        await schedule.reschedule(session, user, now=context.clock.now())
        return user, Arrival.BACK
    return user, Arrival.KNOWN


async def _run(
    context: AppContext,
    update: Update,
    flow: Callable[Concatenate[Visit, FlowArgs], Awaitable[Reply]],
    *args: FlowArgs.args,
    **kwargs: FlowArgs.kwargs,
) -> Reply:
    """Run one flow for the sender in one transaction, and reschedule what it changed.

    A refused value or a stale button rolls the transaction back: nothing changes.
    """
    now = context.clock.now()
    try:
        async with context.transaction() as session:
            user, arrival = await _user(context, update, session)
            reply = await flow(Visit(session, user, now, arrival), *args, **kwargs)
            if reply.reschedule:
                await schedule.reschedule(session, user, now=now)
    except (InputError, flows.StaleButton) as error:
        return Reply(Screen(str(error)), refused=True)
    return reply


async def _send(message: Message, reply: Reply, renderer: Renderer | None = None) -> None:
    """Answer a message with a reply's screens, in order; a chart or a file is drawn or
    made in the renderer's worker, then sent with the first screen as its caption."""
    screens = (reply.screen, *reply.then)
    if (reply.picture or reply.document) is not None and renderer is None:
        raise NotForThisHandler("a chart or a file needs the renderer")
    if reply.picture is not None:
        assert renderer is not None
        png = await renderer.run(render_chart, reply.picture)
        screen, *rest = screens
        await message.reply_photo(
            png, caption=fit_caption(screen.text), reply_markup=screen.markup()
        )
        screens = tuple(rest)
    elif reply.document is not None:
        assert renderer is not None
        made = await renderer.run(reply.document.make)
        screen, *rest = screens
        await message.reply_document(
            made, filename=reply.document.filename, caption=fit_caption(screen.text)
        )
        screens = tuple(rest)
    for screen in screens:
        if screen.text:  # an empty one (a question that waits out a flood) sends nothing
            await message.reply_text(
                screen.html(), parse_mode=ParseMode.HTML, reply_markup=screen.markup()
            )


async def _edit(query: CallbackQuery, screen: Screen) -> None:
    try:
        await query.edit_message_text(
            screen.html(), parse_mode=ParseMode.HTML, reply_markup=screen.markup()
        )
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
        [button for button in row if not str(button.callback_data).startswith(pressed)]
        for row in query.message.reply_markup.inline_keyboard
    ]
    kept = [row for row in rows if row]
    return InlineKeyboardMarkup(kept) if kept else None


async def _show(query: CallbackQuery, reply: Reply, renderer: Renderer) -> None:
    """Show the reply to a button press on the message that had the button."""
    if reply.refused:
        await query.answer(reply.screen.text[:MAX_ALERT_LENGTH], show_alert=True)
        return
    await query.answer(reply.notice)
    match reply.shown:
        case Shown.REPLACED:
            await _edit(query, reply.screen)
        case Shown.APPENDED:
            # The message as sent, its formatting kept (Telegram hands back plain text).
            original = query.message.text_html if isinstance(query.message, Message) else ""
            text = f"{original}\n\n{reply.screen.html()}".strip()
            await query.edit_message_text(
                text, parse_mode=ParseMode.HTML, reply_markup=_other_parts(query)
            )
        case Shown.BUTTONS_OFF:
            await query.edit_message_reply_markup(reply_markup=None)
        case Shown.NEW:
            if isinstance(query.message, Message):
                await _send(query.message, reply, renderer)
        case _:
            assert_never(reply.shown)


async def read_first(update: Update, context: AppContext) -> None:
    """Read every message for warning signs first, before anything else acts on it.

    Runs before every other handler: before the rate limit, an awaited answer or any
    parsing, and before any storage is touched (a store that fails cannot delay it). A
    message that tells of a warning sign is answered at once, and nothing else happens to
    it; one triage is not sure about gets the warning-sign question (at most hourly). The
    reading is kept on the update's context, and the flow that takes the message reads
    the rest of it (`Reader.finish`), knowing the sender.
    """
    message = update.effective_message
    if message is None:
        return
    # A photo's or a file's caption is read too: "my legs are numb" under a photo of a back.
    typed = message.text or message.caption
    if typed is None:
        return
    command = typed.startswith("/")
    if command:
        typed = typed.partition(" ")[2]  # a command's own words are read too
    reading = context.bot_data.guide.reader.first(typed)
    context.bot_data.metrics.triaged(reading.level)
    if reading.finding.told:
        await answer_warning(update, context, message, typed, reading.finding)
        raise ApplicationHandlerStop
    if reading.level is Level.CHECK and not command:
        guide = context.bot_data.guide
        asked = await _run(context, update, flows.ask_signs_if_due, reading, guide)
        if asked.screen.text:
            await _send(message, asked)
            raise ApplicationHandlerStop
        # Asked about this within the hour, or the message answers a question: read on.
        reading = replace(reading, finding=replace(reading.finding, level=Level.NONE))
    context.reading = reading
    if len(typed) > MAX_MESSAGE_LENGTH:
        await message.reply_text(wording.questions.TOO_LONG.format(limit=MAX_MESSAGE_LENGTH))
        raise ApplicationHandlerStop


async def answer_warning(
    update: Update, context: AppContext, message: Message, typed: str, finding: Finding
) -> None:
    """Send the warning-sign answer first, then keep it; a storage failure cannot stop it.

    After "get medical help now", posture breaks, stretches and ice or heat offers wait
    until the person says they have been seen: the answer says so, with the button.
    """
    answer = context.bot_data.guide.answer(typed, finding=finding)
    await message.reply_text(
        wording.warning.urgent(answer, held=answer.urgent).html(),
        parse_mode=ParseMode.HTML,
        reply_markup=wording.warning.urgent(answer, held=answer.urgent).markup(),
    )
    try:
        await _run(context, update, flows.record_warning, answer)
    except Exception as error:
        if context.bot_data.store.failed(error) is None:  # a store that refuses: said once
            log.exception("a warning-sign answer was sent but could not be stored")


async def cmd_start(update: Update, context: AppContext) -> None:
    """Welcome and onboard a newcomer, or show a returning person their plan."""
    message, _ = _text(update)
    await _send(message, await _run(context, update, flows.start))


async def cmd_settings(update: Update, context: AppContext) -> None:
    """Show the settings menu."""
    message, _ = _text(update)
    await _send(message, await _run(context, update, flows.settings_menu))


async def cmd_setting(update: Update, context: AppContext) -> None:
    """Apply a settings command such as `/hours 07:30-22:30`, or show its menu."""
    message, typed = _text(update)
    command, _, text = typed.partition(" ")
    name = command.lstrip("/").split("@")[0].lower()
    try:
        change = parse_command(name, text)
    except InputError as error:
        await message.reply_text(str(error))
        return
    if change is None:
        reply = await _run(context, update, flows.command_menu, name)
    else:
        reply = await _run(context, update, flows.command, change)
    await _send(message, reply)


async def cmd_resume(update: Update, context: AppContext) -> None:
    """Release a pause."""
    message, typed = _text(update)
    try:
        change = parse_resume(typed.partition(" ")[2])
    except InputError as error:
        await message.reply_text(str(error))
        return
    await _send(message, await _run(context, update, flows.command, change))


async def cmd_drank(update: Update, context: AppContext) -> None:
    """Log a glass of water, or an amount: `/drank`, `/drank 500`, `/drank 2 glasses`."""
    message, typed = _text(update)
    try:
        ml = parse_drank(typed.partition(" ")[2])
    except InputError as error:
        await message.reply_text(str(error))
        return
    await _send(message, await _run(context, update, flows.drank, ml))


async def cmd_today(update: Update, context: AppContext) -> None:
    """Show today's water, breaks and stretch, and when each next nudge is due."""
    message, _ = _text(update)
    await _send(message, await _run(context, update, flows.today))


async def cmd_progress(update: Update, context: AppContext) -> None:
    """Show the last 7 days as a chart, with a button for 30."""
    message, _ = _text(update)
    reply = await _run(context, update, flows.progress)
    await _send(message, reply, context.bot_data.renderer)


async def cmd_report(update: Update, context: AppContext) -> None:
    """Send the report for a physiotherapist or doctor, as a PDF."""
    message, _ = _text(update)
    reply = await _run(context, update, flows.report)
    await _send(message, reply, context.bot_data.renderer)


async def cmd_export(update: Update, context: AppContext) -> None:
    """Send everything stored about the sender, as CSV files in a zip."""
    message, _ = _text(update)
    reply = await _run(context, update, flows.export)
    await _send(message, reply, context.bot_data.renderer)


async def cmd_help(update: Update, _context: AppContext) -> None:
    """Show the short help (`/help`, `/menu`): the key commands, and a button for every one."""
    message, _ = _text(update)
    await _send(message, Reply(wording.help.help_screen()))


async def cmd_cancel(update: Update, context: AppContext) -> None:
    """Stop waiting for a typed setting, or say how to stop the nudges."""
    message, _ = _text(update)
    await _send(message, await _run(context, update, flows.cancel))


def commands(app: Application[Any, Any, Any, Any, Any, Any]) -> frozenset[str]:
    """Return every command the bot has a handler for, in any group."""
    return frozenset(
        command
        for group in app.handlers.values()
        for handler in group
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    )


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


async def on_unread(update: Update, _context: AppContext) -> None:
    """Answer a voice note, sticker, photo or file once: BackCare reads text only.

    A warning sign in its caption was answered first (`read_first`). Nothing is stored.
    """
    message = update.effective_message
    if message is None:
        raise NotForThisHandler("expected a message")
    await message.reply_text(wording.help.cannot_read(_unread(message)))


async def cmd_flare(update: Update, context: AppContext) -> None:
    """Start care mode for a spasm, or change its plan: `/flare acute 72h`."""
    message, typed = _text(update)
    options = typed.partition(" ")[2]
    try:
        option = care.parse_flare_option(options) if options.strip() else None
    except InputError as error:
        await message.reply_text(str(error))
        return
    reply = await _run(context, update, flows.flare, option, context.bot_data.texts)
    await _send(message, reply)


async def cmd_better(update: Update, context: AppContext) -> None:
    """End care mode with a summary of the episode."""
    message, _ = _text(update)
    await _send(message, await _run(context, update, flows.better))


async def cmd_session(update: Update, context: AppContext) -> None:
    """Start an ice (`/ice`) or heat (`/heat`) session now, timed in the database."""
    message, typed = _text(update)
    treatment = Treatment.ICE if typed.lower().startswith("/ice") else Treatment.HEAT
    reply = await _run(context, update, flows.start_session, treatment, context.bot_data.texts)
    await _send(message, reply)


async def cmd_pain(update: Update, context: AppContext) -> None:
    """Log today's pain, 0 to 10: `/pain 6`; outside care mode, ask to start it first."""
    message, typed = _text(update)
    texts = context.bot_data.texts
    try:
        score = care.check_pain(parse_pain(typed.partition(" ")[2]))
    except InputError as error:
        await message.reply_text(str(error))
        return
    if flare.pain_is_severe(score):
        await message.reply_text(texts.urgent_for_pain)  # help first, whatever follows
    await _send(message, await _run(context, update, flows.pain, score, texts))


async def cmd_forget(update: Update, _context: AppContext) -> None:
    """Offer to delete everything stored about the sender."""
    message, _ = _text(update)
    await _send(message, Reply(wording.settings.forget_question()))


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
    try:
        reply = await _run(
            context,
            update,
            flows.pressed,
            button,
            texts,
            message_id=message_id,
            guide=context.bot_data.guide,
            per_minute=context.bot_data.settings.questions.per_minute,
            outbox=context.bot_data.outbox,
        )
    except flows.Stranger:
        reply = flows.pressed_by_stranger(button)
    await _show(query, reply, context.bot_data.renderer)


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
        flows.typed,
        replace(reading, text=typed),
        guide,
        texts,
        per_minute=per_minute,
        replying_to=replied.message_id if replied is not None else None,
    )
    await _send(message, reply, context.bot_data.renderer)  # "what's my streak?": a chart
    if reply.edit is not None:
        await _show_fewer_buttons(context, message.chat_id, reply.edit)


async def _show_fewer_buttons(context: AppContext, chat_id: int, edit: flows.NudgeEdit) -> None:
    """Take the buttons of the parts answered in words off an earlier nudge."""
    markup = nudge_markup(edit.message)
    try:
        await context.bot.edit_message_reply_markup(
            chat_id, edit.message_id, reply_markup=markup if markup.inline_keyboard else None
        )
    except BadRequest:
        log.info("could not take the buttons off nudge %s", edit.message_id)


async def on_membership(update: Update, context: AppContext) -> None:
    """Stop nudges at once when someone blocks the bot; welcome them back when they return."""
    change = update.my_chat_member
    if change is None:
        raise NotForThisHandler("expected a change of the bot's membership")
    status = change.new_chat_member.status
    now = context.clock.now()
    async with context.transaction() as session:
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
        reply = await flows.start(Visit(session, user, now, Arrival.BACK))
    for screen in (reply.screen, *reply.then):
        await context.bot.send_message(
            change.chat.id, screen.html(), parse_mode=ParseMode.HTML, reply_markup=screen.markup()
        )


async def on_error(update: object, context: AppContext) -> None:
    """Log an unexpected failure and tell the person something went wrong; a store that
    refuses writes (read-only, full) is said plainly, and logged once per change."""
    store = getattr(context.bot_data, "store", None)
    if store is not None and store.failed(context.error) is not None:
        await _cannot_save(update)
        raise ApplicationHandlerStop  # one answer: the handlers after this one would fail too
    log.error("update failed", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message:
        await update.effective_message.reply_text(wording.common.SOMETHING_WENT_WRONG)


async def _cannot_save(update: object) -> None:
    """Tell the person nothing could be saved: as an alert to a button, else as a reply."""
    if not isinstance(update, Update):
        return
    if update.callback_query is not None:
        await update.callback_query.answer(wording.common.CANNOT_SAVE, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(wording.common.CANNOT_SAVE)


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
    """Register every handler: the gate, warning signs, replays, then the rest."""
    app.add_handler(TypeHandler(Update, gate.gate), group=-3)
    app.add_handler(MessageHandler(filters.TEXT | filters.CAPTION, read_first), group=-2)
    app.add_handler(TypeHandler(Update, gate.once), group=-1)
    app.add_handler(ChatMemberHandler(on_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(CommandHandler("start", cmd_start))
    app.add_handler(CommandHandler("settings", cmd_settings))
    app.add_handler(CommandHandler(SETTINGS_COMMANDS, cmd_setting))
    app.add_handler(CommandHandler("resume", cmd_resume))
    app.add_handler(CommandHandler("drank", cmd_drank))
    app.add_handler(CommandHandler("today", cmd_today))
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
