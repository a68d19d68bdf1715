"""The day's nudge budget: whether one more nudge fits."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import assert_never

from jobs.composer.decisions import ALONE, PRIORITY
from jobs.rules import flare, planning, rules
from jobs.rules.person import Person
from jobs.rules.planning import Facts
from storage.kinds import NudgeKind


@dataclass(frozen=True, slots=True)
class Budget:
    """At most this many messages in a waking day; timers (and warning-sign answers, which
    are replies, not nudges) do not count."""

    ordinary: int = 16
    flare_day: int = 12

    def of(self, known: Facts) -> int:
        """Return the day's budget: smaller during a flare, when rest matters more."""
        return self.flare_day if known.plan is not None else self.ordinary


def _fits(person: Person, known: Facts, kind: NudgeKind, now: datetime, limit: int) -> bool:
    """Tell whether a nudge fits the day's budget, keeping room for what ranks above it."""
    if kind in planning.TIME_CRITICAL or kind in ALONE:
        return True
    if known.sent_today >= limit:
        return False
    above = PRIORITY[: PRIORITY.index(kind)]
    # Most of the day a rough ceiling shows there is room, without the time arithmetic.
    if known.sent_today + 1 + sum(_at_most(person, known, other) for other in above) <= limit:
        return True
    # What is left of the waking day is worked out once, for every kind above this one.
    day = planning.rhythm(person)
    start, end = next(rules.waking_periods(day, now))
    left = _Day(day, start, end, max(end - max(start, now), timedelta()))
    kept = 0
    for other in above:
        kept += _still_to_come(person, known, other, now, left)
        if known.sent_today + 1 + kept > limit:
            return False  # already over: the kinds further down cannot bring it back
    return True


def _at_most(person: Person, known: Facts, kind: NudgeKind) -> int:
    """Return a ceiling on how many more nudges of a kind a day can hold (no time maths)."""
    plan = known.plan
    match kind:
        case NudgeKind.SESSION_END:
            return 0
        case NudgeKind.CARE_OFFER:
            if plan is None:
                return 0
            return max(24 * 60 // plan.ice_every_minutes, plan.heat_per_day)
        case NudgeKind.PAIN_CHECK:
            return int(plan is not None)
        case NudgeKind.WATER:
            glasses = planning.glasses(person, known)
            return max(person.glasses_per_day - glasses, 0) if person.water else 0
        case NudgeKind.POSTURE:
            return person.work.minutes // person.posture_every_minutes if person.posture else 0
        case NudgeKind.STRETCH:
            return int(person.stretch and not known.stretch_done_today)
        case NudgeKind.WEEKLY_SUMMARY:
            return 0  # outside the budget
        case _:
            assert_never(kind)


@dataclass(frozen=True, slots=True)
class _Day:
    """The waking day a budget is counted in: its rhythm, start, end, and what is left."""

    rhythm: rules.Rhythm
    start: datetime
    end: datetime
    left: timedelta


def _still_to_come(
    person: Person, known: Facts, kind: NudgeKind, now: datetime, today: _Day
) -> int:
    """Estimate how many more nudges of a kind today holds, after now (a rough count)."""
    day, start, end, left = today.rhythm, today.start, today.end, today.left
    plan = known.plan
    match kind:
        case NudgeKind.SESSION_END:
            return 0  # timers do not count against the budget
        case NudgeKind.CARE_OFFER:
            if plan is None:
                return 0
            if plan.phase(now) == "acute":
                return left // timedelta(minutes=plan.ice_every_minutes)
            return min(plan.heat_per_day, left // ((end - start) / plan.heat_per_day))
        case NudgeKind.PAIN_CHECK:
            checked = known.last_pain_check_at is not None and known.last_pain_check_at >= start
            early = now < start + flare.PAIN_CHECK_AFTER_WAKE + planning.GRACE[kind]
            return int(plan is not None and not checked and early)
        case NudgeKind.WATER:
            if not person.water:
                return 0
            # The water rule spreads what is left of the goal over what is left of the day,
            # about one glass per slot; rounding up keeps room rather than overspending.
            glasses_left = max(person.glasses_per_day - planning.glasses(person, known), 0)
            slot = (end - start) / person.glasses_per_day
            return min(glasses_left, math.ceil(left / slot))
        case NudgeKind.POSTURE:
            if not person.posture:
                return 0
            work = sum(
                (
                    min(stop, end) - max(begin, now)
                    for begin, stop in itertools.takewhile(
                        lambda span: span[0] < end, rules.work_sessions(day, now)
                    )
                    if min(stop, end) > max(begin, now)
                ),
                timedelta(),
            )
            return work // timedelta(minutes=person.posture_every_minutes)
        case NudgeKind.STRETCH:
            return int(person.stretch and not known.stretch_done_today)
        case NudgeKind.WEEKLY_SUMMARY:
            return 0  # outside the budget
        case _:
            assert_never(kind)
