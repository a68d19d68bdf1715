"""The composer: what one person is sent now, and when each of their streams is next due.

One pure function, `compose`, of (the person, what they logged and their open flare, the
rows of theirs that came due, now). Every decision that spans streams lives here and
nowhere else: what is held at night, in a pause or while they get help for a warning
sign, what is softened during the acute phase of a flare, what waits because one message
already goes to them now. The outbox carries out its verdicts and knows none of this.
"""

from __future__ import annotations

import dataclasses
import enum
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import assert_never

from jobs.pure import flare, planning, rules
from jobs.pure.nudges import (
    IGNORED_IN_A_ROW,
    Edit,
    NudgeMessage,
    NudgeTexts,
    OpenNudge,
    WeekPhase,
    ignored_in_a_row,
    offering_rest,
    retire,
)
from jobs.pure.person import Person
from jobs.pure.planning import Facts
from storage.kinds import NudgeKind, Treatment

# Nudges due this close together go out as one message.
MERGE_WINDOW = timedelta(minutes=15)
# A kind left unanswered again and again comes at most this often (BackCare's own rule);
# an ice or heat offer, already every two hours, at most every four.
SLOWER_GAP = timedelta(hours=2)
SLOWER_OFFERS = timedelta(hours=4)
SLOWS_DOWN = frozenset({NudgeKind.WATER, NudgeKind.POSTURE, NudgeKind.CARE_OFFER})
# Nudges that ask someone to get up and move.
MOVING = frozenset({NudgeKind.POSTURE, NudgeKind.STRETCH})
# When the day's budget is short, what goes first: the earlier, the more it matters.
PRIORITY = (
    NudgeKind.SESSION_END,
    NudgeKind.CARE_OFFER,
    NudgeKind.PAIN_CHECK,
    NudgeKind.WATER,
    NudgeKind.POSTURE,
    NudgeKind.STRETCH,
    NudgeKind.WEEKLY_SUMMARY,
)
# Goes out as a message of its own (a picture with a caption), never merged; once a week,
# so outside the daily budget (BackCare's own rule). When another message goes out to the
# person now, it waits this long and comes alone.
ALONE = frozenset({NudgeKind.WEEKLY_SUMMARY})
ALONE_WAIT = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Budget:
    """At most this many messages in a waking day; timers (and warning-sign answers, which
    are replies, not nudges) do not count."""

    ordinary: int = 16
    flare_day: int = 12

    def of(self, known: Facts) -> int:
        """Return the day's budget: smaller during a flare, when rest matters more."""
        return self.flare_day if known.plan is not None else self.ordinary


@dataclass(frozen=True, slots=True)
class RunningSession:
    """An ice or heat session whose timer came due, with its stored id."""

    id: int
    state: flare.Session


@dataclass(frozen=True, slots=True)
class Due:
    """One of someone's streams that came due: its schedule row, kind and due time."""

    row_id: int
    kind: NudgeKind
    due_at: datetime
    # For a session's timer: the session, if it still exists.
    session: RunningSession | None = None


class Verdict(enum.Enum):
    """What becomes of a due row."""

    SEND = "send"  # a message goes out now; the row moves to `next_due`
    MERGED = "merged"  # goes out now as a part of the message another row sends
    HOLD = "hold"  # nothing now (night, pause, too late, over budget); moves to `next_due`
    END = "end"  # nothing now and never again (the flare or the session is over)


@dataclass(frozen=True, slots=True)
class Decision:
    """The composer's verdict on one due row, with what it changes."""

    row_id: int
    kind: NudgeKind
    verdict: Verdict
    next_due: datetime | None = None
    message: NudgeMessage | None = None
    # A session timer that rang: its new state, to store.
    session: RunningSession | None = None
    # A doctor's advice given in this message (the reason), to store with the flare.
    doctor_reason: str | None = None
    # Care mode closes with this message (no check-in answered for days).
    closes_flare: bool = False
    # Earlier messages whose unanswered nudge this one replaces: marked missed, no buttons.
    edits: tuple[Edit, ...] = ()


def order(due: Sequence[Due]) -> list[Due]:
    """Return due rows in the order they are considered: timers first, then by due time."""
    return sorted(due, key=lambda row: (row.kind not in planning.TIME_CRITICAL, row.due_at))


