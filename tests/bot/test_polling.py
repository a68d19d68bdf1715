"""Whether updates still reach the bot: getUpdates watched, a refused token, a silent poll."""

from __future__ import annotations

import asyncio
import logging

import pytest
from telegram import Update
from telegram.error import InvalidToken

from bot.polling import STOPPED_AFTER_SECONDS, Hearing


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
    assert (record.name, record.levelno) == ("bot.polling", logging.CRITICAL)
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
