"""The nudges' texts, in one place (until the wording is rendered at the edge)."""

from __future__ import annotations

from datetime import datetime
from typing import assert_never
from zoneinfo import ZoneInfo

from guidance import Guide, Stretch
from guidance.exercises import Exercises
from guidance.knowledge.guide import (
    BREATHING_ENTRY,
    DOCTOR_ENTRY,
    HYDRATION_ENTRY,
    POSITIONS_ENTRY,
    POSTURE_ENTRY,
    WALK_ENTRY,
)
from jobs.composer.nudge import (
    ACTIONS,
    BETTER,
    PAIN_SCALE,
    STRETCHES_PER_DAY,
    NudgeMessage,
    WeekPhase,
    episode_line,
    session_done_action,
)
from jobs.rules.flare import Alarm, CarePlan, FlareSummary
from jobs.rules.progress import Progress, describe
from storage.kinds import NudgeKind, Treatment

# Not from the documents: the bot's own hold after a warning sign, said as such.
GET_CHECKED = (
    'Get checked as planned, and tap "I\'ve been seen" once you have: until then I hold '
    "stretches, posture breaks and ice or heat offers (my own rule)."
)


class NudgeTexts:
    """Writes nudges from the guidance: posture tips through the day, stretches by date."""

    def __init__(self, guide: Guide) -> None:
        self.tips = guide.posture_tips()
        self.water_tips = guide.water_tips()
        self.stretches: list[Stretch] = guide.stretches()
        self.stretch_caution = guide.stretch_caution()
        self.ice_safety = guide.ice_safety()
        self.heat_safety = guide.heat_safety()
        self.first_aid = guide.flare_first_aid()
        self.positions = guide.relief_positions()
        self.breathing = guide.breathing()
        self.walk = guide.gentle_walk()
        # Each stretch and resting position as a guided session shows it, with its picture.
        self.exercises = Exercises(guide.knowledge)
        self.see_a_doctor = guide.see_a_doctor()
        self.urgent_if_yes = guide.urgent_advice("You said yes to one of these warning signs.")
        self.water_sources = guide.sources_line(guide.sources_of(HYDRATION_ENTRY))
        self.posture_sources = guide.sources_line(guide.sources_of(POSTURE_ENTRY))
        self.walk_sources = guide.sources_line(guide.sources_of(WALK_ENTRY))
        self.rest_sources = guide.sources_line(guide.sources_of(POSITIONS_ENTRY, BREATHING_ENTRY))
        self.doctor_sources = guide.sources_line(guide.sources_of(DOCTOR_ENTRY))
        self.stretch_sources = [guide.sources_line(item.sources) for item in self.stretches]
        self.urgent_for_pain = guide.urgent_advice(
            "You rated your pain 9 or 10 out of 10: that is severe pain."
        )
        if not self.tips or not self.water_tips or len(self.stretches) < STRETCHES_PER_DAY:
            raise ValueError("the knowledge base lacks posture tips or stretches")

    def water(self, *, glasses: int, goal: int, due_at: datetime, zone: ZoneInfo) -> NudgeMessage:
        """Remind someone to drink, saying where they stand and, in turn, why it helps."""
        left = goal - glasses
        local = due_at.astimezone(zone)
        tip = self.water_tips[(local.hour + local.toordinal()) % len(self.water_tips)]
        text = (
            f"💧 Time for a glass of water. {glasses} of {goal} glasses so far today"
            f" ({left} to go).\n{tip}"
        )
        return NudgeMessage(NudgeKind.WATER, text, ACTIONS[NudgeKind.WATER])

    def posture(self, *, due_at: datetime, zone: ZoneInfo) -> NudgeMessage:
        """Get someone up from their desk, with a tip that changes through the day."""
        local = due_at.astimezone(zone)
        tip = self.tips[(local.hour + local.toordinal()) % len(self.tips)]
        text = f"🚶 Time to get up from your desk.\n{tip}"
        return NudgeMessage(NudgeKind.POSTURE, text, ACTIONS[NudgeKind.POSTURE])

    def routine(self, *, due_at: datetime, zone: ZoneInfo) -> list[Stretch]:
        """Return the day's stretches: a different few each day, in turn."""
        day = due_at.astimezone(zone).toordinal()
        count = len(self.stretches)
        first = day * STRETCHES_PER_DAY % count
        return [self.stretches[(first + i) % count] for i in range(STRETCHES_PER_DAY)]

    def stretch(self, *, due_at: datetime, zone: ZoneInfo) -> NudgeMessage:
        """Offer the daily stretch routine with how to do each one and its caution."""
        lines = ["🧘 Time for your daily stretch:"]
        for item in self.routine(due_at=due_at, zone=zone):
            lines.append(f"• {item.name}: {item.how} ({item.dose})")
        lines.append(self.stretch_caution)
        return NudgeMessage(NudgeKind.STRETCH, "\n".join(lines), ACTIONS[NudgeKind.STRETCH])

    def gentle_posture(self) -> NudgeMessage:
        """During the acute phase of a flare: a slow, short walk instead of exercises."""
        text = f"🚶 Time to move a little, gently.\n{self.walk}"
        return NudgeMessage(NudgeKind.POSTURE, text, ACTIONS[NudgeKind.POSTURE])

    def gentle_stretch(self) -> NudgeMessage:
        """During the acute phase: breathing, positions for relief and a short walk."""
        lines = [
            "🧘 Gentle care today: no full stretches while the spasm is fresh.",
            f"• {self.breathing}",
            f"• {self.positions}",
            f"• {self.walk}",
            "Your usual routine comes back once your morning check-ins say the pain has eased;"
            " then build up slowly, never force.",
        ]
        return NudgeMessage(NudgeKind.STRETCH, "\n".join(lines), ACTIONS[NudgeKind.STRETCH])

    def care_offer(self, plan: CarePlan, treatment: Treatment) -> NudgeMessage:
        """Offer an ice or heat session with its safety line."""
        ice, heat = plan.ice_minutes, plan.heat_minutes
        if treatment is Treatment.ICE:
            text = f"🧊 Time for ice: {ice} minutes on the sore spot.\n{self.ice_safety}"
        elif treatment is Treatment.HEAT:
            text = f"🔥 Time for heat: {heat} minutes.\n{self.heat_safety}"
        else:
            text = (
                f"🧊🔥 Time for ice and heat in turn: {ice} minutes of ice, then {heat} of heat;"
                f" I'll tell you when to switch.\n{self.ice_safety}\n{self.heat_safety}"
            )
        buttons = tuple(
            (label, action)
            for label, action in ACTIONS[NudgeKind.CARE_OFFER]
            if action in (treatment.value, "skip")
        )
        return NudgeMessage(NudgeKind.CARE_OFFER, text, buttons)

    def session_alarm(self, alarm: Alarm, plan: CarePlan, session_id: int) -> NudgeMessage:
        """Say what a session's timer says: switch, take it off, or is the pad off?

        Its button names the session, so an old message cannot stop a newer session's timer.
        """
        done = session_done_action(session_id)
        on_skin = plan.steps(alarm.session.treatment)[alarm.session.step][0]
        if alarm.says == "switch":
            text = (
                f"🔁 Switch now: take the ice off and put the heat on for {plan.heat_minutes}"
                f" minutes.\n{self.heat_safety}"
            )
            return NudgeMessage(NudgeKind.SESSION_END, text, ())
        if alarm.says == "check_heat":
            text = f"🔥 Is the heating pad off? Please switch it off now.\n{self.heat_safety}"
            return NudgeMessage(NudgeKind.SESSION_END, text, (("It's off", done),))
        what = "ice" if on_skin is Treatment.ICE else "heat"
        safety = self.ice_safety if on_skin is Treatment.ICE else self.heat_safety
        text = f"⏰ Time's up: take the {what} off now and give your skin a break.\n{safety}"
        return NudgeMessage(NudgeKind.SESSION_END, text, (("Done, it's off", done),))

    def pain_check(
        self, *, see_doctor: str | None = None, ask_if_better: bool = False
    ) -> NudgeMessage:
        """Ask the morning question, with a doctor's advice if the episode needs one, and
        after a week a button to end care mode."""
        text = f"🌅 How is your back today? Tap a number: {PAIN_SCALE}."
        buttons = ACTIONS[NudgeKind.PAIN_CHECK]
        if ask_if_better:
            text += "\nIt's been a week: if your back is better, you can end care mode."
            buttons = (*buttons, BETTER)
        if see_doctor:
            text += f"\n\n🩺 Please see a doctor: {see_doctor}. {self.see_a_doctor}"
        return NudgeMessage(NudgeKind.PAIN_CHECK, text, buttons)

    def flare_closed(self, summary: FlareSummary) -> NudgeMessage:
        """Close care mode after days without a check-in, with the episode's summary."""
        text = (
            "🌤 No check-in for three days, so I've closed care mode; I hope your back is"
            f" better. {episode_line(summary)}\nIf it still hurts, /flare starts care mode"
            " again; pain that lasts more than two weeks needs a doctor."
        )
        return NudgeMessage(NudgeKind.PAIN_CHECK, text, ())

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
        the guidance, naming its sources. `water`, `posture`, `stretch`: which nudges are on.

        The one thing fits where the person is: getting checked after a warning sign, rest
        on a spasm's first day, the doctor when the episode needs one (audit M6).
        """
        well = went_well(week)
        tip, sources = self._phase_tip(phase, doctor_reason) or self._one_thing_to_try(
            week, water=water, posture=posture, stretch=stretch
        )
        lines = [
            "📅 Your week with BackCare",
            describe(week),
            f"🌱 What went well: {'; '.join(well)}." if well else "",
            f"💡 One thing to try: {tip}",
            sources,
        ]
        text = "\n".join(line for line in lines if line)
        return NudgeMessage(NudgeKind.WEEKLY_SUMMARY, text, (), chart=week)

    def _phase_tip(self, phase: WeekPhase, doctor_reason: str | None) -> tuple[str, str] | None:
        """The one thing to try while getting help, resting, or when a doctor is due."""
        match phase:
            case WeekPhase.SEEKING_HELP:
                return GET_CHECKED, ""
            case WeekPhase.RESTING:
                return f"{self.positions} {self.breathing}", self.rest_sources
            case WeekPhase.DOCTOR:
                reason = f" ({doctor_reason})" if doctor_reason else ""
                return f"See a doctor{reason}. {self.see_a_doctor}", self.doctor_sources
            case WeekPhase.ORDINARY:
                return None
            case _:
                assert_never(phase)

    def _one_thing_to_try(
        self, week: Progress, *, water: bool, posture: bool, stretch: bool
    ) -> tuple[str, str]:
        """Pick the habit that came off worst this week, and a line from the guidance on it."""
        turn = week.days[-1].day.toordinal() // 7
        if week.shows_pain:
            return self.walk, self.walk_sources  # during or after a flare: gentle movement
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
            return self.tips[turn % len(self.tips)], self.posture_sources
        if weakest == "stretch":
            index = turn % len(self.stretches)
            item = self.stretches[index]
            tip = f"{item.name}: {item.how} ({item.dose}). {self.stretch_caution}"
            return tip, self.stretch_sources[index]
        return self.water_tips[turn % len(self.water_tips)], self.water_sources


def went_well(week: Progress) -> list[str]:
    """Say, in at most two short phrases, what went best this week (nothing if nothing did)."""
    days = len(week.days)
    found: list[tuple[float, str]] = []
    if week.goal_days:
        found.append((week.goal_days / days, f"water goal met on {week.goal_days} of {days} days"))
    if week.breaks_taken:
        share = week.breaks_taken / max(week.breaks_offered, week.breaks_taken)
        found.append((share, f"{week.breaks_taken} breaks from sitting taken"))
    if week.stretch_days:
        found.append((week.stretch_days / days, f"stretches on {week.stretch_days} days"))
    scores = [d.pain for d in week.days if d.pain is not None]
    if len(scores) >= 2 and scores[-1] < scores[0]:
        found.append((1.0, f"pain down from {scores[0]} to {scores[-1]}"))
    if week.water_streak >= 3:
        found.append((0.9, f"{week.water_streak} days in a row at your water goal"))
    found.sort(key=lambda item: -item[0])
    return [phrase for _, phrase in found[:2]]