def compose(
    person: Person,
    known: Facts,
    due: Sequence[Due],
    *,
    now: datetime,
    texts: NudgeTexts,
    budget: Budget = Budget(),
    soon: Sequence[Due] = (),
) -> list[Decision]:
    """Decide, for each row of someone's that came due, what they are sent now.

    Everything that goes out now goes as one message, and so do nudges coming due within
    `MERGE_WINDOW` (`soon`; timers excepted: they ring on the minute), each part with its
    own buttons, in order of priority. Only that one message counts against the budget.
    A row of `soon` that does not join gets no decision: it stays as it is. A weekly summary
    goes alone: after the others, or a minute later if one of them goes now.
    """
    decisions = _compose_nudges(
        person,
        known,
        [row for row in due if row.kind not in ALONE],
        now=now,
        texts=texts,
        budget=budget,
        soon=[row for row in soon if row.kind not in ALONE],
    )
    busy = any(d.verdict in (Verdict.SEND, Verdict.MERGED) for d in decisions)
    for row in order([row for row in due if row.kind in ALONE]):
        decision = _decide(person, known, row, now=now, texts=texts, budget=budget)
        if decision.verdict is Verdict.SEND and busy:
            decision = Decision(row.row_id, row.kind, Verdict.HOLD, now + ALONE_WAIT)
        busy = busy or decision.verdict is Verdict.SEND
        decisions.append(decision)
    return decisions


def _compose_nudges(
    person: Person,
    known: Facts,
    due: Sequence[Due],
    *,
    now: datetime,
    texts: NudgeTexts,
    budget: Budget,
    soon: Sequence[Due],
) -> list[Decision]:
    """Compose the rows that may share a message (see `compose`)."""
    decisions: list[Decision] = []
    sending = False
    for row in order(due):
        decision = _decide(
            person, known, row, now=now, texts=texts, budget=None if sending else budget
        )
        sending = sending or decision.verdict is Verdict.SEND
        decisions.append(decision)
    if not sending:
        return decisions
    for row in order(soon):
        if row.kind in planning.TIME_CRITICAL:
            continue
        joining = _decide(person, known, row, now=now, texts=texts, budget=None)
        if joining.verdict is Verdict.SEND:
            decisions.append(joining)
    rows = {row.row_id: row for row in (*due, *soon)}
    decisions = _no_moving_with_an_offer(person, known, decisions, rows, now)
    return _merge(decisions, {row.row_id for row in due}, known)


def _no_moving_with_an_offer(
    person: Person,
    known: Facts,
    decisions: list[Decision],
    rows: dict[int, Due],
    now: datetime,
) -> list[Decision]:
    """Hold a break or stretch that would go out with an ice or heat offer: "put ice on"
    and "get up and move" in one message contradict. It comes after the session would end.
    """
    offered = any(d.kind is NudgeKind.CARE_OFFER and d.verdict is Verdict.SEND for d in decisions)
    if not offered or known.plan is None:
        return decisions
    steps = known.plan.steps(Treatment.ALTERNATE)
    over = now + sum((length for _, length in steps), timedelta())
    return [
        dataclasses.replace(
            d,
            verdict=Verdict.HOLD,
            message=None,
            next_due=_after(person, rows[d.row_id], known, over),
        )
        if d.kind in MOVING and d.verdict is Verdict.SEND
        else d
        for d in decisions
    ]


def _merge(decisions: list[Decision], due: set[int], known: Facts) -> list[Decision]:
    """Make one message of every decision that sends.

    The first due row that sends carries it (a timer, if one rang: timers come first);
    the others follow in order of priority and move on as if sent. Without a due row to
    carry it, nothing goes early: the rows not yet due are left as they are.
    """
    sends = [d for d in decisions if d.verdict is Verdict.SEND]
    carriers = [d for d in sends if d.row_id in due]
    if not carriers:
        return [d for d in decisions if d.row_id in due]
    carrier = carriers[0]
    others = sorted((d for d in sends if d is not carrier), key=lambda d: PRIORITY.index(d.kind))
    assert carrier.message is not None  # a SEND always carries its message
    message = carrier.message
    for part in others:
        assert part.message is not None
        message = message.with_part(part.message)
    merged: list[Decision] = []
    for decision in decisions:
        if decision is carrier:
            decision = dataclasses.replace(
                decision, message=message, edits=_retirements(known, message)
            )
        elif decision.verdict is Verdict.SEND:
            decision = dataclasses.replace(decision, verdict=Verdict.MERGED, message=None)
        merged.append(decision)
    return merged


