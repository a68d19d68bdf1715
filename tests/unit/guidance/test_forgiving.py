"""Forgiving short replies (issue 27 item 3): a slip is read as the command word meant."""

from __future__ import annotations

import pytest

from guidance.reading.forgiving import COMMAND_WORDS, Forgiven, forgive, nearest, respelt
from guidance.reading.replies import understand


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("skp", "skip"),
        ("dne", "done"),
        ("snoze", "snooze"),
        ("remnd me", "remind me"),
        ("remnd me later", "remind me later"),
        ("dnoe", "done"),  # letters swapped
        ("undp", "undo"),
        ("settngs", "settings"),
        ("snooz 10", "snooze 10"),
    ],
)
def test_a_slip_in_a_short_message_is_read_as_the_word_meant(typed: str, meant: str) -> None:
    assert forgive(typed) == Forgiven(text=meant)


@pytest.mark.parametrize("typed", ["skop", "stip"])
def test_a_slip_as_near_two_words_is_asked_about(typed: str) -> None:
    assert forgive(typed) == Forgiven(choices=("skip", "stop"))


@pytest.mark.parametrize(
    ("typed", "maybe"),
    [("paws", ("pause",)), ("dune", ("done",)), ("ladder", ("later",)), ("thanks", ())],
)
def test_a_real_word_is_never_corrected_only_asked_about(
    typed: str, maybe: tuple[str, ...]
) -> None:
    forgiven = forgive(typed)
    assert forgiven.text is None
    assert forgiven.maybe == maybe


@pytest.mark.parametrize(
    "typed", ["gn", "thx", "lol", "ok", "brb", "my back hurts a lot today", "pain", "ice"]
)
def test_chat_words_and_longer_messages_are_left_as_they_are(typed: str) -> None:
    assert forgive(typed) == Forgiven()


def test_only_command_words_are_offered() -> None:
    for word in ("skp", "dne", "snoze", "hepl", "wter"):
        assert set(nearest(word)) <= set(COMMAND_WORDS)


@pytest.mark.parametrize(
    ("asked", "says", "means"),
    [("posture", "snoze", "later"), ("water", "dnoe", "done"), ("stretch", "skpi", "skip")],
)
def test_the_reader_of_replies_forgives_a_slip(asked: str, says: str, means: str) -> None:
    assert understand(asked, says) == means


@pytest.mark.parametrize(
    ("typed", "ways"),
    [
        ("drnk 2 glases", ["drink 2 glasses", "drank 2 glasses"]),
        ("thirtsy", ["thirsty"]),
        ("not thirsty", []),  # nothing to respell: real words stay as typed
        ("paws", []),
    ],
)
def test_a_word_that_is_no_word_is_respelt_as_each_nearest_answer_word(
    typed: str, ways: list[str]
) -> None:
    known = ("drink", "drank", "glasses", "thirsty", "pause")
    assert respelt(typed, known) == ways
