"""Context: which trigger phrases reach a sign, and what they say about it (ConText/NegEx).

A trigger's scope runs forward (or backward) from it and ends at a terminator: "but",
"however", "just", a new clause with its own subject, punctuation, or a few words'
distance. A sign inside a negation's scope is denied, inside a history's scope it is
past, and so on; a trigger inside the sign's own words is part of them ("can't feel").
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from guidance.reading.language import word_set
from guidance.reading.triage.concepts import Span, Text, index_of, phrases_of
from guidance.reading.triage.needles import Index, Phrases

CONTEXT = Path(__file__).parent / "context.toml"


class Context(StrEnum):
    """What a trigger phrase says about the signs in its scope."""

    NEGATED = "negated"
    HISTORICAL = "historical"
    HYPOTHETICAL = "hypothetical"
    HARMLESS = "harmless"  # a harmless cause: "numb from the ice pack"
    ICED_BACK = "iced-back"  # cold on the back numbs its skin, not the legs further down
    ASLEEP = "asleep"  # the limb had gone to sleep: "it gave way, it had gone to sleep"
    DENTAL = "dental"  # a dentist's injection: a numb, drooping face is asked about
    RECENT = "recent"  # "on Monday", "last week": over, for pain that has eased
    OTHER_PERSON = "other-person"  # "my dad has…": told about, not felt
    ELSEWHERE = "elsewhere"  # the words are about something else: "the film was 10/10"


# Contexts that quieten every sign; the others only the signs that name them.
FOR_ALL = frozenset(
    {
        Context.NEGATED,
        Context.HISTORICAL,
        Context.HYPOTHETICAL,
        Context.OTHER_PERSON,
        Context.ELSEWHERE,
    }
)
# When two reach one sign, the stronger says what it is.
_PRIORITY = {
    Context.HYPOTHETICAL: 0,
    Context.OTHER_PERSON: 1,
    Context.ELSEWHERE: 2,
    Context.RECENT: 3,
    Context.HISTORICAL: 4,
    Context.HARMLESS: 5,
    Context.ICED_BACK: 5,
    Context.ASLEEP: 5,
    Context.DENTAL: 5,
    Context.NEGATED: 6,
}


class Reach(StrEnum):
    """How far a trigger reaches."""

    CLAUSE = "clause"  # ConText's scope: a few words, to the end of the clause
    SENTENCE = "sentence"  # anywhere in its sentence, either way ("from sitting cross legged")
    SUBJECT = "subject"  # on through the sentence until someone else is the subject ("my son…")


@dataclass(frozen=True, slots=True)
class Rule:
    """Trigger phrases of one context, reaching forward or back."""

    context: Context
    forward: bool
    phrases: Phrases
    reach: Reach = Reach.CLAUSE


@dataclass(frozen=True, slots=True)
class Rules:
    """Every trigger rule, and the phrases that look like triggers but are not."""

    rules: tuple[Rule, ...]
    pseudo: Phrases
    index: Index


@cache
def rules(path: Path = CONTEXT) -> Rules:
    """Load and compile the trigger table."""
    with path.open("rb") as file:
        data = tomllib.load(file)
    groups: dict[str, str] = data["groups"]
    compiled = tuple(
        Rule(
            Context(rule["context"]),
            rule.get("forward", True),
            phrases_of(rule["phrases"], groups),
            Reach(rule.get("reach", "clause")),
        )
        for rule in data["rule"]
    )
    pseudo = phrases_of([data["pseudo"]], groups)
    return Rules(compiled, pseudo, index_of([pseudo, *(rule.phrases for rule in compiled)]))


@dataclass(frozen=True, slots=True)
class Modifier:
    """One trigger found in a message."""

    context: Context
    forward: bool
    start: int  # token indices, end exclusive
    end: int
    reach: Reach = Reach.CLAUSE


def modifiers(text: Text, table: Rules) -> list[Modifier]:
    """Find every trigger in a message, leaving out the look-alikes ("not only"), the
    harmless causes that are denied ("it's not the saddle", "haven't been on the bike"),
    and the cold that was on the back ("from the ice pack on my back": its own context)."""
    pseudo = text.matches(table.pseudo, table.index)
    found: list[Modifier] = []
    for rule in table.rules:
        for start, end in text.matches(rule.phrases, table.index):
            if any(low <= start < high for low, high in pseudo):
                continue
            found.append(Modifier(rule.context, rule.forward, start, end, rule.reach))
    negations = [m for m in found if m.context is Context.NEGATED and m.forward]
    on_back = [m for m in found if m.context is Context.ICED_BACK]
    return [m for m in found if not _names_no_cause(text.tokens, m, negations, on_back)]


def _names_no_cause(
    tokens: Sequence[str], m: Modifier, negations: list[Modifier], on_back: list[Modifier]
) -> bool:
    """Tell whether a trigger of a cause names none: it is compared ("like I've been sat
    on ice"), denied just before, or the cold was on the back (its own context)."""
    if m.context not in _CAUSES:
        return False
    if _compared(tokens, m.start):
        return True
    denied = any(
        0 <= m.start - n.end <= _DENIED_CAUSE and _reaches(tokens, n.end, m.start)
        for n in negations
    )
    iced_back = any(m.start < b.end and b.start < m.end for b in on_back)
    return m.context is Context.HARMLESS and (denied or iced_back)


# The contexts that name a cause: in a comparison they name none ("like I've been sat on
# a bag of frozen peas", "like it was numb from the dentist").
_CAUSES = frozenset({Context.HARMLESS, Context.ASLEEP, Context.DENTAL})
# Between "like" and the cause, only the small words of "like I'd been", "as if it was"
# (and the feeling compared: "like it was numb from the dentist").
_LIKE_WORDS = word_set(
    "i ive id im m d ve have had been was were am it its s you youve youd just numb dead asleep"
)


def _compared(tokens: Sequence[str], start: int) -> bool:
    """Tell whether a cause at `start` is the far side of a comparison ("feels like I've
    been sat on ice", "as if I'd been on a bike")."""
    index = start - 1
    while index >= 0 and tokens[index] in _LIKE_WORDS and start - index <= 5:
        index -= 1
    if index < 0:
        return False
    word = tokens[index]
    as_if = word in ("if", "though", "tho") and index > 0 and tokens[index - 1] == "as"
    return word == "like" or as_if


# How near a denial must come before a harmless cause to deny it.
_DENIED_CAUSE = 4


# Where a trigger's scope ends: punctuation, a contrast, or a fresh clause.
_TERMINATORS = word_set(
    """
    . , ; : ! ? but however though although yet except apart aside just still now instead
    whereas which while because cos since so then except besides plus anyway
    """
)
# A fresh clause with its own subject also ends a scope: "no fever my legs are numb".
_NEW_SUBJECT = word_set("i im ive id my mine me")
_COORDINATORS = word_set("and or nor")
_NEW_SUBJECT_AFTER_AND = word_set("i im ive id my it its the this there now")
SCOPE_WORDS = 7
SENTENCE_ENDS = word_set(". ! ?")
_QUESTION_STARTS = word_set(
    """
    is are am does do did can could should would will what when how why which whats hows
    might may shall
    """
)
FIRST_PERSON = word_set("i im ive id my me myself mine")
# Words after which "my" or "I" continues the same clause ("no numbness in my legs").
_SUBJECT_LEAD = word_set(
    """
    in on of to from at down around across up under into for with both either and or nor
    that if when where feel feeling felt have had has got move lift think believe say
    """
)


def context_of(
    tokens: Sequence[str], target: Span, found: Iterable[Modifier], allowed: frozenset[Context]
) -> Context | None:
    """Return the context that modifies a target, or None if it is affirmed."""
    start, end = target
    strongest: Context | None = None
    for modifier in found:
        if start <= modifier.start and modifier.end <= end:
            continue  # a trigger inside the target is part of it ("can't feel")
        if modifier.context not in FOR_ALL and modifier.context not in allowed:
            continue
        overlaps = modifier.start < end and start < modifier.end
        if modifier.reach is Reach.SENTENCE:
            in_scope = overlaps or _in_sentence(tokens, modifier, start, end)
        elif modifier.reach is Reach.SUBJECT:
            in_scope = modifier.start < start and _same_subject(tokens, modifier.end, start)
        elif overlaps:
            # Sharing words with the target: a trigger that begins before it reaches it
            # ("she can" + "can hardly walk"), one that ends after it reaches back.
            in_scope = modifier.start < start if modifier.forward else modifier.end > end
        elif modifier.forward and modifier.end <= start:
            in_scope = _reaches(tokens, modifier.end, start)
        elif not modifier.forward and modifier.start >= end:
            in_scope = _reaches_back(tokens, end, modifier.start)
        else:
            in_scope = False
        if (
            not in_scope
            and modifier.context is Context.HISTORICAL
            and modifier.reach is Reach.SENTENCE
        ):
            in_scope = story_reaches(tokens, modifier, start)
        if in_scope and (strongest is None or _PRIORITY[modifier.context] > _PRIORITY[strongest]):
            strongest = modifier.context
    if strongest is None and asked_as_question(tokens, start, end):
        return Context.HYPOTHETICAL
    return strongest


_CONTRASTS = word_set("but however though although whereas except apart")


# Words that bring a story back to now: "years ago … now my legs are numb".
_PRESENT = word_set("now today tonight currently presently again lately recently this")


# Words that tell of now, not of a story in the past: they end a story's reach.
_NOW = word_set(
    """
    now today tonight currently presently lately recently yesterday this since again still
    anymore is are am im isnt arent cant cannot keeps keep feels feel hurts hurting has
    woke waking just suddenly morning
    """
)


def story_reaches(tokens: Sequence[str], modifier: Modifier, start: int) -> bool:
    """Tell whether a story set in the past ("in 2014", "back in uni") still tells of the
    past at a later sentence: it does until the text comes back to now."""
    if modifier.end > start:
        return False
    return not any(token in _NOW for token in tokens[modifier.end : start])


def _in_sentence(tokens: Sequence[str], modifier: Modifier, start: int, end: int) -> bool:
    """Tell whether a trigger shares the target's sentence, with no contrast between (and,
    for the past, nothing that brings the story back to now)."""
    low, high = (modifier.end, start) if modifier.end <= start else (end, modifier.start)
    # A story told as over ("it was bad but it cleared up") is over across a contrast, and
    # "burning up, but it was just the heat" is about the heat across one.
    if modifier.context is Context.HISTORICAL:
        stops = _PRESENT
    elif modifier.context is Context.ELSEWHERE:
        stops = frozenset()
    else:
        stops = _CONTRASTS
    return all(token not in SENTENCE_ENDS and token not in stops for token in tokens[low:high])


def _same_subject(tokens: Sequence[str], begin: int, target: int) -> bool:
    """Tell whether the sentence from `begin` to the target goes on about the same person."""
    for index in range(begin, target):
        token = tokens[index]
        if token in SENTENCE_ENDS or token in FIRST_PERSON:
            return False
    return True


def _reaches(tokens: Sequence[str], begin: int, target: int) -> bool:
    """Tell whether a forward scope from `begin` reaches the target at `target`."""
    if target - begin > SCOPE_WORDS:
        return False
    for index in range(begin, target):
        token = tokens[index]
        if token in _TERMINATORS and not (token == "," and index + 1 == target):
            return False  # a comma only separates items of one list: "no numbness, tingling"
        if token in _NEW_SUBJECT and index > begin and tokens[index - 1] not in _SUBJECT_LEAD:
            return False
        if (
            token in _COORDINATORS
            and index + 1 < target
            and tokens[index + 1] in _NEW_SUBJECT_AFTER_AND
        ):
            return False
    return True


def _reaches_back(tokens: Sequence[str], target_end: int, trigger: int) -> bool:
    """Tell whether a backward trigger at `trigger` reaches back to a target ending there.

    A one-word answer after a question ("numbness? no") reaches across its question mark.
    """
    if trigger - target_end > SCOPE_WORDS:
        return False
    between = tokens[target_end:trigger]
    if (
        between
        and between[-1] in ("?", ":", "-")
        and all(token not in _TERMINATORS for token in between[:-1])
    ):
        return trigger == len(tokens) - 1 or tokens[trigger + 1] in (*SENTENCE_ENDS, ",")
    return not any(token in _TERMINATORS for token in between)


def sentence(tokens: Sequence[str], start: int, end: int) -> tuple[int, int]:
    """Return the token span of the sentence around a span."""
    first = start
    while first > 0 and tokens[first - 1] not in SENTENCE_ENDS:
        first -= 1
    last = end
    while last < len(tokens) and tokens[last] not in SENTENCE_ENDS:
        last += 1
    return first, last


# After these, "can" or "should" starts a question ("can a spasm…"), not a statement
# with its subject left out ("can barely walk").
_SUBJECTS = word_set(
    """
    i you it a an the my your this that there he she they we someone anyone back spasm spasms
    sciatica stretching ice heat numbness tingling loss weakness fever bladder incontinence
    foot feet leg legs pins balance
    """
)
_NEEDS_SUBJECT = word_set("can could should would will did does do might may")
# "Is it normal that…", "is this ok": people tell their own symptoms this way.
_TELLING = re.compile(
    r"^(?:is|are) (?:it|this|that|these|those) (?:\w+ )?(?:normal|ok|okay|common|usual|possible"
    r"|typical|a thing|expected|bad|serious|something|anything|worrying|weird|odd)"
)


def asked_as_question(tokens: Sequence[str], start: int, end: int) -> bool:
    """Tell whether a target sits in a question that is not about the asker's own body.

    "Is numbness a bad sign?" asks; "Is it normal that my legs are numb?" and "is it
    normal for your bum to feel like ice?" tell.
    """
    first, last = sentence(tokens, start, end)
    opening = tokens[first]
    # Only a sentence that opens as a question asks: "temp of 38.4, is that a spasm?" tells.
    asked = opening in _QUESTION_STARTS and (
        opening not in _NEEDS_SUBJECT or (first + 1 < last and tokens[first + 1] in _SUBJECTS)
    )
    if not asked or FIRST_PERSON.intersection(tokens[first:last]):
        return False
    return not _TELLING.match(" ".join(tokens[first:last]))


# Where a frame's concepts must not be split: a new sentence, a contrast, a fresh clause.
_CLAUSE_BREAKS = word_set(". ! ? ; however though although whereas")


def same_clause(tokens: Sequence[str], first: Span, second: Span) -> bool:
    """Tell whether two spans sit in one clause, so that they describe one thing."""
    low, high = (first, second) if first[0] <= second[0] else (second, first)
    for index in range(low[1], high[0]):
        token = tokens[index]
        if token in _CLAUSE_BREAKS:
            return False
        if (
            (token in _COORDINATORS or token in (",", "but"))
            and index + 1 < high[0]
            and tokens[index + 1] in ("i", "im", "ive")
        ):
            return False
    return True
