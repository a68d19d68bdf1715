"""The bot's repeating jobs (the outbox tick, pruning, the store check, the watchdog) and stopping
within bounds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
import time
from datetime import timedelta

from bot.context import AppContext, BackCareApp, BotData
from bot.gate import REPLAY_WINDOW
from bot.telegram_io.polling import EXIT_DEAF
from jobs.services import questions
from storage.repositories import forget_presses, forget_updates

log = logging.getLogger(__name__)

# The exit status when the watchdog stops a stalled bot (a supervisor restarts it).
EXIT_STALLED = 3
# However a stop goes, the process is gone this long after it began.
SHUTDOWN_SECONDS = 10.0
# A standby tries to take the sending lease this often (a takeover comes within about this).
LEASE_RETRY_SECONDS = 1.0
# A process that takes the lease over from another waits this long before its first send:
# the one before may have spent a whole second's sends just before it died, and the rate
# limit is the bot's, not each process's.
TAKEOVER_QUIET_SECONDS = 1.0


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
    """Stop the bot, to be restarted, if its polling has stopped (see bot.telegram_io.polling)."""
    hearing = context.bot.hearing
    if hearing is not None:
        hearing.stop_if_silent()


def _stop_deaf(app: BackCareApp, _reason: str) -> None:
    """Stop the bot, to be restarted: its polling has stopped for good.

    `bot.telegram_io.polling` said why.
    """
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
