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

from guidance.foreign import looks_foreign
from guidance.reading import when

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


def _pattern(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


_DISTRESS_ALONE = re.compile(
    r"^(?:help|help me|sos|please help|pls help|help please|help pls|ow+|o+w+|ouch|agony"
    r"|what do i do|what should i do|what do i do now|what now|spasm|back spasm"
    r"|it'?s happening again|it hurts|hurts)$|^o+w+\b|^ou+ch\b"
    r"|^help\b(?! me (?:with|to|find|understand))"
    r"|\b(?:please|pls|plz) help\b|\bhelp (?:me )?(?:please|pls|plz)\b"
)
# Something happening to their back now, not a topic: "it just went", "back is locked".
_SPASM = _pattern(
    r"(?:went|gone|going|go) into (?:a )?spasm",
    r"spasming",
    r"in spasm",
    r"seiz(?:ed|ing)(?: up)?",
    r"lock(?:ed|ing)?(?: up)?",
    r"put (?:my|it) back out",
    r"threw (?:my|out my) back",
    r"(?:done|did) my back in",
    r"(?:it|something|back|everything)(?: \w+){0,3}"
    r" (?:went|gone|snapped|popped|gave out|gave way)",
    r"pulled my back",
    r"tweaked my back",
    r"happening again",
    r"frozen",
    r"(?:spasms?|cramps?|cramping) (?:again|now|right now|started|starting|just)",
    r"(?:just|now|again)(?: \w+){0,2} (?:spasm\w*|cramp\w*)",
)
_PAIN_NOW = _pattern(
    r"hurts? (?:so|really|a lot|too|like hell|bad)\w*",
    r"so much pain",
    r"in (?:so much|a lot of|agony|pain)",
    r"agony",
    r"killing me",
    r"can'?t (?:move|stand|sit|get up|walk|bend|straighten|even)",
    r"cannot (?:move|stand|sit|get up|walk|bend|straighten)",
    r"unable to (?:move|stand|sit|get up|walk)",
    r"stuck (?:on|in) (?:the |my )?(?:sofa|couch|bed|floor|chair)",
    r"sharp pain",
    r"(?:pain|it) is (?:like )?(?:[789]|10) ?(?:/|out of) ?10",
    r"(?:[789]|10) ?(?:/|out of) ?10",
    r"excruciating",
    r"unbearable",
    r"very pain",
    r"(?:cramping|spasming|hurting|aching|throbbing)(?: up)? (?:really |so |very )?(?:bad|badly)",
    r"stuck (?:halfway|bent|like this)",
)
_URGE = _pattern(r"now", r"right now", r"again", r"just", r"help", r"please", r"what do i do")
_QUESTION_START = re.compile(
    r"^(?:is|are|should|can|could|does|do|how|why|when|which|will|would|what|whats|what's"
    r"|where|may)(?=\s)"
)
# A request in question form is still a request: "can you remind me…", "could u change…".
_REQUEST = re.compile(r"^(?:can|could|would|will) (?:you|ya) |^please |\bremind me\b")

_STOP = _pattern(
    r"stop",
    r"unsubscribe",
    r"leave me alone",
    r"too many (?:messages|reminders|nudges|notifications)",
    r"(?:do not|don'?t) want (?:these|the|any|your)? ?(?:reminders|nudges|messages)",
    r"stop (?:messaging|sending|texting|reminding|bugging)",
    r"no more (?:reminders|nudges|messages)",
    r"turn (?:it|everything|all) off",
    r"go away",
    r"leave me be",
)
_PAUSE = _pattern(
    r"pause",
    r"mute",
    r"silence",
    r"hold (?:the |my |all )?(?:reminders|nudges|messages)",
    r"no (?:reminders|nudges|messages)",
    r"(?:stop|quiet) (?:the |my )?(?:reminders|nudges|messages)",
    r"on holiday",
    r"on vacation",
    r"away",
    r"days? off",
    r"break from (?:the |these |your )?(?:reminders|nudges|messages|msgs|texts)",
    r"hold off",
    r"give it a rest",
    r"gone",
    r"(?:not|don'?t|do not) send",
    r"off to",
    r"off from (?:the )?(?:reminders|nudges)",
)
_RESUME = _pattern(
    r"resume",
    r"unpause",
    r"un-pause",
    r"start (?:again|over|back up|them again|the reminders|the nudges)",
    r"i'?m back",
    r"im back",
    r"back from",
    r"(?:turn|switch) (?:the |my )?(?:reminders|nudges|them|it) (?:back )?on",
    r"(?:turn|switch) (?:it|them|the reminders|the nudges) back on",
    r"(?:reminders|nudges) (?:back )?on",
    r"you can start",
    r"carry on",
)
_BUSY = _pattern(
    r"busy",
    r"meetings?",
    r"driving",
    r"on (?:a |the )?(?:call|phone|plane|train|shift|the road)",
    r"in (?:a |the )?(?:call|class|car|lecture|session|meeting|workshop|exam)",
    r"exam",
    r"presenting",
    r"rehearsal",
    r"at (?:work|the dentist|the doctors?|the gym|school|uni)",
    r"popping out",
    r"out (?:for|until|till)",
    r"back (?:at|by|in)",
    r"free (?:after|around|at|from|by|in)",
    r"working",
    r"cooking",
    r"can'?t (?:now|right now|rn)",
    r"(?:we )?land",
    r"got (?:stuff|things|something|a lot) on",
    r"tied up",
    r"occupied",
    r"swamped",
)
_SNOOZE = _pattern(
    r"later",
    r"not now",
    r"not right now",
    r"in a (?:bit|while|minute|min|sec|moment)",
    r"snooze\w*",
    r"remind me",
    r"ask me again",
    r"try me again",
    r"ping me",
    r"nudge me (?:again|later|in)",
    r"give me",
    r"gimme",
    r"more mins?",
    r"more minutes",
    r"after this",
    r"one sec",
    r"hold on",
)
_SKIP = _pattern(
    r"skip\w*",
    r"pass",
    r"not this (?:time|one)",
    r"no thanks",
    r"no thank you",
    r"nah",
    r"not today",
    r"sit this one out",
    r"give (?:it|this one) a miss",
)
_DONE = _pattern(
    r"done",
    r"did (?:it|that|this|them|my \w+|the \w+)",
    r"finished",
    r"completed",
    r"all good",
    r"already did",
    r"sorted",
    r"(?:that'?s|it'?s) done",
    r"have done",
    r"i did",
)
_BREAK = _pattern(
    r"walk(?:ed|ing)?",
    r"got up",
    r"get up",
    r"stood up",
    r"standing",
    r"stretched my legs",
    r"stretch(?:ed)? (?:my )?legs",
    r"had a break",
    r"took a break",
    r"(?:took|had|taking) a (?:short |quick |little )?(?:walk|stroll|break)",
    r"kitchen and back",
    r"up and (?:moving|about)",
    r"moving",
    r"went (?:outside|out|for a walk|to the)",
    r"moved around",
    r"round the block",
    r"around the block",
    r"(?:a )?lap (?:of|around|round)",
    r"dog out",
    r"walked the dog",
)
# A break already taken ("took the dog out for 10 min"): read before any "for 10 min".
# Pain after moving, or asking whether to: a question to answer, never a break logged.
_HURT = _pattern(
    r"hurt\w*",
    r"worse",
    r"pain\w*",
    r"sore\w*",
    r"agony",
    r"ach(?:e|es|ing|y)",
    r"should i",
    r"is it ok",
    r"can i",
    r"spasm\w*",
)
_BREAK_TAKEN = _pattern(
    r"walked",
    r"took (?:a walk|a break|the dog out|a stroll)",
    r"went (?:round|around|for a walk|outside|to the)",
    r"did a lap",
    r"got up",
    r"stood up",
    r"stretched my legs",
)
_TODAY = _pattern(
    r"today",
    r"my day",
    r"so far",
    r"how much (?:have i|did i|water have)",
    r"how many glasses (?:so far|today|have i|did i)",
)
_PROGRESS = _pattern(
    r"streaks?",
    r"history",
    r"stats",
    r"statistics",
    r"progress",
    r"this week",
    r"last (?:7|seven|30|thirty) days",
    r"days in a row",
    r"how (?:did|have) i (?:done|do|been)",
    r"chart",
)
_HELP = re.compile(
    r"\b(?:what (?:can|do) (?:you|u) (?:do|offer)|commands?\b|how (?:does|do) (?:this |the )?"
    r"(?:bot |thing |app )?(?:this |it |you |u )?work|how do i use|what (?:is|are) (?:this|you)"
    r"|what do (?:you|u) do|how to use|menu"
    r"|instructions|features)"
)
_SETTINGS = _pattern(
    r"change (?:my|the)",
    r"set (?:my|the)",
    r"settings?",
    r"time ?zone",
    r"moved to",
    r"i live in",
    r"wake (?:up )?(?:at|time)",
    r"wake up time",
    r"go to bed",
    r"bed ?time",
    r"(?:glasses|glass) (?:bigger|smaller|size)",
    r"my glass is",
    r"(?:turn|switch) (?:off|on) (?:the )?(?:stretch|water|posture|break|ice|heat|care)\w*",
    r"(?:stretch|water|posture|break|ice|heat) (?:reminders|nudges) (?:off|on)",
    r"instead of",
    r"(?:start|begin|finish|end) (?:at|from) \d",
    r"work hours",
    r"goal",
)
_THANKS = _pattern(
    r"thanks?",
    r"thank (?:you|u)",
    r"thx",
    r"ty",
    r"cheers",
    r"ta",
    r"appreciate it",
    r"you'?re (?:great|the best|amazing|awesome)",
    r"ur (?:great|the best)",
    r"love (?:it|this|you)",
    r"lifesaver",
    r"legend",
    r"you rock",
)
_HELLO = _pattern(
    r"how are (?:you|u|ya)",
    r"hi+",
    r"hello",
    r"hey+",
    r"hiya",
    r"good (?:morning|afternoon|evening|night)",
    r"morning",
    r"yo",
    r"sup",
)
_OK = _pattern(
    r"ok+",
    r"okay",
    r"k",
    r"cool",
    r"nice",
    r"great",
    r"lol",
    r"haha\w*",
    r"sure",
    r"alright",
    r"got it",
    r"fine",
    r"yes",
    r"yep",
    r"yeah",
    r"no",
    r"nope",
    r"good",
    r"awesome",
    r"perfect",
)
_WATER_AMOUNT = re.compile(
    r"(?<![\w.])(?P<amount>\d{1,6}(?:[.,]\d{1,3})?|a|an|one|two|three|four|five"
    r"|half a|half an|half)\s*"
    r"(?:(?:whole|full|big|large|small|little|tall) )?"
    r"(?P<unit>fl\.? ?oz|oz|ounces?|ml|millilit(?:re|er)s?|l|lit(?:re|er)s?|glass(?:es)?|glas"
    r"|cups?|mugs?|bottles?|pints?)(?![a-z])"
)
# "mug of tea", "glass of water": one, when the message starts with the vessel.
_WATER_ALONE = re.compile(
    r"^(?:just |had |drank )?(?P<amount>)(?P<unit>glass|cup|mug|bottle|pint)s?(?: of)?\b"
)
_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
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


def normalise(text: str) -> str:
    """Lower-case, straight quotes, emoji and punctuation off, common chat spellings fixed."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'").replace("`", "'")
    text = re.sub(r"(\d)\s*(glasses|glass|cups?|bottles?|mugs?)", r"\1 \2", text)
    kept = "".join(
        char if char.isalnum() or char in " '.:/+-,?" else " "
        for char in text
        if unicodedata.category(char)[0] != "S" or char in "+"
    )
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


_PAIN_WORDS = _pattern(r"pain\w*", r"hurt\w*", r"ache\w*", r"aching", r"sore", r"ow+")


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


_CARE_TOPIC = _pattern(
    r"pain\w*", r"back", r"spasm\w*", r"ice", r"heat\w*", r"stretch\w*", r"hurt\w*", r"sore"
)
_ASKING = _pattern(
    r"recommend",
    r"translate",
    r"tell me",
    r"show me",
    r"write",
    r"explain",
    r"what",
    r"why",
    r"where",
    r"which",
    r"who",
    r"posture",
    r"brace",
    r"tips?",
)


def _small_talk(said: str) -> Chat | None:
    """Tell thanks, a greeting or a nod, in a short message that asks for nothing."""
    if len(said.split()) > 6 or _ASKING.search(said):
        return None
    for pattern, chat in ((_THANKS, Chat.THANKS), (_HELLO, Chat.HELLO), (_OK, Chat.OK)):
        if pattern.search(said):
            return chat
    return None
