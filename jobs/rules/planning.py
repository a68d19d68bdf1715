"""From a person's stored settings and log to the next due time of each nudge.

It builds the rules' inputs (`Rhythm`, `Facts`) from a `Person` and their log, and picks
the rule per kind. Each kind spreads its slots by its own stable per-user
offset, up to its own interval, so that a large user base sharing the same hours does
not come due in the same second (see `OFFSET_SPREAD`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from jobs.composer.nudge import OpenNudge
from jobs.rules import flare, rules
from jobs.rules.person import Person
from jobs.rules.progress import Progress
from storage.kinds import EventKind, NudgeKind

# The everyday nudges someone switches on and off; the rest come with a flare.
DAILY_KINDS = (NudgeKind.WATER, NudgeKind.POSTURE, NudgeKind.STRETCH)
STRETCH_SPREAD_SECONDS = 600
SNOOZE = {
    NudgeKind.WATER: timedelta(minutes=30),
    NudgeKind.POSTURE: timedelta(minutes=10),
    NudgeKind.STRETCH: timedelta(minutes=30),
    NudgeKind.CARE_OFFER: timedelta(minutes=30),
    NudgeKind.PAIN_CHECK: timedelta(hours=1),
}
# How late a nudge may still go out; a later one is skipped to its next slot.
GRACE = {
    NudgeKind.WATER: timedelta(minutes=30),
    NudgeKind.POSTURE: timedelta(minutes=5),
    NudgeKind.STRETCH: timedelta(hours=1),
    NudgeKind.CARE_OFFER: timedelta(minutes=30),
    NudgeKind.SESSION_END: flare.SESSION_END_GRACE,
    NudgeKind.PAIN_CHECK: timedelta(hours=2),
    NudgeKind.WEEKLY_SUMMARY: timedelta(hours=2),
}
# Kinds that ring even at night and in a pause: the person just started the session.
TIME_CRITICAL = frozenset({NudgeKind.SESSION_END})
# What waits while someone who said yes to a warning sign gets help: nothing that asks them
# to treat the back themselves or to move.
HELD_WHILE_SEEKING_HELP = frozenset({NudgeKind.CARE_OFFER, NudgeKind.STRETCH, NudgeKind.POSTURE})
# After a nudge goes out, the next of its kind comes at least this much later, even when
# it was late or snoozed and its regular slot is close behind.
MIN_GAP = {
    NudgeKind.WATER: timedelta(minutes=20),
    NudgeKind.POSTURE: timedelta(minutes=20),
    NudgeKind.STRETCH: timedelta(hours=1),
    NudgeKind.CARE_OFFER: timedelta(minutes=30),
    NudgeKind.SESSION_END: timedelta(0),
    NudgeKind.PAIN_CHECK: timedelta(hours=1),
    NudgeKind.WEEKLY_SUMMARY: timedelta(days=1),
}
# Events older than this cannot matter to the next nudge (a waking period is under a day).
HISTORY = timedelta(hours=36)


@dataclass(frozen=True, slots=True)
class Facts:
    """What someone has logged that the rules need: today's water, last break, stretch."""

    drunk_ml_today: int = 0
    last_drink_at: datetime | None = None
    last_break_at: datetime | None = None
    stretch_done_today: bool = False
    # During a flare: its care plan, the last ice or heat session, the last pain check-in.
    plan: flare.CarePlan | None = None
    last_session_at: datetime | None = None
    last_pain_check_at: datetime | None = None
    # They said yes to a warning sign, or were told to get help now, and have not yet said
    # they were seen.
    seeking_help: bool = False
    # The flare's pain check-ins (oldest first) and when a doctor was last advised.
    checkins: tuple[tuple[datetime, int], ...] = ()
    doctor_advised_at: datetime | None = None
    # The episode's latest ice or heat session.
    session: flare.Session | None = None
    # Messages sent since this waking day began that count against the daily budget.
    sent_today: int = 0
    # The episode's sessions so far: ice, heat, and ice-and-heat.
    session_counts: tuple[int, int, int] = (0, 0, 0)
    # Messages sent in the last day and a half, oldest first, with what was answered.
    open_nudges: tuple[OpenNudge, ...] = ()
    # The last seven days, loaded only when the weekly summary is due.
    week: Progress | None = None

    def in_acute_flare(self, now: datetime) -> bool:
        """Tell whether someone is in the acute phase of a flare now."""
        return self.plan is not None and self.plan.phase(now) == "acute"


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """One logged event, as the planner reads it."""

    kind: EventKind
    at: datetime
    amount_ml: int | None


def zone_of(name: str | None) -> ZoneInfo:
    """Return a zone by name (UTC until someone chooses one)."""
    return ZoneInfo(name or "UTC")


def water_prefs(person: Person) -> rules.WaterPrefs:
    """Return someone's water goal in the rules' terms."""
    return rules.WaterPrefs(goal_ml=person.water_goal_ml, glass_ml=person.water_glass_ml)


