"""Sends nudges through Telegram, turning its errors into the dispatcher's terms."""

from __future__ import annotations

from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.callbacks import NudgeButton, encode
from jobs.dispatcher import Rejected, RetryLater, Unreachable
from jobs.nudges import NudgeMessage


def nudge_markup(message: NudgeMessage) -> InlineKeyboardMarkup:
    """Return a nudge's buttons as a Telegram keyboard."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    label, callback_data=encode(NudgeButton(message.kind, action))
                )
                for label, action in message.buttons
            ]
        ]
    )


def retry_seconds(error: RetryAfter) -> float:
    """Return how long Telegram asks us to wait, whichever type PTB gives it in."""
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class TelegramSender:
    """The dispatcher's Sender, backed by the application's Bot."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: int, message: NudgeMessage) -> int:
        """Send one nudge and return its message id."""
        try:
            sent = await self.bot.send_message(
                chat_id, message.text, reply_markup=nudge_markup(message)
            )
        except RetryAfter as error:
            raise RetryLater(retry_seconds(error)) from error
        except Forbidden as error:
            raise Unreachable(error.message) from error
        except BadRequest as error:
            if "chat not found" in error.message.lower():
                raise Unreachable(error.message) from error
            raise Rejected(error.message) from error
        return sent.message_id
