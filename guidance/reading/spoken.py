"""Numbers, times and amounts as people say them in a reply.

"about a six", "6 maybe 7", "half 7 to 11ish", "up at 6.30 and in bed by 10.30",
"2 litres", "8 glasses", "new yrok": read forgivingly, because the bot has just asked for
exactly this and the person is answering it. Pure; `guidance.reading.replies` uses it.
"""

from __future__ import annotations

import re
from datetime import time
from itertools import pairwise

_WORDS = {
    "zero": 0, "nought": 0, "none": 0, "nil": 0, "one": 1, "won": 1, "two": 2, "too": 2,
    "three": 3, "free": 3, "tree": 3, "four": 4, "for": 4, "five": 5, "six": 6, "sex": 6,
    "seven": 7, "sevn": 7,
    "eight": 8, "ate": 8, "eigth": 8, "nine": 9, "nien": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "a couple of": 2, "a couple": 2, "couple of": 2, "a": 1, "an": 1,
}  # fmt: skip
# Number words that are also everyday words count only where a number is expected.
_LOOSE = frozenset({"won", "too", "free", "tree", "for", "ate", "sex", "a", "an", "none"})
_NUMBER = r"\d+(?:[.,]\d+)?|" + "|".join(
    sorted((re.escape(w) for w in _WORDS if w not in _LOOSE), key=len, reverse=True)
)
_SCORE = re.compile(
    rf"(?<![\w.:])(?P<n>{_NUMBER}|sex|ate|won|too|free|tree|for)(?:\s*(?:/|out of|outta|of)\s*10)?"
    r"(?:\s*-?\s*ish)?(?![\w:])"
)
_NOT_NOW = re.compile(
    r"(?:yesterday|last night|was|were|earlier|before|used to be|this morning it was)"
    r"\W+(?:(?!now\b|today\b|but\b|currently\b)\w+\W+){0,3}$"
)
_AS_A_SCORE = re.compile(
    r"(?:a|about|like|its|it s|maybe|around|is|at|only)"
    r"(?: (?:solid|good|strong|firm|steady|high|low|easy|decent|bad|rough|weak|mild))?\W*$"
)
_NOW = re.compile(r"(?:now|today|currently|at the moment|atm|more like|actually|right now|rn)\W*$")
_HEDGE = re.compile(r"(?:maybe|or|possibly|perhaps|or so|nearer|closer to)\W*$")


def number(word: str) -> float | None:
    """Read one number, in digits or words."""
    word = word.replace(",", ".")
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        return float(word)
    value = _WORDS.get(word)
    return None if value is None else float(value)


def score(said: str) -> int | None:
    """Read a 0-10 pain score: the one said of now, not of yesterday, nor a "maybe"."""
    found: list[tuple[int, int]] = []  # (rank, score): lower rank wins
    for match in _SCORE.finditer(said):
        value = number(match["n"])
        if value is not None and value * 2 == int(value * 2):
            value = float(int(value))  # "7.5": a half is said of the lower score
        if value is None or not value.is_integer() or not 0 <= value <= 10:
            continue
        before = said[: match.start()]
        alone = not before.strip()
        said_ish = match[0].endswith("ish")  # "three-ish": a number said as a score
        if (
            not match["n"][0].isdigit()
            and not alone
            and not said_ish
            and not _AS_A_SCORE.search(before)
        ):
            continue
        rank = 2 if _NOT_NOW.search(before) else 1 if _HEDGE.search(before) else 0
        if _NOW.search(said[match.end() : match.end() + 12]) or _NOW.search(before[-14:]):
            rank -= 1
        found.append((rank, int(value)))
    if not found:
        return None
    return min(found, key=lambda pair: pair[0])[1]


