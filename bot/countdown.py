"""A guided stretch's hold, counted down in its picture's caption by PTB's JobQueue.

Each change of the caption is a job due a few seconds apart (never more than one edit
every 5 seconds: Telegram limits edits to a message). A press on the message ends its
countdown first: its jobs are removed, and a job already running sees that its message
moved on and edits nothing, so no edit follows a press.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from typing import cast

from telegram.error import BadRequest
from telegram.ext import JobQueue

from bot.context import AppContext
from bot.flows.reply import Reply
from bot.wording.common import Screen

log = logging.getLogger(__name__)

# The countdown each message shows now, by (chat, message): a job edits only while its own is.
_RUNNING: dict[tuple[int, int], int] = {}
_NUMBERS = itertools.count(1)


@dataclass(frozen=True, slots=True)
class _Tick:
    chat_id: int
    message_id: int
    number: int  # the countdown it belongs to
    screen: Screen
    last: bool


def _queue(context: AppContext) -> JobQueue[AppContext] | None:
    return cast("JobQueue[AppContext] | None", context.job_queue)


def _name(chat_id: int, message_id: int) -> str:
    return f"countdown {chat_id}:{message_id}"


def stop(context: AppContext, chat_id: int, message_id: int) -> None:
    """End a message's countdown, if it has one: nothing edits it any more."""
    queue = _queue(context)
    if _RUNNING.pop((chat_id, message_id), None) is None or queue is None:
        return
    for job in queue.get_jobs_by_name(_name(chat_id, message_id)):
        job.schedule_removal()


def start(context: AppContext, chat_id: int, message_id: int | None, reply: Reply) -> None:
    """Count a reply's hold down on the message it shows on, if it has one to count."""
    queue = _queue(context)
    if message_id is None or not reply.ticks or queue is None:
        return
    stop(context, chat_id, message_id)
    number = next(_NUMBERS)
    _RUNNING[(chat_id, message_id)] = number
    last = len(reply.ticks) - 1
    for index, (after, screen) in enumerate(reply.ticks):
        queue.run_once(
            _tick,
            when=after,
            name=_name(chat_id, message_id),
            data=_Tick(chat_id, message_id, number, screen, index == last),
            chat_id=chat_id,
        )


def running(chat_id: int, message_id: int) -> bool:
    """Tell whether a message's hold is being counted down."""
    return (chat_id, message_id) in _RUNNING


async def _tick(context: AppContext) -> None:
    """Show the caption as it stands now, unless the message moved on."""
    tick = context.job.data if context.job is not None else None
    if not isinstance(tick, _Tick):
        return
    chat_id, message_id, screen = tick.chat_id, tick.message_id, tick.screen
    key = (chat_id, message_id)
    if _RUNNING.get(key) != tick.number:
        return  # pressed since: no edit after a press
    if tick.last:
        _RUNNING.pop(key, None)
    try:
        await context.bot.edit_message_caption(
            chat_id=chat_id,
            message_id=message_id,
            caption=screen.html(),
            reply_markup=screen.markup(),
        )
    except BadRequest as error:
        log.info("countdown on message %s stopped: %s", message_id, error.message)
        stop(context, chat_id, message_id)
