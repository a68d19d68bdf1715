"""Start-up: wait for the database, start the ops server, describe the bot."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Mapping
from functools import partial

from sqlalchemy.exc import DBAPIError
from telegram import BotCommandScopeAllPrivateChats

from bot import commands as handlers_commands
from bot.context import AppContext, BackCareApp, BotData
from bot.ops.server import OK, OpsServer, TelegramCheck, check_database
from bot.telegram_io.webhook import route_path
from bot.waiting import patiently
from bot.wording.menu import DESCRIPTION, SHORT_DESCRIPTION, menu
from guidance.reading import when
from storage.database import redacted_url
from storage.health import fault_of
from storage.migrate import head_revisions, upgrade

log = logging.getLogger(__name__)


# A migration on a reachable database takes well under this; a silent one is given up.
MIGRATION_SECONDS = 60
# How long /readyz waits for Telegram's answer to getMe.
TELEGRAM_CHECK_SECONDS = 3.0


class StartupError(RuntimeError):
    """Something the bot needs did not answer in time; the message says what, in one line."""


async def _wait_for_database(data: BotData) -> None:
    """Migrate the database, waiting for it with backoff for `startup.wait_seconds`."""
    where = redacted_url(data.settings.database.url)
    seconds = data.settings.startup.wait_seconds

    async def migrate() -> None:
        log.info("migrating %s", where)
        await asyncio.wait_for(upgrade(data.engine), timeout=MIGRATION_SECONDS)

    try:
        await patiently(seconds, worth_waiting=_worth_waiting, what=f"the database at {where}")(
            migrate
        )
    except (OSError, TimeoutError, DBAPIError) as error:
        fault = fault_of(error)
        if fault is not None:  # waiting would not help: said at once
            raise StartupError(
                f"the database at {where} is {fault}: its migrations cannot be applied"
            ) from None
        raise StartupError(
            f"the database at {where} did not answer within {seconds:g} s ({type(error).__name__})"
        ) from None


def _worth_waiting(error: BaseException) -> bool:
    """Tell whether a database error may pass: unreachable, not read-only or full."""
    return isinstance(error, OSError | TimeoutError | DBAPIError) and fault_of(error) is None


async def _start_ops(app: BackCareApp) -> None:
    """Serve /healthz, /readyz and /metrics on `ops.listen:ops.port`, unless the port is 0."""
    data = app.bot_data
    ops = data.settings.ops
    if not ops.port:
        return
    heads = await asyncio.to_thread(head_revisions)
    updates_within = data.settings.telegram.updates_within_seconds
    # The request layer's own timeouts end the call; the check's (5 s) is only a backstop.
    telegram = TelegramCheck(
        partial(
            app.bot.get_me,
            connect_timeout=TELEGRAM_CHECK_SECONDS,
            read_timeout=TELEGRAM_CHECK_SECONDS,
            write_timeout=TELEGRAM_CHECK_SECONDS,
            pool_timeout=1,
        ),
        timeout=TELEGRAM_CHECK_SECONDS + 2,
    )

    def alive() -> str | None:
        # Until the first tick is due there is nothing to judge: alive while the loop runs.
        if not data.last_tick_done:
            return None
        silent = time.monotonic() - data.last_tick_done
        if silent > data.settings.startup.watchdog_seconds:
            return f"no outbox tick has finished for {silent:.0f} s"
        return None

    async def ready() -> Mapping[str, str]:
        engine = getattr(data, "engine", None)
        # Start-up is over once the outbox ticks (set at the end of `_post_init`).
        checks = {"started": OK if data.last_tick_done else "starting"}
        if engine is None:
            checks.update(database="starting", migrations="unknown")
        else:
            checks.update(await check_database(engine, heads, store=getattr(data, "store", None)))
        checks["telegram"] = await telegram()
        if app.bot.hearing is not None:
            checks["updates"] = app.bot.hearing.readiness(within=updates_within)
        return checks

    async def scrape() -> bytes:
        if getattr(data, "sessionmaker", None) is not None:
            await data.metrics.count_due(data.sessionmaker, now=data.clock.now())
        return data.metrics.exposition()

    telegram_settings = data.settings.telegram
    webhook = None
    if data.webhook is not None and (telegram_settings.listen, telegram_settings.port) == (
        ops.listen,
        ops.port,
    ):
        # One address for both: the webhook's route is served here (see telegram_io.webhook).
        webhook = (route_path(telegram_settings.webhook_url), data.webhook.handle)
    server = OpsServer(alive=alive, ready=ready, metrics=scrape, webhook=webhook)
    try:
        await server.start(ops.listen, ops.port)
    except OSError as error:
        raise StartupError(
            f"could not serve health and metrics on {ops.listen}:{ops.port} "
            f"({error.strerror or type(error).__name__}); set ops.port (BACKCARE_OPS__PORT) "
            "to a free port, or 0 to turn it off"
        ) from None
    data.ops = server


async def _warm_plain_words(_context: AppContext) -> None:
    await asyncio.to_thread(when.warm)  # triage is compiled before polling (bot/app.py)
    # What start-up loaded (the guide, zones, dates) lives as long as the process: keep it
    # out of the collector's full passes, which otherwise stall replies under load.
    gc.freeze()


async def _describe_bot(app: BackCareApp) -> None:
    """Set the menu for private chats (none elsewhere) and the descriptions, if changed."""
    bot = app.bot
    commands = menu(handlers_commands.commands(app))
    await bot.set_my_commands(commands, scope=BotCommandScopeAllPrivateChats())
    await bot.delete_my_commands()  # groups and the default scope get no menu
    if (await bot.get_my_description()).description != DESCRIPTION:
        await bot.set_my_description(DESCRIPTION)
    if (await bot.get_my_short_description()).short_description != SHORT_DESCRIPTION:
        await bot.set_my_short_description(SHORT_DESCRIPTION)
