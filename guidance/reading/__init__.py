"""Reading what a person types: one `Reading` of each message, triage first.

`read(text, context)` reads a message once, before anything else acts on it:

1. **Triage** (`guidance.reading.triage`): warning signs, in the person's own words, with
   their context. Urgent and doctor findings are answered before anything else; `check`
   means ask the warning-sign question rather than guess.
2. **An answer to the bot's own question**, if it asked one (the warning-sign question):
   "yeah", "nope none of those", "not sure" act as its buttons do.
3. **What follows "get medical help now"**: worry, on the way, or seen.
4. **What the message asks for** in plain words (`intents`): "done", "2 glasses", "busy
   until 3", a question for the guide.

Nothing else in the bot triages: every handler, flow and answer uses this one reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from guidance.reading import answers
from guidance.reading.answers import AfterUrgent, Said
from guidance.reading.intents import reader
from guidance.reading.intents.reader import Intent
from guidance.reading.triage import Finding, Level, Triage
from guidance.reading.triage.words import tokens

UTC_ZONE = ZoneInfo("UTC")

__all__ = [
    "AfterUrgent",
    "Asked",
    "Level",
    "Reader",
    "Reading",
    "Said",
    "Situation",
]


class Asked(StrEnum):
    """The question the bot waits for an answer to, stored per person."""

    FLARE_SIGNS = "flare-signs"  # the warning-sign question as care mode starts
    CHECK_SIGNS = "check-signs"  # the warning-sign question triage asked when unsure


@dataclass(frozen=True, slots=True)
class Situation:
    """What the bot knows of the person when their message comes: where the reading starts."""

    now: datetime
    zone: ZoneInfo | None = None
    glass_ml: int = 250
    asked: Asked | None = None  # the question the bot waits for an answer to
    told_to_get_help: bool = False  # told to get help now, and not yet said they were seen


@dataclass(frozen=True, slots=True)
class Reading:
    """Everything the bot reads in one message, read once."""

    text: str
    finding: Finding
    said: Said | None = None  # a yes, no or "not sure" to the bot's pending question
    after_urgent: AfterUrgent | None = None
    intent: Intent | None = None  # what the message asks for (None when a sign was told)

    @property
    def level(self) -> Level:
        """Return triage's level for the message."""
        return self.finding.level


class Reader:
    """Read messages: triage, then answers, then intents."""

    def __init__(self, triage: Triage) -> None:
        self._triage = triage

    @property
    def triage(self) -> Triage:
        """Return the triage this reader reads warning signs with."""
        return self._triage

    def read(self, text: str, situation: Situation) -> Reading:
        """Read one message once, warning signs first."""
        return self.finish(self.first(text), situation)

    def first(self, text: str) -> Reading:
        """Read what comes first, before anything is known of the sender: warning signs.

        Pure and quick, so it runs on every message before any storage is touched.
        """
        return Reading(text, self._triage.check(text))

    def says_yes(self, text: str) -> bool:
        """Tell whether a message is a yes in its words or emoji ("yeah, the tingling")."""
        return answers.said(tokens(answers.with_emoji_as_words(text))) is Said.YES

    def finish(self, reading: Reading, situation: Situation) -> Reading:
        """Read the rest of a message, knowing the sender: an answer to the bot's question,
        what follows "get help now", and what the words ask for. A told sign reads no more."""
        text, finding = reading.text, reading.finding
        if finding.told:
            return reading
        said: Said | None = None
        after: AfterUrgent | None = None
        if situation.asked is not None or situation.told_to_get_help:
            words = tokens(answers.with_emoji_as_words(text))
            said = answers.said(words) if situation.asked is not None else None
            if situation.told_to_get_help and said is None:
                after = answers.after_urgent(words)
        intent = reader.read(
            text, now=situation.now, zone=situation.zone or UTC_ZONE, glass_ml=situation.glass_ml
        )
        return Reading(text, finding, said, after, intent)
