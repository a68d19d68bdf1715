"""The composition root: one `Application` with its services, handlers and lifecycle."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import signal
import threading
import time
from collections.abc import Collection, Mapping
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import cast

from sqlalchemy.exc import DBAPIError
from telegram import BotCommand, BotCommandScopeAllPrivateChats
from telegram.error import TelegramError
from telegram.ext import ApplicationBuilder, ContextTypes, JobQueue

from bot import handlers
from bot.context import AppContext, BackCareApp, BotData
from bot.gate import REPLAY_WINDOW
from bot.http import AiohttpRequest
from bot.metrics import Metrics
from bot.ops import OK, OpsServer, TelegramCheck, check_database
from bot.polling import EXIT_DEAF, Hearing, HearingUpdater
from bot.sender import BackCareBot, TelegramSender
from bot.settings import Settings
from bot.updates import PerChatUpdates
from guidance import Guide
from guidance.reading import when
from jobs.delivery.budget import SendBudget
from jobs.delivery.clock import Clock, FileClock, SystemClock
from jobs.delivery.lease import SendingLease
from jobs.delivery.outbox import Outbox, OutboxSettings
from jobs.documents import Renderer
from jobs.pure.composer import Budget
from jobs.pure.nudges import NudgeTexts
from jobs.services import questions
from jobs.services.nudging import NudgePlanner
from storage.database import create_engine, create_sessionmaker, redacted_url
from storage.health import StoreHealth, fault_of
from storage.migrate import head_revisions, upgrade
from storage.repositories import forget_presses, forget_updates

log = logging.getLogger(__name__)

# A migration on a reachable database takes well under this; a silent one is given up.
MIGRATION_SECONDS = 60
# The exit status when the watchdog stops a stalled bot (a supervisor restarts it).
EXIT_STALLED = 3
# However a stop goes, the process is gone this long after it began.
SHUTDOWN_SECONDS = 10.0
# Sends are paced in windows this much over a second, so that requests reaching Telegram a
# little out of the order they left in still keep every second within the rate.
WIRE_MARGIN = timedelta(milliseconds=50)
# A standby tries to take the sending lease this often (a takeover comes within about this).
LEASE_RETRY_SECONDS = 1.0
# A process that takes the lease over from another waits this long before its first send:
# the one before may have spent a whole second's sends just before it died, and the rate
# limit is the bot's, not each process's.
TAKEOVER_QUIET_SECONDS = 1.0

# The menu beside the text box, in private chats only: what a person needs most, the spasm
# first; /help lists every command. Telegram shows about ten without scrolling. A command
# is shown once a handler for it is registered, so one not built yet can wait here.
MENU = (
    BotCommand("flare", "My back just went into spasm"),
    BotCommand("today", "Today so far, and your next nudges"),
    BotCommand("progress", "Your last 7 days as a chart"),
    BotCommand("drank", "Log a glass of water"),
    BotCommand("pain", "Today's pain, 0-10, e.g. /pain 6"),
    BotCommand("pause", "Pause nudges: 2h, 3 days, until friday"),
    BotCommand("resume", "Bring paused nudges back"),
    BotCommand("settings", "Change your settings"),
    BotCommand("help", "What I do, and every command"),
    BotCommand("forget", "Delete everything I store about you"),
)
MENU_SIZE = 10


def menu(handled: Collection[str]) -> list[BotCommand]:
    """Return the menu: its commands that have a handler, at most `MENU_SIZE`."""
    shown = [command for command in MENU if command.command in handled]
    if len(shown) > MENU_SIZE:
        raise ValueError(f"the menu holds at most {MENU_SIZE} commands, not {len(shown)}")
    return shown


DESCRIPTION = (
    "BackCare helps you look after a back prone to spasms: water, getting up while you "
    "work, a daily stretch and, in a flare, ice then heat on time, all in your own time "
    "zone and never at night. Ask it questions about back spasms. It is not a doctor: "
    "numbness, weakness, bladder or bowel trouble or severe pain mean get medical help "
    "now. Your data stays in this private chat; /forget deletes it."
)
SHORT_DESCRIPTION = "Water, movement, stretches and spasm care, on time. Not a doctor."


def make_bot(
    token: str, api_base_url: str, *, wait_seconds: float = 0.0, proxy: str = ""
) -> BackCareBot:
    """Build the bot: PTB's, over aiohttp keep-alive connections (a fifth of httpx's CPU)."""
    bot = BackCareBot(
        token,
        base_url=api_base_url,
        request=AiohttpRequest(proxy=proxy),
        get_updates_request=AiohttpRequest(pool_size=1, proxy=proxy),
    )
    bot.set_wait(wait_seconds)
    return bot


def build_application(settings: Settings, *, clock: Clock | None = None) -> BackCareApp:
    """Build the bot: settings and clock in, a ready-to-run Application out."""
    token = settings.telegram.token
    if token is None:
        raise ValueError("the bot token is not set")
    metrics = Metrics()
    clock = clock or (
        FileClock(Path(settings.clock.file)) if settings.clock.file else SystemClock()
    )
    # Telegram's limit is the bot's: replies to people take from it first, nudges after,
    # and nudges yield the loop while an update is being answered.
    budget = SendBudget(settings.delivery.messages_per_second, clock, margin=WIRE_MARGIN)
    bot = make_bot(
        token.get_secret_value(),
        settings.telegram.api_base_url,
        wait_seconds=settings.startup.wait_seconds,
        proxy=settings.telegram.proxy,
    )
    bot.set_budget(budget)
    hearing = Hearing(webhook=settings.telegram.mode == "webhook")
    bot.set_hearing(hearing)
    # The app's bot is the updater's, ours; the builder's types lose it on the way.
    app = cast(
        "BackCareApp",
        ApplicationBuilder()
        .updater(HearingUpdater(bot, asyncio.Queue()))
        .context_types(ContextTypes(context=AppContext, bot_data=BotData))
        .concurrent_updates(PerChatUpdates(budget=budget, observe=metrics.update_handled))
        .job_queue(JobQueue[AppContext]())
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build(),
    )
    app.bot_data.settings = settings
    app.bot_data.metrics = metrics
    app.bot_data.clock = clock
    app.bot_data.defaults = settings.defaults.for_new_users()
    handlers.register(app)
    hearing.on_deaf = partial(_stop_deaf, app)
    return app


WARM_AFTER_SECONDS = 5
# How often the store is checked for taking writes, besides each readiness probe.
STORE_CHECK_SECONDS = 5
# How long /readyz waits for Telegram's answer to getMe.
TELEGRAM_CHECK_SECONDS = 3.0


class StartupError(RuntimeError):
    """Something the bot needs did not answer in time; the message says what, in one line."""


async def _wait_for_database(data: BotData) -> None:
    """Migrate the database, waiting for it with backoff for `startup.wait_seconds`."""
    where = redacted_url(data.settings.database.url)
    deadline = time.monotonic() + data.settings.startup.wait_seconds
    pause = 1.0
    while True:
        try:
            log.info("migrating %s", where)
            await asyncio.wait_for(upgrade(data.engine), timeout=MIGRATION_SECONDS)
        except (OSError, TimeoutError, DBAPIError) as error:
            fault = fault_of(error)
            if fault is not None:  # waiting would not help: say so at once
                raise StartupError(
                    f"the database at {where} is {fault}: its migrations cannot be applied"
                ) from None
            if time.monotonic() + pause > deadline:
                raise StartupError(
                    f"the database at {where} did not answer within "
                    f"{data.settings.startup.wait_seconds:g} s ({type(error).__name__})"
                ) from None
            log.warning(
                "the database at %s is not reachable yet (%s); trying again in %g s",
                where,
                type(error).__name__,
                pause,
            )
            await asyncio.sleep(pause)
            pause = min(pause * 2, 10.0)
        else:
            return


async def _post_init(app: BackCareApp) -> None:
    data = app.bot_data
    # First, so that a supervisor sees the bot alive (and not ready) while it waits.
    await _start_ops(app)
    database = data.settings.database
    data.engine = create_engine(
        database.url,
        echo=database.echo,
        connect_timeout=database.connect_timeout,
        statement_timeout=database.statement_timeout,
        sqlite_max_mb=database.sqlite_max_mb,
    )
    await _wait_for_database(data)
    data.store = StoreHealth(data.engine, where=redacted_url(database.url))
    await data.store.check()  # read-only or full: one line now, and not ready
    data.sessionmaker = create_sessionmaker(data.engine)
    data.lease = SendingLease(database.url, timeout=database.connect_timeout)
    data.guide = Guide.load()
    delivery = data.settings.delivery
    data.texts = NudgeTexts(data.guide)
    data.renderer = Renderer()
    data.outbox = Outbox(
        data.sessionmaker,
        TelegramSender(app.bot, data.renderer),
        data.clock,
        NudgePlanner(
            data.texts,
            Budget(data.settings.plan.daily_budget, data.settings.plan.flare_day_budget),
        ),
        OutboxSettings(
            messages_per_second=delivery.messages_per_second, batch_size=delivery.batch_size
        ),
        observer=data.metrics,
        lease=data.lease,
        budget=app.bot.budget,
    )
    try:
        await _describe_bot(app)
    except TelegramError:
        # The menu and descriptions are comforts: the bot starts and nudges without them.
        log.warning("could not set the command menu or descriptions", exc_info=True)
    if await data.lease.acquire():
        log.info("took the sending lease")
    else:
        log.info("standing by: another process holds the sending lease")
        data.lease_lost_logged = True
    swept = await data.outbox.sweep()  # nothing, unless this process holds the lease
    if swept.sent or swept.dropped_stale:
        log.info("start-up sweep: %d sent, %d too late to send", swept.sent, swept.dropped_stale)
    if app.job_queue is None:
        raise RuntimeError("the job-queue extra of python-telegram-bot is missing")
    app.job_queue.run_repeating(
        _tick,
        interval=delivery.tick_seconds,
        first=0,
        name="outbox",
        # `first=0` alone waits one interval once the scheduler starts; tick at once.
        job_kwargs={"max_instances": 1, "coalesce": True, "next_run_time": datetime.now(UTC)},
    )
    app.job_queue.run_repeating(_prune, interval=3600, first=60, name="outbox retention")
    app.job_queue.run_repeating(
        _check_store, interval=STORE_CHECK_SECONDS, first=STORE_CHECK_SECONDS, name="storage"
    )
    data.last_tick_done = time.monotonic()
    app.job_queue.run_repeating(_watchdog, interval=5, first=5, name="watchdog")
    app.job_queue.run_repeating(_still_polling, interval=5, first=5, name="polling")
    # Plain-word dates load about 0.2 s of library and data: after start-up, off the loop.
    app.job_queue.run_once(_warm_plain_words, when=WARM_AFTER_SECONDS, name="warm dates")
    log.info("BackCare is up as @%s", app.bot.username)


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

    server = OpsServer(alive=alive, ready=ready, metrics=scrape)
    try:
        await server.start(ops.listen, ops.port)
    except OSError as error:
        raise StartupError(
            f"could not serve health and metrics on {ops.listen}:{ops.port} "
            f"({error.strerror or type(error).__name__}); set ops.port (BACKCARE_OPS__PORT) "
            "to a free port, or 0 to turn it off"
        ) from None
    data.ops = server


async def _warm_plain_words(context: AppContext) -> None:
    await asyncio.to_thread(when.warm)
    await asyncio.to_thread(context.bot_data.guide.reader.triage.warm)
    # What start-up loaded (the guide, zones, dates) lives as long as the process: keep it
    # out of the collector's full passes, which otherwise stall replies under load.
    gc.freeze()


async def _describe_bot(app: BackCareApp) -> None:
    """Set the menu for private chats (none elsewhere) and the descriptions, if changed."""
    bot = app.bot
    commands = menu(handlers.commands(app))
    await bot.set_my_commands(commands, scope=BotCommandScopeAllPrivateChats())
    await bot.delete_my_commands()  # groups and the default scope get no menu
    if (await bot.get_my_description()).description != DESCRIPTION:
        await bot.set_my_description(DESCRIPTION)
    if (await bot.get_my_short_description()).short_description != SHORT_DESCRIPTION:
        await bot.set_my_short_description(SHORT_DESCRIPTION)


async def _prune(context: AppContext) -> None:
    """Keep what people typed and the outbox's history to `privacy.keep_days`."""
    data = context.bot_data
    keep = timedelta(days=data.settings.privacy.keep_days)
    now = data.clock.now()
    try:
        removed = await data.outbox.prune(keep=keep)
        async with data.sessionmaker.begin() as session:
            questions_removed = await questions.prune(session, before=now - keep)
            await forget_updates(session, before=now - REPLAY_WINDOW)
            await forget_presses(session, before=now - keep)
    except Exception as error:
        if data.store.failed(error) is None:  # a store that refuses writes is said once
            log.exception("pruning old records failed")
        return
    if removed or questions_removed:
        log.info(
            "deleted %d deliveries and %d questions older than %s",
            removed,
            questions_removed,
            keep,
        )