def rhythm(user: Person, kind: NudgeKind | None = None) -> rules.Rhythm:
    """Return someone's day in the rules' terms, with the offset of the given kind."""
    offset = 0
    if kind is NudgeKind.POSTURE:
        offset = rules.stable_offset(user.id, user.posture_every_minutes * 60)
    elif kind is NudgeKind.WATER:
        interval = user.waking.minutes * 60 // user.glasses_per_day
        offset = rules.stable_offset(user.id, max(interval, 60))
    elif kind is NudgeKind.STRETCH:
        offset = rules.stable_offset(user.id, STRETCH_SPREAD_SECONDS)
    return rules.Rhythm(
        zone=user.tz,
        waking=user.waking,
        work=user.work,
        work_days=user.work_days,
        paused_until=user.paused_until,
        offset_seconds=offset,
    )


def facts(
    user: Person,
    events: Iterable[LoggedEvent],
    *,
    now: datetime,
    care: Facts | None = None,
    sent: Iterable[tuple[datetime, NudgeKind]] = (),
    opened: Iterable[OpenNudge] = (),
) -> Facts:
    """Sum up someone's recent events and messages as of now (with their flare, if any)."""
    period_start = rules.waking_period_start(rhythm(user), now)
    drunk, last_drink, last_break, stretched = 0, None, None, False
    for event in events:
        if event.at > now:
            continue
        if event.kind is EventKind.WATER:
            if event.at >= period_start:
                drunk += event.amount_ml or 0
            last_drink = event.at if last_drink is None else max(last_drink, event.at)
        elif event.kind is EventKind.POSTURE_BREAK:
            last_break = event.at if last_break is None else max(last_break, event.at)
        elif event.kind is EventKind.STRETCH and event.at >= period_start:
            stretched = True
    counted = sum(
        1 for at, kind in sent if period_start <= at <= now and kind not in TIME_CRITICAL
    )
    known = care or Facts()
    return dataclasses.replace(
        known,
        seeking_help=known.seeking_help or user.held_for_help,
        drunk_ml_today=drunk,
        last_drink_at=last_drink,
        last_break_at=last_break,
        stretch_done_today=stretched,
        sent_today=counted,
        open_nudges=tuple(opened),
    )


def glasses(user: Person, known: Facts) -> int:
    """Return how many whole glasses someone has drunk today."""
    return known.drunk_ml_today // user.water_glass_ml


def next_due(user: Person, kind: NudgeKind, known: Facts, *, now: datetime) -> datetime | None:
    """Return when this kind of nudge is next due for someone, or None if never."""
    if kind in FLARE_KINDS:
        return _next_care(user, kind, known, now=now)
    if not user.schedulable or not user.enabled(kind):
        return None
    day = rhythm(user, kind)
    if kind is NudgeKind.WEEKLY_SUMMARY:
        return rules.next_weekly(day, user.summary_day, user.summary_time, now)
    if kind is NudgeKind.WATER:
        return rules.next_water_nudge(
            day, water_prefs(user), glasses(user, known), known.last_drink_at, now
        )
    if kind is NudgeKind.POSTURE:
        return rules.next_posture_break(day, user.posture_every_minutes, known.last_break_at, now)
    return rules.next_stretch(day, user.stretch_time, known.stretch_done_today, now)


FLARE_KINDS = frozenset({NudgeKind.CARE_OFFER, NudgeKind.SESSION_END, NudgeKind.PAIN_CHECK})


def _next_care(user: Person, kind: NudgeKind, known: Facts, *, now: datetime) -> datetime | None:
    # Session ends are timers set when a session starts (see jobs.services.care), not planned here.
    if known.plan is None or not user.schedulable or kind is NudgeKind.SESSION_END:
        return None
    day = rhythm(user, NudgeKind.STRETCH)
    if kind is NudgeKind.CARE_OFFER:
        return flare.next_offer(day, known.plan, known.last_session_at, now)
    return flare.next_pain_check(day, known.plan, known.last_pain_check_at, now)


def next_after_sending(
    user: Person, kind: NudgeKind, known: Facts, *, now: datetime
) -> datetime | None:
    """Return when the next nudge of a kind is due, once one was sent now."""
    return next_due(user, kind, known, now=now + MIN_GAP[kind])


def snoozed_until(
    user: Person, kind: NudgeKind, *, now: datetime, delay: timedelta | None = None
) -> datetime | None:
    """Return when a snoozed nudge comes back (after its usual snooze, or `delay`): never at
    night or in a pause, and a posture break only within work hours (else the next one)."""
    day = rhythm(user, kind)
    back = rules.next_valid_slot(day, now + (SNOOZE[kind] if delay is None else delay))
    if kind is NudgeKind.POSTURE and not rules.in_work_session(day, back):
        return rules.next_posture_break(day, user.posture_every_minutes, None, back)
    return back


def is_stale(kind: NudgeKind, due_at: datetime, now: datetime) -> bool:
    """Tell whether a nudge is too late to send."""
    return now - due_at > GRACE[kind]
