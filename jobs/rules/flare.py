"""The flare protocol, as pure functions: which care comes next, and when.

Ice in the acute phase, heat after it; sessions offered while awake; a running session is
a timer that ends with "take it off now", and heat is asked about again until the pad is
off; a pain check-in each morning; a doctor when the pain keeps getting worse or the
episode passes two weeks, and help at once for a 9 or 10. Nothing here reads a clock or a
database.

Where each number comes from (the knowledge entry `care-plan-numbers` tells people the
same; document names as in guidance/knowledge/sources.toml):
- Ice 15 minutes every 2 hours: 004 says 12–15 minutes every 2 hours; 000 says 15–20
  minutes every hour. The documents disagree; BackCare takes the less frequent.
- Acute (ice) phase 48 hours, 24–72 allowed: 004 says "the first day or two", 000 and 001
  "the first few days". 48 hours is BackCare's pick between them.
- Heat 15 minutes (001; 000 allows 20–30 minutes on the lowest setting); after the ice
  (004) or the first few days (000, 001).
- Alternating ice and heat, 15–20 minutes each: 003 (and 001 after an injury); offered
  as an option, since 000, 001 and 002 put ice first.
- Two weeks to a doctor: 000. Getting worse to a doctor: 003 (read here as three rising
  check-ins). Severe pain means help at once: 000 (read here as a check-in of 9 or 10).
- Rest first: 001 suggests resting for about a day after the strain, then gentle
  movement; so no nudge asks someone to move in the first 24 hours of an episode, and
  none while ice or heat is on.
- Stretches stay gentle until the pain has eased: 002 says gentle stretching "once the
  acute pain subsides", 003 that stretching an acute spasm may add swelling. Reading
  "subsided" as the latest check-in at 3/10 or less is BackCare's own rule.
- An episode ends by itself: BackCare's own rules, in no document. After 7 days the
  morning check-in also asks whether it is better; with no check-in answered for 3 days,
  care mode closes with its summary (a person who stopped answering is most likely better;
  the closing message says how to start again, and that pain past two weeks needs a
  doctor, from 000).
- BackCare's own cautious rules, in no document: heat at most `heat_per_day` (3) times a
  day, none in the hour before sleep (from 001's "never sleep on a heating pad"); a heating
  pad asked about every 5 minutes, 3 times; a morning pain check-in; a doctor when two
  check-ins in a row are 8 or more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

from jobs.rules import rules
from storage.kinds import Treatment

Phase = Literal["acute", "recovery"]

# What the plan may be set to, each bound from a document (or said to be BackCare's own).
ACUTE_HOURS = range(24, 73)  # "the first day or two" (004) to "the first few days" (000, 001)
ICE_MINUTES = range(12, 21)  # at least 12-15 minutes (004) to 15-20 minutes (000, 001)
ICE_EVERY_MINUTES = range(60, 121)  # every hour (000) to every 2 hours (004)
HEAT_MINUTES = range(15, 21)  # 15 minutes (001) to 20 (000's lower bound)
HEAT_PER_DAY = range(2, 5)  # BackCare's own cautious rule, in no document

NO_HEAT_BEFORE_SLEEP = timedelta(hours=1)
HEAT_CHECK_EVERY = timedelta(minutes=5)
HEAT_CHECKS = 3
PAIN_CHECK_AFTER_WAKE = timedelta(minutes=30)
# A session end missed while the bot was down is still worth sending this long after.
SESSION_END_GRACE = timedelta(hours=1)
TWO_WEEKS = timedelta(days=14)
# BackCare's own cautious rule, not the documents': two check-ins at 8 or more in a row.
HIGH_PAIN = 8
# The documents say to get help at once for severe pain (000); BackCare reads a check-in
# of 9 or 10 ("the worst you can imagine") as that.
SEVERE_PAIN = 9
# A reason to see a doctor is said again at most this often while it holds.
DOCTOR_ADVICE_EVERY = timedelta(days=1)
# 001: rest for about a day first; nothing asks to move before it is over.
REST_FIRST = timedelta(days=1)
# BackCare's reading of 002's "once the acute pain subsides": a check-in of 3 or less.
EASED_PAIN = 3
# BackCare's own rules for an episode's end: ask after a week, close after 3 quiet days.
ASK_IF_BETTER_AFTER = timedelta(days=7)
QUIET_FOR = timedelta(days=3)


@dataclass(frozen=True, slots=True)
class FlareSummary:
    """How an episode went."""

    days: int
    ice_sessions: int
    heat_sessions: int
    alternating_sessions: int
    pain: list[int]


@dataclass(frozen=True, slots=True)
class CarePlan:
    """An episode's care plan: when it started and the ice and heat settings."""

    started_at: datetime
    acute_hours: int = 48
    ice_minutes: int = 15
    ice_every_minutes: int = 120
    heat_minutes: int = 15
    heat_per_day: int = 3
    alternate: bool = False

    @property
    def acute_until(self) -> datetime:
        """Return when the acute (ice) phase ends."""
        return self.started_at + timedelta(hours=self.acute_hours)

    def phase(self, now: datetime) -> Phase:
        """Tell which phase the episode is in."""
        return "acute" if now < self.acute_until else "recovery"

    def offered(self, now: datetime) -> Treatment:
        """Return what to offer now: ice (or ice and heat in turn) early, heat later."""
        if self.phase(now) == "recovery":
            return Treatment.HEAT
        return Treatment.ALTERNATE if self.alternate else Treatment.ICE

    def steps(self, treatment: Treatment) -> list[tuple[Treatment, timedelta]]:
        """Return what goes on, for how long, in a session of this kind."""
        ice = (Treatment.ICE, timedelta(minutes=self.ice_minutes))
        heat = (Treatment.HEAT, timedelta(minutes=self.heat_minutes))
        return {Treatment.ICE: [ice], Treatment.HEAT: [heat], Treatment.ALTERNATE: [ice, heat]}[
            treatment
        ]


