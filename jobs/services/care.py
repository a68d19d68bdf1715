"""Flare care for one person: start and end an episode, ice and heat sessions, pain check-ins.

The protocol's rules live in `jobs.rules.flare`; this module stores what happens and keeps the
person's schedule (care offers, session timers, check-ins) in line with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from guidance.reading import problems as says
from guidance.reading.times import InputError, parse_duration
from jobs.rules import flare, planning
from jobs.rules.flare import FlareSummary
from jobs.rules.person import Person, person_of
from jobs.services import facts, schedule
from storage.models import (
    CareSession,
    Flare,
    NudgeKind,
    PainCheckin,
    ScheduledNudge,
    Treatment,
    User,
)

FLARE_EXAMPLE = "/flare (or /flare acute 72h, /flare alternate on)"
CARE_KINDS = (NudgeKind.CARE_OFFER, NudgeKind.PAIN_CHECK)


async def open_flare(session: AsyncSession, user: User | Person) -> Flare | None:
    """Return someone's current episode, if they are in one."""
    return await session.scalar(
        select(Flare).where(Flare.user_id == user.id, Flare.ended_at.is_(None))
    )


async def start_flare(session: AsyncSession, user: User, *, now: datetime) -> tuple[Flare, bool]:
    """Start an episode (or return the one already running); True if it is new."""
    running = await open_flare(session, user)
    if running is not None:
        return running, False
    episode = Flare(user_id=user.id, started_at=now)
    session.add(episode)
    await session.flush()
    await schedule.reschedule(session, user, now=now, kinds=CARE_KINDS)
    return episode, True


async def answer_red_flags(
    session: AsyncSession, user: User, *, present: bool, now: datetime
) -> Flare:
    """Record the answer to the warning-sign question of the current (or a new) episode.

    After a yes, ice and heat offers, stretches and posture breaks wait until the person
    says they have been seen (`seen`).
    """
    episode, _ = await start_flare(session, user, now=now)
    episode.red_flags = present
    episode.seen_at = None
    return episode


def hold_for_help(user: User, *, now: datetime) -> None:
    """Hold posture breaks, stretches and ice or heat offers: they were told to get help now.

    The hold lasts until they say they have been seen (`seen`); the composer applies it.
    """
    if user.held_for_help_since is None:
        user.held_for_help_since = now


@dataclass(frozen=True, slots=True)
class Seen:
    """What "I've been seen" released: the open episode (if any), and whether anything was held."""

    episode: Flare | None
    released: bool


async def seen(session: AsyncSession, user: User, *, now: datetime) -> Seen:
    """Record that someone told to get help has been seen; self-care resumes."""
    released = user.held_for_help_since is not None
    user.held_for_help_since = None
    episode = await open_flare(session, user)
    if episode is not None and episode.red_flags and episode.seen_at is None:
        episode.seen_at = now
        released = True
    if released:
        await session.flush()
        await schedule.reschedule(session, user, now=now)
    return Seen(episode, released)


async def summary(session: AsyncSession, episode: Flare, *, now: datetime) -> FlareSummary:
    """Sum up an episode: how long, which sessions, and the pain trend."""
    rows = await session.execute(
        select(CareSession.treatment, func.count())
        .where(CareSession.flare_id == episode.id)
        .group_by(CareSession.treatment)
    )
    counts = {treatment: count for treatment, count in rows}
    end = episode.ended_at or now
    return FlareSummary(
        days=(end - episode.started_at).days + 1,
        ice_sessions=counts.get(Treatment.ICE, 0),
        heat_sessions=counts.get(Treatment.HEAT, 0),
        alternating_sessions=counts.get(Treatment.ALTERNATE, 0),
        pain=await pain_scores(session, episode),
    )


