"""What reaches the bot's handlers: one person, in their private chat, each update once.

Health data lives in private chats only. In a group, supergroup or channel a command or
a mention of the bot gets one short reply with a link to the private chat; nothing is
stored and nobody's stored chat changes. Messages with no person behind them (sent on
behalf of a chat, or by a bot) are ignored. An edited message changes nothing and gets no
reply, unless it now describes a warning sign. A webhook update posted again with
the same `update_id` acts once: its id is recorded in the transaction of the flow it runs,
or by `once` when it runs none.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.exc import DBAPIError
from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.context import AppContext
from bot.wording import common
from guidance import Level
from storage.repositories import first_time

log = logging.getLogger(__name__)

# How long a handled update id is remembered: Telegram retries a webhook for less.
REPLAY_WINDOW = timedelta(days=1)


async def gate(update: Update, context: AppContext) -> None:
    """Stop every update that is not a person's own, new, private one."""
    user, chat = update.effective_user, update.effective_chat
    message = update.effective_message
    if user is None or user.is_bot or (message is not None and message.sender_chat):
        raise ApplicationHandlerStop
    if chat is not None and chat.type != ChatType.PRIVATE:
        await _redirect(update, context)
        raise ApplicationHandlerStop
    if update.edited_message is not None:
        await _edited(update.edited_message, context)
        raise ApplicationHandlerStop


class Replayed(ApplicationHandlerStop):
    """This update was handled before (Telegram sent it again): nothing more is done."""


async def once(update: Update, context: AppContext) -> None:
    """Record an update that runs no flow as handled; stop one handled before.

    A flow records its update in its own transaction (`commands._in_one_transaction`);
    this is for what answers without one (/help, a note on a sticker, an argument that
    could not be read). A store that refuses writes (read-only, full) lets the update
    through unremembered.
    """
    if context.recorded:
        return
    try:
        async with context.transaction() as session:
            new = await first_time(session, update.update_id, now=context.clock.now())
    except DBAPIError as error:
        if context.bot_data.store.failed(error) is None:
            raise
        return
    if not new:
        log.info("update %d came again; it was handled already", update.update_id)
        raise Replayed
    context.recorded = True


async def _redirect(update: Update, context: AppContext) -> None:
    """In a group: answer a command or a mention with a link to the private chat, once."""
    query = update.callback_query
    if query is not None:
        await query.answer(common.PRIVATE_ONLY_BUTTON, show_alert=True)
        return
    message = update.message
    if message is None or not _addressed(message, context.bot.username):
        return
    link = f"https://t.me/{context.bot.username}?start=private"
    reading = context.bot_data.guide.reader.first(message.text or "")
    urgent = reading.level is Level.URGENT
    await message.reply_text(common.as_html(common.private_only(link, urgent=urgent)))


def _addressed(message: Message, username: str) -> bool:
    """Tell whether a group message is a command or mentions the bot."""
    entities = message.parse_entities([MessageEntity.BOT_COMMAND, MessageEntity.MENTION])
    for entity, text in entities.items():
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            return True
        if text.lstrip("@").lower() == username.lower():
            return True
    return False


async def _edited(message: Message, context: AppContext) -> None:
    """An edit acts on nothing and is not answered; a warning sign in it still is.

    People edit to fix a typo in what was answered already: a reply to each would be noise.
    """
    typed = message.text or message.caption or ""
    finding = context.bot_data.guide.reader.first(typed).finding
    context.bot_data.metrics.triaged(finding.level)
    if finding.told:
        reply = context.bot_data.guide.answer(typed, finding=finding)
        await message.reply_text(common.as_html(reply.answer))
