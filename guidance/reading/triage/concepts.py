"""Concepts: where each idea of lexicon.toml occurs in a message, and the numbers people give.

A concept is a set of phrases that mean one thing ("a change in feeling", "where you sit").
Each is compiled once into one regular expression; `find` returns the token spans where
each occurs, less those inside one of the concept's look-alikes (phrases that hold its
words but mean something else: "pressed yes by accident" is no accident, "the ice pack
fell off" no fall of the person's). Two concepts are read from numbers rather than words:
a pain score ("a 9 out of 10", "pain is 10") and a temperature ("38.6", "101 F").
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from guidance.reading.triage.needles import Index, Phrases, Starts

LEXICON = Path(__file__).parent / "lexicon.toml"
_GROUP = re.compile(r"<(\w+)>")

Span = tuple[int, int]  # token indices, end exclusive


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Every concept's compiled pattern, by name, its phrases, its look-alikes, and where
    they can start."""

    patterns: Mapping[str, re.Pattern[str]]
    phrases: Mapping[str, Phrases]
    index: Index
    lookalikes: Mapping[str, Phrases]


def expand(phrase: str, groups: Mapping[str, str]) -> str:
    """Write out the `<group>` references in a phrase (groups may use groups)."""
    for _ in range(4):
        if "<" not in phrase:
            break
        phrase = _GROUP.sub(lambda found: groups[found[1]], phrase)
    return phrase


def compile_phrases(phrases: Sequence[str], groups: Mapping[str, str]) -> re.Pattern[str]:
    """Compile phrases into one pattern that matches any of them as whole words."""
    alternatives = "|".join(f"(?:{expand(phrase, groups)})" for phrase in phrases)
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


def phrases_of(phrases: Sequence[str], groups: Mapping[str, str]) -> Phrases:
    """Compile phrases together (as `compile_phrases`) and each alone, to match them fast."""
    return Phrases(
        compile_phrases(phrases, groups), [compile_phrases([each], groups) for each in phrases]
    )


def index_of(tables: Iterable[Phrases]) -> Index:
    """Index every fixed string the phrases of some tables start with."""
    return Index(start for phrases in tables for start in phrases.starts)


@cache
def lexicon(path: Path = LEXICON) -> Lexicon:
    """Load and compile the lexicon."""
    with path.open("rb") as file:
        data = tomllib.load(file)
    groups: dict[str, str] = data["groups"]
    compiled = {name: phrases_of(phrases, groups) for name, phrases in data["concepts"].items()}
    lookalikes = {
        name: phrases_of(phrases, groups) for name, phrases in data["lookalikes"].items()
    }
    unknown = set(lookalikes) - set(compiled)
    if unknown:
        raise ValueError(f"lexicon.toml: look-alikes of no concept: {sorted(unknown)}")
    return Lexicon(
        {name: phrases.pattern for name, phrases in compiled.items()},
        compiled,
        index_of([*compiled.values(), *lookalikes.values()]),
        lookalikes,
    )


class Text:
    """A message's tokens joined by spaces, with a way back from characters to tokens."""

    __slots__ = ("_starts", "_token_at", "text", "tokens")

    def __init__(self, tokens: Sequence[str]) -> None:
        self.tokens = list(tokens)
        self.text = " ".join(self.tokens)
        # For each character, the token it belongs to (a space, to the token before it).
        token_at: list[int] = []
        for index, token in enumerate(self.tokens):
            token_at.extend([index] * (len(token) + 1))
        self._token_at = token_at
        self._starts: dict[int, tuple[Starts, frozenset[str]]] = {}

    def index_at(self, char: int) -> int:
        """Return the index of the token that starts at (or contains) a character offset."""
        return self._token_at[min(char, len(self._token_at) - 1)]

    def span(self, start: int, end: int) -> Span:
        """Return the token span of a character span."""
        return self.index_at(start), self.index_at(end - 1) + 1

    def spans(self, pattern: re.Pattern[str]) -> list[Span]:
        """Return the token span of every match of a pattern."""
        return [self.span(*match.span()) for match in pattern.finditer(self.text) if match.end()]

    def matches(self, phrases: Phrases, index: Index) -> list[Span]:
        """Return the token span of every match of some phrases (as `spans` of their
        pattern), trying each phrase only where it can start."""
        known = self._starts.get(id(index))
        if known is None:
            starts = index.starts(self.text)
            known = self._starts[id(index)] = (starts, frozenset(starts))
        return [self.span(*found) for found in phrases.spans(self.text, *known) if found[1]]