async def _check_store(context: AppContext) -> None:
    """Check that the database takes writes, so a change is logged even with no probes."""
    try:
        await context.bot_data.store.check()
    except Exception as error:  # the database itself is unreachable: readiness says so
        log.debug("could not check whether the database takes writes: %r", error)


async def _tick(context: AppContext) -> None:
    """Send the nudges that are due; never let a failure or a stall stop the clock.

    A tick that overruns its deadline (the database went silent mid-statement) is
    cancelled, so the next one can start; what it had claimed is finished by the lease.
    """
    data = context.bot_data
    deadline = data.settings.database.statement_timeout * 2
    try:
        if not await asyncio.wait_for(_may_send(data), timeout=deadline):
            return  # standing by: a tick that completes, so the watchdog stays quiet
        report = await asyncio.wait_for(data.outbox.tick(), timeout=deadline)
    except TimeoutError:
        log.warning("a outbox tick took over %g s and was cancelled", deadline)
        # Its connections may be the silent ones: let them all go, and open fresh ones.
        await data.engine.dispose(close=False)
        return
    except Exception as error:
        if data.store.failed(error) is None:  # a store that refuses writes is said once
            log.exception("outbox tick failed")
        return
    finally:
        data.last_tick_done = time.monotonic()
    if report.sent or report.failed or report.retried:
        log.info(
            "tick: %d sent, %d retrying, %d failed, %d skipped",
            report.sent,
            report.retried,
            report.failed,
            report.skipped,
        )


