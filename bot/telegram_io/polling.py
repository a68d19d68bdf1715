"""Whether people's messages still reach the bot, and what it does when they stop.

Every `getUpdates` goes through `Hearing` (see `BackCareBot.get_updates`):

- a failed one is told in one line under this module's name, with the wait before the next
  (python-telegram-bot's polling handed each to the error handlers, which logged it as a
  failed update with an 80-line traceback); one that "timed out" at once is held back as
  other failures are, where PTB would ask again at once, in a busy loop;
- a refused token (401, or 404 for a malformed one) would end PTB's polling for good, and
  a bot that cannot hear is no use running: it says so in one line and stops with
  `EXIT_DEAF`, for a supervisor to restart it; so does a bot whose polling stopped for any
  other reason (no `getUpdates` for `STOPPED_AFTER_SECONDS`);
- readiness: in polling mode, a `getUpdates` has succeeded within
  `telegram.updates_within_seconds`; in webhook mode, Telegram has taken the webhook
  (`setWebhook` succeeded).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError, TimedOut
from telegram.ext import Updater

from bot.ops.server import OK
from bot.telegram_io.limiter import retry_seconds

log = logging.getLogger(__name__)

Updates = tuple[Update, ...]

# The exit status of a bot that stopped because its polling did (a supervisor restarts it).
EXIT_DEAF = 4
# python-telegram-bot's polling waits between failed getUpdates: 1 s, then half as long
# again each time, up to 30 s; after a time-out it asks again at once, and after a 429 it
# waits what Telegram asked and half a second more (telegram.ext._utils.networkloop).
FIRST_PAUSE = 1.0
PAUSE_GROWTH = 1.5
LONGEST_PAUSE = 30.0
RETRY_AFTER_SLACK = 0.5
# A getUpdates that "timed out" sooner than this waited for nothing.
QUICK_SECONDS = 1.0
# Polling that has not asked for updates for this long has stopped, whatever stopped it: it
# is never idle longer than its longest pause, or a wait Telegram asked for.
STOPPED_AFTER_SECONDS = 2 * LONGEST_PAUSE
# An error's text is cut to this many characters in the log.
ERROR_TEXT = 120


class Hearing:
    """What polling or the webhook has done lately: for the log, readiness, and a stop."""

    def __init__(
        self,
        *,
        webhook: bool = False,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.webhook = webhook
        self.webhook_taken = False
        # Told once, the first time the bot stops hearing for good (with why).
        self.on_deaf: Callable[[str], None] | None = None
        self.deaf = ""
        self._monotonic = monotonic
        self._sleep = sleep
        self._began: float | None = None
        self._ended: float | None = None
        self._succeeded: float | None = None
        self._asking = 0
        self._failures = 0
        self._pause = 0.0  # PTB's wait before its next getUpdates
        self._held = 0.0  # ours, after a time-out that came at once
        self._asked_to_wait = 0.0

    async def ask(self, get_updates: Callable[[], Awaitable[Updates]]) -> Updates:
        """Make one getUpdates call, note how it went, and tell a failure in one line.

        A refused token stops the bot: the call is held until polling stops with it, rather
        than handed back to PTB, whose polling would end on it and log it whole.
        """
        if self.deaf:
            return ()  # PTB's last call, as polling stops: the token is refused
        started = self._monotonic()
        if self._began is None:
            self._began = started
        self._asking += 1
        try:
            updates = await get_updates()
        except InvalidToken as error:
            self._stop(f"Telegram refused the bot token on getUpdates ({_described(error)})")
            await asyncio.Event().wait()  # until polling stops, which cancels this
            raise
        except Exception as error:
            held = self._failed(error, took=self._monotonic() - started)
            if held:
                await self._sleep(held)
            raise
        finally:
            self._end()
        self._answered()
        return updates

    def set_webhook(self) -> None:
        """Note that Telegram took the webhook: it will post updates to the bot."""
        self.webhook_taken = True

    def readiness(self, *, within: float) -> str:
        """Return OK while updates can reach the bot, else why not, in a few words."""
        if self.webhook:
            return OK if self.webhook_taken else "the webhook is not set yet"
        if self.deaf:
            return "polling has stopped"
        if self._began is None:
            return "not polling yet"
        since = self._succeeded if self._succeeded is not None else self._began
        silent = self._monotonic() - since
        if silent > within:
            return f"no getUpdates has succeeded for {silent:.0f} s"
        return OK

    def stop_if_silent(self, *, after: float = STOPPED_AFTER_SECONDS) -> None:
        """Stop the bot if polling has asked nothing for `after` seconds, whatever the cause."""
        if self._began is None or self._asking or self._ended is None or self.deaf:
            return
        silent = self._monotonic() - self._ended
        if silent > after + self._asked_to_wait:
            self._stop(f"polling has asked Telegram for no updates for {silent:.0f} s")

    def _end(self) -> None:
        self._asking -= 1
        self._ended = self._monotonic()

    def _answered(self) -> None:
        self._succeeded = self._ended
        if self._failures:
            log.info("getUpdates answered again after %d failed", self._failures)
        self._failures = 0
        self._pause = self._held = self._asked_to_wait = 0.0

    def _failed(self, error: Exception, *, took: float) -> float:
        """Tell a failed getUpdates in one line; return how long to hold it, if at all."""
        if not isinstance(error, TelegramError):
            # PTB logs it with its traceback, and polls again at once.
            self._pause = 0.0
            return 0.0
        self._failures += 1
        held = 0.0
        if isinstance(error, RetryAfter):
            self._pause = self._asked_to_wait = retry_seconds(error) + RETRY_AFTER_SLACK
        elif isinstance(error, TimedOut):
            self._pause = 0.0
            if took < QUICK_SECONDS:
                # It waited for nothing (a connection closed under it), and PTB would ask
                # again at once: thousands a second in a busy loop. Back off instead.
                held = self._held = _next_pause(self._held)
        else:
            self._pause = _next_pause(self._pause)
        wait = held or self._pause
        if wait:
            log.warning("getUpdates failed (%s); polling again in %g s", _described(error), wait)
        else:
            log.warning("getUpdates failed (%s); polling again at once", _described(error))
        return held

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


def _next_pause(pause: float) -> float:
    return min(pause * PAUSE_GROWTH or FIRST_PAUSE, LONGEST_PAUSE)


def _described(error: TelegramError) -> str:
    text = str(error)
    if len(text) > ERROR_TEXT:
        text = text[: ERROR_TEXT - 1] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class HearingUpdater(Updater):
    """PTB's Updater, whose failed polls are told by `Hearing` and not as failed updates."""

    async def start_polling(
        self,
        poll_interval: float = 0.0,
        timeout: int | timedelta = timedelta(seconds=10),  # noqa: ASYNC109 - PTB's own
        bootstrap_retries: int = 0,
        allowed_updates: Sequence[str] | None = None,
        drop_pending_updates: bool | None = None,
        error_callback: Callable[[TelegramError], None] | None = None,  # noqa: ARG002
    ) -> asyncio.Queue[object]:
        """Start polling; each failed getUpdates is logged once, by `Hearing`."""
        # `Application.run_polling` passes a callback that hands every failed poll to the
        # error handlers, as if it were a failed update.
        return await super().start_polling(
            poll_interval=poll_interval,
            timeout=timeout,
            bootstrap_retries=bootstrap_retries,
            allowed_updates=allowed_updates,
            drop_pending_updates=drop_pending_updates,
            error_callback=_told_by_hearing,
        )


def _told_by_hearing(_error: TelegramError) -> None:
    """Leave a failed getUpdates alone: `Hearing` has logged it in one line."""
