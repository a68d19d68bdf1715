"""The composition root: one `Application` with its services, handlers and lifecycle."""

from __future__ import annotations

import logging

from telegram import BotCommand
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, JobQueue

from bot import handlers
from bot.context import AppContext, BackCareApp, BotData
from bot.settings import Settings
from guidance import Guide
from jobs.clock import Clock, SystemClock
from storage.database import create_engine, create_sessionmaker, redacted_url
from storage.migrate import upgrade

log = logging.getLogger(__name__)

COMMANDS = [
    BotCommand("start", "Set up, or see your plan"),
    BotCommand("settings", "Change your settings"),
    BotCommand("help", "What I do, and every command"),
    BotCommand("timezone", "Your time zone, e.g. /timezone Europe/Berlin"),
    BotCommand("hours", "Waking hours, e.g. /hours 07:30-22:30"),
    BotCommand("water", "Water nudges: on, off, goal, glass"),
    BotCommand("posture", "Posture breaks: on, off, every, work"),
    BotCommand("stretch", "Daily stretch: on, off, or a time"),
    BotCommand("pause", "Pause nudges: 2h, today, tomorrow"),
    BotCommand("resume", "Resume nudges"),
    BotCommand("forget", "Delete everything I store about you"),
]


def build_application(settings: Settings, *, clock: Clock | None = None) -> BackCareApp:
    """Build the bot: settings and clock in, a ready-to-run Application out."""
    token = settings.telegram.token
    if token is None:
        raise ValueError("the bot token is not set")
    app: BackCareApp = (
        ApplicationBuilder()
        .token(token.get_secret_value())
        .base_url(settings.telegram.api_base_url)
        .context_types(ContextTypes(context=AppContext, bot_data=BotData))
        .rate_limiter(
            AIORateLimiter(overall_max_rate=settings.delivery.messages_per_second, max_retries=3)
        )
        .job_queue(JobQueue[AppContext]())
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    app.bot_data.settings = settings
    app.bot_data.clock = clock or SystemClock()
    app.bot_data.defaults = settings.defaults.for_new_users()
    handlers.register(app)
    return app


async def _post_init(app: BackCareApp) -> None:
    data = app.bot_data
    data.engine = create_engine(data.settings.database.url, echo=data.settings.database.echo)
    log.info("migrating %s", redacted_url(data.settings.database.url))
    await upgrade(data.engine)
    data.sessionmaker = create_sessionmaker(data.engine)
    data.guide = Guide.load()
    await app.bot.set_my_commands(COMMANDS)
    log.info("BackCare is up as @%s", app.bot.username)


async def _post_shutdown(app: BackCareApp) -> None:
    await app.bot_data.engine.dispose()