class Found(Mapping[str, list[Span]]):
    """Where each concept occurs in a message, found the first time it is asked for.

    Most frames stop at their first concept ("can't feel" is rarely there), so the concept
    it would meet is never looked for: a long message costs a fraction of every pattern.
    """

    __slots__ = ("_found", "_lexicon", "_text")

    def __init__(self, text: Text, lexicon: Lexicon) -> None:
        self._text = text
        self._lexicon = lexicon
        self._found: dict[str, list[Span]] = {}

    def __getitem__(self, name: str) -> list[Span]:
        if name not in self._found:
            self._found.update(self._look_for(name))
        return self._found[name]

    def __iter__(self) -> Iterator[str]:
        return iter((*self._lexicon.patterns, *_NUMERIC))

    def __len__(self) -> int:
        return len(self._lexicon.patterns) + len(_NUMERIC)

    def _look_for(self, name: str) -> dict[str, list[Span]]:
        text, lexicon = self._text, self._lexicon
        if name in ("rating_extreme", "rating_rising"):
            extreme, rising = _scores(text)
            return {"rating_extreme": extreme, "rating_rising": rising}
        if name == "one_side_parts":
            return {name: _one_side(text)}
        if name in _CANCELLED_BY_NORMAL or name == "fever_reading":
            fever, normal = _temperatures(text)
            # "burning up, but the thermometer says 36.8": the reading answers the feeling.
            cancelled = bool(normal) and not fever
            return {
                "fever_reading": fever,
                **{
                    word: [] if cancelled else text.matches(lexicon.phrases[word], lexicon.index)
                    for word in _CANCELLED_BY_NORMAL
                },
            }
        if name not in self._lexicon.patterns:
            raise KeyError(name)
        spans = text.matches(lexicon.phrases[name], lexicon.index)
        if spans and name in lexicon.lookalikes:
            alike = text.matches(lexicon.lookalikes[name], lexicon.index)
            spans = [span for span in spans if not _starts_inside(span, alike)]
        return {name: spans}


def _starts_inside(span: Span, others: Sequence[Span]) -> bool:
    """Tell whether a span starts within one of some others ("fell over again" within
    "the bottle fell over")."""
    return any(low <= span[0] < high for low, high in others)


_NUMERIC = ("rating_extreme", "rating_rising", "fever_reading", "one_side_parts")
_CANCELLED_BY_NORMAL = ("fever_word", "fever_hint", "temperature_word")


def find(text: Text, lexicon: Lexicon) -> Found:
    """Return where each concept occurs in a message (numbers included), found on demand."""
    return Found(text, lexicon)


