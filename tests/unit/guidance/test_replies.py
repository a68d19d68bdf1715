"""Replies read in context (issue 27): what people type right after the bot asked something.

Figures: `python -m tests.guidance.language.replies.evaluate` (held-out texts never printed).
Targets: at least 95% read as meant on the held-out set (not met: see docs/users/plain-words
and the floors below), every warning sign read as one, no short reply declined.
"""

from __future__ import annotations

import pytest

from guidance import Guide
from guidance.reading.replies import ASKED, continues, understand
from tests.guidance.language.replies.evaluate import DEV, DEV_SETS, HOLDOUT, figures, load

DEV_RIGHT = 0.97
# Held-out floors, as measured: 83 of 110 at first sight, 92 when the reader was written,
# 102 after the fresh dec7b set was read (its own first sight: 168 of 220).
HOLDOUT_RIGHT = 102
HOLDOUT_SHORT_DECLINES = 1


def _read(guide: Guide, path: object) -> tuple[int, int, int, list[str], int]:
    replies = load(path)  # type: ignore[arg-type]
    got = [understand(r.asked, r.says, finding=guide.triage(r.says)) for r in replies]
    right, missed, short, misses, _ = figures(replies, got)
    return right, missed, short, misses, len(replies)


def test_the_sets_cover_every_question_the_bot_asks() -> None:
    for path in (*DEV_SETS, HOLDOUT):
        assert {reply.asked for reply in load(path)} == ASKED
    assert len(load(DEV)) + len(load(HOLDOUT)) >= 300
    assert len(load(HOLDOUT)) * 3 >= len(load(DEV)) + len(load(HOLDOUT)) - 10


@pytest.mark.parametrize("path", DEV_SETS, ids=lambda path: path.stem)
def test_dev_replies_are_read_as_meant_and_no_short_one_declined(
    guide: Guide, path: object
) -> None:
    right, missed, short, misses, total = _read(guide, path)
    # dec7b: "the ice made my bum go numb and it hasnt come back, cant feel myself wiping"
    # is one triage asks about (a harmless cause that has not worn off): the warning-sign
    # question comes first in the bot, but the reader is not told a sign.
    assert missed <= (1 if path.stem == "dev_dec7b" else 0), misses  # type: ignore[attr-defined]
    assert short == 0, misses
    assert right >= DEV_RIGHT * total, misses


def test_held_out_replies_hold_their_floors(guide: Guide) -> None:
    right, missed, short, _, _ = _read(guide, HOLDOUT)
    assert missed == 0
    assert short <= HOLDOUT_SHORT_DECLINES
    assert right >= HOLDOUT_RIGHT


