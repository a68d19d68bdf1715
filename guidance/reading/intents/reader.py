"""What a plain message asks for: "done", "2 glasses", "in a meeting until 3", "thanks".

`read` is pure: the words, the person's zone, glass size and the time now in, one `Intent`
out. Warning signs are not read here: triage has answered them before any of this runs.
Distress ("my back just went", "help") is read first of all, so someone in pain is offered
care mode whatever else their words could mean; a question is what is left.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from guidance.reading import when
from guidance.reading.foreign import looks_foreign
from guidance.reading.intents.patterns import (
    _ASKING,
    _BREAK,
    _BREAK_TAKEN,
    _BUSY,
    _CARE_TOPIC,
    _DISTRESS_ALONE,
    _DONE,
    _HELLO,
    _HELP,
    _HURT,
    _OK,
    _PAIN_NOW,
    _PAIN_WORDS,
    _PAUSE,
    _PROGRESS,
    _QUESTION_START,
    _REQUEST,
    _RESUME,
    _SETTINGS,
    _SKIP,
    _SNOOZE,
    _SPASM,
    _STOP,
    _THANKS,
    _TODAY,
    _URGE,
    _WATER_ALONE,
    _WATER_AMOUNT,
    _WORDS,
)

# Water: how much each word holds (a glass, cup or mug is the person's glass).
FLUID_OUNCE_ML = 29.5735  # one US fluid ounce, the one conversion used everywhere
BOTTLE_ML, PINT_ML = 500, 568
# A pause is for days at least; anything shorter, or ending today, is being busy for a while.
BUSY_AT_MOST = timedelta(hours=12)
LONGEST_SNOOZE = timedelta(hours=4)
# "in a meeting till 3", "away until next monday morning": time off is said in few words.
LONGEST_TIME_OFF_WORDS = 20


class Act(enum.Enum):
    """What a plain message asks for."""

    DISTRESS = enum.auto()  # in pain now: offer first aid and care mode
    DONE = enum.auto()  # the latest nudge is done
    SNOOZE = enum.auto()  # the latest nudge, a little later
    SKIP = enum.auto()  # not this one
    WATER = enum.auto()  # drank this much
    BREAK = enum.auto()  # got up and moved: a break taken
    BUSY = enum.auto()  # hold the nudges until a time today
    PAUSE = enum.auto()  # hold the nudges for days
    RESUME = enum.auto()
    STOP = enum.auto()  # stop, with no time given: offer the ways to
    SMALL_TALK = enum.auto()
    TODAY = enum.auto()
    PROGRESS = enum.auto()
    HELP = enum.auto()  # what the bot does
    SETTINGS = enum.auto()
    FOREIGN = enum.auto()  # not English
    QUESTION = enum.auto()


class Chat(enum.Enum):
    """Which kind of small talk, for a fitting short answer."""

    THANKS = enum.auto()
    HELLO = enum.auto()
    OK = enum.auto()


@dataclass(frozen=True, slots=True)
class Intent:
    """One reading of a message: the act and what it names."""

    act: Act
    ml: int | None = None  # WATER
    delay: timedelta | None = None  # SNOOZE, when a length was given
    until: datetime | None = None  # BUSY and PAUSE (aware); PAUSE may have none: ask
    day_only: bool = False  # PAUSE until a named day: from the start of that day
    chat: Chat | None = None  # SMALL_TALK


_TYPOS = {
    "dun": "done",
    "donee": "done",
    "snoze": "snooze",
    "snoozee": "snooze",
    "glas": "glass",
    "galss": "glass",
    "til": "until",
    "till": "until",
    "untill": "until",
    "rn": "right now",
    "pls": "please",
    "plz": "please",
    "u": "you",
    "ur": "your",
    "cant": "can't",
    "dont": "don't",
    "wont": "won't",
    "im": "i'm",
    "ive": "i've",
    "its": "it's",
    "mins": "min",
    "thnx": "thanks",
    "thanx": "thanks",
}


class _Kept(dict[int, str | None]):
    """What `normalise` makes of each character: a symbol (an emoji, "$", "=") nothing but
    "+", a letter, digit or the punctuation kept itself, anything else a space. Filled in
    as characters are met, so that a message is one `str.translate`."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        kept: str | None
        if unicodedata.category(char)[0] == "S" and char != "+":
            kept = None
        elif char.isalnum() or char in " '.:/+-,?":
            kept = char
        else:
            kept = " "
        if len(self) < _MOST_KEPT:
            self[code] = kept
        return kept


