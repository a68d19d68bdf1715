"""Matching phrases where they can start gives what the whole alternation gives, span for
span (guidance/reading/triage/needles.py): the speed-up changes nothing triage finds."""

from __future__ import annotations

import re

import pytest

from guidance.reading.triage.concepts import compile_phrases, lexicon, phrases_of
from guidance.reading.triage.needles import Index, Phrases
from guidance.reading.triage.scope import rules
from guidance.reading.triage.words import tokens
from tests.guidance.language.sets import DEV, answers, phrasings


def _tables() -> list[tuple[str, Phrases, Index]]:
    found = [(name, phrases, lexicon().index) for name, phrases in lexicon().phrases.items()]
    found += [
        (f"look-alikes of {name}", phrases, lexicon().index)
        for name, phrases in lexicon().lookalikes.items()
    ]
    table = rules()
    found += [(f"rule {rule.context}", rule.phrases, table.index) for rule in table.rules]
    return [*found, ("pseudo", table.pseudo, table.index)]


def _spans(phrases: Phrases, index: Index, text: str) -> list[tuple[int, int]]:
    starts = index.starts(text)
    return phrases.spans(text, starts, frozenset(starts))


# Made to trip the merge: overlaps, ties at one place, numbers with decimals, a phrase
# inside a longer one, punctuation before a word.
_AWKWARD = [
    "",
    "numb numbness numbnumb 38.5 .numb ,feel feel nothing , cant feel my legs",
    "no no no not numb not really numb , not tingling and no pins and needles",
    "my my my legs legs feet . 14 days 21 days 3 weeks , 38 point 5 , 101.2 f",
    "i cant i cant feel i cant tell if i have been to the loo or not",
]


def test_every_table_matches_as_its_whole_pattern_on_every_dev_message() -> None:
    texts = [" ".join(tokens(item.text)) for item in phrasings(DEV)]
    texts += [" ".join(tokens(row["text"])) for row in answers(DEV)] + _AWKWARD
    tables = _tables()
    differ = []
    for text in texts:
        starts = {id(index): index.starts(text) for index in {lexicon().index, rules().index}}
        for name, phrases, index in tables:
            found = starts[id(index)]
            if phrases.spans(text, found, frozenset(found)) != [
                match.span() for match in phrases.pattern.finditer(text)
            ]:
                differ.append((name, text))
    assert differ == []


def test_nearly_every_phrase_is_tried_only_where_it_can_start() -> None:
    searched = sum(len(phrases._searched) for _, phrases, _ in _tables())
    phrases = sum(len(p._by_start) for _, p, _ in _tables())
    assert not any(p._whole for _, p, _ in _tables())
    assert searched <= 8 < phrases


@pytest.mark.parametrize(
    ("phrase", "starts"),
    [
        ("numb(?:ness|ed)?", {"numb"}),
        ("(?:feels?|felt) nothing", {"feel nothing", "feels nothing", "felt nothing"}),
        (
            "(?:the )?(?:bits?|part) on",
            {"the bit on", "the bits on", "the part on", "bit on", "bits on", "part on"},
        ),
        ("(?<!on )pins (?:and|n) needles", {"pins and needles", "pins n needles"}),
        ("[2-3]\\d", {str(number) for number in range(20, 40)}),
        ("\\w*ache", None),
    ],
)
def test_start_strings_are_read_from_the_phrase(phrase: str, starts: set[str] | None) -> None:
    alone = Phrases(compile_phrases([phrase], {}), [compile_phrases([phrase], {})])
    if starts is None:
        assert alone._searched
        assert not alone._by_start
    else:
        assert set(alone._by_start) == starts


def test_a_phrase_that_may_match_nothing_makes_the_whole_pattern_run() -> None:
    phrases = phrases_of(["(?:numb)?", "legs"], {})
    assert phrases._whole
    text = "numb legs and more legs"
    assert _spans(phrases, Index([]), text) == [m.span() for m in phrases.pattern.finditer(text)]


def test_the_index_finds_every_start_at_the_start_of_a_word() -> None:
    index = Index(["num", "numb", "numbness", "my"])
    starts = index.starts("numbness my dummy numb x.numb")
    assert starts == {
        "num": [0, 18, 25],
        "numb": [0, 18, 25],
        "numbness": [0],
        "my": [9],
    }
    assert re.search("dummy", "numbness my dummy")  # "my" inside "dummy" is not a start
