"""Answers in words to the bot's own questions, and what people say after "get help now".

"yeah", "nope none of those", "not sure": the warning-sign question answered without its
buttons. "is that bad?", "my wife is driving me to A&E", "been seen, it's muscular": what
follows an urgent answer. Pure: words in, one value out; the phrases live in answers.toml.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from guidance.reading.triage.concepts import compile_phrases

ANSWERS = Path(__file__).parent / "answers.toml"
# An answer is short: longer messages are read for what they say, not as a yes or no
# (unless they open with one and a stop: "no, none of those. my back is just stiff").
ANSWER_WORDS = 16
# A message after "get help now" is read as a follow-up only while it is about that.
FOLLOW_UP_WORDS = 30
# Emoji people answer with, as the word they stand for.
_EMOJI = {
    "✅": " yes ",
    "✔": " yes ",
    "☑": " yes ",
    "❌": " no ",
    "✖": " no ",
    "👎": " no ",
    "👍": " yes ",
    "👌": " yes ",
    "🙋": " yes ",
    "🙅": " no ",
    "🚫": " no ",
    "🤷": " not sure ",
    "🤔": " not sure ",
}


_FILLERS = frozenset(
    {"lol", "haha", "hahaha", "ha", "tbh", "ngl", "honestly", "erm", "umm", "lmao"}
)


class Said(StrEnum):
    """A typed answer to a yes-or-no question."""

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


class AfterUrgent(StrEnum):
    """What someone says after being told to get medical help now."""

    WORRY = "worry"  # "is that bad?": the get-help line again
    GOING = "going"  # on their way: good, and the hold stays until seen
    SEEN = "seen"  # a doctor has seen them: care resumes


@dataclass(frozen=True, slots=True)
class _Phrases:
    compound: tuple[tuple[Said, re.Pattern[str]], ...]
    said: tuple[tuple[Said, re.Pattern[str]], ...]
    anywhere: re.Pattern[str]
    after: tuple[tuple[AfterUrgent, re.Pattern[str]], ...]
    signs: re.Pattern[str]  # a sign of the question, named
    denied: re.Pattern[str]  # what, just before a named sign, denies it


@cache
def _phrases(path: Path = ANSWERS) -> _Phrases:
    with path.open("rb") as file:
        data = tomllib.load(file)

    def opening(phrases: list[str]) -> re.Pattern[str]:
        return re.compile(rf"^(?:{compile_phrases(phrases, {}).pattern})")

    compound = tuple((kind, opening(data["compound"][kind.value])) for kind in (Said.YES, Said.NO))
    said = tuple(
        (kind, opening(data[kind.value]["phrases"])) for kind in (Said.UNSURE, Said.NO, Said.YES)
    )
    after = tuple(
        (kind, compile_phrases(data["after_urgent"][kind.value]["phrases"], {}))
        for kind in (AfterUrgent.SEEN, AfterUrgent.GOING, AfterUrgent.WORRY)
    )
    return _Phrases(
        compound,
        said,
        compile_phrases(data["no"]["anywhere"], {}),
        after,
        compile_phrases(data["signs"]["named"], {}),
        re.compile(data["signs"]["denied"]),
    )


def _names_a_sign(text: str, phrases: _Phrases) -> bool:
    """Tell whether an answer names a sign of the question without denying it, nor saying
    it is over ("had a fever last week, fine now": no sign now)."""
    if _OVER_NOW.search(text) and _IN_THE_PAST.search(text):
        return False
    return any(
        not phrases.denied.search(text[: match.start()])
        and not _FINE_AFTER.match(text[match.end() :])
        for match in phrases.signs.finditer(text)
    )


def _over_now(text: str, phrases: _Phrases) -> bool:
    """Tell whether a short answer names signs only as over ("used to get numbness but not
    anymore"), and none still there."""
    if len(text.split()) > ANSWER_WORDS or not phrases.signs.search(text):
        return False
    over = _OVER_NOW.search(text) and _IN_THE_PAST.search(text)
    return bool(over) and not _names_a_sign(text, phrases)


def _denies_every_sign(text: str, phrases: _Phrases) -> bool:
    """Tell whether a long answer names signs only to deny them, twice or more ("no
    numbness, i can pee fine, no temp"): a no, however long."""
    named = list(phrases.signs.finditer(text))
    denials = sum(bool(phrases.denied.search(text[: match.start()])) for match in named)
    fine = len(_FINE.findall(text))
    return denials + fine >= 2 and not _names_a_sign(text, phrases)


# A sign said to be over, and said of a time before now.
_OVER_NOW = re.compile(
    r"(?:but|and|,) (?:(?:its|it s|theyre|they re|thats|that s|im|i m|all) )?(?:nothing|none|"
    r"not|no more|gone|fine|ok|okay|good|cleared|stopped|better)(?: \w+)? (?:now|anymore|"
    r"any more|since|these days|today)\b|(?:but|,) not (?:anymore|any more|now|since|today)\b"
)
_IN_THE_PAST = re.compile(
    r"\b(?:had|used to|last (?:week|month|year|winter|summer|spring|autumn|time|night)|"
    r"\w+ ago|years back|once|before|in the past|was|were)\b"
)
# After a sign's name, words that say it is fine ("balance is fine", "bowels are normal").
_FINE_AFTER = re.compile(
    r"(?: (?:and|or|n) \w+)?(?: (?:is|are|s|re|both|all|seem|seems|feel|feels))+ "
    r"(?:totally |completely |all |perfectly )?(?:fine|ok|okay|normal|good|working|alright)\b"
)
# A part of the body or its workings said to be fine ("i can pee fine", "legs work").
_FINE = re.compile(
    r"\b(?:pee|peeing|wee|weeing|toilet|loo|bladder|bowels?|legs?|feet|balance|walking|"
    r"feeling)(?: \w+)? (?:fine|ok|okay|normal|normally|work|working|good)\b"
)


def with_emoji_as_words(text: str) -> str:
    """Write the emoji people answer with as words ("✅" is yes)."""
    for emoji, word in _EMOJI.items():
        text = text.replace(emoji, word)
    return text


def said(words: Sequence[str]) -> Said | None:
    """Read a yes, a no or an "I'm not sure" in a short typed answer; None if it is none."""
    # "lol no im fine", "tbh yeah": a filler before the answer is not the answer.
    while len(words) > 1 and words[0] in _FILLERS:
        words = words[1:]
    if not words:
        return None
    text = " ".join(words)
    phrases = _phrases()
    count = len([word for word in words if word.isalnum()])
    for kind, pattern in phrases.compound:
        if pattern.match(text):
            return kind  # "nah yeah" is a yes, "yeah nah" a no
    found = []
    for kind, pattern in phrases.said:
        match = pattern.match(text)
        if match is None:
            continue
        rest = text[match.end() :].strip()
        if count <= ANSWER_WORDS or rest[:1] in (".", ",", "!", ";", ":"):
            found.append(kind)
    if count <= ANSWER_WORDS and Said.UNSURE not in found and _names_a_sign(text, phrases):
        # "only the tingling", "no, just the numbness": a yes, and a yes is never read as a
        # no. Unsure stays unsure ("does tingling count?", "a bit of tingling sometimes").
        return Said.YES
    if not found and count <= ANSWER_WORDS and phrases.anywhere.search(text):
        return Said.NO  # "I can confirm none of those apply to me"
    if not found and (_denies_every_sign(text, phrases) or _over_now(text, phrases)):
        return Said.NO  # "had some tingling last winter but nothing now"
    if not found:
        return None
    if Said.YES in found and Said.NO in found:
        return Said.UNSURE  # "yes and no"
    return found[0]


def after_urgent(words: Sequence[str]) -> AfterUrgent | None:
    """Read what someone says after being told to get help: worried, going, or seen."""
    if not words or len(words) > FOLLOW_UP_WORDS:
        return None
    text = " ".join(words)
    for kind, pattern in _phrases().after:
        if pattern.search(text):
            return kind
    return None