_MOST_KEPT = 10_000  # characters remembered: every script anyone writes to the bot in
_KEPT = _Kept()
_AMOUNT_UNIT = re.compile(r"(\d)\s*(glasses|glass|cups?|bottles?|mugs?)")


def normalise(text: str) -> str:
    """Lower-case, straight quotes, emoji and punctuation off, common chat spellings fixed."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'").replace("`", "'")
    kept = _AMOUNT_UNIT.sub(r"\1 \2", text).translate(_KEPT)
    words = [_TYPOS.get(word.strip(",.?"), word) for word in kept.split()]
    return " ".join(words).strip(" ,.?")


def read(text: str, *, now: datetime, zone: ZoneInfo, glass_ml: int = 250) -> Intent:
    """Read what a plain message asks for (warning signs were answered before this)."""
    said = normalise(text)
    if not said:
        return Intent(Act.SMALL_TALK, chat=Chat.OK)  # only emoji: a nod
    if _distress(said):
        return Intent(Act.DISTRESS)  # before all else, in whatever words
    if looks_foreign(text):
        return Intent(Act.FOREIGN)
    request = bool(_REQUEST.search(said))
    question = not request and (
        said.endswith("?") or text.strip().endswith("?") or bool(_QUESTION_START.match(said))
    )
    if re.match(r"^how are (?:you|u|ya)\b", said):
        return Intent(Act.SMALL_TALK, chat=Chat.HELLO)
    if _TODAY.search(said) and re.match(r"^(?:what|how|hows|how's|what've|whats|what's)\b", said):
        return Intent(Act.TODAY)
    if not question:
        # "went for a walk and now it's worse" is not a break to congratulate (audit M8).
        hurt = bool(_HURT.search(said))
        if _BREAK_TAKEN.search(said) and not _PAUSE.search(said) and not hurt:
            return Intent(Act.BREAK)
        for reader in (_water, _settings, _time_off, _resume, _stop):
            found = reader(said, now, zone, glass_ml)
            if found is not None:
                return found
        for pattern, act in ((_SKIP, Act.SKIP), (_SNOOZE, Act.SNOOZE)):
            if pattern.search(said):
                return Intent(act, delay=_snooze_delay(said) if act is Act.SNOOZE else None)
        if _DONE.search(said):
            return Intent(Act.DONE)
        if _BREAK.search(said) and not hurt:
            return Intent(Act.BREAK)
    if _PROGRESS.search(said):
        return Intent(Act.PROGRESS)
    if _TODAY.search(said) and not re.search(r"\b(?:should|can|is it)\b", said):
        return Intent(Act.TODAY)
    if _HELP.search(said):
        return Intent(Act.HELP)
    if re.search(r"\b(?:lol|haha\w*|lmao|😂)\b", said) and not _CARE_TOPIC.search(said):
        return Intent(Act.SMALL_TALK, chat=Chat.OK)  # banter, not a question to answer
    chat = None if question else _small_talk(said)
    if chat is not None:
        return Intent(Act.SMALL_TALK, chat=chat)
    delay = None if question else _snooze_delay(said)
    if delay is not None and (len(said.split()) <= 4 or said.startswith("in ")):
        return Intent(Act.SNOOZE, delay=delay)  # "20 min", "in half an hour"
    return Intent(Act.QUESTION)


def _distress(said: str) -> bool:
    """Tell someone in pain right now, asking for help: never a question about spasms."""
    if _DISTRESS_ALONE.match(said):
        return True
    asks_what_to_do = re.search(r"\bwhat (?:do |should |can )?i do\b", said)
    asking = bool(_QUESTION_START.match(said)) or said.endswith("?")
    if _QUESTION_START.match(said) and not asks_what_to_do:
        return False
    if _PAIN_NOW.search(said):
        return True
    about_spasms = asking and re.search(
        r"\b(?:if|when|does|usually|how long|lasts?|cause[sd]?|good|bad|ok)\b", said
    )
    if _SPASM.search(said) and (asks_what_to_do or not about_spasms):
        return True
    general = re.search(r"\b(?:during|if|when|in case)\b", said)
    if asks_what_to_do and not general and re.search(r"\b(?:stuck|back|pain|spasm\w*)\b", said):
        return True
    return bool(re.search(r"\bback\b", said) and _URGE.search(said) and _PAIN_WORDS.search(said))


@dataclass(frozen=True, slots=True)
class Drink:
    """An amount drunk: in millilitres, or in glasses (cups, mugs) of the person's size."""

    amount: float
    in_glasses: bool

    def ml(self, glass_ml: int) -> int:
        """Return the amount in millilitres, for someone's glass size."""
        return round(self.amount * glass_ml) if self.in_glasses else round(self.amount)