# -- numbers ---------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "hundred": 100,
}  # fmt: skip
_NUM = (
    r"(?:\d{1,3}(?:[.,]\d)?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|hundred)"
)
# "7 out of 10", "9/10", "8 - 9 / 10", "ten out of ten"
_OUT_OF = re.compile(
    rf"(?<![a-z0-9.])(?P<a>{_NUM})(?: (?:to|or|-) (?P<b>{_NUM}))?"
    r" (?:/|out of|outta|of|over|on a scale of) (?:10|ten)(?![a-z0-9])"
)
# "pain is a 9", "im at a 10", "its a solid 9 today"
_SAID_SCORE = re.compile(
    r"(?<![a-z0-9])(?:pain|pains|it|its|im|i m|i am|back|spasm|level)(?: \w+){0,3}"
    r" (?:is|at|a|an|level|score|about|around|like|was|s|rate it|rated it|give it|call it)"
    rf" (?:a |an |at |like a |solid |a solid |about |around )?(?P<a>{_NUM})"
    r"(?! (?:out of|/|of|over|minutes|mins|hours|hrs|days|weeks|months|years|am|pm|ml|glasses"
    r"|times|oclock|o clock|degrees|kg|lbs|pounds|miles|km|steps|tablets|pills|mg|percent))"
    r"(?![a-z0-9])"
)
# Past 10, a said score needs the pain named ("my pain is an 11"): "its more like 11" is a time.
_PAIN_OPENER = re.compile(r"(?:pain|pains|spasm|level)\b")
# "on a scale of 1 to 10 it's a 12": past 10 on a scale is the worst pain, not a time.
_ON_A_SCALE = re.compile(
    r"(?<![a-z])(?:on a |out of |)scale(?: of)? (?:1|one|0|zero) (?:to|-) (?:10|ten)"
)
# "from a 4 to a 7", "was a 5 now a 8"
_RISING = re.compile(
    r"(?<![a-z0-9])(?:from|was|started|started at|started like|started as) (?:like )?(?:a )?"
    rf"(?P<a>{_NUM})(?: \w+){{0,2}}"
    rf" (?:to|up to|now|now its|now a|now like) (?:a |like a |about )?(?P<b>{_NUM})(?![a-z0-9])"
)
# Scores that climb day by day: "a 3 on monday, 5 yesterday, 7 today".
_DAY = (
    r"(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thur?s?"
    r"|fri|sat|sun|yesterday|today|this morning|last night|tonight|now|the day before)"
)
_RISING_DAYS = re.compile(
    rf"(?<![a-z0-9])(?P<a>{_NUM}) {_DAY}(?: ,)?(?: and| then| but)? (?:a |like a |its a |its )?"
    rf"(?P<b>{_NUM}) {_DAY}(?![a-z0-9])"
)
_TEMPERATURE = re.compile(
    r"(?<![a-z0-9.])(?P<t>\d{2,3}(?:(?:[.,]| point )\d{1,2})?)"
    r"(?: (?:degrees|deg|c|f|celsius|fahrenheit|centigrade))*(?![a-z0-9])"
)
_ABOUT_TEMPERATURE = re.compile(
    r"(?<![a-z])(?:temp\w*|thermometer|fever\w*|degrees|celsius|fahrenheit|centigrade|forehead"
    r"|running|spiked|spiking|read|reads|reading|says|said|showed|shows)(?![a-z])"
)
_SAID_NORMAL = re.compile(
    r"(?<![a-z])(?:thermometer|temp|temperature)s?(?: \w+){0,3} (?:normal|fine|ok|okay)(?![a-z])"
)
_UNIT = re.compile(r"(?:degrees|deg|c|f|celsius|fahrenheit|centigrade)$")


def number(word: str) -> float | None:
    """Read a number written in figures or words: "9", "7.5", "nine"."""
    if word in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[word])
    try:
        return float(word.replace(",", "."))
    except ValueError:
        return None


def _scores(text: Text) -> tuple[list[Span], list[Span]]:
    """Return the spans of pain scores of 9 or more, and of scores said to have risen."""
    extreme: list[Span] = []
    for pattern in (_OUT_OF, _SAID_SCORE):
        for match in pattern.finditer(text.text):
            values = [number(match[group]) for group in ("a", "b") if match.groupdict().get(group)]
            top = max((value for value in values if value is not None), default=None)
            if top is None or top < 9:
                continue
            if (
                pattern is _SAID_SCORE
                and top > 10
                and not _PAIN_OPENER.match(match.group(0))
                and not _ON_A_SCALE.search(text.text)
            ):
                continue  # "its usually more like 11": a time or a count, not a score
            extreme.append(text.span(*match.span("a")))
    rising = [
        text.span(*match.span())
        for pattern in (_RISING, _RISING_DAYS)
        for match in pattern.finditer(text.text)
        if (a := number(match["a"])) is not None
        and (b := number(match["b"])) is not None
        and 0 <= a < b <= 10
    ]
    return extreme, rising


