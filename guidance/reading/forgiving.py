"""Forgiving short replies: "skp", "dne", "remnd me", "snoze" read as the word meant.

A short message (one to three words) whose word is no word at all but one slip away from a
word the bot acts on ("skip", "done", "remind", "snooze") is read as that word. When two
such words are as near ("stp": stop or skip?) nothing is guessed: the bot asks "Did you
mean …?" with a button for each. A real word is never corrected ("paws", "dune", "ladder":
the English word list, and triage's list of real words near a body part); if a short
message that nothing else understands is a real word near a command word, the bot may ask
about it, never act on it. Pure: words in, a `Forgiven` out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from rapidfuzz.distance import OSA

from guidance.reading.foreign import english_words
from guidance.reading.triage.words import real_words

# The words a short reply acts with, and that a slip is read as. Buttons name only these
# (a "Did you mean …?" button presses one of them as if it were typed).
COMMAND_WORDS = (
    "done", "skip", "snooze", "later", "remind", "pause", "resume", "stop", "undo", "yes",
    "no", "help", "today", "progress", "settings", "thanks", "water", "stretch", "glass",
    "drank", "walked", "break", "off", "streak", "menu", "busy",
)  # fmt: skip
# Messages this long or shorter are read for slips.
SHORT_WORDS = 3
# Chat spellings the readers know as they are: never "corrected".
_CHAT = frozenset(
    {
        "pls", "plz", "thx", "ty", "tysm", "gn", "gm", "brb", "idk", "lol", "omg", "ok",
        "okk", "kk", "ya", "ye", "yeh", "yh", "yea", "nah", "naw", "nope", "yep", "yup",
        "rn", "atm", "tmrw", "tmr", "tho", "cuz", "cos", "bc", "im", "ive", "dont", "cant",
        "wont", "didnt", "its", "thanx", "thnx", "hiya", "heya", "sup", "wut", "wat",
        "u", "ur", "r", "n", "k", "l8r", "ltr", "snz",
    }
)  # fmt: skip
# A real word is asked about when it is this near a command word, from this many letters.
_REAL_MOST, _REAL_FROM = 2, 4
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|\S+")


@dataclass(frozen=True, slots=True)
class Forgiven:
    """A short message read for slips: its words corrected when there is one sure reading
    (`text`), or the command words it may mean when two are as near (`choices`)."""

    text: str | None = None
    choices: tuple[str, ...] = ()
    # The real words near a command word ("paws": pause?), to ask about, never to act on.
    maybe: tuple[str, ...] = ()


def _most(word: str) -> int:
    """How many slips a word may hold and still be read: one, two from six letters on."""
    return 2 if len(word) >= 6 else 1


def nearest(word: str, *, most: int | None = None) -> tuple[str, ...]:
    """Return the command words nearest a word within its slips (`most`, else by its
    length), ties kept in `COMMAND_WORDS` order; none for a word under 3 letters."""
    if len(word) < 3 or not word.isalpha():
        return ()
    distances = [(OSA.distance(word, known), known) for known in COMMAND_WORDS]
    best = min(distance for distance, _ in distances)
    if best == 0 or best > (_most(word) if most is None else most):
        return ()
    return tuple(known for distance, known in distances if distance == best)


@cache
def _real() -> frozenset[str]:
    return english_words() | real_words() | _CHAT


def respelt(text: str, known: Sequence[str]) -> list[str]:
    """Return a message with each word that is no word at all ("glases", "strat", "drnk")
    respelt as the nearest of `known` within its slips, one text per way when two are as
    near ("drnk": drink, drank); none when no word needs it."""
    ways: list[list[str]] = [[]]
    changed = False
    for word in _WORD.findall(text.lower().replace("’", "'")):
        near: tuple[str, ...] = ()
        if len(word) >= 3 and word.isalpha() and word not in known and word not in _real():
            distances = [(OSA.distance(word, candidate), candidate) for candidate in known]
            best = min((distance for distance, _ in distances), default=0)
            if 0 < best <= _most(word):
                near = tuple(candidate for distance, candidate in distances if distance == best)
        changed = changed or bool(near)
        ways = [[*way, spelt] for way in ways for spelt in (near or (word,))][:8]
    return [" ".join(way) for way in ways] if changed else []


def forgive(text: str) -> Forgiven:
    """Read a short message for slips: "skp" -> "skip", "remnd me later" -> "remind me later",
    "stp" -> choices ("stop", "skip"); "paws" (a real word) -> maybe ("pause",)."""
    words = _WORD.findall(text.lower().replace("’", "'"))
    if not 1 <= len(words) <= SHORT_WORDS:
        return Forgiven()
    corrected: list[str] = []
    changed = False
    maybe: list[str] = []
    for word in words:
        if word in COMMAND_WORDS:
            corrected.append(word)
            continue
        if word in _real():
            # A real word stays as typed; one near a command word may be asked about
            # ("paws": pause?), two slips away at most from four letters on.
            near = nearest(word, most=_REAL_MOST) if len(word) >= _REAL_FROM else ()
            maybe.extend(known for known in near if known not in maybe)
            corrected.append(word)
            continue
        near = nearest(word)
        if not near:
            corrected.append(word)
            continue
        if len(near) > 1:
            return Forgiven(choices=near)
        corrected.append(near[0])
        changed = True
    if changed:
        return Forgiven(text=" ".join(corrected))
    return Forgiven(maybe=tuple(maybe))