_UNITS = (
    "ml|millilitres?|milliliters?|mls|l|litres?|liters?|ltrs?|oz|ounces?|glass(?:es)?|glases|"
    "glas|glasss|cups?|bottles?|mugs?|pints?|gallons?"
)
_AMOUNT = re.compile(
    rf"(?P<n>{_NUMBER}|a|an|too|won|for|half an?|half)\s*"
    r"(?:(?:big|large|small|little|whole|full|tall|huge|massive|tiny|pint|proper) )?"
    rf"(?P<unit>{_UNITS})"
    r"(?P<half2> and a half)?(?![a-z])"
)
_UNIT_ML: dict[str, float | None] = {
    "ml": 1.0, "l": 1000.0, "oz": 29.5735, "glass": None, "cup": None, "bottle": 500.0,
    "mug": 300.0, "pint": 568.0, "gallon": 3785.41,
}  # fmt: skip
_SUGGESTED = re.compile(
    r"whatever|you (?:suggest|recommend|think|choose|pick)|default|the usual|recommended|"
    r"standard|normal amount"
)


def _unit(unit: str) -> str:
    if unit.startswith("glas"):
        return "glass"
    if unit.startswith(("ml", "milli")):
        return "ml"
    if unit.startswith(("l", "lit", "ltr")):
        return "l"
    if unit.startswith(("oz", "ounce")):
        return "oz"
    for name in ("glass", "cup", "bottle", "mug", "pint", "gallon"):
        if unit.startswith(name):
            return name
    return unit


def _count(word: str) -> float | None:
    if word.startswith("half"):
        return 0.5
    return 2.0 if word == "too" else 1.0 if word == "won" else number(word)


def millilitres(said: str, *, glass_ml: int) -> int | None:
    """Read a day's water goal in ml: "2 litres", "2000ml", "64 oz", "8 glasses"."""
    if _SUGGESTED.search(said):
        return 2000
    halves = re.search(rf"(?P<n>{_NUMBER}) and a half\s*(?P<unit>{_UNITS})(?![a-z])", said)
    if halves is not None and (whole := number(halves["n"])) is not None:
        per = _UNIT_ML.get(_unit(halves["unit"])) or float(glass_ml)
        return round((whole + 0.5) * per)  # "2 and a half litres"
    match = _AMOUNT.search(said)
    if match is not None:
        count, unit = _count(match["n"]), _unit(match["unit"])
        if count is None:
            return None
        count += 0.5 if match["half2"] else 0.0
        per = _UNIT_ML.get(unit) or float(glass_ml)
        return round(count * per)  # to the ml: "64oz" is 1893 ml
    spoken_half = re.search(rf"(?P<n>{_NUMBER}) and a half", said)
    plain = re.search(r"(?<![\w.])(\d+(?:[.,]\d+)?)(?![\w.])", said)
    value = None
    if spoken_half is not None and (whole := number(spoken_half["n"])) is not None:
        value = whole + 0.5
    elif plain is not None:
        value = float(plain[1].replace(",", "."))
    elif (word := re.search(rf"(?<![a-z])({_NUMBER})(?![a-z])", said)) is not None:
        value = number(word[1])
    if value is None:
        return None
    return int(value * 1000) if value <= 5 else int(value) if value >= 100 else None


def glasses(said: str, *, glass_ml: int) -> int | None:
    """Read how many glasses someone drank: "2 glasses", "a bottle" (500 ml)."""
    match = _AMOUNT.search(said)
    if match is None:
        return None
    count, unit = _count(match["n"]), _unit(match["unit"])
    if count is None:
        return None
    per = _UNIT_ML.get(unit)
    return max(1, round(count * per / glass_ml)) if per else max(1, int(count))


