"""What a person reads when something they typed cannot be used: one place, by feature.

Every message is one line; `InputError` adds a correct example after it. The parsers in
`time_input`, `zones`, `profile`, `care` and `bot.arguments` raise with these, so the
wording is reviewed here without reading the parsing.
"""

from __future__ import annotations


def _quoted(text: str, limit: int = 20) -> str:
    return f"“{text.strip()[:limit]}”"


# -- times, windows, days and lengths (settings) ---------------------------------------------


def not_a_time(text: str) -> str:
    """A time of day that is not one."""
    return f"{_quoted(text)} is not a time of day."


def not_on_the_clock(text: str) -> str:
    """An hour past 23 or a minute past 59."""
    return f"{_quoted(text)} is not a time on a 24-hour clock."


def not_on_a_12_hour_clock(text: str) -> str:
    """An am or pm hour past 12 (or 0), or a minute past 59."""
    return f"{_quoted(text)} is not a time on a 12-hour clock."


NO_DASH = "Give a start and an end, with a dash between."
SAME_START_AND_END = "The start and the end must differ."


def span_out_of_range(hours: float, low: float, high: float) -> str:
    """Waking or work hours too short or too long."""
    return f"That span is {hours:g} hours; it must be between {low:g} and {high:g} hours."


def not_a_day(text: str) -> str:
    """A day name (or range) that is not one."""
    return f"{_quoted(text)} is not a day or range of days."


NO_DAY = "Name at least one day."


def not_a_length(text: str) -> str:
    """A length of time that is not one."""
    return f"{_quoted(text)} is not a length of time."


def negative_length(text: str) -> str:
    """A length of time typed with a minus sign, or as time ago."""
    return f"{_quoted(text)} is a negative length: lengths count forward from now."


def not_a_unit(text: str) -> str:
    """A unit for water that is neither millilitres nor ounces."""
    return f"{_quoted(text)} is not a unit I know: ml or oz."


def not_a_pause_end(text: str) -> str:
    """A pause's end that is no day or time ahead (within the longest pause)."""
    return f"{_quoted(text)} is not a day or time in the next 90 days."


def length_out_of_range(length: str, low: str, high: str) -> str:
    """A length too short or too long (a pause, posture breaks' interval, care mode's ice)."""
    return f"That is {length}; it must be between {low} and {high}."


# -- time zones (settings) -------------------------------------------------------------------

NO_ZONE = "Please type a city or a zone name."


def unknown_zone(text: str) -> str:
    """A place or zone name not found."""
    return f"I don't know a time zone called {_quoted(text, 30)}."


def no_zone_at_offset(text: str) -> str:
    """An offset from UTC that no time zone uses (`UTC+15`, `+5:15`)."""
    return f"No time zone is at {_quoted(text)}: offsets run from UTC-12 to UTC+14."


def several_zones(text: str) -> str:
    """A country that spans several zones (`USA`, `Australia`)."""
    return f"{_quoted(text)} has several time zones: type your city or its zone (EST, PST…)."


# -- water and the other settings ------------------------------------------------------------


def not_millilitres(text: str) -> str:
    """An amount of water that is not a number."""
    return f"{_quoted(text)} is not an amount in ml or oz."


def millilitres_out_of_range(what: str, low: int, high: int) -> str:
    """A goal, glass or drink outside its bounds."""
    return f"The {what} must be between {low} and {high} ml."


def glasses_out_of_range(goal_ml: int, glass_ml: int, glasses: int, most: int) -> str:
    """A goal and glass size that make too many (or no) glasses a day."""
    return (
        f"A {goal_ml} ml goal in {glass_ml} ml glasses makes {glasses} glasses a day; "
        f"keep it between 1 and {most}."
    )


def drink_out_of_range(most: int) -> str:
    """`/drank` with an amount outside its bounds."""
    return f"Give the amount in ml (50 to {most}), or in glasses, cups or ounces."


UNKNOWN_SETTING = "That is not a setting I know."
TOO_LONG_FOR_A_SETTING = "That is too long for a setting."


def value_missing(word: str) -> str:
    """A settings command's sub-setting with nothing after it."""
    return f"Add a value after “{word}”."


def not_understood(text: str) -> str:
    """A command's words that match none of its forms."""
    return f"I don't understand {_quoted(text)}."


RESUME_TAKES_NOTHING = "/resume takes no arguments."

# -- care mode (flare) -----------------------------------------------------------------------

PAIN_SCALE = "Pain is a number from 0 (none) to 10 (worst)."
NO_HEAT_BEFORE_SLEEP = (
    "It's too close to your sleep time for heat: never fall asleep on a heating pad. "
    "Ice is fine if you need it."
)
