"""Bots that a module's tests share: one process where no test restarts it or needs settings
of its own (each test then talks as people of its own, so nobody collides)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.bot_process import bot_environment, running_bot
from tests.support.botapi_stub import BotApiStub
from tests.support.databases import migrated_sqlite
from tests.support.driven import SharedBot


@pytest.fixture(scope="module")
def module_botapi() -> Iterator[BotApiStub]:
    """One Bot API stand-in for a module's tests."""
    with BotApiStub() as stub:
        yield stub


@pytest.fixture(scope="module")
def plain_bot(
    request: pytest.FixtureRequest,
    module_botapi: BotApiStub,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[BotApiStub]:
    """One bot process on the real clock for a module's tests, with the module's
    `BOT_SETTINGS` (environment variables); give its stand-in."""
    folder = tmp_path_factory.mktemp("bot")
    env = bot_environment(
        module_botapi,
        migrated_sqlite(folder / "backcare.db"),
        **getattr(request.module, "BOT_SETTINGS", {}),
    )
    with running_bot(module_botapi, env, folder / "bot.log"):
        yield module_botapi


@pytest.fixture(scope="module")
def shared_bot(
    module_botapi: BotApiStub, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SharedBot]:
    """One bot process on a driven clock for a module's tests."""
    with SharedBot.running(module_botapi, tmp_path_factory.mktemp("bot")) as bot:
        yield bot


@pytest.fixture
def shared(shared_bot: SharedBot) -> Iterator[SharedBot]:
    """The module's driven bot, in a week of this test's own (see `SharedBot.week`)."""
    with shared_bot.week():
        yield shared_bot
