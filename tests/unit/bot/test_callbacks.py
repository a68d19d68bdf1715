"""Button payloads are parsed strictly: only what the bot itself made is accepted."""

from __future__ import annotations

import pytest

from bot.callbacks import (
    GUIDE_WORD,
    AskFor,
    Callback,
    CallbackDataError,
    Do,
    GuidedPress,
    NudgeAction,
    NudgeButton,
    OpenMenu,
    SetValue,
    StartFlareWithPain,
    Toggle,
    Vote,
    decode,
    encode,
)
from bot.wording.asking import CHOICES
from jobs.composer.nudge import ACTIONS
from jobs.rules.guided import Move
from storage.models import NudgeKind


@pytest.mark.parametrize(
    "callback",
    [
        SetValue("tz", "America/Argentina/Buenos_Aires"),
        SetValue("hours", "22:00-06:00"),
        SetValue("work", "09:00-17:00 mon-fri"),
        Toggle(NudgeKind.POSTURE),
        OpenMenu("main"),
        OpenMenu("goal"),
        AskFor("stretch"),
        Do("finish"),
        Do("forget"),
        Vote(12345, helpful=True),
        Vote(7, helpful=False),
        Do("seen"),
        Do("no_flare"),
        StartFlareWithPain(0),
        StartFlareWithPain(10),
    ],
)
def test_a_payload_reads_back_as_the_button_it_came_from(callback: Callback) -> None:
    assert decode(encode(callback)) == callback


def test_every_offered_choice_fits_in_a_payload() -> None:
    for field, choices in CHOICES.items():
        for _, value in choices:
            assert decode(encode(SetValue(field, value))) == SetValue(field, value)


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "set:tz",
        "set:owner:1",
        "set:tz:Europe/Berlin;DROP TABLE users",
        "tog:coffee",
        "tog:care_offer",
        "tog:water:extra",
        "menu:admin",
        "ask:telegram_id",
        "do:delete_everyone",
        "do:forget:123",
        "user:999:forget",
        "set:tz:" + "A" * 60,
        "SET:tz:UTC",
        "vote:up:abc",
        "vote:up",
        "vote:maybe:12",
        "vote:up:-3",
        "nud:session_end:12",
        "nud:session_end:done.",
        "nud:water:done",
        "nud:posture:drink",
    ],
)
def test_a_forged_or_unknown_payload_is_refused(data: str | None) -> None:
    with pytest.raises(CallbackDataError):
        decode(data)


@pytest.mark.parametrize("data", ["do:flare_pain:11", "do:flare_pain:-1", "do:flare_pain"])
def test_a_pain_score_outside_0_to_10_is_not_a_button(data: str) -> None:
    with pytest.raises(CallbackDataError):
        decode(data)


# Buttons sit in people's chats for months: these payloads must keep meaning the same.
@pytest.mark.parametrize(
    ("data", "button"),
    [
        ("do:finish", Do.FINISH),
        ("do:resume", Do.RESUME),
        ("do:forget", Do.FORGET),
        ("do:keep", Do.KEEP),
        ("do:flare", Do.FLARE),
        ("do:redflag_yes", Do.REDFLAG_YES),
        ("do:redflag_no", Do.REDFLAG_NO),
        ("do:seen", Do.SEEN),
        ("do:no_flare", Do.NO_FLARE),
        ("do:keep_water", Do.KEEP_WATER),
    ],
)
def test_a_one_off_button_keeps_its_payload(data: str, button: Do) -> None:
    assert decode(data) is button
    assert encode(button) == data


def test_every_button_a_nudge_offers_is_understood() -> None:
    for kind, actions in ACTIONS.items():
        for action in actions:
            button = decode(f"nud:{kind.value}:{action}")
            if (kind, action) == (NudgeKind.STRETCH, GUIDE_WORD):
                assert button == GuidedPress(Move.START)  # the stretch prompt's ▶️ Start
                continue
            assert button == NudgeButton(kind, action)
            assert isinstance(button, NudgeButton)
            assert isinstance(button.asks, NudgeAction)


@pytest.mark.parametrize(
    ("data", "asks"),
    [
        ("nud:water:drink", NudgeAction.DRINK),
        ("nud:posture:done", NudgeAction.DONE),
        ("nud:water:snooze", NudgeAction.SNOOZE),
        ("nud:care_offer:skip", NudgeAction.SKIP),
        ("nud:care_offer:alternate", NudgeAction.START),
        ("nud:session_end:done", NudgeAction.TAKE_OFF),
        ("nud:session_end:done.12", NudgeAction.TAKE_OFF),
        ("nud:pain_check:7", NudgeAction.NOTE_PAIN),
    ],
)
def test_a_nudge_button_reads_as_what_it_asks_for(data: str, asks: NudgeAction) -> None:
    button = decode(data)
    assert isinstance(button, NudgeButton)
    assert button.asks is asks
    assert encode(button) == data


def test_the_weeks_end_button_on_the_check_in_asks_to_end_care_mode() -> None:
    button = decode("nud:pain_check:better")
    assert button == NudgeButton(NudgeKind.PAIN_CHECK, "better")
    assert isinstance(button, NudgeButton)
    assert button.asks is NudgeAction.BETTER
    with pytest.raises(CallbackDataError):
        decode("nud:water:better")


def test_the_pause_for_today_button_is_read_for_the_kinds_that_slow_down() -> None:
    button = decode("nud:water:rest")
    assert isinstance(button, NudgeButton)
    assert button.asks is NudgeAction.REST
    with pytest.raises(CallbackDataError):
        decode("nud:stretch:rest")


@pytest.mark.parametrize(
    ("data", "button"),
    [
        ("nud:stretch:guide", GuidedPress(Move.START)),
        ("gs:next:4711.abc.1.1.0", GuidedPress(Move.NEXT, "4711.abc.1.1.0")),
        ("gs:easier:0.ef.0.0.1", GuidedPress(Move.EASIER, "0.ef.0.0.1")),
        ("gs:skip:12.a.0.0.0", GuidedPress(Move.SKIP, "12.a.0.0.0")),
        ("gs:stop:12.abcdefghi.8.8.0", GuidedPress(Move.STOP, "12.abcdefghi.8.8.0")),
    ],
)
def test_a_guided_session_button_keeps_its_payload(data: str, button: GuidedPress) -> None:
    assert decode(data) == button
    assert encode(button) == data


@pytest.mark.parametrize(
    "data",
    [
        "gs:start:1.a.0.0.0",  # Start is only ever the prompt's own button
        "gs:next",
        "gs:next:1.A.0.0.0",
        "gs:next:1.a.0.0.2",
        "gs:next:1.abcdefghij.0.0.0",  # more exercises than a plan holds
        "gs:jump:1.a.0.0.0",
        "nud:water:guide",
    ],
)
def test_a_forged_guided_button_is_refused(data: str) -> None:
    with pytest.raises(CallbackDataError):
        decode(data)
