"""Flares, sessions, pain scores, and glasses of water."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot import wording
from bot.flows.onboarding import _set_up_first
from bot.flows.reply import Reply, Visit
from bot.wording.common import Screen
from bot.wording.nudges import NudgeTexts
from guidance.reading import Asked
from guidance.reading.intents.reader import Drink
from jobs.rules.person import person_of
from jobs.services import care, facts, questions, schedule
from storage.models import Treatment

# First aid is said once in this long; within it, someone in distress is told it briefly.
FIRST_AID_EVERY = timedelta(hours=6)


async def start_flare(visit: Visit, texts: NudgeTexts) -> Reply:
    """Start an episode (first aid and the red-flag question), or say where it stands."""
    session, user, now = visit.session, visit.user, visit.now
    episode, new = await care.start_flare(session, user, now=now)
    if new:
        questions.set_asked(user, Asked.FLARE_SIGNS, now=now)
        user.first_aid_at = now
        return Reply(wording.flare.flare_started(texts))
    scores = await care.pain_scores(session, episode)
    status = wording.flare.flare_status(
        facts.plan_of(episode), scores, now=now, zone=user.timezone
    )
    return Reply(Screen(wording.flare.flare_going(status)))


async def start_flare_with_pain(visit: Visit, score: int, texts: NudgeTexts) -> Reply:
    """Start care mode from `/pain` outside it: note the score, then first aid and the question.

    A 9 or 10 got its urgent advice with the `/pain` command already.
    """
    started = await start_flare(visit, texts)
    logged = await care.log_pain(visit.session, visit.user, score, now=visit.now, start=True)
    assert logged is not None  # care mode was just started
    noted = wording.flare.pain_logged(replace(logged, urgent=False), texts)
    return Reply(wording.flare.pain_noted_then(noted, started.screen))


async def in_distress(visit: Visit, texts: NudgeTexts) -> Reply:
    """Answer someone in pain now: first aid (briefly if said within six hours), and where
    care mode stands if it is on."""
    user, now = visit.user, visit.now
    again = user.first_aid_at is not None and now - user.first_aid_at < FIRST_AID_EVERY
    episode = await care.open_flare(visit.session, user)
    if episode is None:
        if again:
            return Reply(wording.talk.DISTRESS_AGAIN)
        user.first_aid_at = now
        return Reply(wording.talk.distress(texts))
    scores = await care.pain_scores(visit.session, episode)
    status = wording.flare.flare_status(
        facts.plan_of(episode), scores, now=now, zone=user.timezone
    )
    if not again:
        user.first_aid_at = now
    return Reply(wording.talk.distress_in_care(texts, status, first_aid=not again))


async def flare(visit: Visit, option: tuple[str, int | bool] | None, texts: NudgeTexts) -> Reply:
    """Start care mode for a spasm, or change its plan (`/flare acute 72h`)."""
    if option is None:
        return await start_flare(visit, texts)
    session, user, now = visit.session, visit.user, visit.now
    episode = await care.set_flare_option(session, user, *option, now=now)
    scores = await care.pain_scores(session, episode)
    plan = facts.plan_of(episode)
    return Reply(Screen(wording.flare.flare_status(plan, scores, now=now, zone=user.timezone)))


async def better(visit: Visit) -> Reply:
    """End care mode with a summary of the episode."""
    summary = await care.end_flare(visit.session, visit.user, now=visit.now)
    return Reply(Screen(wording.flare.flare_ended(summary)))


async def start_session(visit: Visit, treatment: Treatment, texts: NudgeTexts) -> Reply:
    """Start an ice or heat session now, timed in the database."""
    started = await care.start_session(visit.session, visit.user, treatment, now=visit.now)
    said = wording.flare.session_started(started, texts, zone=visit.user.timezone, now=visit.now)
    return Reply(Screen(said))


async def pain(visit: Visit, score: int, texts: NudgeTexts) -> Reply:
    """Log today's pain; outside care mode, ask to start it first.

    A 9 or 10 got its urgent advice before this ran.
    """
    logged = await care.log_pain(visit.session, visit.user, score, now=visit.now)
    if logged is None:
        return Reply(wording.flare.pain_outside_flare(score))
    return Reply(Screen(wording.flare.pain_logged(replace(logged, urgent=False), texts)))


async def drank(visit: Visit, amount: int | Drink) -> Reply:
    """Log a drink (millilitres, or glasses of their size), asking first if it takes the
    day far past any sensible amount."""
    user = visit.user
    ml = amount.ml(person_of(user).water_glass_ml) if isinstance(amount, Drink) else amount
    set_up_first = _set_up_first(user)
    if set_up_first is not None:
        return Reply(set_up_first)
    try:
        logged = await schedule.log_water(visit.session, user, ml=ml, now=visit.now)
    except schedule.NeedsConfirmation as asked:
        return Reply(wording.today.confirm_drink(asked.ml, asked.total_ml))
    said = wording.today.water_logged(logged, zone=user.timezone, now=visit.now)
    return Reply(Screen(said, [[wording.today.UNDO_BUTTON]]))


async def cancel(visit: Visit) -> Reply:
    """Stop waiting for a typed setting; with nothing to cancel, say how to stop the nudges.

    Setting up is not cancelled: its step stays open, and /start shows it again.
    """
    user = visit.user
    if user.awaiting is not None and user.onboarding_step is None:
        user.awaiting = None
        return Reply(Screen(wording.help.CANCELLED))
    return Reply(wording.help.stop())
