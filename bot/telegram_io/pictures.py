"""Send the stretch pictures, uploading each only once: after that, by Telegram's file id.

The file id from the first `sendPhoto` of a picture is kept in the database (table
`picture_file_ids`), so every process of the bot, and the bot after a restart, sends it by
that id. The digest of the picture's bytes goes with it: a redrawn picture is uploaded
afresh. If Telegram no longer knows an id ("wrong file identifier"), the picture is
uploaded again and the new id kept.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot, InlineKeyboardMarkup, InputMediaPhoto, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest

from guidance.pictures import picture_for
from jobs.delivery.clock import Clock
from storage.repositories import drop_picture_file_id, keep_picture_file_id, picture_file_id

log = logging.getLogger(__name__)


def stale_file_id(error: BadRequest) -> bool:
    """Tell whether Telegram refused a file id it does not know (any more)."""
    words = error.message.lower()
    return "file identifier" in words or "file_id" in words or "file reference" in words


@dataclass(frozen=True, slots=True)
class Picture:
    """A picture's bytes and their digest."""

    name: str
    data: bytes
    digest: str


class Pictures:
    """The stretch pictures as the bot sends them: by file id once Telegram has one."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessionmaker = sessionmaker
        self._clock = clock
        self._read: dict[str, Picture] = {}
        self._ids: dict[str, tuple[str, str]] = {}  # name -> (digest, file id)

    def picture(self, name: str) -> Picture:
        """Return a picture's bytes (read once), or raise KeyError for one that is not."""
        if name not in self._read:
            path: Path | None = picture_for(name)
            if path is None:
                raise KeyError(f"no picture named {name!r}")
            data = path.read_bytes()
            self._read[name] = Picture(name, data, hashlib.sha256(data).hexdigest())
        return self._read[name]

    async def file_id(self, picture: Picture) -> str | None:
        """Return the file id kept for these bytes, if any (from memory, else the database)."""
        known = self._ids.get(picture.name)
        if known is not None and known[0] == picture.digest:
            return known[1]
        async with self._sessionmaker() as session:
            found = await picture_file_id(session, picture.name, picture.digest)
        if found is not None:
            self._ids[picture.name] = (picture.digest, found)
        return found

    async def keep(self, picture: Picture, message: Message | bool) -> None:
        """Keep the file id Telegram gave the picture in a message it sent or edited."""
        if not isinstance(message, Message) or not message.photo:
            return
        file_id = message.photo[-1].file_id
        if self._ids.get(picture.name) == (picture.digest, file_id):
            return
        self._ids[picture.name] = (picture.digest, file_id)
        async with self._sessionmaker.begin() as session:
            await keep_picture_file_id(
                session, picture.name, picture.digest, file_id, now=self._clock.now()
            )

    async def forget(self, picture: Picture) -> None:
        """Forget a file id Telegram refused."""
        self._ids.pop(picture.name, None)
        async with self._sessionmaker.begin() as session:
            await drop_picture_file_id(session, picture.name)

    async def send(
        self,
        bot: Bot,
        chat_id: int,
        name: str,
        caption: str,
        markup: InlineKeyboardMarkup | None,
    ) -> Message:
        """Send a picture with an HTML caption: by file id if one is kept, else uploaded."""
        picture = self.picture(name)
        file_id = await self.file_id(picture)
        if file_id is not None:
            try:
                return await bot.send_photo(
                    chat_id,
                    file_id,
                    caption=caption,
                    reply_markup=markup,
                )
            except BadRequest as error:
                if not stale_file_id(error):
                    raise
                log.warning("Telegram no longer knows picture %s's file id: uploading it", name)
                await self.forget(picture)
        sent = await bot.send_photo(chat_id, picture.data, caption=caption, reply_markup=markup)
        await self.keep(picture, sent)
        return sent

    async def edit(
        self,
        bot: Bot,
        chat_id: int,
        message_id: int,
        name: str,
        caption: str,
        markup: InlineKeyboardMarkup | None,
    ) -> None:
        """Change a picture message's picture and caption in place (editMessageMedia)."""
        picture = self.picture(name)
        file_id = await self.file_id(picture)
        if file_id is not None:
            try:
                await bot.edit_message_media(
                    InputMediaPhoto(file_id, caption=caption, parse_mode=ParseMode.HTML),
                    chat_id=chat_id,
                    message_id=message_id,
                    reply_markup=markup,
                )
            except BadRequest as error:
                if not stale_file_id(error):
                    raise
                log.warning("Telegram no longer knows picture %s's file id: uploading it", name)
                await self.forget(picture)
            else:
                return
        edited = await bot.edit_message_media(
            InputMediaPhoto(picture.data, caption=caption, parse_mode=ParseMode.HTML),
            chat_id=chat_id,
            message_id=message_id,
            reply_markup=markup,
        )
        await self.keep(picture, edited)
