"""Care mode for a spasm: first aid, the warning-sign question, the plan, sessions and pain."""

from __future__ import annotations

from datetime import datetime

from bot.callbacks import Do, NudgeButton, StartFlareWithPain
from bot.i18n import _
from bot.wording.common import Row, Screen, at
from bot.wording.nudges import NudgeTexts, episode_line, trend, why_a_doctor
from jobs.rules.flare import CarePlan, FlareSummary
from jobs.services.care import PainLogged, SessionStarted
from storage.models import NudgeKind, Treatment

SPASM_BUTTON = _("🆘 My back just went into spasm")

RED_FLAG_QUESTION = _(
    "One question before anything else. Do you have any of these?\n"
    "• numbness, tingling or weakness in your legs, feet, arms, groin or "
    "buttocks, or down one side\n"
    "• trouble controlling your bladder or bowels, or you can't pass urine\n"
    "• poor balance, or a foot that drags or slaps the ground\n"
    "• pain so bad you can't move or stand at all\n"
    "• a fever (my own caution; my sources don't list it)"
)
RED_FLAG_BUTTONS: list[Row] = [
    [(_("Yes, one of these"), Do.REDFLAG_YES), (_("No, none of these"), Do.REDFLAG_NO)]
]
HELD_FOR_HELP = _(
    "I've paused ice and heat offers, stretches and posture breaks until you "
    "tell me you've been seen. Water reminders and the morning pain check "
    "carry on."
)
SEEN_BUTTON = _("✅ I've been seen: resume care")

NO_FLARE = _("Okay, nothing noted. Send /flare whenever a spasm starts.")
# Under the plan: where its numbers come from, and which are BackCare's own (audit M4).
WHY_THESE_NUMBERS = _(
    "Why these numbers? My sources say ice every 1-2 hours for the first "
    "days; I take the gentler. Heat at most 3 times a day, not before sleep, "
    'is my own caution. Ask "why every two hours?" for more.'
)
# /heat in the first days of a plan that puts ice first (audit L9).
HEAT_IN_ICE_PHASE = _(
    "Your plan still puts ice first: most of my sources use ice in the first "
    "days and heat after, one swaps the two (/flare alternate on)."
)
TAKEN_OFF = _("✅ Noted, it's off. Give your skin a break before the next session.")
OLD_CHECK_IN = _("That check-in belongs to care mode that has ended, so I didn't note it.")
EXPIRED_OFFER = _(
    "That offer has expired: care mode isn't on. Send /flare if your back is in spasm."
)
EXPIRED_SESSION = _("That session isn't running any more, so there is nothing to take off.")
# The 🆘 button of /help pressed by someone the bot keeps nothing about: a button never
# makes a person, a message does.
FLARE_BY_MESSAGE = _(
    "Send /flare to start care mode: I keep nothing about you now, so a button can't."
)

# What a care button says it did, briefly, as it is pressed.
NOTED = _("Noted")
STARTED = _("Started")


def flare_started(texts: NudgeTexts) -> Screen:
    """The first reply to a spasm: what to do right now, and the red-flag question."""
    text = _(
        "I'm sorry your back has gone into spasm. I'm switching to care mode.\n"
        "\n"
        "{first_aid}\n"
        "{positions}\n"
        "{breathing}\n"
        "\n"
        "{red_flag_question}"
    ).format(
        first_aid=texts.first_aid,
        positions=texts.positions,
        breathing=texts.breathing,
        red_flag_question=RED_FLAG_QUESTION,
    )
    return Screen(text, RED_FLAG_BUTTONS)


def seeking_help(texts: NudgeTexts) -> Screen:
    """After a yes to the warning-sign question: get help now; self-care waits."""
    return Screen(f"{texts.urgent_if_yes}\n\n{HELD_FOR_HELP}", [[(SEEN_BUTTON, Do.SEEN)]])


def flare_plan(plan: CarePlan, *, zone: str | None, now: datetime) -> Screen:
    """After "no red flags": the plan for the next days, and ice now."""
    text = _(
        "Good. Here is the plan:\n"
        "• Until {when}: ice for {ice_minutes} minutes, wrapped in a towel; I'll "
        "offer it every {hours} hours while you're awake.\n"
        "• After that: heat for {heat_minutes} minutes on the lowest setting, up "
        "to {heat_per_day} times a day, never in the hour before you sleep.\n"
        "• Each morning I'll ask how your back is (or send /pain 0-10).\n"
        "• Rest first; gentle movement only, and stretch once the worst has "
        "passed.\n"
        "/better when it has eased; /flare acute 72h for longer ice; /flare "
        "alternate on to switch ice and heat.\n"
        "{why_these_numbers}"
    ).format(
        when=at(plan.acute_until, zone, now=now),
        ice_minutes=plan.ice_minutes,
        hours=plan.ice_every_minutes // 60,
        heat_minutes=plan.heat_minutes,
        heat_per_day=plan.heat_per_day,
        why_these_numbers=WHY_THESE_NUMBERS,
    )
    return Screen(text, [[(_("🧊 Start ice now"), NudgeButton(NudgeKind.CARE_OFFER, "ice"))]])