def gone_quiet(plan: CarePlan, scores: Sequence[tuple[datetime, int]], now: datetime) -> bool:
    """Tell whether no check-in has been answered for `QUIET_FOR` (or since the start)."""
    last = scores[-1][0] if scores else plan.started_at
    return now - max(last, plan.started_at) >= QUIET_FOR


def ask_if_better(plan: CarePlan, now: datetime) -> bool:
    """Tell whether the morning check-in also asks if the back is better."""
    return now - plan.started_at >= ASK_IF_BETTER_AFTER


def resting(plan: CarePlan, now: datetime) -> bool:
    """Tell whether the episode is in its first day, when rest comes first."""
    return now < plan.started_at + REST_FIRST


def eased(scores: Sequence[tuple[datetime, int]]) -> bool:
    """Tell whether the pain check-ins (oldest first) say the acute pain has subsided."""
    return bool(scores) and scores[-1][1] <= EASED_PAIN


StretchSet = Literal["full", "gentle", "rest", "held"]


def stretch_set(
    plan: CarePlan | None,
    scores: Sequence[tuple[datetime, int]],
    now: datetime,
    *,
    seeking_help: bool = False,
) -> StretchSet:
    """Tell which stretches fit now: the full routine, only the gentle set, or none.

    Outside care mode, the full routine; on an episode's first day, none (rest first, 001);
    after it, the gentle set until the check-ins say the pain has eased (002, 003). After a
    yes to a warning sign, none until they have been seen ("held": BackCare's own hold,
    as the nudges are held, `planning.HELD_WHILE_SEEKING_HELP`).
    """
    if seeking_help:
        return "held"
    if plan is None:
        return "full"
    if resting(plan, now):
        return "rest"
    return "full" if eased(scores) else "gentle"


def session_ends(plan: CarePlan, session: Session) -> datetime:
    """Return when a session's last step comes off the skin."""
    return session.started_at + sum(
        (length for _, length in plan.steps(session.treatment)), timedelta()
    )


def on_skin(plan: CarePlan, session: Session | None, now: datetime) -> bool:
    """Tell whether ice or heat is on the back now (started, not yet over or taken off)."""
    if session is None or session.taken_off_at is not None:
        return False
    return session.started_at <= now < session_ends(plan, session)


