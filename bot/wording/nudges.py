"""The nudges' words: what each nudge's content says, and its buttons' labels.

The composer (`jobs.composer`) decides what a nudge says as content: the nudge, its
numbers, the tip or stretches it chose, its buttons' actions. `NudgeTexts` says it when
the nudge goes out or is edited, with the guidance's own lines from the knowledge base
(tips, safety lines, cautions, sources). A part kept by an earlier release (`Written`)
is said as it was written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import assert_never

from bot.i18n import _, ngettext
from bot.wording.progress import describe, went_well
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
from jobs.composer.choices import NudgeChoices
from jobs.composer.content import (
    CareOffer,
    Content,
    FlareClosed,
    GentlePosture,
    GentleStretch,
    PainCheck,
    Posture,
    SessionAlarm,
    Topic,
    Water,
    WeeklySummary,
    Written,
)
from jobs.composer.content import Stretch as Routine
from jobs.composer.nudge import BETTER, REST_TODAY, NudgeMessage
from jobs.rules.flare import HIGH_PAIN, DoctorReason, FlareSummary
from jobs.rules.progress import Progress
from storage.kinds import NudgeKind, Treatment

# Said on a nudge left unanswered when the next of its kind goes out (its buttons go).
MISSED = _("⏭ Missed: this one has passed.")
# Said under a kind left unanswered again and again (BackCare's own rule, `jobs.composer`).
SLOWER = _(
    "You've let the last few pass, so these will come less often for now. "
    "Answer one to bring the usual rhythm back, or pause them for today."
)
# Not from the documents: the bot's own hold after a warning sign, said as such.
GET_CHECKED = _(
    'Get checked as planned, and tap "I\'ve been seen" once you have: until '
    "then I hold stretches, posture breaks and ice or heat offers (my own "
    "rule)."
)
PAIN_SCALE = _("0 = no pain, 10 = the worst you can imagine")

# Each button's label, by nudge and action (`jobs.composer.nudge.ACTIONS`).
LABELS: dict[NudgeKind, dict[str, str]] = {
    NudgeKind.WATER: {"drink": _("+1 glass"), "snooze": _("Snooze 30 min"), "skip": _("Skip")},
    NudgeKind.POSTURE: {"done": _("Done"), "snooze": _("Snooze 10 min"), "skip": _("Skip")},
    NudgeKind.STRETCH: {"guide": _("▶️ Start"), "done": _("Done"), "skip": _("Skip today")},
    NudgeKind.CARE_OFFER: {
        "ice": _("Start ice"),
        "heat": _("Start heat"),
        "alternate": _("Start ice + heat"),
        "skip": _("Skip"),
    },
}
BETTER_LABEL = _("🌤 It's better: end care mode")
REST_TODAY_LABEL = _("⏸ Pause these for today")
REST_ICE_LABEL = _("⏸ Pause ice for today")
REST_HEAT_LABEL = _("⏸ Pause heat for today")
TAKEN_OFF_LABEL = _("Done, it's off")
PAD_OFF_LABEL = _("It's off")

# A message's buttons as shown: each part's kind, and its buttons as (label, action).
Labelled = tuple[tuple[NudgeKind, tuple[tuple[str, str], ...]], ...]


def why_a_doctor(reason: str) -> str:
    """Say why an episode needs a doctor (a reason kept by an earlier release, as it was)."""
    try:
        known = DoctorReason(reason)
    except ValueError:
        return reason
    match known:
        case DoctorReason.LASTING:
            return _("this episode has lasted more than two weeks")
        case DoctorReason.HIGH_PAIN:
            return _(
                "your pain has stayed at {high_pain} or more (a cautious rule of my own)"
            ).format(high_pain=HIGH_PAIN)
        case DoctorReason.WORSE:
            return _("your pain has got worse three days running")
        case _:
            assert_never(known)


def trend(scores: Sequence[int]) -> str:
    """Describe the pain scores so far, e.g. `7 → 5 → 3 (easing)`."""
    if not scores:
        return _("no check-ins yet")
    shown = " → ".join(str(score) for score in scores[-7:])
    if len(scores) < 2 or scores[-1] == scores[0]:
        return shown
    if scores[-1] < scores[0]:
        return _("{scores} (easing)").format(scores=shown)
    return _("{scores} (worse)").format(scores=shown)


def episode_line(summary: FlareSummary) -> str:
    """Say in one line how an episode went: days, sessions and the pain trend."""
    sessions = [
        _("{count} ice").format(count=summary.ice_sessions),
        _("{count} heat").format(count=summary.heat_sessions),
    ]
    if summary.alternating_sessions:
        sessions.append(_("{count} ice-and-heat").format(count=summary.alternating_sessions))
    days = ngettext("{count} day", "{count} days", summary.days).format(count=summary.days)
    return _("This episode: {days}; sessions: {sessions}; pain: {trend}.").format(
        days=days, sessions=", ".join(sessions), trend=trend(summary.pain)
    )


class NudgeTexts:
    """Says nudges in words, with the guidance's lines: posture and water tips, stretches,
    safety lines and cautions, and the sources behind each."""

    def __init__(self, guide: Guide) -> None:
        self.choices = NudgeChoices.of(guide)
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
        self.urgent_if_yes = guide.urgent_advice(_("You said yes to one of these warning signs."))
        self.water_sources = guide.sources_line(guide.sources_of(HYDRATION_ENTRY))
        self.posture_sources = guide.sources_line(guide.sources_of(POSTURE_ENTRY))
        self.walk_sources = guide.sources_line(guide.sources_of(WALK_ENTRY))
        self.rest_sources = guide.sources_line(guide.sources_of(POSITIONS_ENTRY, BREATHING_ENTRY))
        self.doctor_sources = guide.sources_line(guide.sources_of(DOCTOR_ENTRY))
        self.urgent_for_pain = guide.urgent_advice(
            _("You rated your pain 9 or 10 out of 10: that is severe pain.")
        )
        # Each stretch by its entry id, with the line naming its sources.
        self._stretch = {
            item.entry_id: (item, guide.sources_line(item.sources)) for item in self.stretches
        }

    # -- a whole message ---------------------------------------------------------------------

    def say(self, message: NudgeMessage) -> str:
        """Return a message's words: each part's, a blank line apart."""
        return "\n\n".join(self.part_texts(message))

    def part_texts(self, message: NudgeMessage) -> list[str]:
        """Return each part's words. A line an earlier part says (a safety line, a caution)
        is said once; a part retired unanswered says it was missed."""
        said: set[str] = set()
        texts = []
        parts = message.parts
        for index, part in enumerate(parts):
            text = self._says(part.says, message.chart)
            if part.slower:
                text = f"{text}\n{SLOWER}"
            if index:
                lines = [line for line in text.splitlines() if line not in said]
                text = "\n".join(lines)
            if index + 1 < len(parts):  # the lines a later part leaves out
                said.update(line for line in text.splitlines() if line)
            texts.append(f"{text}\n{MISSED}" if part.missed else text)
        return texts

    def labelled(self, message: NudgeMessage) -> Labelled:
        """Return each part's kind and its buttons as (label, action)."""
        return tuple((part.kind, self.buttons(part)) for part in message.parts)

    def buttons(self, part: NudgeMessage) -> tuple[tuple[str, str], ...]:
        """Return a part's buttons as (label, action)."""
        if isinstance(part.says, Written):
            return tuple(zip(part.says.labels, part.buttons, strict=False))
        return tuple((self._label(part, action), action) for action in part.buttons)

    def _label(self, part: NudgeMessage, action: str) -> str:
        """Name one button of a part by what it does."""
        if action == REST_TODAY:
            return _rest_label(part)
        if part.kind is NudgeKind.PAIN_CHECK:
            return BETTER_LABEL if action == BETTER else action
        if part.kind is NudgeKind.SESSION_END:
            pad = isinstance(part.says, SessionAlarm) and part.says.says == "check_heat"
            return PAD_OFF_LABEL if pad else TAKEN_OFF_LABEL
        return LABELS.get(part.kind, {}).get(action, action)

    # -- each kind of content ----------------------------------------------------------------

    def _says(self, says: Content, chart: Progress | None) -> str:
        """Return what one part's content says."""
        match says:
            case Water(glasses, goal, tip):
                return _(
                    "💧 Time for a glass of water. {glasses} of {goal} glasses so far today "
                    "({left} to go).\n"
                    "{tip}"
                ).format(
                    glasses=glasses,
                    goal=goal,
                    left=goal - glasses,
                    tip=self.water_tips[tip % len(self.water_tips)],
                )
            case Posture(tip):
                return _("🚶 Time to get up from your desk.\n{tip}").format(
                    tip=self.tips[tip % len(self.tips)]
                )
            case GentlePosture():
                return _("🚶 Time to move a little, gently.\n{walk}").format(walk=self.walk)
            case Routine(stretches):
                return self._routine(stretches)
            case GentleStretch():
                return self._gentle_stretch()
            case CareOffer():
                return self._care_offer(says)
            case SessionAlarm():
                return self._alarm(says)
            case PainCheck(doctor, ask_if_better):
                return self._pain_check(doctor, ask_if_better=ask_if_better)
            case FlareClosed():
                return _(
                    "🌤 No check-in for three days, so I've closed care mode; I hope your "
                    "back is better. {episode_line}\n"
                    "If it still hurts, /flare starts care mode again; pain that lasts more "
                    "than two weeks needs a doctor."
                ).format(episode_line=episode_line(says.summary))
            case WeeklySummary():
                return self._weekly_summary(says, chart)
            case Written(text):
                return text
            case _:
                assert_never(says)

    def _routine(self, stretches: Sequence[str]) -> str:
        """The daily stretch routine, with how to do each one and its caution."""
        lines = [_("🧘 Time for your daily stretch:")]
        for entry_id in stretches:
            if entry_id in self._stretch:  # a stretch gone from the knowledge base goes
                item, _sources = self._stretch[entry_id]
                lines.append(f"• {item.name}: {item.how} ({item.dose})")
        lines.append(self.stretch_caution)
        return "\n".join(lines)

    def _gentle_stretch(self) -> str:
        """During the acute phase: breathing, positions for relief and a short walk."""
        return "\n".join(
            [
                _("🧘 Gentle care today: no full stretches while the spasm is fresh."),
                f"• {self.breathing}",
                f"• {self.positions}",
                f"• {self.walk}",
                _(
                    "Your usual routine comes back once your morning check-ins say the pain "
                    "has eased; then build up slowly, never force."
                ),
            ]
        )

    def _care_offer(self, offer: CareOffer) -> str:
        """Offer an ice or heat session with its safety line."""
        ice, heat = offer.ice_minutes, offer.heat_minutes
        if offer.treatment is Treatment.ICE:
            return _("🧊 Time for ice: {ice} minutes on the sore spot.\n{ice_safety}").format(
                ice=ice, ice_safety=self.ice_safety
            )
        if offer.treatment is Treatment.HEAT:
            return _("🔥 Time for heat: {heat} minutes.\n{heat_safety}").format(
                heat=heat, heat_safety=self.heat_safety
            )
        return _(
            "🧊🔥 Time for ice and heat in turn: {ice} minutes of ice, then {heat} of "
            "heat; I'll tell you when to switch.\n"
            "{ice_safety}\n"
            "{heat_safety}"
        ).format(ice=ice, heat=heat, ice_safety=self.ice_safety, heat_safety=self.heat_safety)

    def _alarm(self, alarm: SessionAlarm) -> str:
        """Say what a session's timer says: switch, take it off, or is the pad off?"""
        if alarm.says == "switch":
            return _(
                "🔁 Switch now: take the ice off and put the heat on for {heat_minutes} "
                "minutes.\n"
                "{heat_safety}"
            ).format(heat_minutes=alarm.heat_minutes, heat_safety=self.heat_safety)
        if alarm.says == "check_heat":
            return _("🔥 Is the heating pad off? Please switch it off now.\n{heat_safety}").format(
                heat_safety=self.heat_safety
            )
        if alarm.on_skin is Treatment.ICE:
            return _(
                "⏰ Time's up: take the ice off now and give your skin a break.\n{ice_safety}"
            ).format(ice_safety=self.ice_safety)
        return _(
            "⏰ Time's up: take the heat off now and give your skin a break.\n{heat_safety}"
        ).format(heat_safety=self.heat_safety)

    def _pain_check(self, doctor: str | None, *, ask_if_better: bool) -> str:
        """The morning question, with a doctor's advice if the episode needs one."""
        text = _("🌅 How is your back today? Tap a number: {pain_scale}.").format(
            pain_scale=PAIN_SCALE
        )
        if ask_if_better:
            text += "\n" + _("It's been a week: if your back is better, you can end care mode.")
        if doctor:
            text += "\n\n" + _("🩺 Please see a doctor: {reason}. {see_a_doctor}").format(
                reason=why_a_doctor(doctor), see_a_doctor=self.see_a_doctor
            )
        return text

    def _weekly_summary(self, summary: WeeklySummary, week: Progress | None) -> str:
        """The week in words under its chart: what went well, and one thing to try."""
        well = went_well(week) if week is not None else []
        tip, sources = self._one_thing_to_try(summary)
        lines = [
            _("📅 Your week with BackCare"),
            describe(week) if week is not None else "",
            _("🌱 What went well: {things}.").format(things="; ".join(well)) if well else "",
            _("💡 One thing to try: {tip}").format(tip=tip),
            sources,
        ]
        return "\n".join(line for line in lines if line)

    def _one_thing_to_try(self, summary: WeeklySummary) -> tuple[str, str]:
        """The week's one thing to try, and the line naming its sources."""
        match summary.topic:
            case Topic.GET_CHECKED:
                return GET_CHECKED, ""
            case Topic.REST:
                return f"{self.positions} {self.breathing}", self.rest_sources
            case Topic.DOCTOR if summary.doctor:
                see = _("See a doctor ({reason}). {see_a_doctor}").format(
                    reason=why_a_doctor(summary.doctor), see_a_doctor=self.see_a_doctor
                )
                return see, self.doctor_sources
            case Topic.DOCTOR:
                see = _("See a doctor. {see_a_doctor}").format(see_a_doctor=self.see_a_doctor)
                return see, self.doctor_sources
            case Topic.WALK:
                return self.walk, self.walk_sources
            case Topic.POSTURE:
                return self.tips[summary.tip % len(self.tips)], self.posture_sources
            case Topic.STRETCH if summary.stretch in self._stretch:
                item, sources = self._stretch[summary.stretch]
                return f"{item.name}: {item.how} ({item.dose}). {self.stretch_caution}", sources
            case Topic.WATER | Topic.STRETCH:  # a stretch gone from the knowledge base: water
                return self.water_tips[summary.tip % len(self.water_tips)], self.water_sources
            case _:
                assert_never(summary.topic)


def _rest_label(part: NudgeMessage) -> str:
    """The pause-for-today button, named for what an ice or heat offer offers."""
    if part.kind is not NudgeKind.CARE_OFFER:
        return REST_TODAY_LABEL
    heat_only = "heat" in part.buttons and "ice" not in part.buttons
    return REST_HEAT_LABEL if heat_only else REST_ICE_LABEL