# -- times of day ---------------------------------------------------------------------------
_CLOCK = re.compile(
    r"(?P<special>midnight|noon|midday)"
    r"|(?P<half>half|quarter|qtr|(?P<mins>twenty five|five|ten|twenty"
    r"|[0-5]?\d(?= (?:mins?|minutes) | past| after)))(?: mins?| minutes)?"
    r" (?P<rel>past|to|after) (?P<h1>\d{1,2}|[a-z]+)"
    r"|half (?P<h2>\d{1,2}|[a-z]+)(?! (?:an? )?(?:hour|hr))"
    r"|(?P<h>\d{1,2})(?:(?:[:.h]| (?=[0-5]\d\b))(?P<m>[0-5]\d))?"
    r"(?:\s*(?P<ampm>am|pm|a m|p m)|(?P<ap>[ap])(?![a-z]))?"
    r"|(?P<hw>[a-z]+)(?: (?P<mw>o clock|oclock|fifteen|thirty|forty five|forty|twenty|ten|five))?"
    r"\s*(?P<ampm2>am|pm|a m|p m)?"
)
_ISH = re.compile(
    rf"\b(\d{{1,2}}|{'|'.join(w for w in _WORDS if w.isalpha() and w not in _LOOSE)})ish\b"
)
_WORD_MINUTES = {
    "twenty five": 25, "fifteen": 15, "thirty": 30, "forty five": 45, "forty": 40, "twenty": 20,
    "ten": 10, "five": 5,
}  # fmt: skip
# A number word is a time only next to a time's words ("seven till eleven").
_NEAR_A_TIME = re.compile(r"(?:at|from|till|til|until|to|by|around|about|up|bed|wake|ish)\W*$")
_USUALLY = re.compile(r"(?:usually|normally|more like|really|actually)\W+(?:\w+\W+){0,3}")
_NOT_A_PLACE = re.compile(
    r"(?i)\b(?:time|timezone|time zone|i m in|im in|i live in|i am in|near|its|it s|in|the|"
    r"city)\b"
)
_MILITARY = re.compile(r"(?<!\d)([01]\d|2[0-3])([0-5]\d)(?!\d)")
_MORNING = re.compile(r"^\W*(?:ish\W*)?(?:in the morning|am\b|a m\b|morning)")
_EVENING = re.compile(
    r"^\W*(?:ish\W*)?(?:in the (?:evening|afternoon)|at night|tonight|pm\b|p m\b|evening|night)"
)


class Clock:
    """A time someone said, and whether they said am or pm."""

    __slots__ = ("hour", "marked", "minute")

    def __init__(self, hour: int, minute: int, marked: str) -> None:
        self.hour, self.minute, self.marked = hour, minute, marked

    def resolve(self, *, evening: bool) -> time | None:
        hour = self.hour
        if self.marked == "pm" and hour < 12:
            hour += 12
        elif self.marked == "am" and hour == 12:
            hour = 0
        elif not self.marked and evening and 1 <= hour <= 11:
            hour += 12
        if not (0 <= hour <= 23 and 0 <= self.minute <= 59):
            return None
        return time(hour, self.minute)


def _clocks(said: str, *, minutes_to: bool = True) -> list[tuple[int, Clock]]:
    """Every time of day in the words, with where it starts; "ten to eight" is 7:40 when
    `minutes_to`, else the two hours ten and eight."""
    said = _MILITARY.sub(lambda m: f"{int(m[1])}:{m[2]}", said)
    said = _ISH.sub(r"\1 ish", said)  # "eightish", "7ish": the hour, roughly
    found: list[tuple[int, Clock]] = []
    for match in _CLOCK.finditer(said):
        after = said[match.end() :]
        marked = (match["ampm"] or (f"{match['ap']}m" if match["ap"] else "")).replace(" ", "")
        if not marked:
            marked = "am" if _MORNING.search(after) else "pm" if _EVENING.search(after) else ""
        if match["special"]:
            found.append(
                (match.start(), Clock(0 if match["special"] == "midnight" else 12, 0, "x"))
            )
            continue
        if match["half"]:
            hour = number(match["h1"])
            if hour is None:
                continue
            minutes = {"half": 30, "quarter": 15, "qtr": 15}.get(match["half"], 0)
            if match["mins"]:
                minutes = int(number(match["mins"]) or _WORD_MINUTES.get(match["mins"], 0))
            if not 0 < minutes < 60:
                continue
            if match["mins"] and match["rel"] == "to" and not minutes_to:
                for hour_at, word in (
                    (match.start(), match["mins"]),
                    (match.start("h1"), match["h1"]),
                ):
                    hour = number(word)
                    if hour is not None and 0 <= hour <= 24:
                        found.append((hour_at, Clock(int(hour) % 24, 0, marked)))
                continue
            if match["rel"] == "to":
                found.append((match.start(), Clock(int(hour) - 1, 60 - minutes, marked)))
            else:
                found.append((match.start(), Clock(int(hour), minutes, marked)))
            continue
        if match["h2"]:
            hour = number(match["h2"])
            if hour is not None and 1 <= hour <= 12:  # "half 7": half past, as in Britain
                found.append((match.start(), Clock(int(hour), 30, marked)))
            continue
        word = match["h"] or match["hw"]
        if word in _LOOSE:
            continue
        hour = number(word)
        if hour is None or not hour.is_integer() or not 0 <= hour <= 24:
            continue
        if match["hw"] and not marked:
            marked = (match["ampm2"] or "").replace(" ", "")
        minute = int(match["m"]) if match["m"] else _WORD_MINUTES.get(match["mw"] or "", 0)
        if not word.isdigit() and not marked and not match["mw"]:
            near = _NEAR_A_TIME.search(said[: match.start()])
            if not near and not after.lstrip().startswith(("ish", "till", "to ", "until", "til")):
                continue
        found.append((match.start(), Clock(int(hour) % 24, minute, marked)))
    return found


