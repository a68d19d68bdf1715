"""What a nudge says, as data: which nudge, its numbers, the tip or stretches chosen.

The composer decides these; `bot.wording.nudges` puts them into words when the nudge is
sent, so the words live in one wording tree and a second language is a catalog. Each kind
of content is a small frozen value that the outbox keeps as JSON (`to_data`, `from_data`).

`Written` is a part kept by an earlier release, whose payload held the words themselves
(`{"kind", "text", "buttons": [[label, action], ...]}`): rows still pending from before an
upgrade are sent as they were written.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal, assert_never

from jobs.rules.flare import DoctorReason, FlareSummary
from storage.kinds import Treatment


@dataclass(frozen=True, slots=True)
class Water:
    """Time for a glass: where the day stands, and one of the hydration tips, in turn."""

    glasses: int
    goal: int
    tip: int  # the hydration entry's tip by its place in the list


@dataclass(frozen=True, slots=True)
class Posture:
    """Time to get up from the desk, with one of the posture tips, in turn."""

    tip: int


@dataclass(frozen=True, slots=True)
class GentlePosture:
    """During the acute phase of a flare: a slow, short walk instead."""


@dataclass(frozen=True, slots=True)
class Stretch:
    """The day's stretch routine: knowledge entries by id, in order."""

    stretches: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GentleStretch:
    """While a spasm is fresh: breathing, positions and a walk instead of stretches."""


@dataclass(frozen=True, slots=True)
class CareOffer:
    """An offer of ice, heat, or both in turn, with the plan's minutes."""

    treatment: Treatment
    ice_minutes: int
    heat_minutes: int


@dataclass(frozen=True, slots=True)
class SessionAlarm:
    """A session's timer: switch to heat, take it off, or is the heating pad off?"""

    says: Literal["switch", "take_off", "check_heat"]
    on_skin: Treatment  # what is on the back now
    heat_minutes: int


@dataclass(frozen=True, slots=True)
class PainCheck:
    """The morning check-in, with a doctor's advice when the episode needs one."""

    # Why a doctor: a `DoctorReason` value (or, from an earlier release, its words).
    doctor: str | None = None
    ask_if_better: bool = False


@dataclass(frozen=True, slots=True)
class FlareClosed:
    """Care mode closed after days without a check-in, with how the episode went."""

    days: int
    ice_sessions: int
    heat_sessions: int
    alternating_sessions: int
    pain: tuple[int, ...]

    @classmethod
    def of(cls, summary: FlareSummary) -> FlareClosed:
        """Return the closing note for an episode's summary."""
        return cls(
            summary.days,
            summary.ice_sessions,
            summary.heat_sessions,
            summary.alternating_sessions,
            tuple(summary.pain),
        )

    @property
    def summary(self) -> FlareSummary:
        """Return the episode's summary."""
        return FlareSummary(
            self.days,
            self.ice_sessions,
            self.heat_sessions,
            self.alternating_sessions,
            list(self.pain),
        )


class Topic(StrEnum):
    """The weekly summary's one thing to try."""

    GET_CHECKED = "get-checked"  # told to get help after a warning sign, not yet seen
    REST = "rest"  # a spasm's first day: positions and breathing
    DOCTOR = "doctor"  # the episode needs a doctor
    WALK = "walk"  # during or after a flare: gentle movement
    POSTURE = "posture"  # a posture tip (`tip`)
    STRETCH = "stretch"  # one stretch (`stretch`, its entry id)
    WATER = "water"  # a hydration tip (`tip`)


@dataclass(frozen=True, slots=True)
class WeeklySummary:
    """The week under its chart (the message's chart): what went well, one thing to try."""

    topic: Topic
    tip: int = 0
    stretch: str = ""
    doctor: str | None = None  # for `Topic.DOCTOR`: why, as `PainCheck.doctor`


@dataclass(frozen=True, slots=True)
class Written:
    """A part kept by an earlier release: its words, and its buttons' labels in order."""

    text: str
    labels: tuple[str, ...] = ()


Content = (
    Water
    | Posture
    | GentlePosture
    | Stretch
    | GentleStretch
    | CareOffer
    | SessionAlarm
    | PainCheck
    | FlareClosed
    | WeeklySummary
    | Written
)


def to_data(content: Content) -> dict[str, Any]:
    """Return content as JSON-able data, tagged with what it is."""
    match content:
        case Water(glasses, goal, tip):
            return {"is": "water", "glasses": glasses, "goal": goal, "tip": tip}
        case Posture(tip):
            return {"is": "posture", "tip": tip}
        case GentlePosture():
            return {"is": "gentle-posture"}
        case Stretch(stretches):
            return {"is": "stretch", "stretches": list(stretches)}
        case GentleStretch():
            return {"is": "gentle-stretch"}
        case CareOffer(treatment, ice, heat):
            return {"is": "care-offer", "treatment": treatment.value, "ice": ice, "heat": heat}
        case SessionAlarm(says, on_skin, heat):
            return {"is": "alarm", "says": says, "on_skin": on_skin.value, "heat": heat}
        case PainCheck(doctor, better):
            return {"is": "pain-check", "doctor": doctor, "better": better}
        case FlareClosed(days, ice, heat, both, pain):
            sessions = [ice, heat, both]
            return {"is": "flare-closed", "days": days, "sessions": sessions, "pain": list(pain)}
        case WeeklySummary(topic, tip, stretch, doctor):
            return {
                "is": "week",
                "topic": topic.value,
                "tip": tip,
                "stretch": stretch,
                "doctor": doctor,
            }
        case Written(text, labels):
            return {"is": "written", "text": text, "labels": list(labels)}
        case _:
            assert_never(content)


def from_data(data: dict[str, Any]) -> Content:
    """Rebuild content kept as data by `to_data`."""
    match data["is"]:
        case "water":
            return Water(int(data["glasses"]), int(data["goal"]), int(data["tip"]))
        case "posture":
            return Posture(int(data["tip"]))
        case "gentle-posture":
            return GentlePosture()
        case "stretch":
            return Stretch(tuple(str(entry) for entry in data["stretches"]))
        case "gentle-stretch":
            return GentleStretch()
        case "care-offer":
            return CareOffer(Treatment(data["treatment"]), int(data["ice"]), int(data["heat"]))
        case "alarm":
            return SessionAlarm(data["says"], Treatment(data["on_skin"]), int(data["heat"]))
        case "pain-check":
            return PainCheck(data.get("doctor"), bool(data.get("better")))
        case "flare-closed":
            ice, heat, both = (int(count) for count in data["sessions"])
            pain = tuple(int(score) for score in data["pain"])
            return FlareClosed(int(data["days"]), ice, heat, both, pain)
        case "week":
            topic = Topic(data["topic"])
            return WeeklySummary(topic, int(data["tip"]), str(data["stretch"]), data.get("doctor"))
        case "written":
            return Written(str(data["text"]), tuple(str(label) for label in data["labels"]))
        case other:
            raise ValueError(f"not nudge content: {other!r}")


__all__ = [
    "CareOffer",
    "Content",
    "DoctorReason",
    "FlareClosed",
    "GentlePosture",
    "GentleStretch",
    "PainCheck",
    "Posture",
    "SessionAlarm",
    "Stretch",
    "Topic",
    "Water",
    "WeeklySummary",
    "Written",
    "from_data",
    "to_data",
]
