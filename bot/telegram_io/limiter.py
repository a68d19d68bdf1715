"""The bot's one send budget as python-telegram-bot's rate limiter (`BaseRateLimiter`).

Every Bot API call the bot makes passes `SendLimiter.process_request` (PTB's hook; only
`getUpdates` does not). A message to a person (a reply, an edit, a picture) takes its slot
in the budget's window at once, replies first, and, if Telegram answers 429, waits its
`retry_after` and goes again (holding the nudges meanwhile). The outbox's own sends say
`rate_limit_args=NUDGE`: they took their slots when claimed and are paced by the outbox,
which holds and retries them itself on a 429; an edit of an earlier nudge is counted, never
waited for. Calls that send no message (answering a button, a chat action, the menu) pass
untouched.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any, Final, TypedDict

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from jobs.delivery.budget import SendBudget

log = logging.getLogger(__name__)

# Bot API calls that put a message in a chat or change one: what Telegram's per-bot limit
# counts. Answering a button, a chat action, getUpdates or the menu send no message.
_NOT_MESSAGES = frozenset({"sendChatAction"})
_MESSAGES = ("send", "editMessage", "copyMessage", "forwardMessage")
# A reply Telegram asks to wait for (429) is sent again, after the wait, this many times
# in all; a wait longer than the longest is not waited for.
REPLY_TRIES = 4
LONGEST_WAIT_SECONDS = 60.0


class RateLimitArgs(TypedDict, total=False):
    """What a call tells the limiter (`rate_limit_args`): whether the outbox sends it."""

    nudge: bool


# The outbox's sends and edits: paced by the outbox, not by the reply path.
NUDGE: Final[RateLimitArgs] = {"nudge": True}

Result = bool | dict[str, Any] | list[dict[str, Any]]


def counts_as_message(endpoint: str) -> bool:
    """Tell whether a Bot API call sends or edits a message (Telegram's limit counts it)."""
    return endpoint.startswith(_MESSAGES) and endpoint not in _NOT_MESSAGES


def retry_seconds(error: RetryAfter) -> float:
    """Return how long Telegram asks us to wait, whichever type PTB gives it in."""
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class SendLimiter(BaseRateLimiter[RateLimitArgs]):
    """Draws every message the bot sends on the send budget: replies first (see the module)."""

    def __init__(
        self,
        budget: SendBudget,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.budget = budget
        self._sleep = sleep

    async def initialize(self) -> None:
        """Nothing to set up: the budget lives on the bot's clock."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],  # noqa: ARG002 - PTB's signature
        rate_limit_args: RateLimitArgs | None,
    ) -> Result:
        """Send one Bot API call: a message draws on the budget, a reply's 429 is waited out."""
        if not counts_as_message(endpoint):
            return await callback(*args, **kwargs)
        if rate_limit_args is not None and rate_limit_args.get("nudge"):
            if endpoint.startswith("edit"):
                self.budget.take_reply()  # an edit after a nudge: counted, never waited for
            return await callback(*args, **kwargs)
        for attempt in range(1, REPLY_TRIES + 1):
            self.budget.take_reply()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                wait = retry_seconds(error)
                self.budget.hold(wait)  # nudges wait too: the limit is the bot's
                if attempt == REPLY_TRIES or wait > LONGEST_WAIT_SECONDS:
                    raise
                log.warning("flood control on %s: sending it again in %g s", endpoint, wait)
                await self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover
