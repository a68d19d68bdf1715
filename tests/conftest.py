"""Shared fixtures for the BackCare tests."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.botapi_stub import BotApiStub

# As `backcare` does: python-telegram-bot's durations (retry_after) as timedelta.
os.environ.setdefault("PTB_TIMEDELTA", "true")

# The fixtures of folders whose tests moved to the layers, and the fault classes' rule.
pytest_plugins = [
    "tests.support.fixtures.guidance",
    "tests.support.fixtures.jobs",
    "tests.support.faults",
]

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


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its file's layer (tests/support/layers.py): `-m unit` and so on.

    First, so that `-m` selects by the layers (pytest's own selection comes after).
    """
    from tests.support.layers import LAYERS, layer_of

    fixtures: dict[Path, set[str]] = {}
    for item in items:
        fixtures.setdefault(item.path, set()).update(getattr(item, "fixturenames", ()))
    layers = {path: layer_of(path, names) for path, names in fixtures.items()}
    for item in items:
        layer = layers[item.path]
        # One layer each: a module's own `pytestmark = pytest.mark.e2e` gives way to chaos.
        for node in item.listchain():
            node.own_markers[:] = [
                mark for mark in node.own_markers if mark.name not in LAYERS or mark.name == layer
            ]
        item.add_marker(layer)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Drop the databases the run kept, if any (each xdist worker has its own)."""
    import asyncio

    from tests.support.databases import drop_reused, drop_sqlite_template, drop_template

    drop_sqlite_template()
    asyncio.run(drop_reused())
    asyncio.run(drop_template())
