"""The composer's messages: summaries, alarms, and why."""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

from jobs.composer.choices import NudgeChoices
from jobs.composer.decisions import Decision, Due, RunningSession, Verdict
from jobs.composer.nudge import (
    NudgeMessage,
    WeekPhase,
    ignored_in_a_row,
)
from jobs.rules import flare, planning, rules
from jobs.rules.person import Person
from jobs.rules.planning import Facts
from storage.kinds import NudgeKind, Treatment


def _ignored_today(person: Person, known: Facts, kind: NudgeKind, now: datetime) -> int:
    """Count the nudges of a kind left unanswered in a row since this waking day began."""
    period = next(rules.waking_periods(planning.rhythm(person), now), None)
    since = period[0] if period is not None and period[0] <= now else None
    return ignored_in_a_row(known.open_nudges, kind, since=since)


def _weekly_summary(
    person: Person, known: Facts, row: Due, *, now: datetime, choices: NudgeChoices
) -> Decision:
    """Send the week's chart and lines; a week with nothing logged sends nothing."""
    following = planning.next_after_sending(person, row.kind, known, now=max(now, row.due_at))
    if known.week is None or known.week.empty:
        return Decision(row.row_id, row.kind, Verdict.HOLD, following)
    message = choices.weekly_summary(
        known.week,
        water=person.water,
        posture=person.posture,
        stretch=person.stretch,
        phase=_week_phase(known, now),
        doctor_reason=_doctor_reason(known, now),
    )
    return Decision(row.row_id, row.kind, Verdict.SEND, following, message)


def _week_phase(known: Facts, now: datetime) -> WeekPhase:
    """Say where someone stands for the weekly summary's one thing to try."""
    if known.seeking_help:
        return WeekPhase.SEEKING_HELP
    if known.plan is not None and flare.resting(known.plan, now):
        return WeekPhase.RESTING
    if _doctor_reason(known, now) is not None:
        return WeekPhase.DOCTOR
    return WeekPhase.ORDINARY


def _doctor_reason(known: Facts, now: datetime) -> str | None:
    """Return why the open episode needs a doctor, if there is one and it does."""
    if known.plan is None:
        return None
    return flare.doctor_reason(known.plan, known.checkins, now)


def _summary(plan: flare.CarePlan, known: Facts, now: datetime) -> flare.FlareSummary:
    """Sum up an episode from what the composer knows of it."""
    ice, heat, both = known.session_counts
    pain = [score for _, score in known.checkins]
    return flare.FlareSummary((now - plan.started_at).days + 1, ice, heat, both, pain)


def _not_moving_until(plan: flare.CarePlan, known: Facts, now: datetime) -> datetime | None:
    """Return until when nothing may ask someone in a flare to move (None: it may now).

    Rest comes first (the episode's first day), and nobody is asked to get up with ice or
    heat on the back; the nudge comes back when that is over, or as soon after as it can.
    """
    if flare.resting(plan, now):
        return plan.started_at + flare.REST_FIRST
    if flare.on_skin(plan, known.session, now):
        assert known.session is not None  # on_skin says there is one
        return flare.session_ends(plan, known.session)
    return None


def _message(
    person: Person, known: Facts, row: Due, *, now: datetime, choices: NudgeChoices
) -> tuple[NudgeMessage | None, str | None]:
    """Write the nudge a due row stands for (None: nothing fits now), and any doctor reason."""
    gentle = known.in_acute_flare(now)
    # Stretches stay gentle for the whole episode, until the check-ins say it has eased.
    stretch_gently = flare.stretch_set(known.plan, known.checkins, now) != "full"
    match row.kind:
        case NudgeKind.WATER:
            goal = person.glasses_per_day
            glasses = planning.glasses(person, known)
            message = choices.water(glasses=glasses, goal=goal, due_at=row.due_at, zone=person.tz)
            return message, None
        case NudgeKind.POSTURE:
            if gentle:
                return choices.gentle_posture(), None
            return choices.posture(due_at=row.due_at, zone=person.tz), None
        case NudgeKind.STRETCH:
            if stretch_gently:
                return choices.gentle_stretch(), None
            return choices.stretch(due_at=row.due_at, zone=person.tz), None
        case NudgeKind.CARE_OFFER:
            assert known.plan is not None  # checked by the caller
            treatment = known.plan.offered(now)
            if treatment is not Treatment.ICE and not flare.heat_allowed(
                planning.rhythm(person), now
            ):
                # Never offer heat it would refuse: in the hour before sleep, ice or nothing.
                if treatment is Treatment.HEAT:
                    return None, None
                treatment = Treatment.ICE
            return choices.care_offer(known.plan, treatment), None
        case NudgeKind.PAIN_CHECK:
            assert known.plan is not None  # checked by the caller
            # The two-week rule needs no new score: the morning check-in carries it.
            reason = flare.doctor_advice(known.plan, known.checkins, known.doctor_advised_at, now)
            better = flare.ask_if_better(known.plan, now)
            return choices.pain_check(see_doctor=reason, ask_if_better=better), reason
        case NudgeKind.SESSION_END:
            raise ValueError("a session's timer is written by _session_alarm")
        case NudgeKind.WEEKLY_SUMMARY:
            raise ValueError("the weekly summary is written by _weekly_summary")
        case _:
            assert_never(row.kind)


def _session_alarm(known: Facts, row: Due, *, now: datetime, choices: NudgeChoices) -> Decision:
    """Ring a session's timer: switch, take it off, or ask whether the pad is off."""
    if row.session is None:
        return Decision(row.row_id, row.kind, Verdict.END)
    running = row.session.state
    plan = known.plan or flare.CarePlan(started_at=running.started_at)
    alarm = flare.ring(plan, running, now)
    if alarm is None:
        return Decision(row.row_id, row.kind, Verdict.END)
    message = choices.session_alarm(alarm, plan, row.session.id)
    rang = RunningSession(row.session.id, alarm.session)
    return Decision(row.row_id, row.kind, Verdict.SEND, alarm.next_due, message, rang)
