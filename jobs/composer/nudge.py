"""What each nudge says, and the buttons it offers, from the guidance knowledge base."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from jobs.rules.flare import FlareSummary, trend
from jobs.rules.progress import Progress
from storage.kinds import NudgeKind

# Actions a nudge's buttons can ask for; the bot turns them into button payloads.
ACTIONS: dict[NudgeKind, tuple[tuple[str, str], ...]] = {
    NudgeKind.WATER: (("+1 glass", "drink"), ("Snooze 30 min", "snooze"), ("Skip", "skip")),
    NudgeKind.POSTURE: (("Done", "done"), ("Snooze 10 min", "snooze"), ("Skip", "skip")),
    NudgeKind.STRETCH: (("▶️ Start", "guide"), ("Done", "done"), ("Skip today", "skip")),
    NudgeKind.CARE_OFFER: (
        ("Start ice", "ice"),
        ("Start heat", "heat"),
        ("Start ice + heat", "alternate"),
        ("Skip", "skip"),
    ),
    NudgeKind.SESSION_END: (("Done, it's off", "done"),),
    NudgeKind.PAIN_CHECK: tuple((str(score), str(score)) for score in range(11)),
    NudgeKind.WEEKLY_SUMMARY: (),
}
PAIN_SCALE = "0 = no pain, 10 = the worst you can imagine"


def session_done_action(session_id: int) -> str:
    """Return the button action that says one particular session is off."""
    return f"done.{session_id}"


def session_of(action: str) -> int | None:
    """Return the session a session-end action names (None for a plain `done`)."""
    word, _, number = action.partition(".")
    if word != "done" or (number and not (number.isascii() and number.isdigit())):
        raise ValueError(f"not a session-end action: {action!r}")
    return int(number) if number else None


STRETCHES_PER_DAY = 3
# After a week, the morning check-in also offers to end care mode.
BETTER = ("🌤 It's better: end care mode", "better")


def episode_line(summary: FlareSummary) -> str:
    """Say in one line how an episode went: days, sessions and the pain trend."""
    sessions = [f"{summary.ice_sessions} ice", f"{summary.heat_sessions} heat"]
    if summary.alternating_sessions:
        sessions.append(f"{summary.alternating_sessions} ice-and-heat")
    days = "1 day" if summary.days == 1 else f"{summary.days} days"
    return f"This episode: {days}; sessions: {', '.join(sessions)}; pain: {trend(summary.pain)}."


@dataclass(frozen=True, slots=True)
class NudgeMessage:
    """A nudge ready to send: its kind, text, and buttons as (label, action).

    Nudges due within minutes of each other go out as one message: the first carries the
    others in `more`, each with its own text and buttons. A message with a `chart` goes
    out as that chart's picture, with the text as its caption (the weekly summary).
    """

    kind: NudgeKind
    text: str
    buttons: tuple[tuple[str, str], ...]
    more: tuple[NudgeMessage, ...] = ()
    chart: Progress | None = None

    @property
    def parts(self) -> tuple[NudgeMessage, ...]:
        """Return each nudge in the message on its own, the first first."""
        return (NudgeMessage(self.kind, self.text, self.buttons), *self.more)

    @property
    def full_text(self) -> str:
        """Return the text of every part, a blank line apart."""
        return "\n\n".join(part.text for part in self.parts)

    @classmethod
    def of_parts(cls, parts: Sequence[NudgeMessage]) -> NudgeMessage:
        """Return one message of these parts, as they are (the first carries the rest)."""
        first, *more = parts
        return cls(first.kind, first.text, first.buttons, tuple(more))

    def with_part(self, other: NudgeMessage) -> NudgeMessage:
        """Return this message with another nudge's parts added after its own.

        A line the message already says (a safety line, a caution) is said once.
        """
        said = {line for part in self.parts for line in part.text.splitlines() if line}
        added = []
        for part in other.parts:
            lines = [line for line in part.text.splitlines() if line not in said]
            said.update(lines)
            added.append(NudgeMessage(part.kind, "\n".join(lines), part.buttons))
        return NudgeMessage(self.kind, self.text, self.buttons, (*self.more, *added), self.chart)

    def to_payload(self) -> dict[str, Any]:
        """Return the message as JSON-able data, to keep in the outbox."""
        payload: dict[str, Any] = {
            "kind": self.kind.value,
            "text": self.text,
            "buttons": list(self.buttons),
        }
        if self.more:
            payload["more"] = [part.to_payload() for part in self.more]
        if self.chart is not None:
            payload["chart"] = self.chart.to_payload()
        return payload

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> NudgeMessage:
        """Rebuild a message kept in the outbox."""
        return cls(
            NudgeKind(payload["kind"]),
            payload["text"],
            tuple((label, action) for label, action in payload["buttons"]),
            tuple(cls.from_payload(part) for part in payload.get("more", ())),
            Progress.from_payload(payload["chart"]) if "chart" in payload else None,
        )


# Said on a nudge left unanswered when the next of its kind goes out (its buttons go).
MISSED = "⏭ Missed: this one has passed."
# A part retired unanswered is recorded under its kind with this ending ("water.missed").
MISSED_MARK = ".missed"
# BackCare's own rule: after this many of a kind left in a row, that kind comes less often
# and offers a pause for the day; an answer brings the usual rhythm back.
IGNORED_IN_A_ROW = 3
REST_TODAY = ("⏸ Pause these for today", "rest")
SLOWER = (
    "You've let the last few pass, so these will come less often for now. "
    "Answer one to bring the usual rhythm back, or pause them for today."
)


@dataclass(frozen=True, slots=True)
class OpenNudge:
    """A message sent earlier, and which of its parts were answered (or retired) since.

    `answered` holds kind values; "" stands for the whole message (a press recorded before
    messages had parts). `sent_at` is when it was sent, where known.
    """

    message_id: int
    message: NudgeMessage
    answered: frozenset[str] = frozenset()
    sent_at: datetime | None = None

    def has(self, kind: NudgeKind) -> bool:
        """Tell whether the message has a part of this kind."""
        return any(part.kind is kind for part in self.message.parts)

    def waits_on(self, kind: NudgeKind) -> bool:
        """Tell whether the message has a part of this kind still waiting for an answer."""
        done = ("", kind.value, kind.value + MISSED_MARK)
        if any(mark in self.answered for mark in done):
            return False
        return any(part.kind is kind and part.buttons for part in self.message.parts)

    def missed(self, kind: NudgeKind) -> bool:
        """Tell whether this message's part of a kind was left unanswered and retired."""
        return kind.value + MISSED_MARK in self.answered


