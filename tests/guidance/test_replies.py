"""Replies read in context (issue 27): what people type right after the bot asked something.

Figures: `python -m tests.guidance.language.replies.evaluate` (held-out texts never printed).
Targets: at least 95% read as meant on the held-out set (not met: see docs/users/plain-words
and the floors below), every warning sign read as one, no short reply declined.
"""

from __future__ import annotations

import pytest

from guidance import Guide
from guidance.reading.replies import ASKED, understand
from tests.guidance.language.replies.evaluate import DEV, HOLDOUT, figures, load

DEV_RIGHT = 0.97
# Held-out, as measured when the reader was written (92 of 110; first sight 83): floors.
HOLDOUT_RIGHT = 92
HOLDOUT_SHORT_DECLINES = 2


def _read(guide: Guide, path: object) -> tuple[int, int, int, list[str], int]:
    replies = load(path)  # type: ignore[arg-type]
    got = [understand(r.asked, r.says, finding=guide.triage(r.says)) for r in replies]
    right, missed, short, misses, _ = figures(replies, got)
    return right, missed, short, misses, len(replies)


def test_the_sets_cover_every_question_the_bot_asks() -> None:
    for path in (DEV, HOLDOUT):
        assert {reply.asked for reply in load(path)} == ASKED
    assert len(load(DEV)) + len(load(HOLDOUT)) >= 300
    assert len(load(HOLDOUT)) * 3 >= len(load(DEV)) + len(load(HOLDOUT)) - 10


def test_dev_replies_are_read_as_meant_and_no_warning_is_missed(guide: Guide) -> None:
    right, missed, short, misses, total = _read(guide, DEV)
    assert missed == 0, misses
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
    ],
)
def test_the_issues_examples(guide: Guide, asked: str, says: str, means: str) -> None:
    assert understand(asked, says, finding=guide.triage(says)) == means
