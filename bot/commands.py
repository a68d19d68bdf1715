"""The command handlers: each runs one flow in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, ParamSpec

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Message, Update
from telegram.ext import (
    Application,
    CommandHandler,
)

from bot import countdown, wording
from bot.arguments import parse_command, parse_drank, parse_pain, parse_resume
from bot.context import AppContext
from bot.flows import care as flows_care
from bot.flows import guided, onboarding, records, settings
from bot.flows import reply as flows_reply
from bot.flows.reply import Arrival, Reply, Visit
from bot.gate import Replayed, once
from bot.render import NotForThisHandler, _send, _text
from bot.wording.common import Screen, as_html
from guidance.reading.times import InputError
from jobs.rules import flare
from jobs.services import care, schedule
from jobs.services.profile import find_or_create_user, find_user
from storage.models import Treatment, User
from storage.repositories import first_time

log = logging.getLogger(__name__)


# The arguments a flow takes after its `Visit`.
FlowArgs = ParamSpec("FlowArgs")


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
            raise flows_reply.Stranger
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

    The update's id is recorded in the same transaction (see `_in_one_transaction`); a
    refused value or a stale button rolls it back: nothing changes.
    """

    async def run(visit: Visit) -> Reply:
        return await flow(visit, *args, **kwargs)

    return await _in_one_transaction(context, update, run)


async def _in_one_transaction(
    context: AppContext,
    update: Update,
    flow: Callable[[Visit], Awaitable[Reply]],
    *,
    records: Callable[[Reply], bool] = lambda _reply: True,
) -> Reply:
    """Run a flow and record the update as handled, in one transaction.

    So a crash can neither keep the flow and lose the record (the update would act twice
    when Telegram sends it again) nor keep the record and lose the flow (it would never act).
    An update recorded before is a replay: the transaction is rolled back and `Replayed`
    stops its handling. Only the first transaction of an update records it, and only if
    `records(reply)` (a check that found nothing to ask leaves it to the flow after it).

    A store that refuses writes (read-only, full) runs the flow again unrecorded: what
    needs no saving (/today, a question) is still answered, and what does fails as before.
    """
    record = not context.recorded
    try:
        try:
            reply = await _transaction(context, update, flow, records if record else None)
        except DBAPIError as error:
            if not record or context.bot_data.store.failed(error) is None:
                raise
            reply = await _transaction(context, update, flow, None)
    except InputError as error:
        return Reply(Screen(wording.inputs.refusal(error)), refused=True)
    except flows_reply.StaleButton as error:
        return Reply(Screen(str(error)), refused=True)
    return reply


async def _transaction(
    context: AppContext,
    update: Update,
    flow: Callable[[Visit], Awaitable[Reply]],
    records: Callable[[Reply], bool] | None,
) -> Reply:
    now = context.clock.now()
    async with context.transaction() as session:
        user, arrival = await _user(context, update, session)
        reply = await flow(Visit(session, user, now, arrival))
        if reply.reschedule:
            await schedule.reschedule(session, user, now=now)
        if records is not None and records(reply):
            if not await first_time(session, update.update_id, now=now):
                # Raised inside the transaction: the flow's changes are rolled back.
                log.info("update %d came again; it was handled already", update.update_id)
                raise Replayed
            context.recorded = True  # once this commits (an error rolls back and raises)
    return reply


async def _refuse(update: Update, context: AppContext, message: Message, text: str) -> None:
    """Answer a command whose arguments could not be read: no flow runs, so no transaction."""
    await once(update, context)
    await message.reply_text(as_html(text))


async def cmd_start(update: Update, context: AppContext) -> None:
    """Welcome and onboard a newcomer, or show a returning person their plan."""
    message, _ = _text(update)
    await _send(message, await _run(context, update, onboarding.start))


async def cmd_settings(update: Update, context: AppContext) -> None:
    """Show the settings menu."""
    message, _ = _text(update)
    await _send(message, await _run(context, update, settings.settings_menu))


async def cmd_setting(update: Update, context: AppContext) -> None:
    """Apply a settings command such as `/hours 07:30-22:30`, or show its menu."""
    message, typed = _text(update)
    command, _, text = typed.partition(" ")
    name = command.lstrip("/").split("@")[0].lower()
    word, _, rest = text.strip().partition(" ")
    if name == "stretch" and word.lower() in ("show", "start"):
        await _stretch_show(update, context, message, rest)
        return
    try:
        change = parse_command(name, text)
    except InputError as error:
        await _refuse(update, context, message, wording.inputs.refusal(error))
        return
    if change is None:
        reply = await _run(context, update, settings.command_menu, name)
    else:
        reply = await _run(context, update, settings.command, change)
    await _send(message, reply)