def _retirements(known: Facts, message: NudgeMessage) -> tuple[Edit, ...]:
    """Retire, for each nudge going out, the last one of its kind still left unanswered."""
    by_message: dict[int, tuple[OpenNudge, set[NudgeKind]]] = {}
    for part in message.parts:
        if part.kind in planning.TIME_CRITICAL:
            continue  # a timer is a safety message: it stays as it was said
        waiting = next((o for o in reversed(known.open_nudges) if o.waits_on(part.kind)), None)
        if waiting is not None:
            by_message.setdefault(waiting.message_id, (waiting, set()))[1].add(part.kind)
    return tuple(retire(sent, frozenset(kinds)) for sent, kinds in by_message.values())


def _held(person: Person, row: Due, now: datetime) -> bool:
    """Tell whether a due nudge must not go out now: too late, paused, or at night."""
    if planning.is_stale(row.kind, row.due_at, now):
        return True
    if row.kind in planning.TIME_CRITICAL:
        return False  # they just started the session: they are awake
    if person.paused_until is not None and person.paused_until > now:
        return True
    return rules.in_quiet_hours(planning.rhythm(person), now)


def _decide(
    person: Person,
    known: Facts,
    row: Due,
    *,
    now: datetime,
    texts: NudgeTexts,
    budget: Budget | None,
) -> Decision:
    """Decide one row; `budget` None means it rides in a message that is going out anyway."""
    kind = row.kind
    if _held(person, row, now):
        return Decision(
            row.row_id, kind, Verdict.HOLD, planning.next_due(person, kind, known, now=now)
        )
    match kind:
        case NudgeKind.SESSION_END:
            return _session_alarm(known, row, now=now, texts=texts)
        case NudgeKind.WATER | NudgeKind.POSTURE | NudgeKind.STRETCH:
            pass
        case NudgeKind.WEEKLY_SUMMARY:
            return _weekly_summary(person, known, row, now=now, texts=texts)
        case NudgeKind.CARE_OFFER | NudgeKind.PAIN_CHECK:
            if known.plan is None:
                return Decision(row.row_id, kind, Verdict.END)  # the episode ended meanwhile
        case _:
            assert_never(kind)
    plan = known.plan
    if kind is NudgeKind.PAIN_CHECK and plan and flare.gone_quiet(plan, known.checkins, now):
        # Days without an answer: close care mode with its summary (whatever the budget:
        # it ends the episode's nudges).
        closing = texts.flare_closed(_summary(plan, known, now))
        return Decision(row.row_id, kind, Verdict.SEND, None, closing, closes_flare=True)
    # A nudge joining a message before its time moves on from its own slot, not from now.
    following = planning.next_after_sending(person, kind, known, now=max(now, row.due_at))
    if known.seeking_help and kind in planning.HELD_WHILE_SEEKING_HELP:
        # They said yes to a warning sign: help first, self-care later.
        return Decision(row.row_id, kind, Verdict.HOLD, following)
    if kind in MOVING and known.plan is not None:
        still_until = _not_moving_until(known.plan, known, now)
        if still_until is not None:
            return Decision(
                row.row_id, kind, Verdict.HOLD, _after(person, row, known, still_until)
            )
    if budget is not None and not _fits(person, known, kind, now, budget.of(known)):
        # Over the day's budget, or what is left is kept for what matters more: dropped.
        return Decision(row.row_id, kind, Verdict.HOLD, following)
    message, reason = _message(person, known, row, now=now, texts=texts)
    if message is None:
        return Decision(row.row_id, kind, Verdict.HOLD, following)
    if kind in SLOWS_DOWN and _ignored_today(person, known, kind, now) >= IGNORED_IN_A_ROW:
        # Left unanswered again and again today: come less often, offer a pause for today.
        message = offering_rest(message, kind)
        gap = SLOWER_OFFERS if kind is NudgeKind.CARE_OFFER else SLOWER_GAP
        slower = planning.next_due(person, kind, known, now=now + gap)
        following = slower if slower is None or following is None else max(following, slower)
    return Decision(row.row_id, kind, Verdict.SEND, following, message, doctor_reason=reason)


