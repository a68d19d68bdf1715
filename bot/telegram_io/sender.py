"""Sends nudges through Telegram, turning its errors into the outbox's terms.

Every message the bot sends draws on the bot's one send budget through PTB's rate-limiter
hook (`bot.telegram_io.limiter`): a reply to a person first; the outbox's own nudges say so
(`rate_limit_args=NUDGE`) and are paced by the outbox (when claimed, and again just before
each leaves).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Mapping, Sequence
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

from bot.callbacks import NudgeButton, encode
from bot.telegram_io.http import NoAnswer
from bot.telegram_io.limiter import NUDGE, RateLimitArgs, SendLimiter, retry_seconds
from bot.waiting import patiently
from bot.wording.common import as_html
from bot.wording.nudges import Labelled, NudgeTexts
from bot.wording.progress import chart_words
from jobs.composer.nudge import NudgeMessage
from jobs.delivery.budget import SendBudget
from jobs.delivery.clock import SystemClock
from jobs.delivery.sending import Ambiguous, Denied, Rejected, RetryLater, Unreachable
from jobs.documents import Renderer
from jobs.documents.chart import render_chart
from jobs.rules.progress import Progress
from storage.models import NudgeKind

if TYPE_CHECKING:
    from bot.telegram_io.polling import Hearing

log = logging.getLogger(__name__)

# The only 403s that mean a person cannot be reached any more (Telegram's descriptions):
# they blocked the bot, or deleted their account. Any other 403 is not taken as a block.
GONE_FOR_GOOD = ("bot was blocked by the user", "user is deactivated")


class TokenRefused(RuntimeError):
    """Telegram refused the bot token at start-up; the message is its answer, without it."""


class BackCareBot(ExtBot[RateLimitArgs]):
    """The application's bot, with a lean call for nudges beside PTB's full `send_message`.

    Every message it sends draws on the send budget through its rate limiter (see the
    module); what watches the updates (`hearing`) and how long start-up waits for Telegram
    are given when it is made.
    """

    def __init__(
        self,
        token: str,
        *,
        hearing: Hearing | None = None,
        wait_seconds: float = 0.0,
        **kwargs: Any,
    ) -> None:
        # Set before PTB's own set-up, after which the bot takes no new attributes.
        self._hearing = hearing
        self._wait_seconds = wait_seconds
        # Without a budget of its own (tests, benches), an unlimited one: nudges still say
        # what they are (`rate_limit_args`), which PTB allows only with a limiter.
        kwargs.setdefault("rate_limiter", SendLimiter(SendBudget(0, SystemClock())))
        super().__init__(token, **kwargs)

    @property
    def budget(self) -> SendBudget:
        """Return the send budget every message draws on."""
        limiter = self.rate_limiter
        if not isinstance(limiter, SendLimiter):
            raise TypeError("the bot's rate limiter is not a SendLimiter")
        return limiter.budget

    @property
    def hearing(self) -> Hearing | None:
        """Return what watches whether updates still reach the bot, if set."""
        return self._hearing

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

    async def initialize(self) -> None:
        """Reach Telegram (`getMe`), trying again with backoff for the set wait."""
        try:
            await self._reach_telegram()
        except BaseException:
            # PTB leaves its request objects open when getMe fails: close their sessions.
            await asyncio.gather(*(request.shutdown() for request in self._request))
            raise

    async def _reach_telegram(self) -> None:
        wait = patiently(
            self._wait_seconds,
            worth_waiting=lambda error: isinstance(error, NetworkError | TimedOut),
            what="Telegram",
        )
        try:
            await wait(super().initialize)
        except InvalidToken as error:
            # Raised as no TelegramError, which PTB's start-up loop would log whole; and
            # PTB's own message for it quotes the token (Telegram's answer does not).
            answer = error.__cause__ if isinstance(error.__cause__, TelegramError) else error
            raise TokenRefused(answer.message.replace(self.token, "[token]")) from None

    async def send_nudge(self, chat_id: int, text: str, reply_markup: Mapping[str, Any]) -> int:
        """Send a message with a keyboard (as the Bot API's JSON) and return its message id.

        The same `sendMessage` call through PTB's request layer, its error mapping included,
        but the answer is not built into a `Message`, and the text goes as plain text (the
        bot's default HTML is for calls through PTB's methods): that saves about 0.15 ms of CPU per
        nudge, a third of the whole budget per nudge at 2,000 a second (see bench/).
        """
        sent = await self._post(
            "sendMessage",
            {"chat_id": chat_id, "text": text, "reply_markup": reply_markup},
            # What PTB's own methods do with `rate_limit_args`: the limiter reads it.
            api_kwargs=self._merge_api_rl_kwargs(None, NUDGE),
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


def part_buttons(
    parts: Labelled, kind: NudgeKind, buttons: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, str], ...]:
    """Return a part's buttons as shown: in a message of several parts, each word button
    starts with its part's mark ("💧 Skip", "🧘 Done"), so nobody skips the wrong one."""
    mark = PART_MARK.get(kind)
    if len(parts) < 2 or mark is None:
        return buttons
    return tuple(
        (label if label.isdigit() else f"{mark} {label}", action) for label, action in buttons
    )


def nudge_markup(parts: Labelled) -> InlineKeyboardMarkup:
    """Return a nudge's buttons as a Telegram keyboard: each part's buttons on their own rows,
    labelled by part when there are several."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label, callback_data=encode(NudgeButton(kind, action)))
                for label, action in row
            ]
            for kind, buttons in parts
            for row in _rows(part_buttons(parts, kind, buttons))
            if row  # a retired or answered part has none: no empty row
        ]
    )


@functools.lru_cache(maxsize=256)
def _markup(parts: Labelled) -> dict[str, Any]:
    # A handful of button sets (a few per kind, and their merges): each is built once, not
    # per nudge. Shared, so only ever read (serialised), never changed.
    return nudge_markup(parts).to_dict()


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


class TelegramSender:
    """The outbox's Sender, backed by the application's Bot."""

    def __init__(
        self, bot: BackCareBot, texts: NudgeTexts, renderer: Renderer | None = None
    ) -> None:
        self.bot = bot
        self.texts = texts
        self.renderer = renderer or Renderer()

    async def send(self, chat_id: int, message: NudgeMessage) -> int:
        """Say one nudge in words, send it and return its message id (a chart goes as a
        picture)."""
        try:
            if message.chart is not None:
                return await self._send_chart(chat_id, message, message.chart)
            text = self.texts.say(message)
            return await self.bot.send_nudge(chat_id, text, _markup(self.texts.labelled(message)))
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

    async def _send_chart(self, chat_id: int, message: NudgeMessage, chart: Progress) -> int:
        """Draw the chart in the worker and send it with the text as its caption."""
        png = await self.renderer.run(render_chart, chart, chart_words(chart))
        buttons = any(part.buttons for part in message.parts)
        sent = await self.bot.send_photo(
            chat_id,
            png,
            caption=as_html(fit_caption(self.texts.say(message))),
            reply_markup=nudge_markup(self.texts.labelled(message)) if buttons else None,
            rate_limit_args=NUDGE,  # paced by the outbox, which retries it on a 429
        )
        return sent.message_id

    async def edit(
        self, chat_id: int, message_id: int, message: NudgeMessage, with_text: bool
    ) -> None:
        """Edit a nudge sent earlier: its text and buttons, or only its buttons."""
        buttons = any(part.buttons for part in message.parts)
        markup = nudge_markup(self.texts.labelled(message)) if buttons else None
        # A courtesy: counted, but not waited for on a 429.
        if with_text:
            await self.bot.edit_message_text(
                as_html(self.texts.say(message)),
                chat_id=chat_id,
                message_id=message_id,
                reply_markup=markup,
                rate_limit_args=NUDGE,
            )
        else:
            await self.bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=message_id, reply_markup=markup, rate_limit_args=NUDGE
            )
