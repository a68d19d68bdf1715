"""Read times, windows, days and durations the way people type them."""

from __future__ import annotations

import re
import unicodedata
from datetime import time, timedelta

from guidance.reading import problems as says
from guidance.reading.problems import Problem

# `19`, `7:30`, `07.30`, `7h30`, and on a 12-hour clock `7pm`, `7:30 p.m.`, `7 AM`, `7p`.
_CLOCK = re.compile(
    r"^\s*(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(?:([ap])(?:\.?\s*m\b\.?)?)?\s*$",
    re.ASCII | re.IGNORECASE,
)
_NAMED_TIMES = {
    "noon": time(12),
    "12 noon": time(12),
    "midday": time(12),
    "midnight": time(0),
    "12 midnight": time(0),
}
_DAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*"
# Days after the hours, `mon-fri`, `mon, wed, fri` or `sat sun`; one way to match each.
_DAYS_AT_END = re.compile(
    rf"\s+({_DAY}(?:\s*[-,]\s*{_DAY}|\s+{_DAY})*)\s*$", re.IGNORECASE | re.ASCII
)
# At most five digits: bounded before any arithmetic (99999 minutes is over two months).
_DURATION = re.compile(
    r"(\d{1,5})\s*(hours|hour|hrs|hr|h|minutes|minute|mins|min|m)(?![a-z])",
    re.IGNORECASE | re.ASCII,
)
# A length that runs backwards: "-5h", "−5h" (a typographic minus), "minus 5 hours", "5h ago".
_NEGATIVE = re.compile(r"^(?:[-\u2212\u2013]|minus\b|negative\b)\s*\d|\d.*\bago$", re.IGNORECASE)
# Control characters (NUL and the like) never reach the database; newlines and tabs stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_typed(text: str) -> str:
    """Normalise what someone typed: compatibility forms (² → 2, ５ → 5), no control chars."""
    return _CONTROL.sub("", unicodedata.normalize("NFKC", text))


def small_number(text: str, *, digits: int = 6) -> int | None:
    """Return a plain non-negative number of at most `digits` ASCII digits, else None."""
    cleaned = text.strip()
    if not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned) > digits:
        return None
    return int(cleaned)


_DASHES = re.compile(r"\s*(?:-|–|—|\bto\b|\btill\b|\buntil\b)\s*", re.IGNORECASE)


class InputError(ValueError):
    """A value someone typed that cannot be used, with a correct example to show them."""

    def __init__(self, problem: Problem, *, example: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.example = example

    def __str__(self) -> str:
        # For logs and tests: the words a person reads are `bot.wording.inputs.refusal`'s.
        return f"{self.problem} (example: {self.example})"


def parse_clock_time(text: str, *, example: str = "19:30") -> time:
    """Read a local time: `7:30`, `07:30`, `19`, `7pm`, `7:30 am`, `noon` or `midnight`."""
    named = _NAMED_TIMES.get(" ".join(text.lower().split()))
    if named is not None:
        return named
    match = _CLOCK.match(text)
    if not match:
        raise InputError(says.not_a_time(text), example=example)
    hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if not half:
        if hour > 23 or minute > 59:
            raise InputError(says.not_on_the_clock(text), example=example)
        return time(hour, minute)
    if not 1 <= hour <= 12 or minute > 59:
        raise InputError(says.not_on_a_12_hour_clock(text), example=example)
    # 12am is midnight and 12pm noon; every other pm hour is twelve on.
    return time(hour % 12 + (12 if half == "p" else 0), minute)


def split_off_days(text: str) -> tuple[str, str]:
    """Split `9 am - 5 pm mon-fri` into its hours and the days at its end (maybe none)."""
    match = _DAYS_AT_END.search(text.strip())
    if match is None:
        return text.strip(), ""
    return text.strip()[: match.start()], match[1].strip()


def is_negative_length(text: str) -> bool:
    """Tell whether a typed length runs backwards: `-5h`, `minus 5 hours`, `5h ago`."""
    return _NEGATIVE.search(" ".join(text.split())) is not None


def parse_duration(
    text: str, *, example: str, minimum: timedelta, maximum: timedelta
) -> timedelta:
    """Read a span such as `45m`, `2h`, `1h30m` or `90 min`; a negative one is refused as
    such (`-45m` is not 45 minutes)."""
    if is_negative_length(text):
        raise InputError(says.negative_length(text), example=example)
    cleaned = text.strip().lower()
    if cleaned.isascii() and cleaned.isdigit():
        cleaned += "m"
    total = timedelta()
    position = 0
    for match in _DURATION.finditer(cleaned):
        if cleaned[position : match.start()].strip():
            break
        amount = int(match[1])
        total += timedelta(hours=amount) if match[2].startswith("h") else timedelta(minutes=amount)
        position = match.end()
    if position == 0 or cleaned[position:].strip():
        raise InputError(says.not_a_length(text), example=example)
    if not minimum <= total <= maximum:
        raise InputError(
            says.length_out_of_range(total, minimum, maximum),
            example=example,
        )
    return total