def _ignored_today(person: Person, known: Facts, kind: NudgeKind, now: datetime) -> int:
    """Count the nudges of a kind left unanswered in a row since this waking day began."""
    period = next(rules.waking_periods(planning.rhythm(person), now), None)
    since = period[0] if period is not None and period[0] <= now else None
    return ignored_in_a_row(known.open_nudges, kind, since=since)


def _weekly_summary(
    person: Person, known: Facts, row: Due, *, now: datetime, texts: NudgeTexts
) -> Decision:
    """Send the week's chart and lines; a week with nothing logged sends nothing."""
    following = planning.next_after_sending(person, row.kind, known, now=max(now, row.due_at))
    if known.week is None or known.week.empty:
        return Decision(row.row_id, row.kind, Verdict.HOLD, following)
    message = texts.weekly_summary(
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
    kept = sum(_still_to_come(person, known, other, now) for other in above)
    return known.sent_today + 1 + kept <= limit


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


def _still_to_come(person: Person, known: Facts, kind: NudgeKind, now: datetime) -> int:
    """Estimate how many more nudges of a kind today holds, after now (a rough count)."""
    day = planning.rhythm(person)
    start, end = next(rules.waking_periods(day, now))
    left = max(end - max(start, now), timedelta())
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


def _after(person: Person, row: Due, known: Facts, until: datetime) -> datetime | None:
    """Return when a held nudge comes back: at `until` if it can still go out then (within
    its grace, so a stretch during an ice session comes after it), else its next slot."""
    if until - row.due_at <= planning.GRACE[row.kind] and row.kind is NudgeKind.STRETCH:
        return until
    return planning.next_due(person, row.kind, known, now=until)


def _message(
    person: Person, known: Facts, row: Due, *, now: datetime, texts: NudgeTexts
) -> tuple[NudgeMessage | None, str | None]:
    """Write the nudge a due row stands for (None: nothing fits now), and any doctor reason."""
    gentle = known.in_acute_flare(now)
    # Stretches stay gentle for the whole episode, until the check-ins say it has eased.
    stretch_gently = known.plan is not None and not flare.eased(known.checkins)
    match row.kind:
        case NudgeKind.WATER:
            goal = person.glasses_per_day
            glasses = planning.glasses(person, known)
            message = texts.water(glasses=glasses, goal=goal, due_at=row.due_at, zone=person.tz)
            return message, None
        case NudgeKind.POSTURE:
            if gentle:
                return texts.gentle_posture(), None
            return texts.posture(due_at=row.due_at, zone=person.tz), None
        case NudgeKind.STRETCH:
            if stretch_gently:
                return texts.gentle_stretch(), None
            return texts.stretch(due_at=row.due_at, zone=person.tz), None
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
            return texts.care_offer(known.plan, treatment), None
        case NudgeKind.PAIN_CHECK:
            assert known.plan is not None  # checked by the caller
            # The two-week rule needs no new score: the morning check-in carries it.
            reason = flare.doctor_advice(known.plan, known.checkins, known.doctor_advised_at, now)
            better = flare.ask_if_better(known.plan, now)
            return texts.pain_check(see_doctor=reason, ask_if_better=better), reason
        case NudgeKind.SESSION_END:
            raise ValueError("a session's timer is written by _session_alarm")
        case NudgeKind.WEEKLY_SUMMARY:
            raise ValueError("the weekly summary is written by _weekly_summary")
        case _:
            assert_never(row.kind)


def _session_alarm(known: Facts, row: Due, *, now: datetime, texts: NudgeTexts) -> Decision:
    """Ring a session's timer: switch, take it off, or ask whether the pad is off."""
    if row.session is None:
        return Decision(row.row_id, row.kind, Verdict.END)
    running = row.session.state
    plan = known.plan or flare.CarePlan(started_at=running.started_at)
    alarm = flare.ring(plan, running, now)
    if alarm is None:
        return Decision(row.row_id, row.kind, Verdict.END)
    message = texts.session_alarm(alarm, plan, row.session.id)
    rang = RunningSession(row.session.id, alarm.session)
    return Decision(row.row_id, row.kind, Verdict.SEND, alarm.next_due, message, rang)
