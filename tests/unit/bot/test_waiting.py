"""The start-up waits: back off, tell each pause, give up in time, skip what cannot pass."""

from __future__ import annotations

import logging
import time

import pytest

from bot.waiting import patiently


class Flaky:
    """Fails with `error` the first `failures` times, then answers."""

    def __init__(self, failures: int, error: Exception) -> None:
        self.failures = failures
        self.error = error
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return "answered"


class Pauses:
    """An asyncio.sleep that only remembers how long it was asked to sleep."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


async def test_it_backs_off_1_2_4_8_then_every_10_seconds_telling_each_pause(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pauses, flaky = Pauses(), Flaky(6, ConnectionRefusedError())
    wait = patiently(
        3600, worth_waiting=lambda error: isinstance(error, OSError), what="X", sleep=pauses
    )
    with caplog.at_level(logging.WARNING, logger="bot.waiting"):
        assert await wait(flaky) == "answered"
    assert pauses.seconds == [1, 2, 4, 8, 10, 10]
    assert flaky.calls == 7
    assert caplog.messages[0] == (
        "X is not reachable yet (ConnectionRefusedError); trying again in 1 s"
    )
    assert len(caplog.messages) == 6


async def test_an_error_not_worth_waiting_for_ends_the_wait_at_once() -> None:
    pauses, flaky = Pauses(), Flaky(1, PermissionError("read-only"))
    wait = patiently(
        3600,
        worth_waiting=lambda error: not isinstance(error, PermissionError),
        what="X",
        sleep=pauses,
    )
    with pytest.raises(PermissionError, match="read-only"):
        await wait(flaky)
    assert flaky.calls == 1
    assert pauses.seconds == []


async def test_it_gives_up_before_a_pause_would_run_past_its_time_raising_the_last_error() -> None:
    flaky = Flaky(1000, TimeoutError())
    started = time.monotonic()
    wait = patiently(0.3, worth_waiting=lambda _: True, what="X", first=0.05, longest=0.1)
    with pytest.raises(TimeoutError):
        await wait(flaky)
    took = time.monotonic() - started
    # Pauses of 0.05, 0.1, 0.1: the next would end past 0.3 s, so it stops instead.
    assert took < 0.3 + 0.2  # never a pause past the deadline (a loaded machine adds a little)
    assert 2 <= flaky.calls <= 4