async def _stretch_show(update: Update, context: AppContext, message: Message, words: str) -> None:
    """`/stretch show`: a guided session now; `/stretch show cat cow`: that one, pictured."""
    data = context.bot_data
    reply = await _run(context, update, guided.stretch_command, words, data.texts, data.guide)
    sent = await _send(message, reply, data.renderer, data.pictures)
    countdown.start(context, message.chat_id, sent.message_id if sent else None, reply)


async def cmd_resume(update: Update, context: AppContext) -> None:
    """Release a pause."""
    message, typed = _text(update)
    try:
        change = parse_resume(typed.partition(" ")[2])
    except InputError as error:
        await _refuse(update, context, message, wording.inputs.refusal(error))
        return
    await _send(message, await _run(context, update, settings.command, change))


async def cmd_drank(update: Update, context: AppContext) -> None:
    """Log a glass of water, or an amount: `/drank`, `/drank 500`, `/drank 2 glasses`."""
    message, typed = _text(update)
    try:
        ml = parse_drank(typed.partition(" ")[2])
    except InputError as error:
        await _refuse(update, context, message, wording.inputs.refusal(error))
        return
    await _send(message, await _run(context, update, flows_care.drank, ml))


async def cmd_today(update: Update, context: AppContext) -> None:
    """Show today's water, breaks and stretch, and when each next nudge is due."""
    message, _ = _text(update)
    await _send(message, await _run(context, update, records.today))


async def cmd_undo(update: Update, context: AppContext) -> None:
    """Take back the last thing logged in the last ten minutes."""
    message, _ = _text(update)
    await _send(message, await _run(context, update, records.undo_last))


async def cmd_progress(update: Update, context: AppContext) -> None:
    """Show the last 7 days as a chart, with a button for 30."""
    message, _ = _text(update)
    reply = await _run(context, update, records.progress)
    await _send(message, reply, context.bot_data.renderer)


async def cmd_report(update: Update, context: AppContext) -> None:
    """Send the report for a physiotherapist or doctor, as a PDF."""
    message, _ = _text(update)
    reply = await _run(context, update, records.report)
    await _send(message, reply, context.bot_data.renderer)


async def cmd_export(update: Update, context: AppContext) -> None:
    """Send everything stored about the sender, as CSV files in a zip."""
    message, _ = _text(update)
    reply = await _run(context, update, records.export, context.bot_data.texts)
    await _send(message, reply, context.bot_data.renderer)


async def cmd_help(update: Update, context: AppContext) -> None:
    """Show the short help (`/help`, `/menu`): the key commands, and a button for every one."""
    message, _ = _text(update)
    await once(update, context)
    await _send(message, Reply(wording.help.help_screen()))


async def cmd_cancel(update: Update, context: AppContext) -> None:
    """Stop waiting for a typed setting, or say how to stop the nudges."""
    message, _ = _text(update)
    await _send(message, await _run(context, update, flows_care.cancel))


def commands(app: Application[Any, Any, Any, Any, Any, Any]) -> frozenset[str]:
    """Return every command the bot has a handler for, in any group."""
    return frozenset(
        command
        for group in app.handlers.values()
        for handler in group
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    )


async def cmd_flare(update: Update, context: AppContext) -> None:
    """Start care mode for a spasm, or change its plan: `/flare acute 72h`."""
    message, typed = _text(update)
    options = typed.partition(" ")[2]
    try:
        option = care.parse_flare_option(options) if options.strip() else None
    except InputError as error:
        await _refuse(update, context, message, wording.inputs.refusal(error))
        return
    reply = await _run(context, update, flows_care.flare, option, context.bot_data.texts)
    await _send(message, reply)


async def cmd_better(update: Update, context: AppContext) -> None:
    """End care mode with a summary of the episode."""
    message, _ = _text(update)
    await _send(message, await _run(context, update, flows_care.better))


async def cmd_session(update: Update, context: AppContext) -> None:
    """Start an ice (`/ice`) or heat (`/heat`) session now, timed in the database."""
    message, typed = _text(update)
    treatment = Treatment.ICE if typed.lower().startswith("/ice") else Treatment.HEAT
    reply = await _run(
        context, update, flows_care.start_session, treatment, context.bot_data.texts
    )
    await _send(message, reply)


async def cmd_pain(update: Update, context: AppContext) -> None:
    """Log today's pain, 0 to 10: `/pain 6`; outside care mode, ask to start it first."""
    message, typed = _text(update)
    texts = context.bot_data.texts
    try:
        score = care.check_pain(parse_pain(typed.partition(" ")[2]))
    except InputError as error:
        await _refuse(update, context, message, wording.inputs.refusal(error))
        return
    if flare.pain_is_severe(score):
        await message.reply_text(as_html(texts.urgent_for_pain))  # help first, whatever follows
    await _send(message, await _run(context, update, flows_care.pain, score, texts))


async def cmd_forget(update: Update, context: AppContext) -> None:
    """Offer to delete everything stored about the sender."""
    message, _ = _text(update)
    await once(update, context)
    await _send(message, Reply(wording.settings.forget_question()))
