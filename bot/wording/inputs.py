"""What a person reads when something they typed cannot be used: one line, then a correct
example. The parsers say what is wrong as data (`guidance.reading.problems`)."""

from __future__ import annotations

from datetime import timedelta
from typing import assert_never

from guidance.reading.problems import Problem, Wrong
from guidance.reading.times import InputError


def refusal(error: InputError) -> str:
    """Say what is wrong with what was typed, and a correct example."""
    return f"{say(error.problem)} For example: {error.example}"


def _quoted(text: str, limit: int = 20) -> str:
    return f"“{text.strip()[:limit]}”"


def _hours_and_minutes(span: timedelta) -> str:
    """Say a length in hours and minutes: `1 h 30 min`, `2 h`, `45 min`."""
    minutes = int(span.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"


def _pause_length(length: timedelta) -> str:
    """Say a pause's length: `10 min`, `2 h`, `3 days`."""
    if length >= timedelta(days=1):
        days = length.days
        return f"{days} day{'s' if days != 1 else ''}"
    minutes = int(length.total_seconds() // 60)
    return f"{minutes // 60} h" if minutes >= 60 and minutes % 60 == 0 else f"{minutes} min"


def say(problem: Problem) -> str:
    """Say in one line what is wrong with what was typed."""
    typed, numbers = _quoted(problem.typed), problem.numbers
    match problem.wrong:
        case Wrong.NOT_A_TIME:
            return f"{typed} is not a time of day."
        case Wrong.NOT_ON_THE_CLOCK:
            return f"{typed} is not a time on a 24-hour clock."
        case Wrong.NOT_ON_A_12_HOUR_CLOCK:
            return f"{typed} is not a time on a 12-hour clock."
        case Wrong.NO_DASH:
            return "Give a start and an end, with a dash between."
        case Wrong.SAME_START_AND_END:
            return "The start and the end must differ."
        case Wrong.SPAN_OUT_OF_RANGE:
            hours, low, high = numbers
            return f"That span is {hours:g} hours; it must be between {low:g} and {high:g} hours."
        case Wrong.NOT_A_DAY:
            return f"{typed} is not a day or range of days."
        case Wrong.NO_DAY:
            return "Name at least one day."
        case Wrong.NOT_A_LENGTH:
            return f"{typed} is not a length of time."
        case Wrong.NEGATIVE_LENGTH:
            return f"{typed} is a negative length: lengths count forward from now."
        case Wrong.LENGTH_OUT_OF_RANGE:
            length, shortest, longest = map(_hours_and_minutes, problem.lengths)
            return f"That is {length}; it must be between {shortest} and {longest}."
        case Wrong.PAUSE_OUT_OF_RANGE:
            length, shortest, longest = map(_pause_length, problem.lengths)
            return f"That is {length}; it must be between {shortest} and {longest}."
        case Wrong.NOT_A_UNIT:
            return f"{typed} is not a unit I know: ml or oz."
        case Wrong.NOT_A_PAUSE_END:
            return f"{typed} is not a day or time in the next 90 days."
        case Wrong.NO_ZONE:
            return "Please type a city or a zone name."
        case Wrong.UNKNOWN_ZONE:
            return f"I don't know a time zone called {_quoted(problem.typed, 30)}."
        case Wrong.NO_ZONE_AT_OFFSET:
            return f"No time zone is at {typed}: offsets run from UTC-12 to UTC+14."
        case Wrong.SEVERAL_ZONES:
            return f"{typed} has several time zones: type your city or its zone (EST, PST…)."
        case Wrong.NOT_MILLILITRES:
            return f"{typed} is not an amount in ml or oz."
        case Wrong.GOAL_OUT_OF_RANGE:
            low, high = numbers
            return f"The daily goal must be between {low} and {high} ml."
        case Wrong.GLASS_OUT_OF_RANGE:
            low, high = numbers
            return f"The glass size must be between {low} and {high} ml."
        case Wrong.GLASSES_OUT_OF_RANGE:
            goal, glass, glasses, most = numbers
            return (
                f"A {goal} ml goal in {glass} ml glasses makes {glasses} glasses a day; "
                f"keep it between 1 and {most}."
            )
        case Wrong.DRINK_OUT_OF_RANGE:
            (most,) = numbers
            return f"Give the amount in ml (50 to {most}), or in glasses, cups or ounces."
        case Wrong.UNKNOWN_SETTING:
            return "That is not a setting I know."
        case Wrong.TOO_LONG_FOR_A_SETTING:
            return "That is too long for a setting."
        case Wrong.VALUE_MISSING:
            return f"Add a value after “{problem.typed}”."
        case Wrong.NOT_UNDERSTOOD:
            return f"I don't understand {typed}."
        case Wrong.RESUME_TAKES_NOTHING:
            return "/resume takes no arguments."
        case Wrong.PAIN_SCALE:
            return "Pain is a number from 0 (none) to 10 (worst)."
        case Wrong.NO_HEAT_BEFORE_SLEEP:
            return (
                "It's too close to your sleep time for heat: never fall asleep on a heating "
                "pad. Ice is fine if you need it."
            )
        case _:
            assert_never(problem.wrong)
