"""Waiting at start-up for what the bot needs (the database, Telegram), on tenacity.

Each wait tries again after 1 s, 2 s, 4 s, 8 s, then every 10 s, and gives up rather than
start a try it could not finish within its time (`startup.wait_seconds`); each pause is told
in one line. Why tenacity: docs/decisions/start-up-retries.md. The outbox's own backoff is
not here: its state lives in the database.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_before_delay,
    wait_exponential,
)

log = logging.getLogger(__name__)

FIRST_PAUSE = 1.0
LONGEST_PAUSE = 10.0


def patiently(
    seconds: float,
    *,
    worth_waiting: Callable[[BaseException], bool],
    what: str,
    first: float = FIRST_PAUSE,
    longest: float = LONGEST_PAUSE,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> AsyncRetrying:
    """Return a retrying wait of at most `seconds` for `what` (named in the log).

    An error `worth_waiting` rejects ends the wait at once; the last error is raised as it
    came, whatever ended the wait.
    """

    def told(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        log.warning(
            "%s is not reachable yet (%s); trying again in %g s",
            what,
            type(error).__name__,
            state.upcoming_sleep,
        )

    return AsyncRetrying(
        retry=retry_if_exception(worth_waiting),
        wait=wait_exponential(multiplier=first, max=longest),
        stop=stop_before_delay(seconds),
        before_sleep=told,
        sleep=sleep,
        reraise=True,
    )
