"""`when` leaves unasked only the phrases dateparser reads nothing of: a sample of the
commonest English words it leaves out, each in twelve dates dateparser reads, gives nothing
(`python -m bench.date_words` checks all 40,000 and every word of the sets)."""

from __future__ import annotations

from bench.date_words import english_words, left_out, read_anyway
from guidance.reading import when


def test_no_date_is_read_with_a_word_left_out() -> None:
    words = left_out(english_words()[::97])
    assert len(words) > 350
    assert read_anyway(words) == []


def test_the_words_dateparser_reads_are_asked_about() -> None:
    for phrase in (
        "a", "an", "one", "friday", "fri", "sat", "tomorrow", "noon", "midnight", "now",
        "tonight", "14 dec", "jan 1st", "a fortnight", "in 3 days", "next week", "est", "cat",
        "may", "march", "sept", "monday morning", "the 10th", "in 2 hrs", "3 mins ago",
    ):  # fmt: skip
        assert when._may_be_a_date(phrase), phrase


def test_a_colon_is_left_to_dateparser_for_it_drops_what_comes_before_on() -> None:
    assert when._may_be_a_date("posted on: friday")
    assert when._parse("posted on: friday", when._BASE) is not None
