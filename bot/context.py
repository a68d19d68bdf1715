"""The typed context every handler receives: services instead of globals."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, JobQueue

from bot.ops.metrics import Metrics
from bot.ops.server import OpsServer
from bot.settings import Settings
from bot.telegram_io.pictures import Pictures
from bot.telegram_io.sender import BackCareBot
from bot.telegram_io.webhook import Webhook
from bot.wording.nudges import NudgeTexts
from guidance import Guide
from guidance.reading import Reading
from jobs.delivery.clock import Clock
from jobs.delivery.lease import SendingLease
from jobs.delivery.outbox import Outbox
from jobs.documents import Renderer
from jobs.services.profile import NewUserDefaults
from storage.health import StoreHealth


class BotData:
    """Services shared by every update: filled by `build_application` and `post_init`."""

    settings: Settings
    clock: Clock
    defaults: NewUserDefaults
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    # Whether the database takes writes (read-only or full is said once, and to people).
    store: StoreHealth
    guide: Guide
    outbox: Outbox
    # Only its holder sends nudges: one process per bot (see jobs.delivery.lease).
    lease: SendingLease
    # When (monotonic seconds) this process may send, having taken the lease over.
    sending_from: float = 0.0
    # When a standby next tries to take the lease; whether it has said it stands by.
    next_lease_try: float = 0.0
    lease_lost_logged: bool = False
    texts: NudgeTexts
    # Draws charts and makes files in a worker process (started on the first one).
    renderer: Renderer
    # The stretch pictures, sent by their Telegram file id once uploaded.
    pictures: Pictures
    # The app's own metrics registry (never the process-wide default).
    metrics: Metrics
    # The health, readiness and metrics server, unless `ops.port` is 0.
    ops: OpsServer | None = None
    # In webhook mode, the route Telegram posts updates to (see bot.telegram_io.webhook).
    webhook: Webhook | None = None
    # When the last outbox tick finished (monotonic seconds), for the watchdog.
    last_tick_done: float = 0.0
    # Set when the bot stops itself (the watchdog): the process exits with this code.
    exit_code: int = 0


class AppContext(CallbackContext[BackCareBot, dict[Any, Any], dict[Any, Any], BotData]):
    """Callback context with shortcuts to the services, and the update's one reading.

    PTB builds one context per update and hands it to every handler group, so the reading
    made first (`handlers.read_first`) reaches the handlers that act on the message.
    """

    reading: Reading | None = None
    # Whether this update's id is recorded as handled (by its flow's transaction, or `once`).
    recorded: bool = False

    def transaction(self) -> AbstractAsyncContextManager[AsyncSession]:
        """Open the one transaction this update runs in."""
        return self.bot_data.sessionmaker.begin()

    @property
    def clock(self) -> Clock:
        """Return the clock."""
        return self.bot_data.clock


BackCareApp = Application[
    BackCareBot,
    AppContext,
    dict[Any, Any],
    dict[Any, Any],
    BotData,
    JobQueue[AppContext],
]
