"""Read when someone means, in plain words: "for 3 days", "until friday", "till half 3".

Dates, weekdays and lengths of time go to dateparser (a maintained library: "14 dec",
"jan 1st", "monday morning", "in 90 mins", "a fortnight"). The clock-time idioms it misses
or reads as another day are ours, and come first:
- a bare hour is the next time it comes round: "until 3" at 10:20 is 15:00 today, "till 11"
  is 11:00 today, "free after 7" is 19:00;
- British halves and quarters: "half 3" is 15:30, "quarter past 12" is 12:15;
- "the 10th" is the next 10th of a month (dateparser reads it as October);
- "half an hour" and "an hour and a half" are 30 and 90 minutes.
Everything is read in the person's zone, relative to an injected `now`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

# The longest span a typed phrase may name (a longer one is read as no span at all).
LONGEST = timedelta(days=365)

_WORD_NUMBERS = {
    "a": "1",
    "an": "1",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "couple of": "2",
    "a couple of": "2",
    "few": "3",
    "a few": "3",
}
_WORD_NUMBER = "|".join(sorted(map(re.escape, _WORD_NUMBERS), key=len, reverse=True))
_UNIT = r"(?:weeks?|wks?|w|days?|d|hours?|hrs?|h|minutes?|mins?|m|fortnights?)"
_LONG_UNIT = r"(?:weeks?|wks?|days?|hours?|hrs?|minutes?|mins?|fortnights?)"
# "3 days", "48h", "1.5 hours"; in words only with the unit spelt out ("a week", not "an d").
_SPAN = re.compile(
    rf"(?<![\w:.])(?:(?P<digits>\d{{1,5}}(?:[.,]\d{{1,2}})?)\s*(?P<unit>{_UNIT})"
    rf"|(?P<words>{_WORD_NUMBER})\s+(?P<word_unit>{_LONG_UNIT}))(?![a-z])"
)
_HALF_HOUR = re.compile(r"\b(?:half an? hour|half hour|30 ?mins?)\b")
_HOUR_AND_A_HALF = re.compile(
    r"\b(?:an?|1|one) (?:hour|hr) and a half\b|\b1\.5 ?(?:hours?|hrs?|h)\b"
)
_UNIT_SECONDS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60}

# What may come before a moment: "until 3", "till friday", "back at 2", "free after 7".
_MOMENT = re.compile(r"\b(?:until|till|til|untill|untl|by|at|after|around|before|from)\s+")
_CLOCK = re.compile(
    r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm|a\.m\.|p\.m\.)?$"
)
_QUARTERS = re.compile(r"^(?P<which>half|half past|quarter past|quarter to)\s+(?P<hour>\d{1,2})$")
_QUARTER_SHIFT = {"half": 30, "half past": 30, "quarter past": 15, "quarter to": -15}
_NOON = {"noon": time(12), "midday": time(12), "midnight": time(0), "lunch": time(13)}
_ORDINAL_DAY = re.compile(r"^(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)$")
_EVENING = re.compile(r"\b(?:tonight|this evening|in the evening|pm)\b")
_MORNING = re.compile(r"\b(?:in the morning|this morning|am)\b")
# Words after a moment that are not part of it: "till 9 tonight sorry", "until 14 dec pls".
_FILLER = frozenset(
    [
        "please",
        "pls",
        "plz",
        "sorry",
        "thanks",
        "thx",
        "ok",
        "okay",
        "then",
        "tho",
        "though",
        "lol",
        "haha",
        "so",
        "and",
        "but",
        "tonight",
        "today",
        "wish",
        "me",
        "luck",
        "hold",
        "the",
        "reminders",
        "nudges",
        "reminder",
        "for",
        "now",
    ]
)


@dataclass(frozen=True, slots=True)
class Moment:
    """A time someone named: `at` (aware, in their zone); `day_only` when they named a day
    and no time of day ("until friday": from the start of that day)."""

    at: datetime
    day_only: bool = False


def span(text: str) -> timedelta | None:
    """Return the length of time a phrase names ("for 3 days", "48h", "half an hour")."""
    lowered = text.lower()
    if _HOUR_AND_A_HALF.search(lowered):
        return timedelta(minutes=90)
    if _HALF_HOUR.search(lowered):
        return timedelta(minutes=30)
    found = _SPAN.search(lowered)
    if found is None:
        if re.search(r"\b(?:a|one) fortnight\b|\bfortnight\b", lowered):
            return timedelta(days=14)
        return None
    if found["digits"] is not None:
        amount, unit = found["digits"].replace(",", "."), found["unit"]
    else:
        amount, unit = _WORD_NUMBERS[found["words"]], found["word_unit"]
    if unit.startswith("f"):  # a fortnight is two weeks
        amount, unit = str(float(amount) * 2), "weeks"
    # dateparser reads the phrase we found ("in 3 days" from now); ours if it cannot.
    length = _relative(f"in {amount} {_dateparser_unit(unit)}")
    if length is None:
        length = timedelta(seconds=float(amount) * _UNIT_SECONDS[unit[0]])
    return length if timedelta(0) < length <= LONGEST else None


def moment(text: str, *, now: datetime, zone: ZoneInfo) -> Moment | None:
    """Return the moment a phrase names after "until", "till", "at", "after"…, if any."""
    lowered = re.sub(r"\s+", " ", text.lower().replace("’", "'")).strip()
    local = now.astimezone(zone)
    for found in _MOMENT.finditer(lowered):
        read = _moment_in(lowered[found.end() :], local)
        if read is not None:
            return read
    return None


def _moment_in(rest: str, local: datetime) -> Moment | None:
    """Read the longest run of words, from the first on, that names a moment."""
    words = [word.strip(",.!?;") for word in rest.split()]
    evening = bool(_EVENING.search(rest))
    morning = bool(_MORNING.search(rest))
    for length in range(min(len(words), 5), 0, -1):
        phrase = " ".join(words[:length]).strip()
        if not phrase or phrase.split()[-1] in _FILLER - {"am", "pm"}:
            continue
        read = _clock(phrase, local, evening=evening, morning=morning)
        if read is not None:
            return Moment(read)
        day = _day(phrase, local)
        if day is not None:
            return Moment(datetime.combine(day, time(0), tzinfo=local.tzinfo), day_only=True)
    return None


def _clock(phrase: str, local: datetime, *, evening: bool, morning: bool) -> datetime | None:
    """Read a time of day: the next time it comes round (a bare hour in the daytime first)."""
    if phrase in _NOON:
        return _next_at(local, [_NOON[phrase]])
    quarters = _QUARTERS.match(phrase)
    if quarters is not None:
        hour = int(quarters["hour"])
        if not 1 <= hour <= 12:
            return None
        shift = _QUARTER_SHIFT[quarters["which"]]
        times = [
            (datetime.combine(local.date(), time(h % 24)) + timedelta(minutes=shift)).time()
            for h in (hour % 12, hour % 12 + 12)
        ]
        return _next_at(local, times)
    clock = _CLOCK.match(phrase)
    if clock is None:
        return None
    hour, minute = int(clock["hour"]), int(clock["minute"] or 0)
    half = (clock["half"] or "").replace(".", "")
    if minute > 59 or hour > 23 or (half and not 1 <= hour <= 12):
        return None
    if half or evening or morning:
        pm = half == "pm" or (not half and evening)
        return _next_at(local, [time(hour % 12 + (12 if pm else 0), minute)])
    if hour > 12 or clock["hour"].startswith("0"):  # 24-hour: "13:30", "09:00", "0:30"
        return _next_at(local, [time(hour, minute)])
    return _next_at(local, [time(hour % 12, minute), time(hour % 12 + 12, minute)])


def _next_at(local: datetime, times: list[time]) -> datetime:
    """Return the first of these times of day after `local` (today or tomorrow)."""
    zone = local.tzinfo
    candidates = [
        datetime.combine(local.date() + timedelta(days=days), at, tzinfo=zone)
        for days in (0, 1)
        for at in times
    ]
    return min(candidate for candidate in candidates if candidate > local)


def _day(phrase: str, local: datetime) -> date | None:
    """Read a day: "friday", "tomorrow", "the 10th", "14 dec", "jan 1st", "monday morning"."""
    ordinal = _ORDINAL_DAY.match(phrase)
    if ordinal is not None:
        return _next_day_of_month(local.date(), int(ordinal["day"]))
    if phrase in ("today", "tonight") or not _may_be_a_date(phrase):
        return None
    parsed = _parse(phrase, local.replace(tzinfo=None))
    if parsed is None or not local.date() < parsed.date() <= local.date() + LONGEST:
        return None  # today, past, or further ahead than anyone pauses ("until 48h jan")
    return parsed.date()


def _next_day_of_month(today: date, day: int) -> date | None:
    """Return the next date that falls on this day of a month (after today)."""
    year, month = today.year, today.month
    for _ in range(13):
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate > today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _dateparser_unit(unit: str) -> str:
    return {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}[unit[0]]


# A fixed naive base for lengths of time: only the difference from it is used.
_BASE = datetime(2000, 1, 3, 12, 0)  # noqa: DTZ001


def _relative(phrase: str) -> timedelta | None:
    """Return the span dateparser reads in a relative phrase ("in 3 days")."""
    try:
        parsed = _parse(phrase, _BASE)
    except (OverflowError, ValueError):  # past the calendar's end: not a span anyone means
        return None
    return None if parsed is None else parsed - _BASE


def _may_be_a_date(phrase: str) -> bool:
    """Tell whether dateparser could read a phrase as a date: not if some word is one its
    English cannot know ("after a long day at my desk": "long", "desk").

    dateparser (English alone, nothing around a date ignored) reads a phrase only when every
    word of it, simplified, is a word of its English data, a zone name or a number; a plain
    lower-case word that is none of those leaves it nothing to read, and it answers None.
    Asking it costs half a millisecond a phrase, and most phrases after "at" or "after" are
    no date, so those with such a word are not asked. A word with a digit, a mark or a
    capital is left to dateparser, as is a phrase with a colon ("on:" drops what is before).
    """
    if ":" in phrase:
        return True
    known = _date_words()
    return not any(
        word.isascii() and word.isalpha() and word.islower() and word not in known
        for word in phrase.split()
    )


@cache
def _date_words() -> frozenset[str]:
    """Return every word dateparser's English may know, and more: each run of letters in its
    English data (words, simplifications, relative phrases and their patterns, each also
    without its last letter, for a pattern's optional "s") and in its zone names."""
    _library()
    from dateparser.data.date_translation_data import en
    from dateparser.timezones import timezone_info_list

    english = _letter_runs(
        {**en.info, "locale_specific": list(en.info["locale_specific"].values())}
    )
    return frozenset(
        english | {run[:-1] for run in english if len(run) > 1} | _letter_runs(timezone_info_list)
    )


def _letter_runs(value: object) -> set[str]:
    """Return the runs of letters in every string (and key) of some nested data, lower-cased;
    not a locale's own name ("en-MY")."""
    if isinstance(value, str):
        return set(re.findall(r"[a-z]+", value.lower()))
    if isinstance(value, dict):
        return _letter_runs([item for key, item in value.items() if key != "name"]) | (
            _letter_runs(list(value))
        )
    if isinstance(value, list | tuple):
        return set().union(*map(_letter_runs, value))
    return set()


def _parse(phrase: str, base: datetime) -> datetime | None:
    """Ask dateparser, in English, preferring the future, relative to a naive local base."""
    settings: dict[str, Any] = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": base,
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY",
    }
    parsed: datetime | None = _library().parse(phrase, languages=["en"], settings=settings)
    return parsed


@cache
def _library() -> Any:
    """Import dateparser on first use (about 0.1 s, and its language data on first parse)."""
    import dateparser

    return dateparser


def warm() -> None:
    """Load dateparser and its English data now (off the event loop, at start-up)."""
    _parse("friday", _BASE)
    _date_words()