def fever_degrees(value: float) -> bool:
    """Tell whether a temperature is a fever: 38 °C or more, or 100.4 °F or more."""
    return 38.0 <= value <= 43.5 or 100.4 <= value <= 110


def _temperatures(text: Text) -> tuple[list[Span], list[Span]]:
    """Return the spans of temperatures that are a fever, and of normal ones, each read near
    a word about temperature (or with a unit, or one decimal)."""
    found: list[Span] = []
    normal: list[Span] = []
    if _SAID_NORMAL.search(text.text):
        normal.append((0, 1))  # "the thermometer is always normal"
    for match in _TEMPERATURE.finditer(text.text):
        said = match["t"].replace(" point ", ".")  # "38 point 1", as people type it
        value = number(said)
        if value is None:
            continue
        if 35.0 <= value < 38.0 or 95.0 <= value < 100.4:
            start, end = text.span(*match.span())
            near = " ".join(text.tokens[max(0, start - 5) : end + 3])
            if _ABOUT_TEMPERATURE.search(near) or _UNIT.search(match.group(0)):
                normal.append((start, end))
            continue
        if not fever_degrees(value):
            continue
        start, end = text.span(*match.span())
        near = " ".join(text.tokens[max(0, start - 5) : end + 3])
        has_unit = bool(_UNIT.search(match.group(0)))
        # "38.4", "101.8": a number with one decimal in a fever's range is a temperature.
        decimal = bool(re.fullmatch(r"\d{2,3}[.,]\d", said))
        if has_unit or decimal or _ABOUT_TEMPERATURE.search(near):
            found.append((start, end))
    return found, normal


# One side of the body, told part by part: "the left side of my face … my left hand … my
# left leg". Two or more of face, arm and leg on the same side, with something changed.
_SIDED = re.compile(
    r"(?<![a-z])(?P<side>left|right)(?: side of)?(?: \w+)?(?: my| the| his| her)?"
    r" (?P<part>face|mouth|cheek|eye|lip|smile|arm|hand|fingers|grip|leg|foot|knee)(?![a-z])"
)
_PART_GROUPS = {
    "face": "face", "mouth": "face", "cheek": "face", "eye": "face", "lip": "face",
    "smile": "face", "arm": "arm", "hand": "arm", "fingers": "arm", "grip": "arm",
    "leg": "leg", "foot": "leg", "knee": "leg",
}  # fmt: skip
_CHANGED = re.compile(
    r"(?<![a-z])(?:numb\w*|tingl\w*|weak\w*|heavy|heavier|clumsy|droop\w*|lopsided|thick|dead"
    r"|strange|weird|funny|fizz\w*|pins and needles|wont grip|cant grip|dropp\w*|not quite mine"
    r"|not mine|wading|useless|floppy|dribbl\w*|cant feel|no feeling|lead)(?![a-z])"
)


def _one_side(text: Text) -> list[Span]:
    """Return the first span of two or more parts (face, arm, leg) changed on one side."""
    if not _CHANGED.search(text.text):
        return []
    sides: dict[str, dict[str, Span]] = {}
    for match in _SIDED.finditer(text.text):
        groups = sides.setdefault(match["side"], {})
        groups.setdefault(_PART_GROUPS[match["part"]], text.span(*match.span()))
    for groups in sides.values():
        if len(groups) >= 2:
            return [min(groups.values())]
    return []
