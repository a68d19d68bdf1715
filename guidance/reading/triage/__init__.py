"""Warning-sign triage: what in a message needs a doctor, now or soon, or a question first.

Meaning, not keywords. A warning sign is a meeting of ideas in one clause (signs.toml): a
change in feeling where you sit, a toilet word and something gone wrong with it, a weak
word and a leg; each idea is many ways of saying it (lexicon.toml). Then context decides
whether the person is telling it of themselves, now (scope.py, after ConText/NegEx): "no
numbness", "my dad's legs are numb", "numb from the ice pack", "years ago, long gone".

A sign that survives its context sets the level: `urgent` (get medical help now) or
`doctor` (see a doctor today, or soon). When no sign is told but the message speaks of the
person's own feeling, toilet, legs, balance or a fever, the level is `check`: ask the
warning-sign question rather than guess. A learned second opinion (learned.py) can raise
a calm reading to `check`; it never quietens a sign the rules found.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import overload

from guidance.reading.triage.concepts import Found, Text, find, lexicon
from guidance.reading.triage.learned import DOMAIN, Opinion, SecondOpinion
from guidance.reading.triage.scope import (
    Context,
    Modifier,
    Rules,
    context_of,
    modifiers,
    rules,
)
from guidance.reading.triage.signs import Frame, Level, Sign, SignTable, When, table
from guidance.reading.triage.words import Corrector, tokens

__all__ = ["CALM", "Context", "Finding", "Level", "Sign", "Triage", "When"]

# Triage reads the whole of the longest message Telegram delivers: a warning sign counts
# wherever it is.
MAX_CHARS = 4096


@dataclass(frozen=True, slots=True)
class Finding:
    """What triage read in one message."""

    level: Level
    signs: tuple[Sign, ...] = ()  # the warning signs described, most urgent first
    asked: tuple[Sign, ...] = ()  # signs only asked about, or told of someone else
    others: tuple[Sign, ...] = ()  # of those, the ones told of someone else
    unsure: frozenset[str] = frozenset()  # what made triage ask: "feeling", "toilet"…
    opinion: float = 0.0  # the learned second opinion: how likely a warning sign is
    asked_about: frozenset[str] = frozenset()  # asked about, not told: "is numbness bad?"
    about_body: bool = False  # it speaks of the body (legs, toilet, chest, pain…): never declined

    @property
    def urgent(self) -> bool:
        """Tell whether the message needs medical help now."""
        return self.level is Level.URGENT

    @property
    def asks(self) -> bool:
        """Tell whether the answer should ask the warning-sign question (with its buttons)."""
        return self.level is Level.CHECK or (self.level is Level.DOCTOR and bool(self.unsure))

    @property
    def told(self) -> bool:
        """Tell whether the message tells of a warning sign (urgent or doctor)."""
        return self.level.rank >= Level.DOCTOR.rank


CALM = Finding(Level.NONE)

# What each frame of the check is about, for "at most once an hour unless something new".
_ABOUT = {
    "feel_word": "feeling",
    "feel_loss": "feeling",
    "feel_odd": "feeling",
    "odd": "feeling",
    "toilet": "toilet",
    "toilet_hint": "toilet",
    "toilet_change": "toilet",
    "balance_word": "balance",
    "fever_hint": "fever",
    "weak": "legs",
    "limb": "legs",
    "face_hint": "face",
    "chest_hint": "chest",
    "balance_hint": "balance",
    "temperature_word": "fever",
    "limb_fails": "legs",
}
_QUIET = frozenset({Context.HARMLESS, Context.ICED_BACK})
# What, said of the concept a frame meets, says it of the whole frame.
_DENIES_THE_FRAME = frozenset({Context.NEGATED, Context.OTHER_PERSON, Context.HISTORICAL})


class _Triggers(Sequence[Modifier]):
    """The message's trigger phrases, looked for only once some sign needs its context."""

    def __init__(self, text: Text, table: Rules) -> None:
        self._text = text
        self._table = table
        self._found: list[Modifier] | None = None

    @property
    def found(self) -> list[Modifier]:
        if self._found is None:
            self._found = modifiers(self._text, self._table)
        return self._found

    @property
    def contexts(self) -> frozenset[Context]:
        """Return every context some trigger of the message names."""
        return frozenset(trigger.context for trigger in self.found)

    @overload
    def __getitem__(self, index: int) -> Modifier: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Modifier]: ...
    def __getitem__(self, index: int | slice) -> Modifier | Sequence[Modifier]:
        return self.found[index]

    def __len__(self) -> int:
        return len(self.found)


