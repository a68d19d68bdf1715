"""Replies read in context (issue 27): what people type right after the bot asked something.

Figures: `python -m tests.guidance.language.replies.evaluate` (held-out texts never printed).
Targets: at least 95% read as meant on each held-out set (not met: see docs/users/plain-words
and the floors below), every warning sign read as one, no short reply declined.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from guidance import Guide
from guidance.reading.replies import ASKED, continues, understand
from tests.guidance.language.replies.evaluate import (
    DEV,
    DEV_SETS,
    HOLDOUT,
    HOLDOUT_SETS,
    figures,
    load,
)

DEV_RIGHT = 0.97
# Held-out floors (right, short replies declined), as measured. holdout: 83 of 110 at first
# sight, 92 when the reader was written, 102 after dec7b, 105 after dec8 (with triage's
# fourth round). holdout_b: 117 of 130 at first sight (2026-12-08), 123 after dec8. Their
# misses include triage's readings (a bare 9 or 10 to the pain check, told as a sign), which
# the reader never overrides.
HOLDOUT_FLOORS = {"holdout": (105, 0), "holdout_b": (123, 0)}
# Dev warning signs triage does not tell (the reader is not told a sign): dec8's "10 and i
# literally cannot move off the bed" (the intent reader reads distress: the score is logged
# and first aid follows).
DEV_WARNINGS_NOT_TOLD = {"dev_dec8": 1}


def _read(guide: Guide, path: Path) -> tuple[int, int, int, list[str], int]:
    replies = load(path)
    got = [understand(r.asked, r.says, finding=guide.triage(r.says)) for r in replies]
    right, missed, short, misses, _ = figures(replies, got)
    return right, missed, short, misses, len(replies)


def test_the_sets_cover_every_question_the_bot_asks() -> None:
    for path in (*DEV_SETS, *HOLDOUT_SETS):
        assert {reply.asked for reply in load(path)} == ASKED
    assert len(load(DEV)) + len(load(HOLDOUT)) >= 300
    assert len(load(HOLDOUT)) * 3 >= len(load(DEV)) + len(load(HOLDOUT)) - 10
    assert {path.stem for path in HOLDOUT_SETS} == set(HOLDOUT_FLOORS)


@pytest.mark.parametrize("path", DEV_SETS, ids=lambda path: path.stem)
def test_dev_replies_are_read_as_meant_and_no_short_one_declined(guide: Guide, path: Path) -> None:
    right, missed, short, misses, total = _read(guide, path)
    assert missed <= DEV_WARNINGS_NOT_TOLD.get(path.stem, 0), misses
    assert short == 0, misses
    assert right >= DEV_RIGHT * total, misses


@pytest.mark.parametrize("path", HOLDOUT_SETS, ids=lambda path: path.stem)
def test_held_out_replies_hold_their_floors(guide: Guide, path: Path) -> None:
    right, missed, short, _, _ = _read(guide, path)
    floor, most_declined = HOLDOUT_FLOORS[path.stem]
    assert missed == 0
    assert short <= most_declined
    assert right >= floor


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
        # dec8's categories. Slips in an answer's own word; two near words read apart ask.
        ("water", "won glass", "done"),
        ("water", "drnk 2 glases", "done:2"),
        ("water", "skop", "other"),
        # Fillers after the answer, a yes before it, chat spellings, dictated punctuation.
        ("ice_offer", "leave it for today mate", "rest_today"),
        ("water", "yea did", "done"),
        ("posture", "up n about", "done"),
        ("taken_off", "heat pad is of now period", "off"),
        ("taken_off", "its one of them", "other"),
        # Numbers: heard by voice-to-text, said of now after yesterday, counted, measured.
        ("pain_check", "free", "score:3"),
        ("pain_check", "was a 6 yesterday now maybe 4", "score:4"),
        ("pain_check", "a solid eight", "score:8"),
        ("water", "x2", "done:2"),
        ("water_goal", "64oz", "ml:1893"),
        ("water_goal", "sounds good", "ml:2000"),
        # Times in every form; the bedtime that makes a waking day, not a four-hour one.
        ("stretch_time", "ten past seven", "time:19:10"),
        ("stretch_time", "twenty to eight", "time:19:40"),
        ("stretch_time", "eightish", "time:20:00"),
        ("stretch_time", "before work, im out by 8 so like quarter past 7", "time:07:15"),
        ("wake_sleep", "seven to eleven", "range:07:00-23:00"),
        ("wake_sleep", "9 to 1", "range:09:00-01:00"),
        ("wake_sleep", "6 30 to 10 30", "range:06:30-22:30"),
        ("wake_sleep", "5 to 7", "range:05:00-19:00"),
        # Cities misheard or run together; two near places in two zones are not guessed.
        ("timezone", "im in mum buy", "zone:Asia/Kolkata"),
        ("timezone", "brisbain", "other"),
        # Reasons to skip; a skip beats a reason for later; promises for later.
        ("water", "not thirsty", "skip"),
        ("heat_offer", "too warm today, skip", "skip"),
        ("posture", "cant, on a train", "skip"),
        ("posture", "skip, in a meeting", "skip"),
        ("posture", "busy all day", "skip"),
        ("posture", "will do after this email", "later"),
        ("posture", "no worries", "other"),
        # The warning-sign question: a sign said to be over, or only denied, is a no.
        ("signs", "had some tingling last winter but nothing now", "no"),
        ("signs", "i havent noticed any numbness", "no"),
        ("signs", "nothing like that, balance is fine", "no"),
        ("signs", "yes the tingling", "yes"),
        ("signs", "a bit of tingling now and then", "unsure"),
        # Questions in other words; another body part; taking back a log.
        ("ice_offer", "ice or heat", "question"),
        ("ice_offer", "not sure if ice or heat is better", "question"),
        ("stretch", "my knee hurts too any stretches for that", "cannot"),
        ("water", "misclick", "undo"),
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
