"""Sends nudges through Telegram, turning its errors into the outbox's terms.

Every message the bot sends draws on the bot's one send budget (`jobs.delivery.budget`):
a reply to a person takes its token at once and, if Telegram answers 429, waits its
`retry_after` and goes again (holding the nudges meanwhile); the outbox's own nudges are
paced by the outbox (when claimed, and again just before each leaves).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ExtBot
from telegram.request import BaseRequest

from bot.callbacks import NudgeButton, encode
from bot.telegram_io.http import NoAnswer
from jobs.composer.nudge import NudgeMessage
from jobs.delivery.budget import SendBudget
from jobs.delivery.sending import Ambiguous, Denied, Rejected, RetryLater, Unreachable
from jobs.documents import Renderer
from jobs.documents.chart import render_chart
from jobs.rules.progress import Progress
from storage.models import NudgeKind

if TYPE_CHECKING:
    from bot.telegram_io.polling import Hearing

log = logging.getLogger(__name__)

# Bot API calls that put a message in a chat or change one: what Telegram's per-bot limit
# counts. Answering a button, a chat action, getUpdates or the menu send no message.
_NOT_MESSAGES = frozenset({"sendChatAction"})
_MESSAGES = ("send", "editMessage", "copyMessage", "forwardMessage")
# A reply Telegram asks to wait for (429) is sent again, after the wait, this many times
# in all; a wait longer than the longest is not waited for.
REPLY_TRIES = 4
LONGEST_WAIT_SECONDS = 60.0
# The only 403s that mean a person cannot be reached any more (Telegram's descriptions):
# they blocked the bot, or deleted their account. Any other 403 is not taken as a block.
GONE_FOR_GOOD = ("bot was blocked by the user", "user is deactivated")
# Set while the outbox sends through the bot: its nudges took their tokens when claimed,
# and a 429 goes back to the outbox, which holds and retries them itself.
_FOR_OUTBOX: ContextVar[bool] = ContextVar("for_outbox", default=False)


class TokenRefused(RuntimeError):
    """Telegram refused the bot token at start-up; the message is its answer, without it."""


def counts_as_message(endpoint: str) -> bool:
    """Tell whether a Bot API call sends or edits a message (Telegram's limit counts it)."""
    return endpoint.startswith(_MESSAGES) and endpoint not in _NOT_MESSAGES


class BackCareBot(ExtBot[None]):
    """The application's bot, with a lean call for nudges beside PTB's full `send_message`.

    Every message it sends draws on the send budget, replies first (see the module).
    """

    def set_budget(
        self,
        budget: SendBudget,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """Draw every message sent on `budget`; wait for a 429 with `sleep`."""
        with self._unfrozen():
            self._budget = budget
            self._sleep = sleep

    @property
    def budget(self) -> SendBudget | None:
        """Return the send budget every message draws on, if one is set."""
        budget: SendBudget | None = getattr(self, "_budget", None)
        return budget

    async def _do_post(
        self,
        endpoint: str,
        data: dict[str, Any],
        *,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Send a Bot API request; a message draws on the budget, a reply's 429 is waited out."""
        budget = self.budget
        timeouts = {
            "read_timeout": read_timeout,
            "write_timeout": write_timeout,
            "connect_timeout": connect_timeout,
            "pool_timeout": pool_timeout,
        }
        if budget is None or not counts_as_message(endpoint):
            return await super()._do_post(endpoint, data, **timeouts)
        if _FOR_OUTBOX.get():
            if endpoint.startswith("edit"):
                budget.take_reply()  # an edit after a nudge: counted, never waited for
            return await super()._do_post(endpoint, data, **timeouts)
        for attempt in range(1, REPLY_TRIES + 1):
            budget.take_reply()
            try:
                return await super()._do_post(endpoint, data, **timeouts)
            except RetryAfter as error:
                wait = retry_seconds(error)
                budget.hold(wait)  # nudges wait too: the limit is the bot's
                if attempt == REPLY_TRIES or wait > LONGEST_WAIT_SECONDS:
                    raise
                log.warning("flood control on %s: sending it again in %g s", endpoint, wait)
                await self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def set_hearing(self, hearing: Hearing) -> None:
        """Tell `hearing` how each getUpdates and setWebhook went."""
        with self._unfrozen():
            self._hearing = hearing

    @property
    def hearing(self) -> Hearing | None:
        """Return what watches whether updates still reach the bot, if set."""
        hearing: Hearing | None = getattr(self, "_hearing", None)
        return hearing

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        """Ask Telegram for updates; `hearing` notes how it went (see bot.telegram_io.polling)."""
        ask = functools.partial(super().get_updates, *args, **kwargs)
        return await (self.hearing.ask(ask) if self.hearing else ask())

    async def set_webhook(self, *args: Any, **kwargs: Any) -> bool:
        """Give Telegram the webhook; `hearing` notes that it was taken."""
        taken = await super().set_webhook(*args, **kwargs)
        if taken and self.hearing:
            self.hearing.set_webhook()
        return taken

    def set_wait(self, seconds: float) -> None:
        """Set how long `initialize` waits, with backoff, for Telegram to answer `getMe`."""
        with self._unfrozen():
            self._wait_seconds = seconds

    async def initialize(self) -> None:
        """Reach Telegram (`getMe`), trying again with backoff for the set wait."""
        try:
            await self._reach_telegram()
        except BaseException:
            # PTB leaves its request objects open when getMe fails: close their sessions.
            await asyncio.gather(*(request.shutdown() for request in self._request))
            raise

    async def _reach_telegram(self) -> None:
        deadline = time.monotonic() + getattr(self, "_wait_seconds", 0.0)
        pause = 1.0
        while True:
            try:
                await super().initialize()
            except InvalidToken as error:
                # Raised as no TelegramError, which PTB's start-up loop would log whole; and
                # PTB's own message for it quotes the token (Telegram's answer does not).
                answer = error.__cause__ if isinstance(error.__cause__, TelegramError) else error
                raise TokenRefused(answer.message.replace(self.token, "[token]")) from None
            except (NetworkError, TimedOut) as error:
                if time.monotonic() + pause > deadline:
                    raise
                log.warning(
                    "Telegram is not reachable yet (%s); trying again in %g s",
                    type(error).__name__,
                    pause,
                )
                await asyncio.sleep(pause)
                pause = min(pause * 2, 10.0)
            else:
                return

    async def send_nudge(self, chat_id: int, text: str, reply_markup: Mapping[str, Any]) -> int:
        """Send a message with a keyboard (as the Bot API's JSON) and return its message id.

        The same `sendMessage` call through PTB's request layer, its error mapping included,
        but the answer is not built into a `Message`: that saves about 0.15 ms of CPU per
        nudge, a third of the whole budget per nudge at 2,000 a second (see bench/).
        """
        sent = await self._post(
            "sendMessage", {"chat_id": chat_id, "text": text, "reply_markup": reply_markup}
        )
        if not isinstance(sent, dict) or not isinstance(sent.get("message_id"), int):
            raise BadRequest(f"Telegram answered sendMessage with {sent!r}")
        message_id: int = sent["message_id"]
        return message_id


# On a phone a row holds at most 3 buttons, each as wide as the row shared out: on a narrow
# screen (360 points) a row's buttons together show about 42 characters of their longest
# label each; the 0-10 pain scale's numbers are narrow: up to 6 a row (0-5, 6-10).
PHONE_ROW = 3
ROW_CHARACTERS = 42
# Telegram's convention: at most 8 buttons a row, anywhere.
MAX_ROW = 8
MAX_NUMBERS_ROW = 6
# In a message of several parts, each part's buttons say which part they answer.
PART_MARK = {
    NudgeKind.WATER: "💧",
    NudgeKind.POSTURE: "🚶",
    NudgeKind.STRETCH: "🧘",
    NudgeKind.CARE_OFFER: "🩹",
    NudgeKind.SESSION_END: "⏰",
    NudgeKind.PAIN_CHECK: "📝",
}


def _rows(buttons: Sequence[tuple[str, str]]) -> list[tuple[tuple[str, str], ...]]:
    """Split buttons into rows that fit a phone: at most 3 a row (6 numbers), and no more
    label than fits a narrow screen."""
    if buttons and all(label.isdigit() for label, _ in buttons):
        return [
            tuple(buttons[start : start + MAX_NUMBERS_ROW])
            for start in range(0, len(buttons), MAX_NUMBERS_ROW)
        ]
    rows: list[tuple[tuple[str, str], ...]] = []
    row: list[tuple[str, str]] = []
    for button in buttons:
        width = (len(row) + 1) * max(len(label) for label, _ in (*row, button))
        if row and (len(row) == PHONE_ROW or width > ROW_CHARACTERS):
            rows.append(tuple(row))
            row = []
        row.append(button)
    if row:
        rows.append(tuple(row))
    return rows


def part_buttons(message: NudgeMessage, part: NudgeMessage) -> tuple[tuple[str, str], ...]:
    """Return a part's buttons as shown: in a message of several parts, each word button
    starts with its part's mark ("💧 Skip", "🧘 Done"), so nobody skips the wrong one."""
    mark = PART_MARK.get(part.kind)
    if len(message.parts) < 2 or mark is None:
        return part.buttons
    return tuple(
        (label if label.isdigit() else f"{mark} {label}", action) for label, action in part.buttons
    )


def nudge_markup(message: NudgeMessage) -> InlineKeyboardMarkup:
    """Return a nudge's buttons as a Telegram keyboard: each part's buttons on their own rows,
    labelled by part when there are several."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label, callback_data=encode(NudgeButton(part.kind, action)))
                for label, action in row
            ]
            for part in message.parts
            for row in _rows(part_buttons(message, part))
            if row  # a retired or answered part has none: no empty row
        ]
    )


Parts = tuple[tuple[NudgeKind, tuple[tuple[str, str], ...]], ...]


@functools.lru_cache(maxsize=256)
def _markup(parts: Parts) -> dict[str, Any]:
    # A handful of button sets (a few per kind, and their merges): each is built once, not
    # per nudge. Shared, so only ever read (serialised), never changed.
    first, *more = (NudgeMessage(kind, "", buttons) for kind, buttons in parts)
    for part in more:
        first = first.with_part(part)
    return nudge_markup(first).to_dict()


# Telegram's limit for a picture's caption.
MAX_CAPTION = 1024


def fit_caption(text: str) -> str:
    """Cut a caption to Telegram's limit at a line's end (whole lines, never mid-word)."""
    if len(text) <= MAX_CAPTION:
        return text
    kept: list[str] = []
    for line in text.splitlines():
        if len("\n".join([*kept, line])) > MAX_CAPTION - 1:
            break
        kept.append(line)
    return "\n".join(kept) + "\n…"


def retry_seconds(error: RetryAfter) -> float:
    """Return how long Telegram asks us to wait, whichever type PTB gives it in."""
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class TelegramSender:
    """The outbox's Sender, backed by the application's Bot."""

    def __init__(self, bot: BackCareBot, renderer: Renderer | None = None) -> None:
        self.bot = bot
        self.renderer = renderer or Renderer()

    async def send(self, chat_id: int, message: NudgeMessage) -> int:
        """Send one nudge and return its message id (a chart goes as a picture)."""
        outbox = _FOR_OUTBOX.set(True)  # paced by the outbox, which retries it on a 429
        try:
            if message.chart is not None:
                return await self._send_chart(chat_id, message, message.chart)
            parts = tuple((part.kind, part.buttons) for part in message.parts)
            return await self.bot.send_nudge(chat_id, message.full_text, _markup(parts))
        except RetryAfter as error:
            raise RetryLater(retry_seconds(error)) from error
        except NoAnswer as error:
            # The message (or picture) may have arrived: it is not sent again (once is the
            # promise). A plain TimedOut or NetworkError came before anything was sent: the
            # outbox tries it again.
            raise Ambiguous(error.message) from error
        except Forbidden as error:
            if any(words in error.message.lower() for words in GONE_FOR_GOOD):
                raise Unreachable(error.message) from error
            raise Denied(error.message) from error
        except BadRequest as error:
            if "chat not found" in error.message.lower():
                raise Unreachable(error.message) from error
            raise Rejected(error.message) from error
        finally:
            _FOR_OUTBOX.reset(outbox)

    async def _send_chart(self, chat_id: int, message: NudgeMessage, chart: Progress) -> int:
        """Draw the chart in the worker and send it with the text as its caption."""
        png = await self.renderer.run(render_chart, chart)
        buttons = any(part.buttons for part in message.parts)
        sent = await self.bot.send_photo(
            chat_id,
            png,
            caption=fit_caption(message.full_text),
            reply_markup=nudge_markup(message) if buttons else None,
        )
        return sent.message_id

    async def edit(
        self, chat_id: int, message_id: int, message: NudgeMessage, with_text: bool
    ) -> None:
        """Edit a nudge sent earlier: its text and buttons, or only its buttons."""
        buttons = any(part.buttons for part in message.parts)
        markup = nudge_markup(message) if buttons else None
        outbox = _FOR_OUTBOX.set(True)  # a courtesy: counted, but not waited for on a 429
        try:
            if with_text:
                await self.bot.edit_message_text(
                    message.full_text, chat_id=chat_id, message_id=message_id, reply_markup=markup
                )
            else:
                await self.bot.edit_message_reply_markup(
                    chat_id=chat_id, message_id=message_id, reply_markup=markup
                )
        finally:
            _FOR_OUTBOX.reset(outbox)