def ignored_in_a_row(
    opened: Sequence[OpenNudge], kind: NudgeKind, *, since: datetime | None = None
) -> int:
    """Count the latest nudges of a kind left unanswered, newest first, until an answer.

    Only those sent from `since` on count: a new day starts afresh.
    """
    count = 0
    for sent in reversed(opened):
        if since is not None and sent.sent_at is not None and sent.sent_at < since:
            break
        if not sent.has(kind):
            continue
        if not (sent.missed(kind) or sent.waits_on(kind)):
            break
        count += 1
    return count


def offering_rest(message: NudgeMessage, kind: NudgeKind) -> NudgeMessage:
    """Add to the part of a kind that it comes less often now, and a pause for today."""
    parts = [
        NudgeMessage(part.kind, f"{part.text}\n{SLOWER}", (*part.buttons, _rest_button(part)))
        if part.kind is kind
        else part
        for part in message.parts
    ]
    return NudgeMessage.of_parts(parts)


def _rest_button(part: NudgeMessage) -> tuple[str, str]:
    """The pause-for-today button, named for what an ice or heat offer offers."""
    if part.kind is not NudgeKind.CARE_OFFER:
        return REST_TODAY
    actions = {action for _, action in part.buttons}
    name = "heat" if "heat" in actions and "ice" not in actions else "ice"
    return (f"⏸ Pause {name} for today", REST_TODAY[1])


@dataclass(frozen=True, slots=True)
class Edit:
    """A change to a message sent earlier: its new content, and whether its text changes
    (else only its buttons: the text may hold replies that were added to it)."""

    message_id: int
    message: NudgeMessage
    with_text: bool
    retired: tuple[NudgeKind, ...]


def retire(sent: OpenNudge, kinds: frozenset[NudgeKind]) -> Edit:
    """Mark parts of an earlier message as missed and take their buttons away.

    Parts retired before stay missed, and no part already answered gets its buttons back.
    When a part was answered, its reply is part of the text Telegram shows, so only the
    buttons are edited then.
    """
    parts = []
    for part in sent.message.parts:
        if part.kind in kinds or sent.missed(part.kind):
            parts.append(NudgeMessage(part.kind, f"{part.text}\n{MISSED}", ()))
        elif sent.waits_on(part.kind):
            parts.append(part)
        else:
            parts.append(NudgeMessage(part.kind, part.text, ()))
    edited = NudgeMessage.of_parts(parts)
    retired = tuple(sorted(kinds, key=lambda kind: kind.value))
    replied = any(not mark.endswith(MISSED_MARK) for mark in sent.answered)
    return Edit(sent.message_id, edited, with_text=not replied, retired=retired)


class WeekPhase(StrEnum):
    """Where someone stands at the weekly summary, for its one thing to try."""

    ORDINARY = "ordinary"
    SEEKING_HELP = "seeking-help"  # told to get help, not yet seen
    RESTING = "resting"  # a spasm's first day
    DOCTOR = "doctor"  # the episode needs a doctor (the care plan's doctor rule)
