"""What each nudge says, and the buttons it offers, from the guidance knowledge base."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from guidance import Guide, Stretch
from storage.models import NudgeKind

# Actions a nudge's buttons can ask for; the bot turns them into button payloads.
ACTIONS: dict[NudgeKind, tuple[tuple[str, str], ...]] = {
    NudgeKind.WATER: (("+1 glass", "drink"), ("Snooze 30 min", "snooze"), ("Skip", "skip")),
    NudgeKind.POSTURE: (("Done", "done"), ("Snooze 10 min", "snooze"), ("Skip", "skip")),
    NudgeKind.STRETCH: (("Done", "done"), ("Skip today", "skip")),
}
STRETCHES_PER_DAY = 3


@dataclass(frozen=True, slots=True)
class NudgeMessage:
    """A nudge ready to send: its kind, text, and buttons as (label, action)."""

    kind: NudgeKind
    text: str
    buttons: tuple[tuple[str, str], ...]

    def to_payload(self) -> dict[str, Any]:
        """Return the message as JSON-able data, to keep in the outbox."""
        return {"kind": self.kind.value, "text": self.text, "buttons": list(self.buttons)}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> NudgeMessage:
        """Rebuild a message kept in the outbox."""
        return cls(
            NudgeKind(payload["kind"]),
            payload["text"],
            tuple((label, action) for label, action in payload["buttons"]),
        )


class NudgeTexts:
    """Writes nudges from the guidance: posture tips through the day, stretches by date."""

    def __init__(self, guide: Guide) -> None:
        self.tips = guide.posture_tips()
        self.stretches: list[Stretch] = guide.stretches()
        self.stretch_caution = guide.stretch_caution()
        if not self.tips or len(self.stretches) < STRETCHES_PER_DAY:
            raise ValueError("the knowledge base lacks posture tips or stretches")

    def water(self, *, glasses: int, goal: int) -> NudgeMessage:
        """Remind someone to drink, saying where they stand."""
        left = goal - glasses
        text = (
            f"💧 Time for a glass of water. {glasses} of {goal} glasses so far today"
            f" ({left} to go)."
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
