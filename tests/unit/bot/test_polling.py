"""Whether updates still reach the bot: getUpdates watched, a refused token, a silent poll."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from telegram import Update
from telegram.error import InvalidToken, NetworkError, RetryAfter, TimedOut

from bot.telegram_io.polling import STOPPED_AFTER_SECONDS, Hearing

Ask = Callable[[], Awaitable[tuple[Update, ...]]]


class Stopwatch:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        """Return the time now."""
        return self.now


@pytest.fixture
def clock() -> Stopwatch:
    """A stopped monotonic clock."""
    return Stopwatch()


@pytest.fixture
def stops() -> list[str]:
    """Each reason the bot was told to stop for."""
    return []


@pytest.fixture
def hearing(clock: Stopwatch, stops: list[str]) -> Hearing:
    """A hearing on the driven clock that records each stop."""
    watched = Hearing(monotonic=clock)
    watched.on_deaf = stops.append
    return watched


async def no_updates() -> tuple[Update, ...]:
    """Answer a getUpdates with nothing new."""
    return ()


async def refused() -> tuple[Update, ...]:
    """Answer a getUpdates as Telegram does a revoked token."""
    raise InvalidToken("Unauthorized")


async def test_a_refused_token_stops_the_bot_once_with_one_line(
    hearing: Hearing, stops: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    call = asyncio.create_task(hearing.ask(refused))
    await asyncio.sleep(0.01)
    # Held, not handed back to PTB's polling, until polling stops with the bot.
    assert not call.done()
    assert stops == ["Telegram refused the bot token on getUpdates (InvalidToken: Unauthorized)"]
    [record] = caplog.records
    assert (record.name, record.levelno) == ("bot.telegram_io.polling", logging.CRITICAL)
    assert "exiting with status 4 so that a supervisor restarts the bot" in record.getMessage()

    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    # PTB's last getUpdates as it stops asks Telegram nothing more.
    assert await hearing.ask(refused) == ()
    assert len(stops) == 1


async def test_polling_that_asked_nothing_for_a_minute_stops_the_bot(
    hearing: Hearing, clock: Stopwatch, stops: list[str]
) -> None:
    hearing.stop_if_silent()
    assert stops == []  # not polling yet (or in webhook mode): nothing to judge

    await hearing.ask(no_updates)
    clock.now += STOPPED_AFTER_SECONDS
    hearing.stop_if_silent()
    assert stops == []

    clock.now += 1
    hearing.stop_if_silent()
    assert stops == ["polling has asked Telegram for no updates for 61 s"]


async def test_a_long_poll_under_way_is_not_silence(
    hearing: Hearing, clock: Stopwatch, stops: list[str]
) -> None:
    answer: asyncio.Future[tuple[Update, ...]] = asyncio.get_running_loop().create_future()
    call = asyncio.create_task(hearing.ask(lambda: answer))
    await asyncio.sleep(0)
    clock.now += 10 * STOPPED_AFTER_SECONDS
    hearing.stop_if_silent()
    assert stops == []
    answer.set_result(())
    assert await call == ()


def failing(error: Exception, *, clock: Stopwatch, taking: float = 0.0) -> Ask:
    """Return a getUpdates that fails with `error` after `taking` seconds."""

    async def ask() -> tuple[Update, ...]:
        clock.now += taking
        raise error

    return ask


def polling_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return what bot.telegram_io.polling logged, a line each."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "bot.telegram_io.polling"
    ]


async def test_each_failed_poll_is_one_line_with_the_wait_before_the_next(
    hearing: Hearing, clock: Stopwatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    for _ in range(12):
        with pytest.raises(NetworkError):
            await hearing.ask(failing(NetworkError("Bad Gateway"), clock=clock))
    await hearing.ask(no_updates)
    lines = polling_lines(caplog)
    # python-telegram-bot's own backoff: 1 s, half again each time, up to 30 s.
    assert lines[:4] == [
        "getUpdates failed (NetworkError: Bad Gateway); polling again in 1 s",
        "getUpdates failed (NetworkError: Bad Gateway); polling again in 1.5 s",
        "getUpdates failed (NetworkError: Bad Gateway); polling again in 2.25 s",
        "getUpdates failed (NetworkError: Bad Gateway); polling again in 3.375 s",
    ]
    assert lines[10:] == [
        "getUpdates failed (NetworkError: Bad Gateway); polling again in 30 s",
        "getUpdates failed (NetworkError: Bad Gateway); polling again in 30 s",
        "getUpdates answered again after 12 failed",
    ]
    with pytest.raises(NetworkError):
        await hearing.ask(failing(NetworkError("Bad Gateway"), clock=clock))
    assert polling_lines(caplog)[-1].endswith("polling again in 1 s")  # from the start again


async def test_a_time_out_after_a_wait_is_asked_again_at_once_one_at_once_is_held(
    clock: Stopwatch, caplog: pytest.LogCaptureFixture
) -> None:
    held: list[float] = []

    async def sleep(seconds: float) -> None:
        held.append(seconds)

    hearing = Hearing(monotonic=clock, sleep=sleep)
    with pytest.raises(TimedOut):
        await hearing.ask(failing(TimedOut("no answer"), clock=clock, taking=11))
    assert held == []
    assert polling_lines(caplog) == [
        "getUpdates failed (TimedOut: no answer); polling again at once"
    ]
    # Failing at once, a time-out would be asked again at once, thousands of times a second.
    for _ in range(3):
        with pytest.raises(TimedOut):
            await hearing.ask(failing(TimedOut("connection closed"), clock=clock, taking=0.01))
    assert held == [1, 1.5, 2.25]
    assert polling_lines(caplog)[-1] == (
        "getUpdates failed (TimedOut: connection closed); polling again in 2.25 s"
    )


async def test_a_429_on_get_updates_waits_what_telegram_asked_and_is_no_silence(
    hearing: Hearing, clock: Stopwatch, stops: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(RetryAfter):
        await hearing.ask(failing(RetryAfter(timedelta(seconds=90)), clock=clock))
    assert polling_lines(caplog)[-1].endswith("polling again in 90.5 s")
    clock.now += 90 + STOPPED_AFTER_SECONDS
    hearing.stop_if_silent()
    assert stops == []


async def test_polling_is_ready_while_a_get_updates_succeeded_within_the_window(
    hearing: Hearing, clock: Stopwatch
) -> None:
    assert hearing.readiness(within=90) == "not polling yet"
    answer: asyncio.Future[tuple[Update, ...]] = asyncio.get_running_loop().create_future()
    first = asyncio.create_task(hearing.ask(lambda: answer))
    await asyncio.sleep(0)
    assert hearing.readiness(within=90) == "ok"  # the window counts from the first poll
    clock.now += 30
    answer.set_result(())
    await first

    clock.now += 90
    assert hearing.readiness(within=90) == "ok"
    with pytest.raises(NetworkError):
        await hearing.ask(failing(NetworkError("Bad Gateway"), clock=clock))
    clock.now += 1
    assert hearing.readiness(within=90) == "no getUpdates has succeeded for 91 s"
    await hearing.ask(no_updates)
    assert hearing.readiness(within=90) == "ok"


async def test_a_refused_token_is_not_ready(hearing: Hearing) -> None:
    call = asyncio.create_task(hearing.ask(refused))
    await asyncio.sleep(0.01)
    assert hearing.readiness(within=90) == "polling has stopped"
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call


def test_the_webhook_is_ready_once_telegram_has_taken_it() -> None:
    hearing = Hearing(webhook=True)
    assert hearing.readiness(within=90) == "the webhook is not set yet"
    hearing.set_webhook()
    assert hearing.readiness(within=90) == "ok"