async def end_flare(
    session: AsyncSession, user: User | Person, *, now: datetime
) -> FlareSummary | None:
    """End the current episode and return its summary (None if there was none)."""
    episode = await open_flare(session, user)
    if episode is None:
        return None
    episode.ended_at = now
    await session.flush()
    await session.execute(
        delete(ScheduledNudge).where(
            ScheduledNudge.user_id == user.id, ScheduledNudge.kind.in_(CARE_KINDS)
        )
    )
    return await summary(session, episode, now=now)


def parse_flare_option(text: str) -> tuple[str, int | bool]:
    """Read `/flare acute 72h` or `/flare alternate on|off`."""
    word, _, rest = " ".join(text.split()).lower().partition(" ")
    if word == "acute":
        rest = f"{rest}h" if rest.isascii() and rest.isdigit() else rest  # 72 means hours
        span = parse_duration(
            rest or "?",
            example="/flare acute 72h",
            minimum=timedelta(hours=flare.ACUTE_HOURS.start),
            maximum=timedelta(hours=flare.ACUTE_HOURS.stop - 1),
        )
        return "acute", int(span.total_seconds() // 3600)
    if word == "alternate" and rest in ("on", "off"):
        return "alternate", rest == "on"
    raise InputError(says.not_understood(text), example=FLARE_EXAMPLE)


async def set_flare_option(
    session: AsyncSession, user: User, option: str, value: int | bool, *, now: datetime
) -> Flare:
    """Change the current episode's plan (starting one if needed), and reschedule."""
    episode, _ = await start_flare(session, user, now=now)
    if option == "acute":
        episode.acute_hours = int(value)
    else:
        episode.alternate = bool(value)
    await session.flush()
    await schedule.reschedule(session, user, now=now, kinds=CARE_KINDS)
    return episode


@dataclass(frozen=True, slots=True)
class SessionStarted:
    """A care session that just started: what, and when it must come off."""

    treatment: Treatment
    ends_at: datetime
    steps: list[tuple[Treatment, timedelta]]
    # Heat asked for while the plan still puts ice first (its acute phase).
    heat_in_ice_phase: bool = False


async def start_session(
    session: AsyncSession, user: User, treatment: Treatment, *, now: datetime
) -> SessionStarted:
    """Start ice or heat now, as a timer in the database; refuse heat close to bedtime."""
    episode = await open_flare(session, user)
    plan = facts.plan_of(episode) if episode else flare.CarePlan(started_at=now)
    # Heat goes on now, or after the ice half of an alternating session.
    heat_on = now + plan.steps(treatment)[0][1] if treatment is Treatment.ALTERNATE else now
    if treatment is not Treatment.ICE and not flare.heat_allowed(
        planning.rhythm(person_of(user)), heat_on
    ):
        raise InputError(
            says.NO_HEAT_BEFORE_SLEEP,
            example="/ice",
        )
    state = flare.start_session(plan, treatment, now)
    running = CareSession(
        user_id=user.id,
        flare_id=episode.id if episode else None,
        treatment=treatment,
        started_at=now,
        step=state.step,
        step_ends_at=state.step_ends_at,
        checks_sent=0,
    )
    session.add(running)
    await session.flush()
    await _set_timer(session, user, running)
    if episode is not None:
        await schedule.reschedule(session, user, now=now, kinds=[NudgeKind.CARE_OFFER])
    steps = plan.steps(treatment)
    early_heat = (
        episode is not None
        and treatment is Treatment.HEAT
        and not plan.alternate
        and plan.phase(now) == "acute"
    )
    ends_at = now + sum((span for _, span in steps), timedelta())
    return SessionStarted(treatment, ends_at, steps, heat_in_ice_phase=early_heat)


async def _set_timer(session: AsyncSession, user: User, running: CareSession) -> None:
    row = await session.scalar(
        select(ScheduledNudge).where(
            ScheduledNudge.user_id == user.id, ScheduledNudge.kind == NudgeKind.SESSION_END
        )
    )
    if row is None:
        row = ScheduledNudge(user_id=user.id, kind=NudgeKind.SESSION_END)
        session.add(row)
    else:
        # A session still running is replaced by the new one.
        previous_id = (row.payload or {}).get("session")
        previous = None if previous_id is None else await session.get(CareSession, previous_id)
        if previous is not None and previous.taken_off_at is None:
            previous.taken_off_at = running.started_at
    row.due_at = running.step_ends_at
    row.payload = {"session": running.id}
    await session.flush()


async def take_off(
    session: AsyncSession, user: User, *, now: datetime, session_id: int | None = None
) -> CareSession | None:
    """Record that the ice or heat of a session (the latest by default) is off.

    Only that session's timer stops: a button on an old message leaves a newer session's
    "take it off" reminder in place.
    """
    query = select(CareSession).where(CareSession.user_id == user.id)
    if session_id is not None:
        query = query.where(CareSession.id == session_id)
    target = await session.scalar(query.order_by(CareSession.started_at.desc()).limit(1))
    if target is None:
        return None
    if target.taken_off_at is None:
        target.taken_off_at = now
    timer = await session.scalar(
        select(ScheduledNudge).where(
            ScheduledNudge.user_id == user.id, ScheduledNudge.kind == NudgeKind.SESSION_END
        )
    )
    if timer is not None and (timer.payload or {}).get("session") == target.id:
        await session.delete(timer)
    await session.flush()
    return target


async def checkins(session: AsyncSession, episode: Flare) -> list[tuple[datetime, int]]:
    """Return an episode's pain check-ins as (when, score), oldest first."""
    rows = await session.execute(
        select(PainCheckin.at, PainCheckin.score)
        .where(PainCheckin.flare_id == episode.id)
        .order_by(PainCheckin.at)
    )
    return [(at, score) for at, score in rows]


async def pain_scores(session: AsyncSession, episode: Flare) -> list[int]:
    """Return an episode's pain scores, oldest first."""
    return [score for _, score in await checkins(session, episode)]


@dataclass(frozen=True, slots=True)
class PainLogged:
    """A pain score, the trend so far, and what it calls for: help now, or a doctor soon."""

    scores: list[int]
    see_doctor: str | None
    urgent: bool = False


def check_pain(score: int) -> int:
    """Return a pain score, or raise InputError if it is not 0 to 10."""
    if not 0 <= score <= 10:
        raise InputError(says.PAIN_SCALE, example="/pain 6")
    return score


async def log_pain(
    session: AsyncSession, user: User, score: int, *, now: datetime, start: bool = False
) -> PainLogged | None:
    """Record today's pain (0-10) in the current episode (None if there is none).

    With `start`, a new episode starts first. A 9 or 10 calls for help now; a doctor's
    advice comes again at most once a day while its reason holds.
    """
    check_pain(score)
    episode = await open_flare(session, user)
    if episode is None:
        if not start:
            return None
        episode, _ = await start_flare(session, user, now=now)
    session.add(PainCheckin(user_id=user.id, flare_id=episode.id, at=now, score=score))
    await session.flush()
    await schedule.reschedule(session, user, now=now, kinds=[NudgeKind.PAIN_CHECK])
    scored = await checkins(session, episode)
    if flare.pain_is_severe(score):
        # Help now says more than "see a doctor", which waits for the next check-in.
        return PainLogged([value for _, value in scored], None, urgent=True)
    return PainLogged([value for _, value in scored], advise_doctor(episode, scored, now=now))


def advise_doctor(
    episode: Flare, scores: list[tuple[datetime, int]], *, now: datetime
) -> str | None:
    """Return the reason to see a doctor, if there is one, at most once a day."""
    reason = flare.doctor_advice(facts.plan_of(episode), scores, episode.doctor_advised_at, now)
    if reason is not None:
        episode.doctor_advised_at, episode.doctor_reason = now, reason
    return reason