def drink(text: str) -> Drink | None:
    """Read an amount drunk: "2 glasses", "500 ml", "16 oz", "a cup", "half a litre"."""
    found = _WATER_AMOUNT.search(text) or _WATER_ALONE.search(text)
    if found is None:
        return None
    amount_word = found["amount"] or "a"
    if amount_word.startswith("half"):
        amount = 0.5
    elif amount_word in _WORDS:
        amount = float(_WORDS[amount_word])
    else:
        amount = float(amount_word.replace(",", "."))
    unit = found["unit"]
    if unit.startswith(("glas", "cup", "mug")):
        return Drink(amount, in_glasses=True) if amount > 0 else None
    if "oz" in unit or unit.startswith("ounce"):
        ml = amount * FLUID_OUNCE_ML
    elif unit.startswith("bottle"):
        ml = amount * BOTTLE_ML
    elif unit.startswith("pint"):
        ml = amount * PINT_ML
    elif unit.startswith("m"):
        ml = amount
    else:
        ml = amount * 1000
    return Drink(ml, in_glasses=False) if ml >= 1 else None


def _water(said: str, _now: datetime, _zone: ZoneInfo, glass_ml: int) -> Intent | None:
    """Read a drink in a message, unless it is about the goal or glass size."""
    if _SETTINGS.search(said) or re.search(r"\b(?:goal|how much|how many|should)\b", said):
        return None
    drunk = drink(said)
    return None if drunk is None else Intent(Act.WATER, ml=drunk.ml(glass_ml))


def _settings(said: str, *_: object) -> Intent | None:
    """Read a wish to change a setting ("change my wake up time", "i moved to new york")."""
    if _SETTINGS.search(said) and not _PAUSE.search(said):
        return Intent(Act.SETTINGS)
    return None


def _time_off(said: str, now: datetime, zone: ZoneInfo, _glass: int) -> Intent | None:
    """Read "busy until 3", "driving for an hour", "pause for 3 days", "until friday"."""
    pausing = bool(_PAUSE.search(said))
    busy = bool(_BUSY.search(said))
    if not (pausing or busy) and len(said.split()) > LONGEST_TIME_OFF_WORDS:
        return None  # a long story is not "busy until 3": no dates to parse
    named = when.moment(said, now=now, zone=zone)
    length = when.span(said) if named is None else None
    if named is None and length is None:
        if pausing and not re.search(r"\b(?:how|can i|what)\b", said):
            return Intent(Act.PAUSE)  # how long: the answer asks
        return None
    if named is not None:
        until, day_only = named.at, named.day_only
    else:
        assert length is not None
        until, day_only = now.astimezone(zone) + length, False
    if until <= now:
        return None
    if day_only or until - now > BUSY_AT_MOST or (pausing and not busy):
        if pausing or re.match(r"^(?:until|for|gone|away|off)\b", said):
            return Intent(Act.PAUSE, until=until, day_only=day_only)
        return None
    if busy or pausing or re.search(r"\buntil\b", said):
        return Intent(Act.BUSY, until=until)
    return None


def _resume(said: str, *_: object) -> Intent | None:
    return Intent(Act.RESUME) if _RESUME.search(said) else None


def _stop(said: str, *_: object) -> Intent | None:
    return Intent(Act.STOP) if _STOP.search(said) else None


def _snooze_delay(said: str) -> timedelta | None:
    """Return how long a snooze asks for ("in 20 min", "give me 15", "5 more mins")."""
    more = re.search(r"\b(\d{1,3}) more (?:min|mins|minutes)\b", said)
    if more is not None:
        return timedelta(minutes=int(more[1]))
    length = when.span(said)
    if length is None:
        bare = re.search(r"\b(?:give me|gimme|snooze|in)\s+(\d{1,3})\b(?!\s*(?:am|pm|:))", said)
        if bare is None:
            return None
        length = timedelta(minutes=int(bare[1]))
    return length if timedelta(0) < length <= LONGEST_SNOOZE else None


def _small_talk(said: str) -> Chat | None:
    """Tell thanks, a greeting or a nod, in a short message that asks for nothing."""
    if len(said.split()) > 6 or _ASKING.search(said):
        return None
    for pattern, chat in ((_THANKS, Chat.THANKS), (_HELLO, Chat.HELLO), (_OK, Chat.OK)):
        if pattern.search(said):
            return chat
    return None
