"""One send budget per bot: replies to people first, nudges from what is left.

Telegram's limit (about 30 messages a second, up to 1,000 with paid broadcasts) is per
bot, so every message the bot sends draws on one token bucket: the outbox's nudges and
every reply, edit or picture a person's update brings. A reply never waits for the
bucket: it takes its token at once, pushing the bucket into debt if need be, and the
outbox's allowance comes out of what is left, so nudges yield to people. A 429 holds the
nudges for its `retry_after`.

The bucket fills at `rate` tokens a second on the injected clock, up to a one-second
burst; 0 means unlimited. Its debt is bounded by one second of tokens: a burst of replies
costs the nudges at most about two seconds, however long the burst was.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from jobs.delivery.clock import Clock


class SendBudget:
    """A token bucket on the clock shared by replies (first, at once) and nudges (after)."""

    def __init__(self, rate: float, clock: Clock) -> None:
        self.rate = rate
        self.clock = clock
        self.tokens = rate  # a full second's burst to begin with
        self.last: datetime | None = None
        self.hold_until: datetime | None = None

    def take_reply(self) -> None:
        """Take a token for a message to a person, now: replies never wait for nudges."""
        if self.rate > 0:
            self._fill(self.clock.now())
            self.tokens = max(self.tokens - 1, -self.rate)

    def allowance(self, ceiling: int) -> int:
        """Return how many nudges may go now (at most `ceiling`): what replies left."""
        now = self.clock.now()
        if self.held(now):
            return 0
        if self.rate <= 0:
            return ceiling
        self._fill(now)
        return max(0, min(ceiling, int(self.tokens)))

    def spend(self, count: int) -> None:
        """Take the tokens of nudges claimed to go out now."""
        if self.rate > 0:
            self.tokens -= count

    def hold(self, seconds: float) -> None:
        """Hold the nudges for `seconds`: Telegram asked the bot to wait (a 429)."""
        until = self.clock.now() + timedelta(seconds=seconds)
        if self.hold_until is None or until > self.hold_until:
            self.hold_until = until

    def held(self, now: datetime | None = None) -> bool:
        """Tell whether nudges are held by a 429 now."""
        return self.hold_until is not None and (now or self.clock.now()) < self.hold_until

    def _fill(self, now: datetime) -> None:
        if self.last is not None:
            elapsed = max((now - self.last).total_seconds(), 0.0)
            self.tokens = min(self.rate, self.tokens + elapsed * self.rate)
        self.last = now
