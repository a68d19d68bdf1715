"""What is wrong with something a person typed, as data: `bot.wording.inputs` says it.

The parsers in `times`, `zones`, `jobs.rules.fields`, `jobs.services.profile`,
`jobs.services.care` and `bot.arguments` raise `InputError` with one of these (and a
correct example); the words are the bot's, so they are reviewed, and translated, in one
place.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta


class Wrong(enum.Enum):
    """What is wrong with what was typed."""

    NOT_A_TIME = enum.auto()
    NOT_ON_THE_CLOCK = enum.auto()  # an hour past 23 or a minute past 59
    NOT_ON_A_12_HOUR_CLOCK = enum.auto()
    NO_DASH = enum.auto()  # a window without a dash between its start and end
    SAME_START_AND_END = enum.auto()
    SPAN_OUT_OF_RANGE = enum.auto()  # waking or work hours too short or too long
    NOT_A_DAY = enum.auto()
    NO_DAY = enum.auto()
    NOT_A_LENGTH = enum.auto()
    NEGATIVE_LENGTH = enum.auto()
    LENGTH_OUT_OF_RANGE = enum.auto()  # said in hours and minutes
    PAUSE_OUT_OF_RANGE = enum.auto()  # said in minutes, hours or days
    NOT_A_UNIT = enum.auto()
    NOT_A_PAUSE_END = enum.auto()
    NO_ZONE = enum.auto()
    UNKNOWN_ZONE = enum.auto()
    NO_ZONE_AT_OFFSET = enum.auto()
    SEVERAL_ZONES = enum.auto()
    NOT_MILLILITRES = enum.auto()
    GOAL_OUT_OF_RANGE = enum.auto()
    GLASS_OUT_OF_RANGE = enum.auto()
    GLASSES_OUT_OF_RANGE = enum.auto()  # a goal and glass that make too many glasses
    DRINK_OUT_OF_RANGE = enum.auto()
    UNKNOWN_SETTING = enum.auto()
    TOO_LONG_FOR_A_SETTING = enum.auto()
    VALUE_MISSING = enum.auto()
    NOT_UNDERSTOOD = enum.auto()
    RESUME_TAKES_NOTHING = enum.auto()
    PAIN_SCALE = enum.auto()
    NO_HEAT_BEFORE_SLEEP = enum.auto()


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong, the words typed (quoted when said), and the numbers or lengths it
    names, in the order the wording says them."""

    wrong: Wrong
    typed: str = ""
    numbers: tuple[float, ...] = ()
    lengths: tuple[timedelta, ...] = ()


def not_a_time(text: str) -> Problem:
    """A time of day that is not one."""
    return Problem(Wrong.NOT_A_TIME, text)


def not_on_the_clock(text: str) -> Problem:
    """An hour past 23 or a minute past 59."""
    return Problem(Wrong.NOT_ON_THE_CLOCK, text)


def not_on_a_12_hour_clock(text: str) -> Problem:
    """An am or pm hour past 12 (or 0), or a minute past 59."""
    return Problem(Wrong.NOT_ON_A_12_HOUR_CLOCK, text)


NO_DASH = Problem(Wrong.NO_DASH)
SAME_START_AND_END = Problem(Wrong.SAME_START_AND_END)


def span_out_of_range(hours: float, low: float, high: float) -> Problem:
    """Waking or work hours too short or too long."""
    return Problem(Wrong.SPAN_OUT_OF_RANGE, numbers=(hours, low, high))


def not_a_day(text: str) -> Problem:
    """A day name (or range) that is not one."""
    return Problem(Wrong.NOT_A_DAY, text)


NO_DAY = Problem(Wrong.NO_DAY)


def not_a_length(text: str) -> Problem:
    """A length of time that is not one."""
    return Problem(Wrong.NOT_A_LENGTH, text)


def negative_length(text: str) -> Problem:
    """A length of time typed with a minus sign, or as time ago."""
    return Problem(Wrong.NEGATIVE_LENGTH, text)


def length_out_of_range(length: timedelta, low: timedelta, high: timedelta) -> Problem:
    """A length too short or too long (posture breaks' interval, care mode's ice)."""
    return Problem(Wrong.LENGTH_OUT_OF_RANGE, lengths=(length, low, high))


def pause_out_of_range(length: timedelta, low: timedelta, high: timedelta) -> Problem:
    """A pause too short or too long."""
    return Problem(Wrong.PAUSE_OUT_OF_RANGE, lengths=(length, low, high))


def not_a_unit(text: str) -> Problem:
    """A unit for water that is neither millilitres nor ounces."""
    return Problem(Wrong.NOT_A_UNIT, text)


def not_a_pause_end(text: str) -> Problem:
    """A pause's end that is no day or time ahead (within the longest pause)."""
    return Problem(Wrong.NOT_A_PAUSE_END, text)


NO_ZONE = Problem(Wrong.NO_ZONE)


def unknown_zone(text: str) -> Problem:
    """A place or zone name not found."""
    return Problem(Wrong.UNKNOWN_ZONE, text)


def no_zone_at_offset(text: str) -> Problem:
    """An offset from UTC that no time zone uses (`UTC+15`, `+5:15`)."""
    return Problem(Wrong.NO_ZONE_AT_OFFSET, text)


def several_zones(text: str) -> Problem:
    """A country that spans several zones (`USA`, `Australia`)."""
    return Problem(Wrong.SEVERAL_ZONES, text)


def not_millilitres(text: str) -> Problem:
    """An amount of water that is not a number."""
    return Problem(Wrong.NOT_MILLILITRES, text)


def goal_out_of_range(low: int, high: int) -> Problem:
    """A daily water goal outside its bounds."""
    return Problem(Wrong.GOAL_OUT_OF_RANGE, numbers=(low, high))


def glass_out_of_range(low: int, high: int) -> Problem:
    """A glass size outside its bounds."""
    return Problem(Wrong.GLASS_OUT_OF_RANGE, numbers=(low, high))


def glasses_out_of_range(goal_ml: int, glass_ml: int, glasses: int, most: int) -> Problem:
    """A goal and glass size that make too many (or no) glasses a day."""
    return Problem(Wrong.GLASSES_OUT_OF_RANGE, numbers=(goal_ml, glass_ml, glasses, most))


def drink_out_of_range(most: int) -> Problem:
    """`/drank` with an amount outside its bounds."""
    return Problem(Wrong.DRINK_OUT_OF_RANGE, numbers=(most,))


UNKNOWN_SETTING = Problem(Wrong.UNKNOWN_SETTING)
TOO_LONG_FOR_A_SETTING = Problem(Wrong.TOO_LONG_FOR_A_SETTING)


def value_missing(word: str) -> Problem:
    """A settings command's sub-setting with nothing after it."""
    return Problem(Wrong.VALUE_MISSING, word)


def not_understood(text: str) -> Problem:
    """A command's words that match none of its forms."""
    return Problem(Wrong.NOT_UNDERSTOOD, text)


RESUME_TAKES_NOTHING = Problem(Wrong.RESUME_TAKES_NOTHING)
PAIN_SCALE = Problem(Wrong.PAIN_SCALE)
NO_HEAT_BEFORE_SLEEP = Problem(Wrong.NO_HEAT_BEFORE_SLEEP)
