"""A burst of messages answered once (issue 27 item 6).

Several messages typed within seconds are often one thought ("drank a glass", "and did the
stretch"): the next goes on from the one before ("and …", "also …", "… too"). Each is still
read and acted on by itself, in order, so nothing in any of them is lost; but the answer to
the next one is added to the reply right above it, not sent as another message: one reply
covers the burst. Messages that do not go on from the one before are answered apart, however
fast they come. Warning signs never come here: `read_first`
answers them at once, in a message of their own, and that message ends the burst (the reply
is no longer right above the next message).

The reply is kept on the person's row (its id, the latest message it answers, when, what it
says), so any bot process can take the next message; a reply is joined only if it is still
as read (compare and set), else the answer goes out as a reply of its own: two processes at
once may send two replies, never lose one. A store that cannot be read or written, an edit
Telegram refuses: the answer is sent as usual.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.callbacks import Do, encode
from bot.context import AppContext
from bot.flows.reply import Reply
from bot.render import _send
from bot.wording.common import Screen
from guidance.reading import replies
from storage.models import User
from storage.repositories import UserRepository, join_burst_reply, keep_burst_reply

log = logging.getLogger(__name__)

# Messages this close together are one burst (the next typed before the reply is read).
BURST = timedelta(seconds=5)
# A joined reply stays well inside Telegram's 4,096 characters.
MAX_JOINED = 3500


@dataclass(frozen=True, slots=True)
class Said:
    """What a reply says: its HTML, and its buttons as (label, payload)."""

    html: str
    rows: tuple[tuple[tuple[str, str], ...], ...] = ()

    @classmethod
    def of(cls, screen: Screen) -> Said:
        rows = tuple(tuple((label, encode(data)) for label, data in row) for row in screen.rows)
        return cls(screen.html(), rows)

    def dump(self) -> str:
        return json.dumps({"html": self.html, "rows": self.rows}, ensure_ascii=False)

    @classmethod
    def load(cls, text: str) -> Said:
        data = json.loads(text)
        rows = tuple(tuple((label, payload) for label, payload in row) for row in data["rows"])
        return cls(str(data["html"]), rows)

    def markup(self) -> InlineKeyboardMarkup | None:
        if not self.rows:
            return None
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(label, callback_data=data) for label, data in row]
             for row in self.rows]
        )  # fmt: skip

    def then(self, other: Said) -> Said:
        """Return this reply with another's answer below it; a button once, at the end."""
        seen: set[str] = set()
        rows = []
        for row in reversed((*self.rows, *other.rows)):
            kept = tuple(button for button in row if button[1] not in seen)
            seen.update(data for _, data in kept)
            if kept:
                rows.append(kept)
        return Said(f"{self.html}\n\n{other.html}", tuple(reversed(rows)))


def joins(user: User, message_id: int, now: datetime) -> Said | None:
    """Return the kept reply a message may join, if it is the next of a burst: the reply
    (or the person's message it answers) is right above it, and came within seconds."""
    kept, reply_id, answered, at = (
        user.burst_said,
        user.burst_reply_id,
        user.burst_message_id,
        user.burst_at,
    )
    if kept is None or reply_id is None or answered is None or at is None:
        return None
    if message_id - 1 not in (reply_id, answered) or answered >= message_id:
        return None
    if not timedelta(0) <= now - at <= BURST:
        return None
    return Said.load(kept)


def _plain(reply: Reply) -> bool:
    """Tell whether a reply is one screen of text, with no button but ↩️ Undo: only such a
    reply joins a burst (one that asks something, "Did you mean …?", a settings screen,
    keeps its place and its buttons, and the next message is answered below it)."""
    return (
        bool(reply.screen.text)
        and reply.picture is None
        and reply.document is None
        and reply.photo is None
        and not reply.then
        and all(data == Do.UNDO for row in reply.screen.rows for _, data in row)
    )


async def answer(context: AppContext, message: Message, reply: Reply) -> None:
    """Answer a typed message: in the reply right above it when it continues a burst, else
    as usual; the reply is kept for the next message."""
    if not _plain(reply) or message.from_user is None or message.text is None:
        await _send(message, reply, context.bot_data.renderer, context.bot_data.pictures)
        return
    now, said = context.clock.now(), Said.of(reply.screen)
    try:
        goes_on = replies.continues(message.text)
        joined = await _join(context, message, said, now) if goes_on else None
    except SQLAlchemyError:
        log.warning("could not read or keep the burst's reply", exc_info=True)
        joined = None
    if joined is not None:
        return
    sent = await message.reply_text(
        reply.screen.html(), parse_mode=ParseMode.HTML, reply_markup=reply.screen.markup()
    )
    try:
        async with context.transaction() as session:
            user = await UserRepository(session).by_telegram_id(message.from_user.id)
            if user is not None:
                await keep_burst_reply(
                    session,
                    user.id,
                    reply_id=sent.message_id,
                    message_id=message.message_id,
                    said=said.dump(),
                    now=now,
                )
    except SQLAlchemyError:
        log.warning("could not keep the burst's reply", exc_info=True)


async def _join(context: AppContext, message: Message, said: Said, now: datetime) -> int | None:
    """Add an answer to the burst's reply right above the message; return the reply's id,
    or None when the message starts a burst of its own (or the edit is refused)."""
    assert message.from_user is not None
    async with context.transaction() as session:
        user = await UserRepository(session).by_telegram_id(message.from_user.id)
        earlier = None if user is None else joins(user, message.message_id, now)
        if user is None or earlier is None or user.burst_reply_id is None:
            return None
        together = earlier.then(said)
        if len(together.html) > MAX_JOINED:
            return None
        reply_id = user.burst_reply_id
        taken = await join_burst_reply(
            session,
            user.id,
            reply_id=reply_id,
            after=user.burst_message_id or 0,
            message_id=message.message_id,
            said=together.dump(),
            now=now,
        )
    if not taken:
        return None  # another process answered a message of this burst first
    try:
        await context.bot.edit_message_text(
            together.html,
            chat_id=message.chat_id,
            message_id=reply_id,
            parse_mode=ParseMode.HTML,
            reply_markup=together.markup(),
        )
    except BadRequest:
        log.info("could not add to reply %s; answering apart", reply_id)
        return None
    return reply_id
