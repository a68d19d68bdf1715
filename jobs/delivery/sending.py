"""How the dispatcher reaches Telegram: the `Sender` protocol and the ways a send fails.

`jobs/` sends through this small protocol; `bot/` implements it (`bot.telegram_io.sender`), turning
Telegram's answers into these errors, so the outbox knows nothing of Telegram.
"""

from __future__ import annotations

from typing import Protocol

from jobs.composer.nudge import NudgeMessage


class SendError(Exception):
    """A nudge could not be delivered."""


class RetryLater(SendError):
    """Telegram asks us to slow down (HTTP 429) for `seconds`."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"flood control: retry after {seconds:g} s")
        self.seconds = seconds


class Unreachable(SendError):
    """The person cannot be reached any more: they blocked the bot, or their account is gone.

    Their nudges stop until they come back. Only Telegram's own words for that say so (see
    `bot.telegram_io.sender`): any other refusal is `Denied`.
    """


class Denied(SendError):
    """Telegram refused this send (HTTP 403) for another reason than a block: held and tried
    again within its grace, and the person is kept as they are."""


class Ambiguous(SendError):
    """The request went out but no answer came: the message may have been delivered."""


class Rejected(SendError):
    """Telegram refused this message for good (HTTP 400)."""


class Sender(Protocol):
    """Delivers one nudge to one chat and returns the sent message's id; edits one sent."""

    async def send(self, chat_id: int, message: NudgeMessage) -> int:
        """Send a nudge, raising a SendError subclass when it cannot."""
        ...

    async def edit(
        self, chat_id: int, message_id: int, message: NudgeMessage, with_text: bool
    ) -> None:
        """Change a message sent earlier: its text and buttons, or (not with_text) its
        buttons alone."""
        ...
