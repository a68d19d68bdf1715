"""Matching a concept's phrases fast: where each phrase could start, then only there.

A concept's pattern is one alternation of up to seventy phrases, matched as whole words. The
regular-expression engine tries every phrase at every character of a message, so a long
story cost milliseconds though most concepts are nowhere in it (reading's p95 was 2.3 ms,
two-thirds of it here and in the context triggers).

Instead, each phrase is compiled alone, and the fixed strings it must start with are read
from its own parse ("numb" for `numb(?:ness|ed)?`, "feel" and "felt" for
`(?:feels?|felt) nothing`). One pass of a trie over the message finds where every such
string starts; each phrase is then tried only there, with `match`. The matches are merged
as `finditer` on the whole alternation would choose them (leftmost first, the earlier
phrase at a tie, no overlaps), so the result is the same, span for span, only sooner
(`tests/unit/guidance/test_needles.py` holds them equal on every message of the sets).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from re import _constants as sre_constants  # type: ignore[attr-defined]  # `re`'s parser:
from re import _parser as sre_parse  # type: ignore[attr-defined]  # its parse, its constants
from typing import Any

_REPEATS = frozenset(
    getattr(sre_constants, name)
    for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
    if hasattr(sre_constants, name)
)
_ZERO_WIDTH = frozenset({sre_constants.ASSERT, sre_constants.ASSERT_NOT, sre_constants.AT})
_DIGITS = frozenset("0123456789")
# A character class wider than this is no use as a start ("\w"): the phrase is searched.
_WIDEST_CLASS = 12

Starts = Mapping[str, Sequence[int]]  # each start string, and where it begins in a message


def _class(items: Any) -> set[str] | None:
    """Return the characters of a small character class, or None."""
    chars: set[str] = set()
    for op, value in items:
        if op is sre_constants.LITERAL:
            chars.add(chr(value))
        elif op is sre_constants.RANGE and value[1] - value[0] < _WIDEST_CLASS:
            chars.update(chr(code) for code in range(value[0], value[1] + 1))
        elif op is sre_constants.CATEGORY and value is sre_constants.CATEGORY_DIGIT:
            chars.update(_DIGITS)
        else:
            return None
    return chars if len(chars) <= _WIDEST_CLASS else None


# Start strings are written out this far, and no further: enough to be rare in a message.
_LONG_ENOUGH = 8
_MOST_STARTS = 64


def _element(op: Any, value: Any) -> tuple[set[str], bool] | None:
    """Return the strings one parsed element's matches start with, and whether they are
    its whole matches (so that what follows may be joined on), or None."""
    if op is sre_constants.SUBPATTERN:
        return _prefixes(list(value[-1]))
    if op is sre_constants.BRANCH:
        strings: set[str] = set()
        complete = True
        for branch in value[1]:
            found = _prefixes(list(branch))
            if found is None:
                return None
            strings |= found[0]
            complete = complete and found[1]
        return strings, complete
    if op is sre_constants.IN:
        chars = _class(value)
        return None if chars is None else (chars, True)
    if op in _REPEATS:
        low, high, item = value
        found = _prefixes(list(item))
        if found is None:
            return ({""}, False) if low == 0 else None
        strings, complete = found
        if high == 1:
            return (strings | {""}, complete) if low == 0 else (strings, complete)
        return (strings | {""}, False) if low == 0 else (strings, False)
    return None


def _prefixes(data: list[Any]) -> tuple[set[str], bool] | None:
    """Return strings that every match of a parsed sequence starts with, and whether they
    are its whole matches; None when a match may start with anything."""
    strings = {""}
    for op, value in data:
        if op in _ZERO_WIDTH:
            continue  # an assertion consumes nothing: the characters around it are adjacent
        if op is sre_constants.LITERAL:
            strings = {string + chr(value) for string in strings}
            continue
        found = _element(op, value)
        if found is None or (strings != {""} and len(strings) * len(found[0]) > _MOST_STARTS):
            return (strings, False) if "" not in strings else None
        options, complete = found
        strings = {string + option for string in strings for option in options}
        if not complete or min(map(len, strings)) >= _LONG_ENOUGH:
            return strings, False
    return strings, True


def _starts(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:
        return None
    if pattern.flags & re.IGNORECASE or parsed.getwidth()[0] == 0:
        return None
    found = _prefixes(list(parsed))
    if found is None or "" in found[0]:
        return None
    # Where "numb" starts, so does the phrase: "numbness" need not be looked for as well.
    kept: list[str] = []
    for start in sorted(found[0]):
        if not any(start.startswith(shorter) for shorter in kept):
            kept.append(start)
    return tuple(kept)


def _may_be_empty(pattern: re.Pattern[str]) -> bool:
    try:
        return bool(sre_parse.parse(pattern.pattern, pattern.flags).getwidth()[0] == 0)
    except Exception:
        return True  # unparsable: take no risk


_Tried = tuple[int, re.Pattern[str]]  # a phrase's order in the alternation, and the phrase


class Phrases:
    """Phrases matched as whole words: the alternation, and each phrase alone."""

    __slots__ = ("_by_start", "_keys", "_searched", "_whole", "pattern")

    def __init__(self, pattern: re.Pattern[str], phrases: Sequence[re.Pattern[str]]) -> None:
        self.pattern = pattern  # the whole alternation, as the phrases are matched together
        by_start: dict[str, list[_Tried]] = {}
        searched: list[_Tried] = []
        for order, phrase in enumerate(phrases):
            starts = _starts(phrase)
            if starts is None:
                searched.append((order, phrase))
            for start in starts or ():
                by_start.setdefault(start, []).append((order, phrase))
        self._by_start = {start: tuple(tried) for start, tried in by_start.items()}
        self._keys = frozenset(by_start)
        self._searched = tuple(searched)
        # A phrase that may match nothing would break the merge: match them all together.
        self._whole = any(_may_be_empty(phrase) for phrase in phrases)

    @property
    def starts(self) -> frozenset[str]:
        """Return every fixed string a phrase starts with."""
        return frozenset() if self._whole else self._keys

    def spans(self, text: str, starts: Starts, present: frozenset[str]) -> list[tuple[int, int]]:
        """Return the character spans `self.pattern.finditer(text)` gives, given where each
        start string begins in the text (`present`: the ones that do)."""
        if self._whole:
            return [match.span() for match in self.pattern.finditer(text)]
        hits: list[tuple[int, int, int]] = []  # start, the phrase's order, end
        for start in self._keys & present:
            places = starts[start]
            for order, phrase in self._by_start[start]:
                for at in places:
                    match = phrase.match(text, at)
                    if match is not None:
                        hits.append((at, order, match.end()))
        for order, phrase in self._searched:
            at = 0
            while (match := phrase.search(text, at)) is not None:
                hits.append((match.start(), order, match.end()))
                at = match.start() + 1
        if not hits:
            return []
        hits.sort()
        spans: list[tuple[int, int]] = []
        end_of_last = 0
        for begin, _, end in hits:
            if begin >= end_of_last:  # leftmost first; at a tie, the earlier phrase
                spans.append((begin, end))
                end_of_last = end
        return spans


class Index:
    """Where each of many fixed strings starts in a text, at the start of a word, found in
    one pass of a trie."""

    __slots__ = ("_pattern", "_within")

    def __init__(self, strings: Iterable[str]) -> None:
        known = set(strings)
        every = sorted(known)
        # The trie finds the longest string at each place; those it begins with start there
        # too (its prefixes in the set, shortest first: the order `sorted` gives them).
        self._within = {
            string: tuple(
                string[:end] for end in range(1, len(string) + 1) if string[:end] in known
            )
            for string in every
        }
        trie = _trie(every)
        self._pattern = re.compile(f"(?<![a-z0-9])(?=({trie}))") if every else None

    def starts(self, text: str) -> dict[str, list[int]]:
        """Return where each string starts in a text (the strings that do not are left out)."""
        found: dict[str, list[int]] = {}
        if self._pattern is None:
            return found
        for match in self._pattern.finditer(text):
            at = match.start()
            for string in self._within[match[1]]:
                if string in found:
                    found[string].append(at)
                else:
                    found[string] = [at]
        return found


def _trie(strings: Sequence[str]) -> str:
    """Write strings as one pattern that tries the longest first, sharing their beginnings."""
    root: dict[str, Any] = {}
    for string in strings:
        node = root
        for char in string:
            node = node.setdefault(char, {})
        node[""] = {}

    def write(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + write(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return write(root)
