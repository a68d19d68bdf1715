"""How a reply reads as words: the phrases of replies.toml, and the reply as they see it.

Lower case, emoji written as the words they stand for, chat spellings ("up n about") and
punctuation said to voice-to-text ("its off now period") as meant, and the words around an
answer that are no answer of their own ("sry no", "leave it for today mate", "yea did").
`guidance.reading.replies` reads with them. Pure.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from guidance.reading import answers, forgiving
from guidance.reading.triage.words import tokens

PHRASES = Path(__file__).with_name("replies.toml")


def _compile(phrases: Sequence[str]) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(f'(?:{p})' for p in phrases)})(?![a-z0-9])")


@dataclass(frozen=True, slots=True)
class Phrases:
    """The phrases of replies.toml, each kind compiled to one pattern."""

    undo: re.Pattern[str]
    cannot: re.Pattern[str]
    question: re.Pattern[str]
    yes: re.Pattern[str]
    no: re.Pattern[str]
    off: re.Pattern[str]
    not_yet: re.Pattern[str]
    more_time: re.Pattern[str]
    nudge: dict[str, re.Pattern[str]]
    parts: dict[str, re.Pattern[str]]


@cache
def phrases(path: Path = PHRASES) -> Phrases:
    """Return the phrases of replies.toml, compiled once."""
    with path.open("rb") as file:
        data = tomllib.load(file)
    return Phrases(
        undo=_compile(data["undo"]),
        cannot=_compile(data["cannot"]),
        question=_compile(data["question"]),
        yes=_compile(data["yes"]["phrases"]),
        no=_compile(data["no"]["phrases"]),
        off=_compile(data["off"]["phrases"]),
        not_yet=_compile(data["off"]["not_yet"]),
        more_time=_compile(data["off"]["later"]),
        nudge={name: _compile(phrases) for name, phrases in data["nudge"].items()},
        parts={name: _compile(phrases) for name, phrases in data["parts"].items()},
    )


# Words before an answer that are no answer of their own.
FILLER = re.compile(
    r"^(?:(?:sorry|sry|soz|lol|lmao|haha\w*|ok so|so|well|um+|erm+|hmm+|tbh|honestly|oh|ah|"
    r"right|wait|ugh)\W+)+",
    re.IGNORECASE,
)
# A nod that opens with "no" and says none: "no worries", "no problem".
NO_WORRIES = re.compile(
    r"(?:no (?:worries|problem|probs?|bother|biggie|stress)|np|nw)"
    r"(?: (?:mate|m8|x+|thanks|thx|ta))?(?: [.!])?"
)
# A yes before the answer itself: "yes drinking", "yea did", "ok getting one".
AGREEING = re.compile(r"^(?:yes|yeah|yea|yep|yup|ya|ok|okay|k|sure|aye)\W+(?=\w)", re.IGNORECASE)
# Words after an answer that are no answer of their own ("leave it for today mate").
TRAILING = re.compile(
    r"(?:[\s,.!]+(?:mate|m8|ta|thanks|thank you|thx|ty|cheers|pls|please|plz|x+|lol|haha\w*|"
    r"sorry|sry|soz|hun|love|tho|though|then|period|full stop))+[\s.!]*$",
    re.IGNORECASE,
)


def said(text: str) -> str:
    """The reply as the phrases see it: lower case, emoji as words, one space apart, chat
    spellings as the words they stand for ("up n about", "nah m8")."""
    words = tokens(answers.with_emoji_as_words(_emoji(_dictated(text))))
    while words and words[-1] in (".", "!"):
        words.pop()  # "Drank!", "Done.": the stop says nothing
    return " ".join(_CHAT.get(word, word) for word in words)


# Chat spellings, read as the words they stand for.
_CHAT = {
    "n": "and",
    "m8": "mate",
    "w": "with",
    "b4": "before",
    "2day": "today",
    "2nite": "tonight",
}
# Punctuation said aloud to voice-to-text: "is it ok question mark", "its off now period".
_SPOKEN_MARKS = re.compile(r"\s*\b(?:(question mark)|(?:full stop|period)\s*$|(comma)\b)", re.I)


def _dictated(text: str) -> str:
    """Write the punctuation someone said aloud to voice-to-text as the mark itself."""
    return _SPOKEN_MARKS.sub(lambda m: "?" if m[1] else "," if m[2] else ".", text)


def _emoji(text: str) -> str:
    """Write the emoji a reply answers with as words ("💧": had water, "😴": good night)."""
    pairs = (
        ("👍", " yes "),
        ("✓", " yes "),
        ("👌", " ok "),
        ("🙏", " thanks "),
        ("⏰", " later "),
        ("🙅", " no "),
        ("🚫", " no "),
        ("🆗", " ok "),
        ("🤷", " not sure "),
        ("😴", " gn "),
        ("💤", " gn "),
        ("💧", " had water "),
        ("🥛", " had water "),
        ("🥤", " had water "),
        ("🚰", " had water "),
        ("🧘", " did the stretch "),
        ("🚶", " walked "),
    )
    for emoji, word in pairs:
        text = text.replace(emoji, word)
    return text


@cache
def answer_words(path: Path = PHRASES) -> tuple[str, ...]:
    """Return the words answers are made of, and the command words: what a slip is read as."""
    with path.open("rb") as file:
        words = tomllib.load(file)["words"]
    return tuple(dict.fromkeys([*words, *forgiving.COMMAND_WORDS]))


def plain(text: str) -> str:
    """The reply in lower case with its clock times whole ("07:30", "10.30ish")."""
    return " ".join(text.lower().split())