def care_resumed(plan: CarePlan, *, zone: str | None, now: datetime) -> Screen:
    """After "I've been seen": the plan again."""
    return flare_plan(plan, zone=zone, now=now).under(
        _("Thanks for letting me know. Care mode is back on.")
    )


def flare_status(plan: CarePlan, scores: list[int], *, now: datetime, zone: str | None) -> str:
    """Say where a running episode stands."""
    day = (now - plan.started_at).days + 1
    phase = (
        _("acute phase: ice, until {when}").format(when=at(plan.acute_until, zone, now=now))
        if plan.phase(now) == "acute"
        else _("after the acute phase: heat")
    )
    alternate = _(", ice and heat in turn") if plan.alternate else ""
    return _("🩹 Flare: day {day}, {phase}{alternate}. Pain: {trend}.").format(
        day=day, phase=phase, alternate=alternate, trend=trend(scores)
    )


def flare_going(status: str) -> str:
    """Answer /flare during an episode: where it stands, and the commands for it."""
    return _(
        "{status}\n"
        "/ice or /heat starts a session, /pain 0-10 logs today's pain, and "
        "/better ends care mode."
    ).format(status=status)


def flare_ended(summary: FlareSummary | None) -> str:
    """Sum up an episode that just ended."""
    if summary is None:
        return _("You're not in a flare episode. If your back goes into spasm, send /flare.")
    return f"{_how_it_went(summary.pain)} {episode_line(summary)} {CARRY_ON}"


CARRY_ON = _("Your everyday nudges carry on; take it slowly.")


def _how_it_went(pain: list[int]) -> str:
    """Open the summary in words that fit the pain trend, not a cheer for every ending."""
    if len(pain) < 2:
        return _("🌤 Care mode is off.")
    if pain[-1] < pain[0]:
        return _("🌤 Glad it's easing.")
    if pain[-1] > pain[0]:
        # 003: pain that keeps getting worse needs a doctor.
        return _("🩺 Care mode is off, but your pain has got worse: please see a doctor.")
    # 000 and 003: see a doctor when home care brings no relief.
    return _("Care mode is off. Your pain hasn't eased; if it stays, please see a doctor.")


def session_started(
    started: SessionStarted, texts: NudgeTexts, *, zone: str | None, now: datetime
) -> str:
    """Confirm a started session and when it must come off, with its safety line."""
    first, minutes = started.steps[0][0], int(started.steps[0][1].total_seconds() // 60)
    if started.treatment is Treatment.ALTERNATE:
        return _(
            "🧊 Ice first, {minutes} minutes; I'll tell you when to switch to heat "
            "and when to take it off ({when}).\n"
            "{ice_safety}"
        ).format(
            minutes=minutes, when=at(started.ends_at, zone, now=now), ice_safety=texts.ice_safety
        )
    if first is Treatment.ICE:
        return _(
            "🧊 Ice on: {minutes} minutes. I'll tell you {when} to take it off.\n{ice_safety}"
        ).format(
            minutes=minutes, when=at(started.ends_at, zone, now=now), ice_safety=texts.ice_safety
        )
    early = f"\n{HEAT_IN_ICE_PHASE}" if started.heat_in_ice_phase else ""
    return _(
        "🔥 Heat on: {minutes} minutes. I'll tell you {when} to take it off.{early}\n{heat_safety}"
    ).format(
        minutes=minutes,
        when=at(started.ends_at, zone, now=now),
        early=early,
        heat_safety=texts.heat_safety,
    )


def pain_logged(logged: PainLogged, texts: NudgeTexts) -> str:
    """Confirm a pain score with the trend: help now first for a 9 or 10, else a doctor."""
    text = _("📝 Pain {scores}/10 noted. So far: {trend}.").format(
        scores=logged.scores[-1], trend=trend(logged.scores)
    )
    if logged.urgent:
        return f"{texts.urgent_for_pain}\n\n{text}"
    if logged.see_doctor:
        reason = why_a_doctor(logged.see_doctor)
        text += _("\n\n🩺 Please see a doctor: {reason}. {see_a_doctor}").format(
            reason=reason, see_a_doctor=texts.see_a_doctor
        )
    return text


def pain_outside_flare(score: int) -> Screen:
    """Ask before a pain score starts care mode."""
    return Screen(
        _(
            "You're not in care mode. Shall I start it and note your pain as "
            "{score}/10? Care mode offers ice, then heat, on a timer, and asks about "
            "your pain each morning."
        ).format(score=score),
        [
            [
                (_("🩹 Start care mode"), StartFlareWithPain(score)),
                (_("Not now"), Do.NO_FLARE),
            ]
        ],
    )


def pain_noted_then(noted: str, started: Screen) -> Screen:
    """Confirm the pain score that started care mode, above care mode's first screen."""
    return started.under(noted)
