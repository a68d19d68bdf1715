"""Updates from different people at once, each person's in order.

python-telegram-bot handles updates one at a time unless told otherwise; then one person
sending 500 messages makes everyone else wait behind them. Here updates run concurrently,
but each chat's wait for its own turn on a lock of its own, outside the shared limit: a
flood from one person holds one slot at a time, and everyone else's replies go ahead.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from jobs.delivery.budget import SendBudget

# Updates being handled at once, across all people.
CONCURRENT_UPDATES = 32
# Updates accepted and waiting their chat's turn, across all people.
MAX_PENDING_UPDATES = 100_000


class PerChatUpdates(BaseUpdateProcessor):
    """Run updates concurrently, one at a time per chat, in the order they came."""

    __slots__ = ("_budget", "_locks", "_observe", "_queued", "_slots")

    def __init__(
        self,
        concurrent: int = CONCURRENT_UPDATES,
        *,
        budget: SendBudget | None = None,
        observe: Callable[[float], None] | None = None,
    ) -> None:
        # The base class's own limit is taken before a chat's turn: set it out of the way
        # and keep the real limit here, taken only once it is this chat's turn.
        super().__init__(max_concurrent_updates=MAX_PENDING_UPDATES)
        self._slots = asyncio.Semaphore(concurrent)
        self._locks: dict[int, asyncio.Lock] = {}
        self._queued: dict[int, int] = {}
        # Told how long each update took to handle, once it was its turn (for metrics).
        self._observe = observe
        # Told while an update is being answered, so that nudges yield the loop to it.
        self._budget = budget

    async def do_process_update(self, update: object, coroutine: Awaitable[object]) -> None:
        """Wait for this chat's turn, then for a free slot, then handle the update."""
        key = _chat_of(update)
        if key is None:
            async with self._slots:
                await self._handle(coroutine)
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._queued[key] = self._queued.get(key, 0) + 1
        try:
            async with lock, self._slots:
                if self._budget is None:
                    await self._handle(coroutine)
                else:
                    with self._budget.answering():
                        await self._handle(coroutine)
        finally:
            self._queued[key] -= 1
            if not self._queued[key]:  # nobody else of this chat waiting: forget its lock
                del self._queued[key], self._locks[key]

    async def _handle(self, coroutine: Awaitable[object]) -> None:
        started = time.perf_counter()
        try:
            await coroutine
        finally:
            if self._observe is not None:
                self._observe(time.perf_counter() - started)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


def _chat_of(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    chat = update.effective_chat
    if chat is not None:
        return chat.id
    user = update.effective_user
    return user.id if user is not None else None
