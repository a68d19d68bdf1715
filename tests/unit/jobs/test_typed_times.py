"""Times as people type them, on a 24- or a 12-hour clock, wherever a time is asked for."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.arguments import parse_command
from guidance.reading.times import InputError, parse_clock_time, split_off_days
from jobs.rules.changes import SetStretchTime, SetWaking, SetWork
from jobs.rules.fields import parse_window
from jobs.rules.windows import MONDAY_TO_FRIDAY, TimeWindow, WorkDays
from tests.support.refusals import refusal


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("7am", time(7)),
        ("7 am", time(7)),
        ("7AM", time(7)),
        ("7pm", time(19)),
        ("7:30pm", time(19, 30)),
        ("7.30 p.m.", time(19, 30)),
        ("7p", time(19)),
        ("11:59 PM", time(23, 59)),
        ("noon", time(12)),
        ("Midday", time(12)),
        ("midnight", time(0)),
        ("12 noon", time(12)),
        ("12am", time(0)),
        ("12:15am", time(0, 15)),
        ("12pm", time(12)),
        ("12:45 pm", time(12, 45)),
        ("1am", time(1)),
        # the 24-hour forms that worked before still do
        ("19:30", time(19, 30)),
        ("07:30", time(7, 30)),
        ("7:05", time(7, 5)),
        ("19", time(19)),
        ("0", time(0)),
        ("7h30", time(7, 30)),
        ("19.30", time(19, 30)),
    ],
)
def test_a_typed_time_is_the_time_on_the_clock_meant(typed: str, meant: time) -> None:
    assert parse_clock_time(typed) == meant


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("13pm", "not a time on a 12-hour clock"),
        ("0am", "not a time on a 12-hour clock"),
        ("7:60pm", "not a time on a 12-hour clock"),
        ("24:00", "not a time on a 24-hour clock"),
        ("7:60", "not a time on a 24-hour clock"),
        ("7 amish", "not a time of day"),
        ("seven", "not a time of day"),
        ("noonish", "not a time of day"),
        ("7 pm pm", "not a time of day"),
    ],
)
def test_a_time_not_on_the_clock_is_refused_in_one_line_with_an_example(
    typed: str, why: str
) -> None:
    with pytest.raises(InputError) as refused:
        parse_clock_time(typed, example="/stretch 19:30")
    assert why in refusal(refused.value)
    assert refusal(refused.value).endswith("For example: /stretch 19:30")
    assert "\n" not in refusal(refused.value)


@pytest.mark.parametrize(
    ("command", "typed", "change"),
    [
        ("hours", "7am-10pm", SetWaking(TimeWindow(time(7), time(22)))),
        ("hours", "7 am – 10 pm", SetWaking(TimeWindow(time(7), time(22)))),
        ("hours", "7am to 10:30pm", SetWaking(TimeWindow(time(7), time(22, 30)))),
        ("hours", "6:30am until midnight", SetWaking(TimeWindow(time(6, 30), time(0)))),
        ("hours", "10pm-6am", SetWaking(TimeWindow(time(22), time(6)))),
        ("hours", "7-10pm", SetWaking(TimeWindow(time(7), time(22)))),
        ("hours", "07:00-22:00", SetWaking(TimeWindow(time(7), time(22)))),
        ("stretch", "7pm", SetStretchTime(time(19))),
        ("stretch", "noon", SetStretchTime(time(12))),
        ("stretch", "7:30 pm", SetStretchTime(time(19, 30))),
        ("posture", "work 9am-5pm", SetWork(TimeWindow(time(9), time(17)), None)),
        (
            "posture",
            "work 9 am - 5 pm mon-fri",
            SetWork(TimeWindow(time(9), time(17)), MONDAY_TO_FRIDAY),
        ),
        (
            "posture",
            "work 8:30am-5pm monday - friday",
            SetWork(TimeWindow(time(8, 30), time(17)), MONDAY_TO_FRIDAY),
        ),
        (
            "posture",
            "work noon-8pm sat sun",
            SetWork(TimeWindow(time(12), time(20)), WorkDays(frozenset({5, 6}))),
        ),
    ],
)
def test_waking_work_and_stretch_times_take_the_12_hour_clock_too(
    command: str, typed: str, change: object
) -> None:
    assert parse_command(command, typed) == change


@pytest.mark.parametrize(
    ("typed", "hours", "days"),
    [
        ("9am-5pm", "9am-5pm", ""),
        ("9 am - 5 pm mon-fri", "9 am - 5 pm", "mon-fri"),
        ("08:30-17:00 mon, wed, fri", "08:30-17:00", "mon, wed, fri"),
        ("22:00-06:00 sun-thu", "22:00-06:00", "sun-thu"),
        ("noon to midnight Sat Sun", "noon to midnight", "Sat Sun"),
    ],
)
def test_the_days_at_the_end_of_work_hours_are_split_off(
    typed: str, hours: str, days: str
) -> None:
    assert split_off_days(typed) == (hours, days)


HALF = st.sampled_from(["am", "pm", "AM", "PM", " am", " pm", "a.m.", " p.m.", "a", "p"])


@given(hour=st.integers(1, 12), minute=st.integers(0, 59), half=HALF)
def test_any_12_hour_time_equals_its_24_hour_form(hour: int, minute: int, half: str) -> None:
    meridiem = "PM" if "p" in half.lower() else "AM"
    # The standard library's own reading of the 12-hour clock is the reference.
    same = datetime.strptime(f"{hour}:{minute:02d} {meridiem}", "%I:%M %p").time()  # noqa: DTZ007
    assert parse_clock_time(f"{hour}:{minute:02d}{half}") == same
    assert parse_clock_time(f"{same:%H:%M}") == same
    if minute == 0:
        assert parse_clock_time(f"{hour}{half}") == same


@given(
    start=st.times().map(lambda moment: moment.replace(second=0, microsecond=0)),
    end=st.times().map(lambda moment: moment.replace(second=0, microsecond=0)),
)
def test_a_window_reads_the_same_on_either_clock(start: time, end: time) -> None:
    twelve = f"{start:%I:%M%p}-{end:%I:%M%p}".lower()
    twenty_four = f"{start:%H:%M}-{end:%H:%M}"
    try:
        expected = parse_window(twenty_four, example="x", min_hours=0, max_hours=24)
    except InputError:
        with pytest.raises(InputError):
            parse_window(twelve, example="x", min_hours=0, max_hours=24)
    else:
        assert parse_window(twelve, example="x", min_hours=0, max_hours=24) == expected
