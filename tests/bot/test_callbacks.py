"""Button payloads are parsed strictly: only what the bot itself made is accepted."""

from __future__ import annotations

import pytest

from bot.callbacks import (
    AskFor,
    Callback,
    CallbackDataError,
    Do,
    OpenMenu,
    SetValue,
    StartFlareWithPain,
    Toggle,
    Vote,
    decode,
    encode,
)
from bot.render import CHOICES
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
    ],
)
def test_a_forged_or_unknown_payload_is_refused(data: str | None) -> None:
    with pytest.raises(CallbackDataError):
        decode(data)


@pytest.mark.parametrize("data", ["do:flare_pain:11", "do:flare_pain:-1", "do:flare_pain"])
def test_a_pain_score_outside_0_to_10_is_not_a_button(data: str) -> None:
    with pytest.raises(CallbackDataError):
        decode(data)
