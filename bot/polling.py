"""Whether people's messages still reach the bot, and what it does when they stop.

Every `getUpdates` goes through `Hearing` (see `BackCareBot.get_updates`):

- a refused token (401, or 404 for a malformed one) would end PTB's polling for good, and
  a bot that cannot hear is no use running: it says so in one line and stops with
  `EXIT_DEAF`, for a supervisor to restart it; so does a bot whose polling stopped for any
  other reason (no `getUpdates` for `STOPPED_AFTER_SECONDS`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.error import InvalidToken, TelegramError

log = logging.getLogger(__name__)

Updates = tuple[Update, ...]

# The exit status of a bot that stopped because its polling did (a supervisor restarts it).
EXIT_DEAF = 4
# python-telegram-bot's polling waits at most 30 s between failed getUpdates (after a 429,
# what Telegram asked): polling that has asked for nothing for this long has stopped.
STOPPED_AFTER_SECONDS = 60.0
# An error's text is cut to this many characters in the log.
ERROR_TEXT = 120


class Hearing:
    """What long polling has done lately: for the log, and to stop a bot that cannot hear."""

    def __init__(
        self,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        # Told once, the first time the bot stops hearing for good (with why).
        self.on_deaf: Callable[[str], None] | None = None
        self.deaf = ""
        self._monotonic = monotonic
        self._began: float | None = None
        self._ended: float | None = None
        self._asking = 0

    async def ask(self, get_updates: Callable[[], Awaitable[Updates]]) -> Updates:
        """Make one getUpdates call, and note when it ended.

        A refused token stops the bot: the call is held until polling stops with it, rather
        than handed back to PTB, whose polling would end on it and log it whole.
        """
        if self.deaf:
            return ()  # PTB's last call, as polling stops: the token is refused
        if self._began is None:
            self._began = self._monotonic()
        self._asking += 1
        try:
            updates = await get_updates()
        except InvalidToken as error:
            self._stop(f"Telegram refused the bot token on getUpdates ({_described(error)})")
            await asyncio.Event().wait()  # until polling stops, which cancels this
            raise
        finally:
            self._end()
        return updates

    def stop_if_silent(self, *, after: float = STOPPED_AFTER_SECONDS) -> None:
        """Stop the bot if polling has asked nothing for `after` seconds, whatever the cause."""
        if self._began is None or self._asking or self._ended is None or self.deaf:
            return
        silent = self._monotonic() - self._ended
        if silent > after:
            self._stop(f"polling has asked Telegram for no updates for {silent:.0f} s")

    def _end(self) -> None:
        self._asking -= 1
        self._ended = self._monotonic()

    def _stop(self, reason: str) -> None:
        if self.deaf:
            return
        self.deaf = reason
        log.critical(
            "%s: polling has stopped for good; exiting with status %d so that a supervisor "
            "restarts the bot",
            reason,
            EXIT_DEAF,
        )
        if self.on_deaf is not None:
            self.on_deaf(reason)


def _described(error: TelegramError) -> str:
    text = str(error)
    if len(text) > ERROR_TEXT:
        text = text[: ERROR_TEXT - 1] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