async def _may_send(data: BotData) -> bool:
    """Tell whether this process sends now: it holds the sending lease, or has just taken it.

    A standby tries to take the lease every `LEASE_RETRY_SECONDS`; having taken it over, it
    waits `TAKEOVER_QUIET_SECONDS` before its first send.
    """
    lease = data.lease
    now = time.monotonic()
    if lease.held:
        data.lease_lost_logged = False
        await lease.keep_alive()  # even in a tick that claims nothing (flood control)
        return now >= data.sending_from
    if not data.lease_lost_logged:
        data.lease_lost_logged = True
        log.info("standing by: this process does not hold the sending lease")
    if now < data.next_lease_try:
        return False
    data.next_lease_try = now + LEASE_RETRY_SECONDS
    if await lease.acquire():
        log.info("took the sending lease")
        data.sending_from = time.monotonic() + TAKEOVER_QUIET_SECONDS
    return False


def stop_within_bounds(app: BackCareApp | None = None) -> None:
    """On SIGINT or SIGTERM, stop cleanly; whatever hangs, exit within `SHUTDOWN_SECONDS`."""

    def stop(signum: int, _frame: object) -> None:
        timer = threading.Timer(SHUTDOWN_SECONDS, os._exit, args=(128 + signum,))
        timer.daemon = True
        timer.start()
        if app is not None and app.running and _loop_running():
            # Once running, end the loop's turn rather than raise inside whatever task runs
            # now (a half-written /metrics answer would raise it again, mid-shutdown).
            app.stop_running()
            return
        raise KeyboardInterrupt  # python-telegram-bot's run loop shuts down on it

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