def next_offer(
    rhythm: rules.Rhythm, plan: CarePlan, last_session_at: datetime | None, now: datetime
) -> datetime:
    """Return when to next offer an ice or heat session (while awake, never too late)."""
    every = timedelta(minutes=plan.ice_every_minutes)
    due = max(plan.started_at, last_session_at or plan.started_at) + every
    if due <= now:
        due += every * ((now - due) // every + 1)
    due = rules.next_valid_slot(rhythm, due)
    if due < plan.acute_until:
        return due
    return _next_heat_slot(rhythm, plan, last_session_at, max(now, plan.acute_until))


def _next_heat_slot(
    rhythm: rules.Rhythm, plan: CarePlan, last_session_at: datetime | None, after: datetime
) -> datetime:
    """Spread the day's heat sessions over waking hours, none in the hour before sleep."""
    earliest = after
    if last_session_at is not None:
        earliest = max(earliest, last_session_at + timedelta(hours=2))
    for start, end in rules.waking_periods(rhythm, after):
        usable = end - NO_HEAT_BEFORE_SLEEP - start
        if usable <= timedelta(0):
            continue
        gap = usable / plan.heat_per_day
        spread = min(timedelta(seconds=rhythm.offset_seconds), gap / 4)
        for index in range(plan.heat_per_day):
            slot = start + gap * index + gap / 2 + spread
            if slot > earliest and not _paused(rhythm, slot):
                return slot
    raise ValueError("no waking period long enough for a heat session")  # pragma: no cover


def _paused(rhythm: rules.Rhythm, moment: datetime) -> bool:
    return rhythm.paused_until is not None and moment < rhythm.paused_until


def heat_allowed(rhythm: rules.Rhythm, now: datetime) -> bool:
    """Tell whether a heat session may start now: awake, and not in the hour before sleep."""
    start, end = next(rules.waking_periods(rhythm, now))
    return start <= now < end - NO_HEAT_BEFORE_SLEEP


@dataclass(frozen=True, slots=True)
class Session:
    """A running or finished care session, as the protocol sees it."""

    treatment: Treatment
    started_at: datetime
    step: int
    step_ends_at: datetime
    taken_off_at: datetime | None = None
    checks_sent: int = 0


@dataclass(frozen=True, slots=True)
class Alarm:
    """What a session's timer says when it goes off, and the session after it."""

    says: Literal["switch", "take_off", "check_heat"]
    session: Session
    next_due: datetime | None


def start_session(plan: CarePlan, treatment: Treatment, now: datetime) -> Session:
    """Start a session now; its first step ends after the plan's minutes."""
    return Session(treatment, now, 0, now + plan.steps(treatment)[0][1])


def ring(plan: CarePlan, session: Session, now: datetime) -> Alarm | None:
    """Say what a session's timer says now (None once it is off), and when it rings next."""
    if session.taken_off_at is not None:
        return None
    steps = plan.steps(session.treatment)
    if session.step + 1 < len(steps):
        # Alternating: the ice comes off and the heat goes on, straight away.
        step = session.step + 1
        following = Session(
            session.treatment, session.started_at, step, now + steps[step][1], None, 0
        )
        return Alarm("switch", following, following.step_ends_at)
    last_on_skin = steps[-1][0]
    if session.checks_sent == 0:
        done = Session(
            session.treatment, session.started_at, session.step, session.step_ends_at, None, 1
        )
        recheck = now + HEAT_CHECK_EVERY if last_on_skin is Treatment.HEAT else None
        return Alarm("take_off", done, recheck)
    if last_on_skin is not Treatment.HEAT or session.checks_sent > HEAT_CHECKS:
        return None
    asked = Session(
        session.treatment,
        session.started_at,
        session.step,
        session.step_ends_at,
        None,
        session.checks_sent + 1,
    )
    more = now + HEAT_CHECK_EVERY if asked.checks_sent <= HEAT_CHECKS else None
    return Alarm("check_heat", asked, more)


def next_pain_check(
    rhythm: rules.Rhythm, plan: CarePlan, last_check_at: datetime | None, now: datetime
) -> datetime:
    """Return the next morning check-in: half an hour after waking, once per waking day."""
    for start, _end in rules.waking_periods(rhythm, now):
        if start <= plan.started_at:
            continue  # the episode began during this day: first check-in tomorrow
        if last_check_at is not None and last_check_at >= start:
            continue
        spread = timedelta(seconds=rhythm.offset_seconds)
        slot = rules.next_valid_slot(rhythm, start + PAIN_CHECK_AFTER_WAKE + spread)
        if slot > now:
            return slot
    raise ValueError("no waking period ahead")  # pragma: no cover


def pain_is_severe(score: int) -> bool:
    """Tell whether a pain score calls for medical help now."""
    return score >= SEVERE_PAIN


class DoctorReason(StrEnum):
    """Why an episode needs a doctor; stored with the flare, said by `bot.wording.flare`.

    Flares advised by an earlier release hold the reason's words instead of one of these.
    """

    LASTING = "two-weeks"  # the episode has lasted more than two weeks
    HIGH_PAIN = "high-pain"  # at HIGH_PAIN or more two check-ins running (our own rule)
    WORSE = "worse"  # worse three days running


def doctor_reason(
    plan: CarePlan, scores: Sequence[tuple[datetime, int]], now: datetime
) -> DoctorReason | None:
    """Return why this episode needs a doctor now, if it does (scores oldest first)."""
    if now - plan.started_at > TWO_WEEKS:
        return DoctorReason.LASTING
    values = [score for _, score in scores]
    if len(values) >= 2 and min(values[-2:]) >= HIGH_PAIN:
        return DoctorReason.HIGH_PAIN
    if len(values) >= 3 and values[-3] < values[-2] < values[-1]:
        return DoctorReason.WORSE
    return None


def doctor_advice(
    plan: CarePlan,
    scores: Sequence[tuple[datetime, int]],
    advised_at: datetime | None,
    now: datetime,
) -> DoctorReason | None:
    """Return the reason to see a doctor now, if there is one, at most once a day."""
    if advised_at is not None and now - advised_at < DOCTOR_ADVICE_EVERY:
        return None
    return doctor_reason(plan, scores, now)
