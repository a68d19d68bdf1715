"""The composer: what one person is sent now, and when each of their streams is next due.

One pure function, `compose`, of (the person, what they logged and their open flare, the
rows of theirs that came due, now). Every decision that spans streams lives here and
nowhere else: what is held at night, in a pause or while they get help for a warning
sign, what is softened during the acute phase of a flare, what waits because one message
already goes to them now. The outbox carries out its verdicts and knows none of this.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import assert_never

from jobs.composer.budget import Budget, _fits
from jobs.composer.choices import NudgeChoices
from jobs.composer.decisions import (
    ALONE,
    ALONE_WAIT,
    MOVING,
    PRIORITY,
    SLOWER_GAP,
    SLOWER_OFFERS,
    SLOWS_DOWN,
    Decision,
    Due,
    Verdict,
    _after,
    _held,
    order,
)
from jobs.composer.messages import (
    _ignored_today,
    _message,
    _not_moving_until,
    _session_alarm,
    _summary,
    _weekly_summary,
)
from jobs.composer.nudge import (
    IGNORED_IN_A_ROW,
    Edit,
    NudgeMessage,
    OpenNudge,
    offering_rest,
    retire,
)
from jobs.rules import flare, planning
from jobs.rules.person import Person
from jobs.rules.planning import Facts
from storage.kinds import NudgeKind, Treatment


def compose(
    person: Person,
    known: Facts,
    due: Sequence[Due],
    *,
    now: datetime,
    choices: NudgeChoices,
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
        choices=choices,
        budget=budget,
        soon=[row for row in soon if row.kind not in ALONE],
    )
    busy = any(d.verdict in (Verdict.SEND, Verdict.MERGED) for d in decisions)
    for row in order([row for row in due if row.kind in ALONE]):
        decision = _decide(person, known, row, now=now, choices=choices, budget=budget)
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
    choices: NudgeChoices,
    budget: Budget,
    soon: Sequence[Due],
) -> list[Decision]:
    """Compose the rows that may share a message (see `compose`)."""
    decisions: list[Decision] = []
    sending = False
    for row in order(due):
        decision = _decide(
            person, known, row, now=now, choices=choices, budget=None if sending else budget
        )
        sending = sending or decision.verdict is Verdict.SEND
        decisions.append(decision)
    if not sending:
        return decisions
    for row in order(soon):
        if row.kind in planning.TIME_CRITICAL:
            continue
        joining = _decide(person, known, row, now=now, choices=choices, budget=None)
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


def _decide(
    person: Person,
    known: Facts,
    row: Due,
    *,
    now: datetime,
    choices: NudgeChoices,
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
            return _session_alarm(known, row, now=now, choices=choices)
        case NudgeKind.WATER | NudgeKind.POSTURE | NudgeKind.STRETCH:
            pass
        case NudgeKind.WEEKLY_SUMMARY:
            return _weekly_summary(person, known, row, now=now, choices=choices)
        case NudgeKind.CARE_OFFER | NudgeKind.PAIN_CHECK:
            if known.plan is None:
                return Decision(row.row_id, kind, Verdict.END)  # the episode ended meanwhile
        case _:
            assert_never(kind)
    plan = known.plan
    if kind is NudgeKind.PAIN_CHECK and plan and flare.gone_quiet(plan, known.checkins, now):
        # Days without an answer: close care mode with its summary (whatever the budget:
        # it ends the episode's nudges).
        closing = choices.flare_closed(_summary(plan, known, now))
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
    message, reason = _message(person, known, row, now=now, choices=choices)
    if message is None:
        return Decision(row.row_id, kind, Verdict.HOLD, following)
    if kind in SLOWS_DOWN and _ignored_today(person, known, kind, now) >= IGNORED_IN_A_ROW:
        # Left unanswered again and again today: come less often, offer a pause for today.
        message = offering_rest(message, kind)
        gap = SLOWER_OFFERS if kind is NudgeKind.CARE_OFFER else SLOWER_GAP
        slower = planning.next_due(person, kind, known, now=now + gap)
        following = slower if slower is None or following is None else max(following, slower)
    return Decision(row.row_id, kind, Verdict.SEND, following, message, doctor_reason=reason)
