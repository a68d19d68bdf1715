"""A nudge message as the composer writes it: its parts, their content and buttons' actions,
and what becomes of messages sent earlier (retired when the next of their kind goes out)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from jobs.composer.content import Content, Written, from_data, to_data
from jobs.rules.progress import Progress
from storage.kinds import NudgeKind

# What each nudge's buttons ask for, in order; the bot labels them (`bot.wording.nudges`)
# and turns them into button payloads (`bot.callbacks`).
ACTIONS: dict[NudgeKind, tuple[str, ...]] = {
    NudgeKind.WATER: ("drink", "snooze", "skip"),
    NudgeKind.POSTURE: ("done", "snooze", "skip"),
    NudgeKind.STRETCH: ("guide", "done", "skip"),
    NudgeKind.CARE_OFFER: ("ice", "heat", "alternate", "skip"),
    NudgeKind.SESSION_END: ("done",),
    NudgeKind.PAIN_CHECK: tuple(str(score) for score in range(11)),
    NudgeKind.WEEKLY_SUMMARY: (),
}


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
BETTER = "better"


@dataclass(frozen=True, slots=True)
class NudgeMessage:
    """A nudge to send: its kind, what it says (`content`), and its buttons' actions.

    Nudges due within minutes of each other go out as one message: the first carries the
    others in `more`, each with its own content and buttons. A message with a `chart` goes
    out as that chart's picture, with the words as its caption (the weekly summary).
    `slower` says a part comes less often now (and offers a pause for today); `missed`,
    that it was left unanswered and retired. The words come at the edge, in
    `bot.wording.nudges`, which says a line the message already says (a safety line, a
    caution) once.
    """

    kind: NudgeKind
    says: Content
    buttons: tuple[str, ...]
    more: tuple[NudgeMessage, ...] = ()
    chart: Progress | None = None
    slower: bool = False
    missed: bool = False

    @property
    def parts(self) -> tuple[NudgeMessage, ...]:
        """Return each nudge in the message on its own, the first first."""
        if not self.more and self.chart is None:
            return (self,)  # most messages: one part, as it is (no copy per send)
        return (dataclasses.replace(self, more=(), chart=None), *self.more)

    @classmethod
    def of_parts(cls, parts: Sequence[NudgeMessage]) -> NudgeMessage:
        """Return one message of these parts, as they are (the first carries the rest)."""
        first, *more = parts
        return dataclasses.replace(first, more=tuple(more), chart=None)

    def with_part(self, other: NudgeMessage) -> NudgeMessage:
        """Return this message with another nudge's parts added after its own."""
        return dataclasses.replace(self, more=(*self.more, *other.parts))

    def to_payload(self) -> dict[str, Any]:
        """Return the message as JSON-able data, to keep in the outbox."""
        payload: dict[str, Any] = {
            "kind": self.kind.value,
            "says": to_data(self.says),
            "buttons": list(self.buttons),
        }
        if self.slower:
            payload["slower"] = True
        if self.missed:
            payload["missed"] = True
        if self.more:
            payload["more"] = [part.to_payload() for part in self.more]
        if self.chart is not None:
            payload["chart"] = self.chart.to_payload()
        return payload

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> NudgeMessage:
        """Rebuild a message kept in the outbox, in either form: content (`says`), or the
        words an earlier release kept (`text`, buttons as [label, action])."""
        if "says" in payload:
            says = from_data(payload["says"])
            buttons = tuple(str(action) for action in payload["buttons"])
        else:
            labelled = [(str(label), str(action)) for label, action in payload["buttons"]]
            says = Written(str(payload["text"]), tuple(label for label, _ in labelled))
            buttons = tuple(action for _, action in labelled)
        return cls(
            NudgeKind(payload["kind"]),
            says,
            buttons,
            tuple(cls.from_payload(part) for part in payload.get("more", ())),
            Progress.from_payload(payload["chart"]) if "chart" in payload else None,
            slower=bool(payload.get("slower")),
            missed=bool(payload.get("missed")),
        )


# A part retired unanswered is recorded under its kind with this ending ("water.missed").
MISSED_MARK = ".missed"
# BackCare's own rule: after this many of a kind left in a row, that kind comes less often
# and offers a pause for the day; an answer brings the usual rhythm back.
IGNORED_IN_A_ROW = 3
REST_TODAY = "rest"


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
    """Mark the part of a kind as coming less often now, with a pause for today."""
    parts = [
        dataclasses.replace(part, buttons=(*part.buttons, REST_TODAY), slower=True)
        if part.kind is kind
        else part
        for part in message.parts
    ]
    return NudgeMessage.of_parts(parts)


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
            parts.append(dataclasses.replace(part, buttons=(), missed=True))
        elif sent.waits_on(part.kind):
            parts.append(part)
        else:
            parts.append(dataclasses.replace(part, buttons=()))
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
