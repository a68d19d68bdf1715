"""What a person reads when something they typed cannot be used: one line, then a correct
example. The parsers say what is wrong as data (`guidance.reading.problems`)."""

from __future__ import annotations

from datetime import timedelta
from typing import assert_never

from bot.i18n import _, ngettext
from guidance.reading.problems import Problem, Wrong
from guidance.reading.times import InputError


def refusal(error: InputError) -> str:
    """Say what is wrong with what was typed, and a correct example."""
    return _("{problem} For example: {example}").format(
        problem=say(error.problem), example=error.example
    )


def _quoted(text: str, limit: int = 20) -> str:
    return f"“{text.strip()[:limit]}”"


def _hours_and_minutes(span: timedelta) -> str:
    """Say a length in hours and minutes: `1 h 30 min`, `2 h`, `45 min`."""
    minutes = int(span.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
    if hours:
        return _("{hours} h").format(hours=hours)
    return _("{minutes} min").format(minutes=minutes)


def _pause_length(length: timedelta) -> str:
    """Say a pause's length: `10 min`, `2 h`, `3 days`."""
    if length >= timedelta(days=1):
        return ngettext("{count} day", "{count} days", length.days).format(count=length.days)
    minutes = int(length.total_seconds() // 60)
    if minutes >= 60 and minutes % 60 == 0:
        return _("{hours} h").format(hours=minutes // 60)
    return _("{minutes} min").format(minutes=minutes)


def say(problem: Problem) -> str:
    """Say in one line what is wrong with what was typed."""
    typed, numbers = _quoted(problem.typed), problem.numbers
    match problem.wrong:
        case Wrong.NOT_A_TIME:
            return _("{typed} is not a time of day.").format(typed=typed)
        case Wrong.NOT_ON_THE_CLOCK:
            return _("{typed} is not a time on a 24-hour clock.").format(typed=typed)
        case Wrong.NOT_ON_A_12_HOUR_CLOCK:
            return _("{typed} is not a time on a 12-hour clock.").format(typed=typed)
        case Wrong.NO_DASH:
            return _("Give a start and an end, with a dash between.")
        case Wrong.SAME_START_AND_END:
            return _("The start and the end must differ.")
        case Wrong.SPAN_OUT_OF_RANGE:
            hours, low, high = numbers
            return _(
                "That span is {hours:g} hours; it must be between {low:g} and {high:g} hours."
            ).format(hours=hours, low=low, high=high)
        case Wrong.NOT_A_DAY:
            return _("{typed} is not a day or range of days.").format(typed=typed)
        case Wrong.NO_DAY:
            return _("Name at least one day.")
        case Wrong.NOT_A_LENGTH:
            return _("{typed} is not a length of time.").format(typed=typed)
        case Wrong.NEGATIVE_LENGTH:
            return _("{typed} is a negative length: lengths count forward from now.").format(
                typed=typed
            )
        case Wrong.LENGTH_OUT_OF_RANGE:
            length, shortest, longest = map(_hours_and_minutes, problem.lengths)
            return _("That is {length}; it must be between {shortest} and {longest}.").format(
                length=length, shortest=shortest, longest=longest
            )
        case Wrong.PAUSE_OUT_OF_RANGE:
            length, shortest, longest = map(_pause_length, problem.lengths)
            return _("That is {length}; it must be between {shortest} and {longest}.").format(
                length=length, shortest=shortest, longest=longest
            )
        case Wrong.NOT_A_UNIT:
            return _("{typed} is not a unit I know: ml or oz.").format(typed=typed)
        case Wrong.NOT_A_PAUSE_END:
            return _("{typed} is not a day or time in the next 90 days.").format(typed=typed)
        case Wrong.NO_ZONE:
            return _("Please type a city or a zone name.")
        case Wrong.UNKNOWN_ZONE:
            return _("I don't know a time zone called {quoted}.").format(
                quoted=_quoted(problem.typed, 30)
            )
        case Wrong.NO_ZONE_AT_OFFSET:
            return _("No time zone is at {typed}: offsets run from UTC-12 to UTC+14.").format(
                typed=typed
            )
        case Wrong.SEVERAL_ZONES:
            return _(
                "{typed} has several time zones: type your city or its zone (EST, PST…)."
            ).format(typed=typed)
        case Wrong.NOT_MILLILITRES:
            return _("{typed} is not an amount in ml or oz.").format(typed=typed)
        case Wrong.GOAL_OUT_OF_RANGE:
            low, high = numbers
            return _("The daily goal must be between {low} and {high} ml.").format(
                low=low, high=high
            )
        case Wrong.GLASS_OUT_OF_RANGE:
            low, high = numbers
            return _("The glass size must be between {low} and {high} ml.").format(
                low=low, high=high
            )
        case Wrong.GLASSES_OUT_OF_RANGE:
            goal, glass, glasses, most = numbers
            return _(
                "A {goal} ml goal in {glass} ml glasses makes {glasses} glasses a day; "
                "keep it between 1 and {most}."
            ).format(goal=goal, glass=glass, glasses=glasses, most=most)
        case Wrong.DRINK_OUT_OF_RANGE:
            (most,) = numbers
            return _(
                "Give the amount in ml (50 to {most}), or in glasses, cups or ounces."
            ).format(most=most)
        case Wrong.UNKNOWN_SETTING:
            return _("That is not a setting I know.")
        case Wrong.TOO_LONG_FOR_A_SETTING:
            return _("That is too long for a setting.")
        case Wrong.VALUE_MISSING:
            return _("Add a value after “{typed}”.").format(typed=problem.typed)
        case Wrong.NOT_UNDERSTOOD:
            return _("I don't understand {typed}.").format(typed=typed)
        case Wrong.RESUME_TAKES_NOTHING:
            return _("/resume takes no arguments.")
        case Wrong.PAIN_SCALE:
            return _("Pain is a number from 0 (none) to 10 (worst).")
        case Wrong.NO_HEAT_BEFORE_SLEEP:
            return _(
                "It's too close to your sleep time for heat: never fall asleep on a "
                "heating pad. Ice is fine if you need it."
            )
        case _:
            assert_never(problem.wrong)
