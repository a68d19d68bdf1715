"""Every settings command's arguments: what is accepted, and the one-line error otherwise."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.arguments import parse_command, parse_drank, parse_resume
from guidance.reading.intents.reader import Drink
from guidance.reading.times import InputError
from jobs.rules.changes import (
    Pause,
    PauseUntilDay,
    Resume,
    SetEnabled,
    SetPostureEvery,
    SetStretchTime,
    SetWaking,
    SetWaterGlass,
    SetWaterGoal,
    SetWaterUnit,
    SetWork,
    SetZone,
)
from jobs.rules.windows import MONDAY_TO_FRIDAY, TimeWindow, WorkDays
from jobs.services.schedule import DEFAULT_GLASS
from storage.models import NudgeKind
from tests.support.refusals import refusal, refused


@pytest.mark.parametrize(
    ("command", "text", "expected"),
    [
        ("timezone", "Europe/Berlin", SetZone("Europe/Berlin")),
        ("timezone", "berlin", SetZone("Europe/Berlin")),
        ("timezone", "new york", SetZone("America/New_York")),
        ("timezone", "Asia/Kolkata", SetZone("Asia/Kolkata")),
        ("timezone", "  NEW   YORK ", SetZone("America/New_York")),
        ("hours", "07:30-22:30", SetWaking(TimeWindow(time(7, 30), time(22, 30)))),
        ("hours", "7-23", SetWaking(TimeWindow(time(7), time(23)))),
        ("hours", "07:30 – 22:30", SetWaking(TimeWindow(time(7, 30), time(22, 30)))),
        ("hours", "22:00-06:00", SetWaking(TimeWindow(time(22), time(6)))),
        ("water", "on", SetEnabled(NudgeKind.WATER, True)),
        ("water", "OFF", SetEnabled(NudgeKind.WATER, False)),
        ("water", "goal 2500", SetWaterGoal(2500)),
        ("water", "goal 2500ml", SetWaterGoal(2500)),
        ("water", "glass 300", SetWaterGlass(300)),
        ("posture", "on", SetEnabled(NudgeKind.POSTURE, True)),
        ("posture", "every 45m", SetPostureEvery(45)),
        ("posture", "every 1h", SetPostureEvery(60)),
        ("posture", "every 1h30m", SetPostureEvery(90)),
        ("posture", "every 90 min", SetPostureEvery(90)),
        (
            "posture",
            "work 08:30-17:00 mon-fri",
            SetWork(TimeWindow(time(8, 30), time(17)), MONDAY_TO_FRIDAY),
        ),
        ("posture", "work 08:30-17:00", SetWork(TimeWindow(time(8, 30), time(17)), None)),
        (
            "posture",
            "work 22:00-06:00 sun-thu",
            SetWork(TimeWindow(time(22), time(6)), WorkDays(frozenset({6, 0, 1, 2, 3}))),
        ),
        (
            "posture",
            "work 09:00-13:00 mon,wed,fri",
            SetWork(TimeWindow(time(9), time(13)), WorkDays(frozenset({0, 2, 4}))),
        ),
        ("stretch", "off", SetEnabled(NudgeKind.STRETCH, False)),
        ("stretch", "19:30", SetStretchTime(time(19, 30))),
        ("stretch", "7:05", SetStretchTime(time(7, 5))),
        ("pause", "2h", Pause(timedelta(hours=2))),
        ("pause", "30m", Pause(timedelta(minutes=30))),
        ("pause", "today", Pause("today")),
        ("pause", "Tomorrow", Pause("tomorrow")),
        ("pause", "7d", Pause(timedelta(days=7))),
        ("pause", "1 week", Pause(timedelta(days=7))),
        ("pause", "for 3 days", Pause(timedelta(days=3))),
        ("pause", "168h", Pause(timedelta(hours=168))),
        ("pause", "1h30m", Pause(timedelta(minutes=90))),
        ("pause", "90 min", Pause(timedelta(minutes=90))),
        ("pause", "until friday", Pause(PauseUntilDay("friday"))),
        ("pause", "till the 10th", Pause(PauseUntilDay("the 10th"))),
    ],
)
def test_a_well_formed_argument_becomes_its_change(
    command: str, text: str, expected: object
) -> None:
    assert parse_command(command, text) == expected


@pytest.mark.parametrize("command", ["timezone", "hours", "water", "posture", "stretch", "pause"])
def test_a_command_without_arguments_shows_its_menu(command: str) -> None:
    assert parse_command(command, "   ") is None


@pytest.mark.parametrize(
    ("command", "text", "example"),
    [
        ("hours", "25:00-07:00", "/hours 07:30-22:30"),
        ("hours", "07:00", "/hours 07:30-22:30"),
        ("hours", "07:00-07:00", "/hours 07:30-22:30"),
        ("hours", "07:00-09:00", "/hours 07:30-22:30"),
        ("hours", "7:61-22:00", "/hours 07:30-22:30"),
        ("hours", "late-early", "/hours 07:30-22:30"),
        ("timezone", "Mars/Olympus", "/timezone Europe/Berlin"),
        ("timezone", "x", "/timezone Europe/Berlin"),
        ("water", "goal -5", "/water goal 2500"),
        ("water", "goal 0", "/water goal 2500"),
        ("water", "goal 99999", "/water goal 2500"),
        ("water", "goal lots", "/water goal 2500"),
        ("water", "goal", "/water on"),
        ("water", "glass 10", "/water glass 300"),
        ("water", "maybe", "/water on"),
        ("water", "on please", "/water on"),
        ("posture", "every 5m", "/posture every 45m"),
        ("posture", "every 3h", "/posture every 45m"),
        ("posture", "every soon", "/posture every 45m"),
        ("posture", "work 08:30-17:00 someday", "/posture work 08:30-17:00 mon-fri"),
        ("posture", "work 08:00-08:30", "/posture work 08:30-17:00 mon-fri"),
        ("stretch", "13pm", "/stretch 19:30"),
        ("stretch", "0am", "/stretch 19:30"),
        ("hours", "7am-10", "/hours 07:30-22:30"),
        ("hours", "7am-7:60pm", "/hours 07:30-22:30"),
        ("posture", "work 9am-5pm someday", "/posture work 08:30-17:00 mon-fri"),
        ("stretch", "24:00", "/stretch 19:30"),
        ("pause", "forever", "/pause 2h"),
        ("pause", "5m", "/pause 2h"),
        ("pause", "100d", "/pause 2h"),
        ("pause", "4000h", "/pause 2h"),
        ("hours", "07:00-22:00 " + "x" * 200, "/hours 07:30-22:30"),
    ],
)
def test_a_bad_argument_gets_one_line_with_a_correct_example(
    command: str, text: str, example: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_command(command, text)
    message = refusal(caught.value)
    assert "\n" not in message
    assert example in message


@pytest.mark.parametrize(
    ("command", "text", "example"),
    [
        ("pause", "-5h", "/pause 2h"),
        ("pause", "- 5h", "/pause 2h"),
        ("pause", "\u22125h", "/pause 2h"),  # a typographic minus sign
        ("pause", "-2 days", "/pause 2h"),
        ("pause", "for -30m", "/pause 2h"),
        ("pause", "minus 5 hours", "/pause 2h"),
        ("pause", "-1 week", "/pause 2h"),
        ("pause", "5h ago", "/pause 2h"),
        ("posture", "every -45m", "/posture every 45m"),
    ],
)
def test_a_negative_length_is_refused_as_negative_with_an_example(
    command: str, text: str, example: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_command(command, text)
    message = refusal(caught.value)
    assert "negative" in message
    assert "\n" not in message
    assert example in message


@pytest.mark.parametrize(
    ("text", "length"), [("0h", "0 min"), ("0 min", "0 min"), ("5m", "5 min")]
)
def test_a_pause_too_short_names_its_bounds_as_a_person_says_them(text: str, length: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_command("pause", text)
    assert refusal(caught.value).startswith(
        f"That is {length}; it must be between 10 min and 90 days. For example: /pause 2h"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", DEFAULT_GLASS),
        ("500", 500),
        ("500 ml", 500),
        ("2 glasses", Drink(2, in_glasses=True)),
        ("a cup", Drink(1, in_glasses=True)),
        ("16 oz", 473),
        ("half a litre", 500),
    ],
)
def test_drank_takes_millilitres_glasses_cups_and_ounces(text: str, expected: object) -> None:
    assert parse_drank(text) == expected


@pytest.mark.parametrize("text", ["40 glasses", "10 litres", "loads", "-2 glasses"])
def test_drank_refuses_an_amount_no_one_drinks_at_once(text: str) -> None:
    with refused("For example: /drank"):
        parse_drank(text)


def test_resume_takes_no_arguments() -> None:
    assert parse_resume("") == Resume()
    with refused("/resume"):
        parse_resume("now")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("unit oz", SetWaterUnit("oz")),
        ("unit ML", SetWaterUnit("ml")),
        ("unit ounces", SetWaterUnit("oz")),
        ("goal 64 oz", SetWaterGoal(1893)),
        ("glass 8oz", SetWaterGlass(237)),
    ],
)
def test_water_takes_ounces_and_a_unit_to_show_amounts_in(text: str, expected: object) -> None:
    assert parse_command("water", text) == expected


def test_a_unit_other_than_ml_or_oz_is_refused() -> None:
    with refused("For example: /water unit oz"):
        parse_command("water", "unit cups")