def clock(said: str, *, evening: bool) -> time | None:
    """Read one time of day; without am or pm, 1-11 is taken as evening when `evening`.
    Of several, the one said as the answer: "out by 8, so like quarter past 8" is 8:15."""
    found = _clocks(said)
    answers = [at for at in found if not _BOUND.search(said[: at[0]])]
    chosen = answers or found
    return None if not chosen else chosen[0][1].resolve(evening=evening)


# A time after these words bounds something else ("by 8", "until 6"): not the time asked.
_BOUND = re.compile(r"\b(?:by|until|till|til|before|since)\W*$")


def day_range(said: str) -> tuple[time, time] | None:
    """Read a waking day: "7am-11pm", "7 till 11", "up at 6.30, bed by 10.30ish"."""
    found = _clocks(said)
    if len(found) < 2:
        found = _clocks(said, minutes_to=False)  # "ten to eleven": from ten, to eleven
    if len(found) < 2:
        return None
    first, second = found[0][1], found[1][1]
    wake_at = re.search(r"(?:up|wake|waking|woke|awake|get up|rise|start)\W", said)
    bed_at = re.search(r"(?:bed|sleep|asleep|kip|crash|lights out)\W?", said)
    if wake_at and bed_at:
        after_wake = [clock for start, clock in found if start >= wake_at.end() - 1]
        after_bed = [clock for start, clock in found if start >= bed_at.end() - 1]
        if after_wake and after_bed:
            first, second = after_wake[0], after_bed[0]
            usual = _USUALLY.search(said)
            if usual is not None and usual.start() > bed_at.start():
                later = [clock for start, clock in found if start >= usual.end() - 1]
                second = later[0] if later else second
    start = first.resolve(evening=False)
    end = second.resolve(evening=False)
    if start is None or end is None:
        return None
    if not second.marked and 1 <= second.hour <= 12:
        # "7 till 11", "8 till 12", "9 to 1": the bedtime that makes a waking day nearest
        # sixteen hours (23:00, midnight, 01:00), not four.
        ends = (time(second.hour % 12, end.minute), time(second.hour % 12 + 12, end.minute))
        end = min(ends, key=lambda at: abs(_awake_hours(start, at) - _WAKING_HOURS))
    return start, end


# How long most people are awake, to tell "7 till 11" (23:00) from a four-hour day.
_WAKING_HOURS = 16


def _awake_hours(start: time, end: time) -> float:
    minutes = (end.hour * 60 + end.minute - start.hour * 60 - start.minute) % (24 * 60)
    return minutes / 60


def zone(text: str) -> str | None:
    """Read a time zone from a city, a country, an abbreviation or an offset, typos too."""
    from guidance.reading.times import InputError
    from guidance.reading.zones.match import match_zone

    cleaned = _NOT_A_PLACE.sub(" ", text)
    cleaned = " ".join(re.sub(r"[^\w+\-/ ]", " ", cleaned).split()) or text
    words = cleaned.split()
    alone = [*words, *(" ".join(pair) for pair in pairwise(words))]
    for candidate in (text, cleaned, *_transposed(cleaned), *[w for w in alone if len(w) > 2]):
        try:
            return match_zone(candidate)
        except (InputError, ValueError):
            continue
    return None


def _transposed(text: str) -> list[str]:
    """The text with two neighbouring letters swapped in one word: "new yrok" -> "new york"."""
    words = text.split()
    out = []
    for index, word in enumerate(words):
        for at in range(len(word) - 1):
            swapped = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
            out.append(" ".join([*words[:index], swapped, *words[index + 1 :]]))
    return out[:60]
