"""The buttons under a nudge, and the words that press them."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import timedelta
from typing import assert_never

from bot import wording
from bot.callbacks import (
    Callback,
    NudgeAction,
    NudgeButton,
)
from bot.flows.reply import NudgeEdit, Reply, Shown, StaleButton, Visit
from bot.wording.common import Screen
from bot.wording.nudges import NudgeTexts
from guidance.reading.intents.reader import Act
from jobs.composer.nudge import NudgeMessage, OpenNudge, session_of
from jobs.services import care, schedule
from storage.models import NudgeKind, Treatment
from storage.repositories import first_press


async def nudge_pressed(
    visit: Visit,
    button: NudgeButton,
    texts: NudgeTexts,
    *,
    message_id: int,
    delay: timedelta | None = None,
) -> Reply:
    """Carry out a button on a nudge: log, start or take off, snooze, or skip.

    A nudge message's buttons act once, however often (or however fast) they are pressed.
    The nudge keeps its text and says below it what happened.
    """
    session, user, now = visit.session, visit.user, visit.now
    if not await first_press(session, user.id, message_id, kind=button.kind.value, now=now):
        raise StaleButton(wording.common.ALREADY_NOTED)
    kind, zone = button.kind, user.timezone
    asks = button.asks
    # A log can be taken back for ten minutes (`jobs.services.undo`): its reply offers Undo.
    undo: list[list[tuple[str, Callback]]] = (
        [[wording.today.UNDO_BUTTON]] if asks in _UNDOABLE else []
    )
    match asks:
        case NudgeAction.NOTE_PAIN:
            logged = await care.log_pain(session, user, int(button.action), now=now)
            if logged is None:
                raise StaleButton(wording.flare.OLD_CHECK_IN)
            text, notice = wording.flare.pain_logged(logged, texts), wording.flare.NOTED
        case NudgeAction.REST:
            due = await schedule.rest_today(session, user, kind, now=now)
            text, notice = wording.today.rested(due, zone=zone, now=now), wording.today.PAUSED
        case NudgeAction.BETTER:
            ended = await care.end_flare(session, user, now=now)
            if ended is None:
                raise StaleButton(wording.flare.OLD_CHECK_IN)
            text, notice = wording.flare.flare_ended(ended), wording.flare.NOTED
        case NudgeAction.TAKE_OFF:
            off = await care.take_off(session, user, now=now, session_id=session_of(button.action))
            if off is None:  # not a session of theirs
                raise StaleButton(wording.flare.EXPIRED_SESSION)
            text, notice = wording.flare.TAKEN_OFF, wording.flare.NOTED
        case NudgeAction.START:
            if await care.open_flare(session, user) is None:
                raise StaleButton(wording.flare.EXPIRED_OFFER)
            started = await care.start_session(session, user, Treatment(button.action), now=now)
            text = wording.flare.session_started(started, texts, zone=zone, now=now)
            notice = wording.flare.STARTED
        case NudgeAction.DRINK:
            try:
                water = await schedule.log_water(session, user, now=now)
            except schedule.NeedsConfirmation:
                raise StaleButton(wording.today.TOO_MUCH_WATER_ON_A_NUDGE) from None
            text, notice = (
                wording.today.water_logged(water, zone=zone, now=now),
                wording.today.GLASS_ADDED,
            )
        case NudgeAction.DONE:
            due = await schedule.log_done(session, user, kind, now=now)
            text, notice = wording.today.done(kind, due, zone=zone, now=now), wording.today.LOGGED
        case NudgeAction.SNOOZE:
            due = await schedule.snooze(session, user, kind, now=now, delay=delay)
            text, notice = wording.today.snoozed(due, zone=zone, now=now), wording.today.SNOOZED
        case NudgeAction.SKIP:
            due = await schedule.skip(session, user, kind, now=now)
            text, notice = wording.today.skipped(due, zone=zone, now=now), wording.today.SKIPPED
        case _:
            assert_never(asks)
    return Reply(Screen(text, undo), notice, shown=Shown.APPENDED)


# What a press logs that /undo can take back: a glass, a break or the stretch, a pain score,
# a session started ("it's off", a snooze, a skip or a rest are not logs).
_UNDOABLE = frozenset(
    {NudgeAction.DRINK, NudgeAction.DONE, NudgeAction.NOTE_PAIN, NudgeAction.START}
)


async def press_for_words(
    visit: Visit,
    waiting: OpenNudge,
    buttons: Sequence[NudgeButton],
    texts: NudgeTexts,
    *,
    delay: timedelta | None = None,
) -> Reply | None:
    """Press buttons of a waiting message for someone's words, as their taps would; the
    message then loses the buttons of the parts answered. None if none could be pressed."""
    said: list[str] = []
    answered: set[NudgeKind] = set()
    for button in buttons:
        try:
            done = await nudge_pressed(
                visit, button, texts, message_id=waiting.message_id, delay=delay
            )
        except StaleButton:
            continue
        said.append(done.screen.text)
        answered.add(button.kind)
    if not said:
        return None
    keep = _without_buttons(waiting, answered)
    left = [part.kind for part in keep.parts if part.buttons]
    if left:  # a message of several parts: say which still wait
        said.append(wording.talk.still_waiting(left))
    logged = any(button.asks in _UNDOABLE for button in buttons)
    screen = Screen("\n".join(said), [[wording.today.UNDO_BUTTON]] if logged else [])
    return Reply(screen, edit=NudgeEdit(waiting.message_id, keep))


# What "done", "later" and "skip" press on each part, by the actions its buttons offer.
_WORDS_FOR = {
    Act.DONE: ("drink", "done"),
    Act.SNOOZE: ("snooze",),
    Act.SKIP: ("skip",),
}


def _action_for(waiting: OpenNudge, part: NudgeMessage, act: Act) -> str | None:
    """Return the action of a waiting part's button that a word means, if it has one."""
    if not waiting.waits_on(part.kind):
        return None
    for action in part.buttons:
        if action.partition(".")[0] in _WORDS_FOR.get(act, ()):
            return action
    return None


def _without_buttons(waiting: OpenNudge, answered: set[NudgeKind]) -> NudgeMessage:
    """Return a nudge message as it shows now: only parts still waiting keep their buttons."""
    parts = [
        part
        if waiting.waits_on(part.kind) and part.kind not in answered
        else dataclasses.replace(part, buttons=())
        for part in waiting.message.parts
    ]
    return NudgeMessage.of_parts(parts)
