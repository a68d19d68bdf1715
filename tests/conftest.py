"""Shared fixtures for the BackCare tests."""

import os
from collections.abc import Iterator

import pytest

from tests.support.botapi_stub import BotApiStub

# As `backcare` does: python-telegram-bot's durations (retry_after) as timedelta.
os.environ.setdefault("PTB_TIMEDELTA", "true")

# --- Telegram Bot API stand-in (tests/support/botapi_stub.py) ---------------------------------


@pytest.fixture
def botapi() -> Iterator[BotApiStub]:
    """Serve a fresh local Bot API stand-in for one test and stop it afterwards."""
    with BotApiStub() as stub:
        yield stub


# --- end of Bot API stand-in fixtures ----------------------------------------------------------

# --- Databases (tests/support/databases.py): SQLite and PostgreSQL -----------------------------

from tests.support.databases import (  # noqa: E402, F401
    database_url,
    engine,
    postgres_url,
    sessionmaker,
)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Drop the PostgreSQL template database the run made, if any."""
    import asyncio

    from tests.support.databases import drop_template

    asyncio.run(drop_template())
