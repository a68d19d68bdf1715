"""First aid and ice or heat answered from the entry that says what was asked (issue 24):
a spasm happening now, asked what to do or "keep moving or lie down?", gets first aid, not
the walking advice for recovery; ice and heat named together as a choice get the entry on
choosing. Wordings of our own, none taken from the question sets."""

from __future__ import annotations

import pytest

from guidance import Guide

FIRST_AID = "during-a-spasm"


@pytest.mark.parametrize(
    "question",
    [
        "my back just went, do i walk it off or lie down",
        "spasm just hit, should i keep moving or lie down",
        "threw my back out just now, should I sit or lie down",
        "it just went, should I stretch",
        "I'm in the middle of a spasm, how do I calm it down",
        "it's spasming as we speak, anything I can do",
        "what's the best thing to do the moment a spasm starts",
        "is it better to stay still or keep moving when the spasm first hits",
        "my back has just cramped up badly, tips?",
        "i felt it twinge and now it's seized, should i rest it",
        "just bent to pick up a sock and my back locked, now what",
        "my back just seized, what do I do",
        "back went while hoovering, what first",
    ],
)
def test_a_spasm_happening_now_gets_first_aid(guide: Guide, question: str) -> None:
    answer = guide.answer(question)
    assert answer.entry_id == FIRST_AID
    assert "floor propped with cushions" in answer.answer


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # now, but asking about something first aid does not answer
        ("back went this morning, should I go to work", "work-and-driving"),
        ("it just started, how long will it last", "how-long-it-lasts"),
        ("it just started spasming, can i have a warm bath", "warm-bath"),
        # a habit or a treatment's timing, not a spasm happening now
        ("my back goes stiff every morning, why", "symptoms"),
        ("how long should I ice when it hits", "ice-how-to"),
        # not now: recovery
        ("back gave out last week, is walking good", "rest-and-movement"),
        # "straight away" with a treatment is about when to use it, not a spasm now
        ("can I use heat straight away on the first day", "heat-how-to"),
    ],
)
def test_other_questions_about_a_new_spasm_keep_their_entry(
    guide: Guide, question: str, entry: str
) -> None:
    assert guide.answer(question).entry_id == entry


@pytest.mark.parametrize(
    "question",
    [
        "ice pack or heat pad for a spasm that started this morning",
        "heating pad or ice pack tonight?",
        "hot water bottle or frozen peas, which is better",
        "should I use cold or heat first",
        "put my back out lifting a box yesterday, heat or cold?",
    ],
)
def test_ice_and_heat_named_as_a_choice_get_the_choice(guide: Guide, question: str) -> None:
    answer = guide.answer(question)
    assert answer.entry_id == "ice-or-heat"
    assert "Ice first" in answer.answer


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("can I sleep on a heating pad", "heat-safety"),
        ("can I put frozen peas straight on my skin", "ice-safety"),
        # heat on the skin: the heat's own safety (a towel between), not the ice's
        ("can I put a heat pack straight on my skin", "heat-safety"),
        ("my skin looks pink after the heat, did I overdo it", "heat-safety"),
        ("how long do i leave a wheat bag on", "heat-how-to"),
    ],
)
def test_one_treatment_asked_about_keeps_its_own_entry(
    guide: Guide, question: str, entry: str
) -> None:
    assert guide.answer(question).entry_id == entry
