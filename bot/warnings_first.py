"""Warning signs first: every message is read for them before anything else acts on it.

`read_first` runs in the first handler group, on every text and caption, before any flow
reads storage; a told sign is answered at once and stops the message there.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial

from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop

from bot import wording
from bot.commands import _in_one_transaction, _run
from bot.context import AppContext
from bot.flows import signs
from bot.gate import Replayed, once
from bot.render import MAX_MESSAGE_LENGTH, _send
from bot.wording.common import as_html
from guidance import Finding, Level

log = logging.getLogger(__name__)


async def read_first(update: Update, context: AppContext) -> None:
    """Read every message for warning signs first, before anything else acts on it.

    Runs before every other handler: before the rate limit, an awaited answer or any
    parsing, and before any storage is touched (a store that fails cannot delay it). A
    message that tells of a warning sign is answered at once, and nothing else happens to
    it; one triage is not sure about gets the warning-sign question (at most hourly). The
    reading is kept on the update's context, and the flow that takes the message reads
    the rest of it (`Reader.finish`), knowing the sender.
    """
    message = update.effective_message
    if message is None:
        return
    # A photo's or a file's caption is read too: "my legs are numb" under a photo of a back.
    typed = message.text or message.caption
    if typed is None:
        return
    command = typed.startswith("/")
    if command:
        typed = typed.partition(" ")[2]  # a command's own words are read too
    reading = context.bot_data.guide.reader.first(typed)
    context.bot_data.metrics.triaged(reading.level)
    if reading.finding.told:
        if reading.level is Level.DOCTOR and await _a_yes_naming_a_sign(update, context, typed):
            raise ApplicationHandlerStop
        await answer_warning(update, context, message, typed, reading.finding)
        raise ApplicationHandlerStop
    if reading.level is Level.CHECK and not command:
        guide = context.bot_data.guide
        asked = await _in_one_transaction(
            context,
            update,
            partial(signs.ask_signs_if_due, reading=reading, guide=guide),
            records=lambda reply: bool(reply.screen.text),  # asked: else the next flow's
        )
        if asked.screen.text:
            await _send(message, asked)
            raise ApplicationHandlerStop
        # Asked about this within the hour, or the message answers a question: read on.
        reading = replace(reading, finding=replace(reading.finding, level=Level.NONE))
    context.reading = reading
    if len(typed) > MAX_MESSAGE_LENGTH:
        await once(update, context)
        await message.reply_text(
            as_html(wording.questions.TOO_LONG.format(limit=MAX_MESSAGE_LENGTH))
        )
        raise ApplicationHandlerStop


async def _a_yes_naming_a_sign(update: Update, context: AppContext, typed: str) -> bool:
    """Answer "yes, the tingling in my leg" to the warning-sign question as its Yes button
    (help now); tell whether it was one. Only a see-a-doctor sign said with a yes comes here,
    and any failure leaves it to the see-a-doctor answer, which needs no storage."""
    data = context.bot_data
    if not data.guide.reader.says_yes(typed):
        return False
    try:
        reply = await _in_one_transaction(
            context,
            update,
            partial(signs.yes_naming_a_sign, texts=data.texts),
            records=lambda reply: bool(reply.screen.text),
        )
    except Replayed:
        raise
    except Exception:
        log.exception("a yes naming a sign could not be read against the question asked")
        return False
    if not reply.screen.text:
        return False
    message = update.effective_message
    assert message is not None
    await _send(message, reply)
    return True


async def answer_warning(
    update: Update, context: AppContext, message: Message, typed: str, finding: Finding
) -> None:
    """Send the warning-sign answer first, then keep it; a storage failure cannot stop it.

    After "get medical help now", posture breaks, stretches and ice or heat offers wait
    until the person says they have been seen: the answer says so, with the button.
    """
    answer = context.bot_data.guide.answer(typed, finding=finding)
    await message.reply_text(
        wording.warning.urgent(answer, held=answer.urgent).html(),
        reply_markup=wording.warning.urgent(answer, held=answer.urgent).markup(),
    )
    try:
        await _run(context, update, signs.record_warning, answer)
    except Replayed:
        raise  # answered again (a warning sign always is), recorded once
    except Exception as error:
        if context.bot_data.store.failed(error) is None:  # a store that refuses: said once
            log.exception("a warning-sign answer was sent but could not be stored")
