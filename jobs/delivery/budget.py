"""One send budget per bot: replies to people first, nudges from what is left.

Telegram's limit (about 30 messages a second, up to 1,000 with paid broadcasts) is per
bot, so every message the bot sends counts in one sliding window: the outbox's nudges and
every reply, edit or picture a person's update brings. No window of a second (and a small
margin) holds more than `rate` messages, unless replies, which never wait, go over it by
themselves.

It is the one limiter for nudges. Its free slots set how many the outbox claims at a time
(`allowance`, then `spend` reserves them for this window), and each claimed nudge takes its
slot just before its request goes out (`before_send`), waiting if need be until the oldest
message of a full window is a window old. A reply never waits: it takes its slot at once
(`take_reply`), so the nudges' next claim is smaller. A claim not sent within the window (a
send held, a person gone) gives its slot back. A 429 holds the nudges for its
`retry_after`. `rate` 0 means unlimited.

Nudges yield the event loop too: while a person's update is being answered, the outbox
starts no new send or claim (for at most `YIELD_SECONDS` at a time, so nudges still flow
under a steady stream of updates), and the reply does not wait behind a batch of nudges.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import deque
from collections.abc import Iterator
from datetime import datetime, timedelta

from jobs.delivery.clock import Clock

# The longest the outbox waits, at one time, for the updates being answered to finish.
YIELD_SECONDS = 0.1
# While people are talking (an update came within `TALKING_SECONDS`), the outbox claims and
# plans at most this many rows at a time: a batch's planning holds the loop, and a reply
# should wait for a few milliseconds of it, not a whole batch's. Each batch also costs a
# dozen statements whatever its size: at 50 that was 15-20 % more CPU a nudge than at 100
# or 150 (docs/performance/throughput.md, "The talking batch").
TALKING_BATCH = 100
TALKING_SECONDS = 1.0
# What "a second" on the wire is: no such window holds more than the rate.
WINDOW = timedelta(seconds=1)


class SendBudget:
    """A sliding window on the clock shared by replies (first, at once) and nudges (after)."""

    def __init__(self, rate: float, clock: Clock, *, margin: timedelta = timedelta(0)) -> None:
        self.rate = rate
        # Added to the window: requests that leave in order may reach Telegram a few
        # milliseconds out of it (several connections, a busy machine).
        self.window = WINDOW + margin
        self.clock = clock
        self.hold_until: datetime | None = None
        self._answering = 0
        self._quiet = asyncio.Event()
        self._quiet.set()
        self._last_update = -TALKING_SECONDS  # real (monotonic) time: this is about the CPU
        self._slots = max(math.ceil(rate), 1)
        # When the last `rate` messages left (or will, reserved), oldest first: nudges and
        # replies alike.
        self._sent: deque[datetime] = deque(maxlen=self._slots)
        # When each nudge claimed but not yet sent was claimed: its slot is kept for it.
        self._claimed: deque[datetime] = deque()

    @contextlib.contextmanager
    def answering(self) -> Iterator[None]:
        """Mark a person's update as being answered: nudges yield the loop meanwhile."""
        self._answering += 1
        self._quiet.clear()
        self._last_update = time.monotonic()
        try:
            yield
        finally:
            self._answering -= 1
            if not self._answering:
                self._quiet.set()

    def batch(self, size: int) -> int:
        """Return how many rows the outbox claims at once: fewer while people are talking."""
        if time.monotonic() - self._last_update < TALKING_SECONDS:
            return min(size, TALKING_BATCH)
        return size

    async def after_replies(self) -> None:
        """Wait until no update is being answered, for at most `YIELD_SECONDS`."""
        if self._answering:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(YIELD_SECONDS):
                    await self._quiet.wait()

    def take_reply(self) -> None:
        """Take a slot for a message to a person, now: replies never wait for nudges."""
        if self.rate > 0:
            self._sent.append(self.clock.now())

    async def before_send(self) -> None:
        """Take a claimed nudge's slot, waiting if need be until a window has room for it.

        Each send reserves the first free moment (the oldest of the last `rate` messages plus
        the window), then sleeps until it without blocking the sends behind it. The wait is
        worked out on the bot's clock and slept once: on a clock a test drives, which does
        not move while we sleep, the nudge then goes anyway.
        """
        if self.rate <= 0:
            return
        if self._claimed:
            self._claimed.popleft()
        sent = self._sent
        now = self.clock.now()
        self._forget(now)
        leave = sent[0] + self.window if len(sent) == sent.maxlen else now
        sent.append(leave)  # reserved: the next send's moment counts from this one
        if leave > now:
            await asyncio.sleep((leave - now).total_seconds())

    def allowance(self, ceiling: int) -> int:
        """Return how many nudges may be claimed now (at most `ceiling`): the window's free
        slots, after the messages sent within it and the nudges claimed and not yet sent."""
        now = self.clock.now()
        if self.held(now):
            return 0
        if self.rate <= 0:
            return ceiling
        self._forget(now)
        free = self._slots - len(self._sent) - len(self._claimed)
        return max(0, min(ceiling, free))

    def spend(self, count: int) -> None:
        """Keep the slots of `count` nudges claimed to go out now."""
        if self.rate > 0:
            now = self.clock.now()
            self._claimed.extend(now for _ in range(count))

    def hold(self, seconds: float) -> None:
        """Hold the nudges for `seconds`: Telegram asked the bot to wait (a 429)."""
        until = self.clock.now() + timedelta(seconds=seconds)
        if self.hold_until is None or until > self.hold_until:
            self.hold_until = until

    def held(self, now: datetime | None = None) -> bool:
        """Tell whether nudges are held by a 429 now."""
        return self.hold_until is not None and (now or self.clock.now()) < self.hold_until

    def _forget(self, now: datetime) -> None:
        """Drop what left more than a window ago, and claims a window old never sent."""
        since = now - self.window
        while self._sent and self._sent[0] <= since:
            self._sent.popleft()
        while self._claimed and self._claimed[0] <= since:
            self._claimed.popleft()