class Triage:
    """Read warning signs in plain, misspelt messages, with their context."""

    def __init__(
        self,
        *,
        known_words: Iterable[str] = (),
        protect: bool = True,
        second_opinion: SecondOpinion | None = None,
    ) -> None:
        self._corrector = Corrector(known_words=known_words, protect=protect)
        # The patterns compile on the first message (or `warm`), not at start-up: the bot
        # sends its first nudge without waiting for them.
        self._table: SignTable = table()
        self._second = second_opinion if second_opinion is not None else SecondOpinion.load()

    def warm(self) -> None:
        """Compile the patterns now, so that the first message does not wait for them."""
        lexicon()
        rules()

    @property
    def table(self) -> SignTable:
        """Return the signs table triage reads by."""
        return self._table

    def correct(self, word: str) -> str:
        """Return a word with a typo in a body part or symptom corrected."""
        return self._corrector.correct(word)

    def check(self, message: str, *, rules_only: bool = False) -> Finding:
        """Return the level and the warning signs a message describes or asks about."""
        words = self._corrector.correct_all(tokens(message[:MAX_CHARS]))
        if not words:
            return CALM
        text = Text(words)
        found = find(text, lexicon())
        triggers = _Triggers(text, rules())
        described: list[Sign] = []
        asked: list[Sign] = []
        others: list[Sign] = []
        demoted = False
        persisting = bool(found.get("persisting"))
        for sign in self._table.signs:
            if sign.requires and not found.get(sign.requires):
                continue
            contexts, firm = self._contexts(text, sign.frames, found, triggers, sign.contexts)
            explained = not firm and bool(sign.asks_if_explained & contexts) and persisting
            # A harmless cause named in another sentence ("…my foot went dead. I'd been
            # kneeling on it") does not quieten a sign, but makes triage ask, not tell.
            named = (
                not firm and None in contexts and bool(sign.asks_if_explained & triggers.contexts)
            )
            if named or explained:
                # Explained by a harmless cause elsewhere, or one that has not worn off: ask.
                demoted = True
            elif None in contexts:
                described.append(sign)
            elif Context.OTHER_PERSON in contexts:
                asked.append(sign)
                others.append(sign)
            elif Context.HYPOTHETICAL in contexts:
                asked.append(sign)
        keys = {sign.key for sign in described}
        described = [sign for sign in described if not sign.yields_to & keys]
        described.sort(key=lambda sign: -sign.level.rank)
        body = any(found.get(name) for name in (*DOMAIN, "about_pain"))
        if described and described[0].level is Level.URGENT:
            return Finding(
                Level.URGENT, tuple(described), tuple(asked), tuple(others), about_body=True
            )
        unsure, asked_about = self._unsure(text, found, triggers)
        if others:
            unsure = frozenset()
        if demoted:
            unsure |= {"feeling"}
        opinion = 0.0
        if not (rules_only or unsure or others) and self._told_of_the_body(text, found, triggers):
            # The second opinion is asked of a doctor-level reading too: "absolute agony"
            # with bladder trouble in words the rules miss is asked about, not only sent to
            # a doctor.
            opinion = self._second.score(words)
            if opinion >= self._second.threshold:
                unsure = frozenset({"opinion"})
        if described:
            # A doctor-level sign, and maybe something triage cannot place: both are said.
            return Finding(
                Level.DOCTOR,
                tuple(described),
                tuple(asked),
                tuple(others),
                unsure,
                opinion,
                about_body=True,
            )
        level = Level.CHECK if unsure else Level.NONE
        return Finding(
            level, (), tuple(asked), tuple(others), unsure, opinion, asked_about, about_body=body
        )

    def _contexts(
        self,
        text: Text,
        frames: Sequence[Frame],
        found: Found,
        triggers: Sequence[Modifier],
        allowed: frozenset[Context],
    ) -> tuple[set[Context | None], bool]:
        """Return the context of every place a sign's frames occur (None: affirmed), and
        whether a firm frame is affirmed (no harmless cause explains it).

        The frame's first concept carries the context ("no numbness in my groin"); a denial
        of the concept it meets denies the frame too ("not been for a poo, wee is normal").
        Firm frames come first (signs.py), so the first affirmed place settles it.
        """
        seen: set[Context | None] = set()
        for frame in frames:
            reach = allowed - _QUIET if frame.firm else allowed
            for head, partners in frame.meetings(text.tokens, found):
                context = context_of(text.tokens, head, triggers, reach)
                if context is None and partners:
                    outside = [t for t in triggers if t.end <= head[0] or t.start >= head[1]]
                    denials = [context_of(text.tokens, p, outside, reach) for p in partners]
                    if all(denial in _DENIES_THE_FRAME for denial in denials):
                        context = denials[0]
                seen.add(context)
                if None in seen:
                    return seen, frame.firm
        return seen, False

    def _told_of_the_body(self, text: Text, found: Found, triggers: Sequence[Modifier]) -> bool:
        """Tell whether the message tells of the person's own body now (for the opinion)."""
        if not self._second.about_the_body(found):
            return False
        return any(
            context_of(text.tokens, span, triggers, _QUIET) is None
            for name in DOMAIN
            for span in found.get(name, ())
        )

    def _unsure(
        self, text: Text, found: Found, triggers: Sequence[Modifier]
    ) -> tuple[frozenset[str], frozenset[str]]:
        """Return what the message tells of the person's own body that triage cannot place,
        and what it only asks about ("is numbness a bad sign?")."""
        told: set[str] = set()
        asked: set[str] = set()
        for frame in self._table.check:
            about = _ABOUT.get(frame.concepts[0], "feeling")
            for target in frame.targets(text.tokens, found):
                context = context_of(text.tokens, target, triggers, _QUIET)
                if context is None:
                    told.add(about)
                elif context is Context.HYPOTHETICAL:
                    asked.add(about)
        return frozenset(told), frozenset(asked)


__all__ += ["Opinion"]