async def _watchdog(context: AppContext) -> None:
    """Stop the bot, to be restarted, if no outbox tick has finished for too long."""
    data = context.bot_data
    silent = time.monotonic() - data.last_tick_done
    if silent > data.settings.startup.watchdog_seconds and not data.exit_code:
        log.critical(
            "no outbox tick has finished for %.0f s: stopping, so that a supervisor "
            "restarts the bot",
            silent,
        )
        data.exit_code = EXIT_STALLED
        # A clean stop waits for the stuck tick; whatever hangs, the process ends soon.
        timer = threading.Timer(SHUTDOWN_SECONDS, os._exit, args=(EXIT_STALLED,))
        timer.daemon = True
        timer.start()
        context.application.stop_running()


async def _still_polling(context: AppContext) -> None:
    """Stop the bot, to be restarted, if its polling has stopped (see bot.polling)."""
    hearing = context.bot.hearing
    if hearing is not None:
        hearing.stop_if_silent()


def _stop_deaf(app: BackCareApp, _reason: str) -> None:
    """Stop the bot, to be restarted: its polling has stopped for good (bot.polling said why)."""
    data = app.bot_data
    if data.exit_code:
        return
    data.exit_code = EXIT_DEAF
    timer = threading.Timer(SHUTDOWN_SECONDS, os._exit, args=(EXIT_DEAF,))
    timer.daemon = True
    timer.start()
    app.create_task(_stop_polling_then_run(app), name="stop deaf")


async def _stop_polling_then_run(app: BackCareApp) -> None:
    updater = app.updater
    if updater is not None and updater.running:
        # Stopping awaits the polling task, which raises again whatever ended it (told
        # already); left to PTB's stop, it would escape run_polling, shutdown undone.
        with contextlib.suppress(Exception):
            await updater.stop()
    app.stop_running()


async def _post_shutdown(app: BackCareApp) -> None:
    if app.bot_data.ops is not None:
        await app.bot_data.ops.stop()
    lease = getattr(app.bot_data, "lease", None)
    if lease is not None:
        # Released at once, so a standby takes over without waiting for the server to notice.
        try:
            await asyncio.wait_for(lease.release(), timeout=5)
        except TimeoutError:
            log.warning("the sending lease's connection did not close within 5 s")
    renderer = getattr(app.bot_data, "renderer", None)
    if renderer is not None:
        renderer.close()
    engine = getattr(app.bot_data, "engine", None)  # absent if start-up failed early
    if engine is None:
        return
    try:
        await asyncio.wait_for(engine.dispose(), timeout=5)
    except TimeoutError:
        log.warning("the database did not close its connections within 5 s")
