"""Plain messages → what they ask for, over the phrasing sets in `tests/jobs/intents/`.

Each set was written by someone who had not seen the rules (batch 1 before the reader
existed; later batches before they were run), as people type in a chat. The context of
every case: Europe/London, Wednesday 2 December 2026 at 10:20, a 250 ml glass. Warning
signs are answered by triage before intents are read, as in the bot, so a `warning` case
is right when triage catches it. Run with `-s` for the figures per batch and per intent.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidance import Guide, Level
from guidance.reading.intents.reader import Act, Intent, read
from tests.reporting import report
from tests.support.paths import TESTS

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 12, 2, 10, 20, tzinfo=LONDON).astimezone(UTC)
SETS = sorted((TESTS / "jobs" / "intents").glob("*.toml"))
TARGET = 0.95


def load(path: Path) -> list[dict[str, Any]]:
    with path.open("rb") as file:
        return list(tomllib.load(file)["case"])


def expected_until(value: str) -> tuple[datetime, bool]:
    """Read a case's `until`: a local date (a named day) or a local date and time."""
    if "T" in value:
        return datetime.fromisoformat(value).replace(tzinfo=LONDON), False
    return datetime.fromisoformat(value + "T00:00").replace(tzinfo=LONDON), True


def verdict(case: dict[str, Any], guide: Guide) -> str | None:
    """Return what was wrong with the reading of one case (None: right)."""
    text, wanted = case["text"], case["intent"]
    level = guide.triage(text).level
    if wanted == "warning":
        return None if level is not Level.NONE else "triage missed it"
    if wanted == "distress" and level is Level.URGENT:
        return None  # severe pain ("agony", "9/10"): help now comes first, which is safer
    if level is Level.URGENT or (level is Level.DOCTOR and wanted != "distress"):
        return f"triage said {level.name}"
    got = read(text, now=NOW, zone=LONDON)
    if got.act.name.lower() != wanted:
        return f"read as {got.act.name.lower()}"
    return _parameters(case, got)


def _parameters(case: dict[str, Any], got: Intent) -> str | None:
    if "ml" in case and got.ml != case["ml"]:
        return f"{got.ml} ml"
    if "minutes" in case and got.delay != timedelta(minutes=case["minutes"]):
        return f"delay {got.delay}"
    if "until" in case:
        until, day_only = expected_until(case["until"])
        if got.until is None or got.until != until or got.day_only != day_only:
            return f"until {got.until} (day only: {got.day_only})"
    return None


@pytest.mark.parametrize("path", SETS, ids=[path.stem for path in SETS])
def test_plain_messages_are_read_as_what_they_ask_for(
    path: Path, guide: Guide, request: pytest.FixtureRequest
) -> None:
    cases = load(path)
    wrong = [(case, why) for case in cases if (why := verdict(case, guide)) is not None]
    by_intent = Counter(case["intent"] for case in cases)
    missed = Counter(case["intent"] for case, _ in wrong)
    per_intent = ", ".join(
        f"{intent} {count - missed[intent]}/{count}" for intent, count in sorted(by_intent.items())
    )
    report(request, f"intents {path.stem}: {len(cases) - len(wrong)}/{len(cases)} ({per_intent})")
    for case, why in wrong:
        report(request, f"  ✗ {case['intent']:10} {case['text']!r}: {why}")
    # Someone in pain is always offered care mode, whatever else their words could mean.
    assert not [case for case, _ in wrong if case["intent"] in ("distress", "warning")], wrong
    assert len(wrong) <= len(cases) * (1 - TARGET), [
        f"{case['text']!r}: {why}" for case, why in wrong
    ]


def test_the_sets_hold_enough_phrasings() -> None:
    cases = [case for path in SETS for case in load(path)]
    assert len({case["text"].lower() for case in cases}) >= 200  # distinct phrasings
    for path in SETS:  # no phrasing twice in one set
        texts = [case["text"] for case in load(path)]
        assert len(set(texts)) == len(texts), path.stem
    assert {case["intent"] for case in cases} >= {act.name.lower() for act in Act}


@pytest.mark.parametrize(
    ("text", "act"),
    [
        ("how long does a spasm last", Act.QUESTION),  # a question about spasms, not one
        ("is walking good for back spasms?", Act.QUESTION),
        ("my back just went into spasm", Act.DISTRESS),
        ("help", Act.DISTRESS),
        ("stop", Act.STOP),
        ("thanks!", Act.SMALL_TALK),
    ],
)
def test_distress_and_questions_are_told_apart(text: str, act: Act) -> None:
    assert read(text, now=NOW, zone=LONDON).act is act


def test_a_busy_time_is_read_in_the_persons_zone() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    got = read("busy until 9", now=NOW, zone=tokyo)  # 19:20 in Tokyo
    assert got.act is Act.BUSY
    assert got.until == datetime(2026, 12, 2, 21, 0, tzinfo=tokyo)  # the next 9 o'clock


def test_questions_about_back_care_stay_questions(request: pytest.FixtureRequest) -> None:
    """The guidance question set: in-scope questions go to the guide, not to an intent
    (reading one as distress is allowed: its reply is the same first aid, and care mode)."""
    path = TESTS / "guidance" / "questions.toml"
    with path.open("rb") as file:
        asked = [item["q"] for item in tomllib.load(file)["in_scope"]]
    read_as = {text: read(text, now=NOW, zone=LONDON).act for text in asked}
    other = {text: act for text, act in read_as.items() if act not in (Act.QUESTION, Act.DISTRESS)}
    distress = [text for text, act in read_as.items() if act is Act.DISTRESS]
    report(
        request,
        f"intents: {len(asked) - len(other) - len(distress)}/{len(asked)} guidance questions "
        f"read as questions, {len(distress)} as distress",
    )
    assert other == {}
    assert len(distress) <= len(asked) * 0.02, distress


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=120))
def test_any_text_is_read_as_something(text: str) -> None:
    got = read(text, now=NOW, zone=LONDON)
    assert isinstance(got.act, Act)
    if got.until is not None:
        assert got.until > NOW


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(
            [
                "until",
                "till",
                "for",
                "3",
                "friday",
                "half",
                "the",
                "10th",
                "days",
                "week",
                "pm",
                "busy",
                "pause",
                "in",
                "a",
                "meeting",
                "2h",
                "48h",
                "jan",
                "1st",
                "noon",
                "12.30",
            ]
        ),
        max_size=8,
    )
)
def test_time_words_in_any_order_never_break_the_reader(words: list[str]) -> None:
    got = read(" ".join(words), now=NOW, zone=LONDON)
    if got.until is not None:
        assert NOW < got.until <= NOW + timedelta(days=366)


@pytest.mark.parametrize(
    "text",
    [
        "went for a walk and now it's worse",
        "I walked and it hurt more",
        "I just walked, it hurts",
        "it hurts to walk, should I still walk",
        "got up and walked about, back is agony now",
    ],
)
def test_a_walk_that_made_it_worse_is_answered_not_logged_as_a_break(text: str) -> None:
    assert read(text, now=NOW, zone=LONDON).act is not Act.BREAK


def test_a_walk_without_pain_is_still_a_break() -> None:
    assert read("just walked to the kitchen and back", now=NOW, zone=LONDON).act is Act.BREAK
