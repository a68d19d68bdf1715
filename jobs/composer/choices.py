"""What goes in each nudge: the tip, the day's stretches, the week's one thing to try.

Chosen from what the guidance offers (how many tips of each kind, the stretches by entry
id); the words are `bot.wording.nudges`'s. Each method returns a nudge as content, so the
composer decides and the edge says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import assert_never
from zoneinfo import ZoneInfo

from guidance import Guide
from jobs.composer.content import (
    CareOffer,
    FlareClosed,
    GentlePosture,
    GentleStretch,
    PainCheck,
    Posture,
    SessionAlarm,
    Stretch,
    Topic,
    Water,
    WeeklySummary,
)
from jobs.composer.nudge import (
    ACTIONS,
    BETTER,
    STRETCHES_PER_DAY,
    NudgeMessage,
    WeekPhase,
    session_done_action,
)
from jobs.rules.flare import Alarm, CarePlan, FlareSummary
from jobs.rules.progress import Progress
from storage.kinds import NudgeKind, Treatment


@dataclass(frozen=True, slots=True)
class NudgeChoices:
    """What the guidance offers the nudges: how many posture and water tips (they take
    turns through the day), and the stretches of the daily routine by entry id."""

    posture_tips: int
    water_tips: int
    stretches: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.posture_tips or not self.water_tips:
            raise ValueError("the knowledge base lacks posture or water tips")
        if len(self.stretches) < STRETCHES_PER_DAY:
            raise ValueError("the knowledge base lacks stretches")

    @classmethod
    def of(cls, guide: Guide) -> NudgeChoices:
        """Return what the guide's knowledge base offers."""
        stretches = tuple(item.entry_id for item in guide.stretches())
        return cls(len(guide.posture_tips()), len(guide.water_tips()), stretches)

    def water(self, *, glasses: int, goal: int, due_at: datetime, zone: ZoneInfo) -> NudgeMessage:
        """Remind someone to drink, saying where they stand and, in turn, why it helps."""
        tip = _in_turn(due_at, zone, self.water_tips)
        return NudgeMessage(NudgeKind.WATER, Water(glasses, goal, tip), ACTIONS[NudgeKind.WATER])

    def posture(self, *, due_at: datetime, zone: ZoneInfo) -> NudgeMessage:
        """Get someone up from their desk, with a tip that changes through the day."""
        tip = _in_turn(due_at, zone, self.posture_tips)
        return NudgeMessage(NudgeKind.POSTURE, Posture(tip), ACTIONS[NudgeKind.POSTURE])

    def routine(self, *, due_at: datetime, zone: ZoneInfo) -> tuple[str, ...]:
        """Return the day's stretches by entry id: a different few each day, in turn."""
        day = due_at.astimezone(zone).toordinal()
        count = len(self.stretches)
        first = day * STRETCHES_PER_DAY % count
        return tuple(self.stretches[(first + i) % count] for i in range(STRETCHES_PER_DAY))

    def stretch(self, *, due_at: datetime, zone: ZoneInfo) -> NudgeMessage:
        """Offer the daily stretch routine."""
        routine = Stretch(self.routine(due_at=due_at, zone=zone))
        return NudgeMessage(NudgeKind.STRETCH, routine, ACTIONS[NudgeKind.STRETCH])

    def gentle_posture(self) -> NudgeMessage:
        """During the acute phase of a flare: a slow, short walk instead of exercises."""
        return NudgeMessage(NudgeKind.POSTURE, GentlePosture(), ACTIONS[NudgeKind.POSTURE])

    def gentle_stretch(self) -> NudgeMessage:
        """During the acute phase: breathing, positions for relief and a short walk."""
        return NudgeMessage(NudgeKind.STRETCH, GentleStretch(), ACTIONS[NudgeKind.STRETCH])

    def care_offer(self, plan: CarePlan, treatment: Treatment) -> NudgeMessage:
        """Offer an ice or heat session: its button, and a skip."""
        offer = CareOffer(treatment, plan.ice_minutes, plan.heat_minutes)
        buttons = tuple(
            action
            for action in ACTIONS[NudgeKind.CARE_OFFER]
            if action in (treatment.value, "skip")
        )
        return NudgeMessage(NudgeKind.CARE_OFFER, offer, buttons)

    def session_alarm(self, alarm: Alarm, plan: CarePlan, session_id: int) -> NudgeMessage:
        """Say what a session's timer says: switch, take it off, or is the pad off?

        Its button names the session, so an old message cannot stop a newer session's timer.
        """
        on_skin = plan.steps(alarm.session.treatment)[alarm.session.step][0]
        says = SessionAlarm(alarm.says, on_skin, plan.heat_minutes)
        buttons = () if alarm.says == "switch" else (session_done_action(session_id),)
        return NudgeMessage(NudgeKind.SESSION_END, says, buttons)

    def pain_check(
        self, *, see_doctor: str | None = None, ask_if_better: bool = False
    ) -> NudgeMessage:
        """Ask the morning question, with a doctor's advice if the episode needs one, and
        after a week a button to end care mode."""
        buttons = ACTIONS[NudgeKind.PAIN_CHECK]
        if ask_if_better:
            buttons = (*buttons, BETTER)
        return NudgeMessage(NudgeKind.PAIN_CHECK, PainCheck(see_doctor, ask_if_better), buttons)

    def flare_closed(self, summary: FlareSummary) -> NudgeMessage:
        """Close care mode after days without a check-in, with the episode's summary."""
        return NudgeMessage(NudgeKind.PAIN_CHECK, FlareClosed.of(summary), ())

    def weekly_summary(
        self,
        week: Progress,
        *,
        water: bool = True,
        posture: bool = True,
        stretch: bool = True,
        phase: WeekPhase = WeekPhase.ORDINARY,
        doctor_reason: str | None = None,
    ) -> NudgeMessage:
        """Sum up someone's week under its chart: what went well, and one thing to try from
        the guidance. `water`, `posture`, `stretch`: which nudges are on.

        The one thing fits where the person is: getting checked after a warning sign, rest
        on a spasm's first day, the doctor when the episode needs one (audit M6).
        """
        tip = _phase_tip(phase, doctor_reason) or self._one_thing_to_try(
            week, water=water, posture=posture, stretch=stretch
        )
        return NudgeMessage(NudgeKind.WEEKLY_SUMMARY, tip, (), chart=week)

    def _one_thing_to_try(
        self, week: Progress, *, water: bool, posture: bool, stretch: bool
    ) -> WeeklySummary:
        """Pick the habit that came off worst this week, and a line from the guidance on it."""
        turn = week.days[-1].day.toordinal() // 7
        if week.shows_pain:
            return WeeklySummary(Topic.WALK)  # during or after a flare: gentle movement
        days = len(week.days)
        shares: list[tuple[float, str]] = []
        if water:
            shares.append((week.goal_days / days, "water"))
        if posture and week.breaks_offered:
            shares.append((week.breaks_taken / week.breaks_offered, "posture"))
        if stretch:
            shares.append((week.stretch_days / days, "stretch"))
        weakest = min(shares)[1] if shares else "water"
        if weakest == "posture":
            return WeeklySummary(Topic.POSTURE, tip=turn % self.posture_tips)
        if weakest == "stretch":
            return WeeklySummary(Topic.STRETCH, stretch=self.stretches[turn % len(self.stretches)])
        return WeeklySummary(Topic.WATER, tip=turn % self.water_tips)


def _in_turn(due_at: datetime, zone: ZoneInfo, count: int) -> int:
    """Return which of `count` tips is said at a moment: they take turns through the day."""
    local = due_at.astimezone(zone)
    return (local.hour + local.toordinal()) % count


def _phase_tip(phase: WeekPhase, doctor_reason: str | None) -> WeeklySummary | None:
    """The one thing to try while getting help, resting, or when a doctor is due."""
    match phase:
        case WeekPhase.SEEKING_HELP:
            return WeeklySummary(Topic.GET_CHECKED)
        case WeekPhase.RESTING:
            return WeeklySummary(Topic.REST)
        case WeekPhase.DOCTOR:
            return WeeklySummary(Topic.DOCTOR, doctor=doctor_reason)
        case WeekPhase.ORDINARY:
            return None
        case _:
            assert_never(phase)
