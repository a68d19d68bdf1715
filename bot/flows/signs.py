"""The warning-sign questions, and what follows getting help."""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

from bot import wording
from bot.flows.onboarding import onboarding_screen
from bot.flows.reply import Arrival, Reply, StaleButton, Visit
from bot.wording.answers import CHECK_QUESTION
from bot.wording.common import SILENCE, Screen
from bot.wording.nudges import NudgeTexts
from guidance import Answer, Guide
from guidance.reading import AfterUrgent, Asked, Reading, Situation
from guidance.reading.triage import Level
from jobs.rules.person import person_of
from jobs.rules.planning import zone_of
from jobs.services import care, facts, questions
from storage.models import User


def situation_of(user: User, *, now: datetime) -> Situation:
    """What the bot knows of someone when their message comes: where its reading goes on."""
    waiting = questions.waiting_answer(user, now=now)
    return Situation(
        now=now,
        zone=zone_of(user.timezone),
        glass_ml=person_of(user).water_glass_ml,
        asked=Asked(waiting) if waiting is not None else None,
        told_to_get_help=user.held_for_help_since is not None,
    )


async def ask_signs_if_due(visit: Visit, reading: Reading, guide: Guide) -> Reply:
    """Ask the warning-sign question about an unsure message, unless it was asked within
    the hour about the same, or the message answers the bot's own question (silence then:
    the message is read on as calm)."""
    user, now = visit.user, visit.now
    about = reading.finding.unsure
    finished = guide.reader.finish(reading, situation_of(user, now=now))
    if finished.said is not None or not questions.may_check(
        user.checked_at, user.checked_about, about, now=now
    ):
        return Reply(SILENCE)
    return await ask_signs(visit, reading.text, about)


async def ask_signs(visit: Visit, text: str, about: frozenset[str]) -> Reply:
    """Ask the warning-sign question, in a few words with buttons, when triage is unsure."""
    user, now = visit.user, visit.now
    questions.set_asked(user, Asked.CHECK_SIGNS, now=now, text=text)
    questions.note_check(user, about, now=now)
    asked = Answer(text, CHECK_QUESTION, (), Level.CHECK, True, None)
    await questions.record(visit.session, user, asked, now=now)
    screen = wording.warning.check()
    if visit.arrival is Arrival.NEW:
        return Reply(screen, then=(Screen(wording.common.WELCOME), onboarding_screen(user)))
    return Reply(screen)


async def flare_signs(visit: Visit, texts: NudgeTexts, *, present: bool) -> Reply:
    """The warning-sign question of care mode answered: help first, or the plan."""
    session, user, now = visit.session, visit.user, visit.now
    questions.set_asked(user, None, now=now)
    episode = await care.answer_red_flags(session, user, present=present, now=now)
    if present:
        care.hold_for_help(user, now=now)
        return Reply(wording.flare.seeking_help(texts))
    plan = facts.plan_of(episode)
    return Reply(wording.flare.flare_plan(plan, zone=user.timezone, now=now))


def signs_yes(visit: Visit, texts: NudgeTexts) -> Reply:
    """Yes to the unsure warning-sign question: get help now, and hold self-care until seen."""
    questions.set_asked(visit.user, None, now=visit.now)
    care.hold_for_help(visit.user, now=visit.now)
    return Reply(wording.warning.yes(texts.urgent_if_yes))


async def yes_naming_a_sign(visit: Visit, texts: NudgeTexts) -> Reply:
    """A yes to the warning-sign question that names a see-a-doctor sign ("yes, the
    tingling in my leg") acts as the Yes button does: the question lists that sign among
    those to get help for now, and a typed answer acts as its button. Silence when no such
    question waits: then the see-a-doctor answer stands."""
    match questions.waiting_answer(visit.user, now=visit.now):
        case Asked.CHECK_SIGNS:
            return signs_yes(visit, texts)
        case Asked.FLARE_SIGNS:
            return await flare_signs(visit, texts, present=True)
        case _:
            return Reply(SILENCE)


async def after_urgent(visit: Visit, said: AfterUrgent) -> Reply:
    """What follows "get help now": the advice again, good luck, or care back on."""
    match said:
        case AfterUrgent.WORRY:
            return Reply(wording.warning.worry())
        case AfterUrgent.GOING:
            return Reply(wording.warning.going())
        case AfterUrgent.SEEN:
            return await been_seen(visit)
        case _:
            assert_never(said)


async def been_seen(visit: Visit, *, tapped: bool = False) -> Reply:
    """They have been seen: self-care held for help resumes (and care mode's plan, if on).

    The button of a hold already released is stale; said in words, it gets a plain answer.
    """
    user, now = visit.user, visit.now
    seen = await care.seen(visit.session, user, now=now)
    if tapped and not seen.released:
        raise StaleButton(wording.common.EXPIRED_BUTTON)
    if seen.episode is not None and seen.released:
        plan = facts.plan_of(seen.episode)
        return Reply(wording.flare.care_resumed(plan, zone=user.timezone, now=now))
    return Reply(Screen(wording.warning.SEEN if seen.released else wording.warning.NOTHING_HELD))


async def record_warning(visit: Visit, answer: Answer) -> Reply:
    """Keep a warning-sign message and its answer, which was sent already; after "get help
    now", hold self-care until they say they have been seen."""
    await questions.record(visit.session, visit.user, answer, now=visit.now)
    if answer.urgent:
        care.hold_for_help(visit.user, now=visit.now)
        questions.set_asked(visit.user, None, now=visit.now)
    return Reply(SILENCE)
