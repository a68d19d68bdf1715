"""The outbox's planner for nudges: load what the composer needs, store what it changed.

For the schedule rows a tick claimed, it reads the people behind them (as `Person`
values, without ORM objects), what they logged and their open flares, and the sessions
whose timers rang; runs `composer.compose` once per person; stores the timers' new state
and any doctor's advice given; and hands the outbox each row's next due time and message.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, assert_never, cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.composer import budget as composer_budget
from jobs.composer import core, decisions
from jobs.composer.choices import NudgeChoices
from jobs.composer.decisions import Decision, Due, RunningSession, Verdict
from jobs.composer.nudge import MISSED_MARK
from jobs.delivery.contracts import Claimed, Outgoing, Planned
from jobs.rules import planning
from jobs.rules.person import PREFERENCE_COLUMNS, USER_COLUMNS, Person, person_of
from jobs.services import progress
from jobs.services.facts import load_facts, session_of
from storage.models import CareSession, Flare, NudgeKind, NudgePreferences, ScheduledNudge, User
from storage.repositories import mark_answered

_USERS = cast(Table, User.__table__)
_PREFERENCES = cast(Table, NudgePreferences.__table__)
_SESSIONS = cast(Table, CareSession.__table__)
_SCHEDULE = cast(Table, ScheduledNudge.__table__)
_FLARES = cast(Table, Flare.__table__)
_PEOPLE = select(
    *(_USERS.c[name] for name in USER_COLUMNS),
    *(_PREFERENCES.c[name] for name in PREFERENCE_COLUMNS),
).join_from(_USERS, _PREFERENCES, _PREFERENCES.c.user_id == _USERS.c.id)
_RANG = (
    update(_SESSIONS)
    .where(_SESSIONS.c.id == bindparam("session_id"))
    .values(
        step=bindparam("new_step"),
        step_ends_at=bindparam("new_step_ends_at"),
        checks_sent=bindparam("new_checks_sent"),
    )
)


async def load_people(session: AsyncSession, user_ids: set[int]) -> dict[int, Person]:
    """Read people as plain values: no ORM objects per nudge."""
    rows = await session.execute(_PEOPLE.where(_USERS.c.id.in_(user_ids)))
    return {row.id: person_of(row) for row in rows}


async def _running(session: AsyncSession, rows: Sequence[Claimed]) -> dict[int, RunningSession]:
    """Read the sessions whose timers came due, by session id."""
    ids = {session_id for row in rows if (session_id := _session_id(row)) is not None}
    if not ids:
        return {}
    found = await session.execute(select(_SESSIONS).where(_SESSIONS.c.id.in_(ids)))
    return {row.id: RunningSession(row.id, session_of(row)) for row in found}


async def _coming_soon(
    session: AsyncSession, user_ids: set[int], claimed: set[int], *, now: datetime
) -> dict[int, list[Due]]:
    """Lock these people's other rows due by the end of the merge window (timers aside):
    coming due soon, or due and not claimed in this batch (so they join its message)."""
    if not user_ids:
        return {}
    # By person and kind, so the (user_id, kind) index answers (a condition on due_at can
    # send the planner through the whole backlog due now); the times are filtered here.
    found = await session.execute(
        select(_SCHEDULE.c.id, _SCHEDULE.c.user_id, _SCHEDULE.c.kind, _SCHEDULE.c.due_at)
        .where(_SCHEDULE.c.user_id.in_(user_ids), _SCHEDULE.c.kind.not_in(planning.TIME_CRITICAL))
        .with_for_update(skip_locked=True)
    )
    until = now + decisions.MERGE_WINDOW
    soon: dict[int, list[Due]] = defaultdict(list)
    for row_id, user_id, kind, due_at in found:
        if row_id not in claimed and due_at <= until:
            soon[user_id].append(Due(row_id, kind, due_at))
    return soon


def _session_id(row: Claimed) -> int | None:
    """Return the session a timer row rings for (None for any other row)."""
    if row.kind is NudgeKind.SESSION_END and row.payload and "session" in row.payload:
        return int(row.payload["session"])
    return None


def _due(row: Claimed, sessions: dict[int, RunningSession]) -> Due:
    session_id = _session_id(row)
    running = None if session_id is None else sessions.get(session_id)
    return Due(row.id, NudgeKind(row.kind), row.due_at, running)


class NudgePlanner:
    """Plans claimed nudge rows through the composer (see `jobs.delivery.contracts.Planner`)."""

    def __init__(
        self, choices: NudgeChoices, budget: composer_budget.Budget | None = None
    ) -> None:
        self.choices = choices
        self.budget = budget or composer_budget.Budget()

    @property
    def critical(self) -> frozenset[Any]:
        """Timers ("take the ice off"): claimed first, sent at night, retried if unsure."""
        return planning.TIME_CRITICAL

    def grace(self, kind: Any) -> timedelta:
        """How late a nudge of this kind may still go out."""
        return planning.GRACE[NudgeKind(kind)]

    async def plan(
        self, session: AsyncSession, rows: Sequence[Claimed], *, now: datetime
    ) -> list[Planned]:
        """Compose each person's due rows and store what the composer changed."""
        if not rows:
            return []
        people = await load_people(session, {row.user_id for row in rows})
        facts = await load_facts(session, list(people.values()), now=now, sends=True)
        summing_up = [
            people[row.user_id]
            for row in rows
            if row.kind == NudgeKind.WEEKLY_SUMMARY and row.user_id in people
        ]
        for user_id, week in (await progress.weeks(session, summing_up, now=now)).items():
            facts[user_id] = dataclasses.replace(facts[user_id], week=week)
        sessions = await _running(session, rows)
        soon = await _coming_soon(session, set(people), {row.id for row in rows}, now=now)
        by_person: dict[int, list[Claimed]] = defaultdict(list)
        planned: list[Planned] = []
        for row in rows:
            if row.user_id in people:
                by_person[row.user_id].append(row)
            else:  # gone meanwhile (/forget): so are their nudges
                planned.append(Planned(row.id, None))
        rang: list[dict[str, object]] = []
        advised: list[dict[str, object]] = []
        closed: list[int] = []
        retired: list[tuple[int, int, str]] = []
        for user_id, theirs in by_person.items():
            person = people[user_id]
            due = [_due(row, sessions) for row in theirs]
            for decision in core.compose(
                person,
                facts[user_id],
                due,
                now=now,
                choices=self.choices,
                budget=self.budget,
                soon=soon.get(user_id, ()),
            ):
                planned.append(_planned(person, decision))
                if decision.session is not None:
                    state = decision.session.state
                    rang.append(
                        {
                            "session_id": decision.session.id,
                            "new_step": state.step,
                            "new_step_ends_at": state.step_ends_at,
                            "new_checks_sent": state.checks_sent,
                        }
                    )
                if decision.doctor_reason is not None:
                    advised.append({"person": user_id, "given_reason": decision.doctor_reason})
                if decision.closes_flare:
                    closed.append(user_id)
                retired += [
                    (user_id, edit.message_id, kind.value + MISSED_MARK)
                    for edit in decision.edits
                    for kind in edit.retired
                ]
        if rang:
            await session.execute(_RANG, rang)
        if advised:
            await session.execute(
                update(_FLARES)
                .where(_FLARES.c.user_id == bindparam("person"), _FLARES.c.ended_at.is_(None))
                .values(doctor_advised_at=now, doctor_reason=bindparam("given_reason")),
                advised,
            )
        await mark_answered(session, retired, now=now)
        if closed:
            # Care mode ends: the episode is closed and its offers go (the check-in's own
            # row ends with this message).
            await session.execute(
                update(_FLARES)
                .where(_FLARES.c.user_id.in_(closed), _FLARES.c.ended_at.is_(None))
                .values(ended_at=now)
            )
            await session.execute(
                delete(_SCHEDULE).where(
                    _SCHEDULE.c.user_id.in_(closed),
                    _SCHEDULE.c.kind == NudgeKind.CARE_OFFER,
                )
            )
        return planned


def _planned(person: Person, decision: Decision) -> Planned:
    match decision.verdict:
        case Verdict.SEND:
            assert decision.message is not None  # a SEND always carries its message
            out = Outgoing(person.id, person.chat_id, decision.message, decision.edits)
            return Planned(decision.row_id, decision.next_due, out)
        case Verdict.HOLD:
            return Planned(decision.row_id, decision.next_due)
        case Verdict.MERGED:
            return Planned(decision.row_id, decision.next_due, joined=True)
        case Verdict.END:
            return Planned(decision.row_id, None)
        case _:
            assert_never(decision.verdict)