@pytest.mark.parametrize(
    ("asked", "says", "means"),
    [
        ("signs", "nope none of those", "no"),
        ("signs", "👍", "yes"),
        ("taken_off", "its of", "off"),
        ("taken_off", "2 more mins", "later"),
        ("pain_check", "ugh like a 7 today, maybe 6", "score:7"),
        ("pain_check", "yesterday was a 9 but today more like 5", "score:5"),
        ("ice_offer", "not now", "later"),
        ("water", "drank 2 glases", "done:2"),
        ("stretch+water", "only the water", "done:water"),
        ("wake_sleep", "half 7 to 11ish", "range:07:30-23:00"),
        ("timezone", "new yrok", "zone:America/New_York"),
        ("stretch_time", "seven thirty pm", "time:19:30"),
        ("water_goal", "a litre and a half", "ml:1500"),
        ("posture", "can you remind me to take my meds at 9pm", "cannot"),
        ("water", "oops didnt mean that", "undo"),
        ("pain_check", "8 and my leg keeps giving way", "warning"),
        # A bare number is glasses only in a short reply with no time or score in it.
        ("water", "had 3 since the last one", "done:3"),
        ("water", "in a meeting until 3", "later"),
        ("water", "ugh like a 6 today", "other"),
        # Clock times keep their minutes; an impossible one is not read as another.
        ("wake_sleep", "7:30 to 23", "range:07:30-23:00"),
        ("wake_sleep", "25:00-07:00", "other"),
        # Chat forms and fillers (dec7b): "brb", "kk", "gn", "sry no", "10 mins".
        ("taken_off", "brb", "not_yet"),
        ("heat_offer", "kk", "start"),
        ("posture", "gn", "skip"),
        ("heat_offer", "gn", "rest_today"),
        ("ice_offer", "sry no", "skip"),
        ("posture", "10 mins", "later"),
        ("stretch", "tmrw", "skip"),
        ("stretch+water", "neither sry", "skip:both"),
        ("pain_check", "not bad, three-ish", "score:3"),
        ("timezone", "ldn", "zone:Europe/London"),
        ("wake_sleep", "8a-12a", "range:08:00-00:00"),
        ("water_goal", "2.5L", "ml:2500"),
        # An answer in a sentence of its own, then a question about it; a question alone.
        ("pain_check", "solid 5. is that normal for day 3?", "score:5"),
        ("pain_check", "whats the difference between a 6 and a 7 really", "question"),
        ("taken_off", "fell asleep with it on 😬 is my skin ok? its really red", "question"),
        # Requests BackCare does not do, whatever was asked; the weather as small talk.
        ("water_goal", "can u track my coffee as well", "cannot"),
        ("forget", "can u delete my photos from telegram too", "cannot"),
        ("posture", "lovely weather out ☀️", "other"),
        ("posture", "remind me about the bins", "cannot"),
        ("water", "remind me to drink more", "other"),
        # Unsure of a score is no score; sipping now is drinking; "which is better" asks.
        ("pain_check", "dunno tbh", "skip"),
        ("water", "sipping it now", "done"),
        ("ice_offer", "which is better ice or heat", "question"),
        # To "delete everything?", "oops" takes the request back; "undo the 7" asks to undo.
        ("forget", "oops no", "no"),
        # Emoji and everyday agreement: "yup done", 🚫, 😴, "im good" (no thanks).
        ("taken_off", "yup done", "off"),
        ("signs", "🚫", "no"),
        ("heat_offer", "😴", "rest_today"),
        ("ice_offer", "im good", "skip"),
        ("water", "yes pls", "done"),
        # A question opening with its word, no "?"; requests to call, book, remind of other
        # things; one glass said as a number; halves.
        ("ice_offer", "how cold should it be", "question"),
        ("posture", "remind me at 5 to leave", "cannot"),
        ("posture", "book me a massage", "cannot"),
        ("water", "had 1", "done"),
        ("pain_check", "7.5", "score:7"),
        ("wake_sleep", "from 8 till 12", "range:08:00-00:00"),
        ("water_goal", "2 and a half litres", "ml:2500"),
        ("taken_off", "ice is melted lol", "off"),
        ("taken_off", "hang on", "not_yet"),
        ("stretch", "maybe later", "later"),
        ("heat_offer", "heat pls", "start"),
        ("pain_check", "pain free", "score:0"),
        ("pain_check", "dont want to say", "skip"),
        ("water", "already done", "done"),
        ("ice_offer", "ice for how long", "question"),
        ("forget", "undo the 7 i just logged, dont delete everything", "undo"),
    ],
)
def test_the_issues_examples(guide: Guide, asked: str, says: str, means: str) -> None:
    assert understand(asked, says, finding=guide.triage(says)) == means


@pytest.mark.parametrize(
    ("text", "goes_on"),
    [
        ("and did the stretch", True),
        ("also 2 glasses", True),
        ("+ a walk", True),
        ("the stretch too", True),
        ("drank a glass", False),
        ("andrew says hi", False),
        ("skip", False),
    ],
)
def test_a_message_that_goes_on_from_the_one_before(text: str, goes_on: bool) -> None:
    assert continues(text) is goes_on
