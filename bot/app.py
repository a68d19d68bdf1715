"""The composition root: one `Application` with its services, handlers and lifecycle."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, cast

from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults, JobQueue

from bot import handlers
from bot.background import _check_store, _prune, _still_polling, _stop_deaf, _tick, _watchdog
from bot.context import AppContext, BackCareApp, BotData
from bot.ops.metrics import Metrics
from bot.settings import Settings
from bot.startup import _describe_bot, _start_ops, _wait_for_database, _warm_plain_words
from bot.telegram_io.http import AiohttpRequest
from bot.telegram_io.limiter import SendLimiter
from bot.telegram_io.pictures import Pictures
from bot.telegram_io.polling import Hearing, HearingUpdater
from bot.telegram_io.sender import BackCareBot, TelegramSender
from bot.telegram_io.webhook import Webhook
from bot.updates import PerChatUpdates
from bot.wording.answers import ANSWER_WORDS
from bot.wording.nudges import NudgeTexts
from guidance import Guide
from jobs.composer.budget import Budget
from jobs.delivery.budget import SendBudget
from jobs.delivery.clock import Clock, FileClock, SystemClock
from jobs.delivery.contracts import OutboxSettings
from jobs.delivery.lease import SendingLease
from jobs.delivery.outbox import Outbox
from jobs.documents import Renderer
from jobs.services.planner import NudgePlanner
from storage.database import create_engine, create_sessionmaker, redacted_url
from storage.health import StoreHealth

log = logging.getLogger(__name__)

# Sends are paced in windows this much over a second, so that requests reaching Telegram a
# little out of the order they left in still keep every second within the rate.
WIRE_MARGIN = timedelta(milliseconds=50)


def make_bot(
    token: str,
    api_base_url: str,
    *,
    wait_seconds: float = 0.0,
    proxy: str = "",
    budget: SendBudget | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    hearing: Hearing | None = None,
) -> BackCareBot:
    """Build the bot: PTB's, over aiohttp keep-alive connections (a fifth of httpx's CPU).

    Every message through PTB's methods is Telegram HTML (`Defaults`): screens are escaped in
    `bot.wording` (`Screen.html`, `as_html`), so a person's `<` or `&` reads as itself.
    Every message draws on `budget` through PTB's rate-limiter hook (`SendLimiter`; a
    reply's 429 is waited out with `sleep`).
    """
    return BackCareBot(
        token,
        hearing=hearing,
        wait_seconds=wait_seconds,
        base_url=api_base_url,
        defaults=Defaults(parse_mode=ParseMode.HTML),
        request=AiohttpRequest(proxy=proxy),
        get_updates_request=AiohttpRequest(pool_size=1, proxy=proxy),
        **({"rate_limiter": SendLimiter(budget, sleep=sleep)} if budget is not None else {}),
    )


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
    webhook_mode = settings.telegram.mode == "webhook"
    hearing = Hearing(webhook=webhook_mode)
    bot = make_bot(
        token.get_secret_value(),
        settings.telegram.api_base_url,
        wait_seconds=settings.startup.wait_seconds,
        proxy=settings.telegram.proxy,
        budget=budget,
        hearing=hearing,
    )
    builder: Any = ApplicationBuilder()  # its type changes with the bot given
    if webhook_mode:
        # No Updater: the webhook is a route on the bot's aiohttp server, as in PTB's
        # custom-webhook example (see bot.telegram_io.webhook).
        builder = builder.bot(bot).updater(None)
    else:
        builder = builder.updater(HearingUpdater(bot, asyncio.Queue()))
    # The app's bot is ours; the builder's types lose it on the way.
    app = cast(
        "BackCareApp",
        builder.context_types(ContextTypes(context=AppContext, bot_data=BotData))
        .concurrent_updates(PerChatUpdates(budget=budget, observe=metrics.update_handled))
        .job_queue(JobQueue[AppContext]())
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build(),
    )
    if webhook_mode:
        secret = settings.telegram.webhook_secret
        app.bot_data.webhook = Webhook(
            bot, app.update_queue, secret.get_secret_value() if secret else None
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
    data.guide = Guide.load(words=ANSWER_WORDS)
    delivery = data.settings.delivery
    data.texts = NudgeTexts(data.guide)
    data.renderer = Renderer()
    data.pictures = Pictures(data.sessionmaker, data.clock)
    data.outbox = Outbox(
        data.sessionmaker,
        TelegramSender(app.bot, data.texts, data.renderer),
        data.clock,
        NudgePlanner(
            data.texts.choices,
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
    # Triage's patterns (about 1 s to compile) before the first update, not on the first
    # message: a flood or a warning sign must not wait behind them.
    data.guide.reader.triage.warm()
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
