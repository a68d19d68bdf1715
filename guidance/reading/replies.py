"""Replies read in context: what a person types right after the bot asked something.

The bot stores what it last asked each person (`asked`, one of `ASKED`); the next message
is read as the answer to it first: a yes or no in everyday words, "its off", a score in
digits or words, a time or a range, a city for a zone, "did the stretch" on a merged
message. A warning sign in the reply wins over everything (triage reads every message
first); then taking back the last log, a request BackCare cannot do, the answer itself,
and a question. Pure: words in, one meaning out, written as the labels of
tests/guidance/language/replies/README.md ("score:7", "done:stretch", "zone:Europe/London").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise

from guidance.reading import answers, forgiving, reply_words, spoken
from guidance.reading.answers import Said
from guidance.reading.asking import asks, sentences
from guidance.reading.reply_words import plain
from guidance.reading.triage import Finding
from guidance.reading.zones.match import nearest_zone

ASKED = frozenset(
    {
        "signs", "taken_off", "pain_check", "ice_offer", "heat_offer", "water", "posture",
        "stretch", "stretch+water", "wake_sleep", "timezone", "stretch_time", "water_goal",
        "forget",
    }
)  # fmt: skip
# Replies this long are read for a question only when nothing answers what was asked.
SHORT_WORDS = 6
GLASS_ML = 250


def understand(asked: str, text: str, *, finding: Finding | None = None) -> str:
    """Return what a reply means, given what the bot asked and triage's finding on it."""
    said = reply_words.said(text)
    phrases = reply_words.phrases()
    if finding is not None and finding.told:
        # "yes the tingling": a yes to the warning-sign question does what a sign does.
        yes = asked == "signs" and answers.said(said.split()[:3]) is Said.YES
        return "yes" if yes else "warning"
    if phrases.undo.search(said):
        # To "delete everything?", "oops, didn't mean that" takes the request back: a no
        # ("undo the 7 I logged" still asks to take a log back).
        mistake = asked == "forget" and not re.search(r"(?<![a-z])undo(?![a-z])", said)
        return "no" if mistake else "undo"
    if phrases.cannot.search(said):
        return "cannot"
    read = _READERS.get(asked, _nothing)
    if asked not in ("signs", "forget") and reply_words.NO_WORRIES.fullmatch(said):
        return "other"  # "no worries", "no problem": a nod, no "no"
    meaning = read(said, text)
    if meaning is None:
        # "skp", "dne", "remnd me": a slip in a short reply is read as the word meant;
        # "sry no", "leave it for today mate": a filler before or after the answer is no
        # answer of its own; "won glass", "drnk 2 glases": a slip in an answer's own word.
        slip = forgiving.forgive(text).text
        plain = reply_words.TRAILING.sub("", reply_words.FILLER.sub("", text.strip())).strip()
        agreed = reply_words.AGREEING.sub("", plain).strip()  # "yes drinking", "yea did"
        for again in (slip, *(t for t in (plain, agreed) if t and t != text.strip())):
            if meaning is None and again:
                meaning = read(reply_words.said(again), again)
        if meaning is None:
            meaning = _read_slips(read, plain or text)
    if meaning != "show" and asks(text):
        # "is a 7 bad?": a question, though it holds a score; "solid 5. is that normal?":
        # the answer, said in a sentence of its own, then a question about it.
        stated = [part for part in sentences(text) if not asks(part)]
        if meaning is not None and any(
            read(reply_words.said(part), part) == meaning for part in stated
        ):
            return meaning
        return "question"
    if meaning is not None:
        return meaning
    if phrases.question.search(said) or text.rstrip().endswith("?"):
        return "question"
    return "other"


def _read_slips(read: Callable[[str, str], str | None], text: str) -> str | None:
    """Read a short reply with a slip in an answer's own word ("strat", "drnk 2 glases"):
    the meaning every nearest reading agrees on ("drnk": drink or drank), else none."""
    words = text.lower().split()
    if not 1 <= len(words) <= SHORT_WORDS:
        return None
    readings = {
        read(reply_words.said(again), again)
        for again in forgiving.respelt(text, reply_words.answer_words())
    }
    # "skop" (skip or stop?): two near words that read apart are asked about, not guessed.
    return readings.pop() if len(readings) == 1 else None


def _nothing(_said: str, _text: str) -> str | None:
    return None


def _signs(said: str, _text: str) -> str | None:
    found = answers.said(said.split())
    if found is None and len(said.split()) <= SHORT_WORDS:
        found = _yes_no(said)
    return None if found is None else found.value


def _yes_no(said: str) -> Said | None:
    phrases = reply_words.phrases()
    if phrases.no.search(said):
        return Said.NO
    if phrases.yes.search(said):
        return Said.YES
    return None


def _forget(said: str, text: str) -> str | None:
    opening = _yes_no(" ".join(said.split()[:2]))
    if opening is not None:
        return opening.value
    no = r"cancel|keep|dont|do not|stop|wait|no|nvm|never ?mind|not sure|changed my mind|hold on"
    if re.search(rf"(?<![a-z])(?:{no})(?![a-z])", said):
        return "no"
    if re.search(r"(?<![a-z])(?:delete|erase|wipe|remove|forget|go ahead|do it)(?![a-z])", said):
        return "yes"
    return _signs(said, text)


def _taken_off(said: str, _text: str) -> str | None:
    phrases = reply_words.phrases()
    if re.search(
        r"(?:been|already|is|its|it s|was|s|are) (?:\w+ )?of+(?![a-z])" + _NOT_OF_A, said
    ):
        return "off"  # "its of now": "of" for "off", unless it is "one of them"
    if re.search(r"still (?:on|got it on|have it on)", said):
        return "not_yet"
    if phrases.more_time.search(said):
        return "later"
    if phrases.not_yet.search(said):
        return "not_yet"
    if phrases.off.search(said):
        return "off"
    if phrases.nudge["later"].search(said):
        return "later"  # "remind me in 10", "ltr": as to any nudge
    return None


# After "of", the words that make it "one of them", not "off".
_NOT_OF_A = (
    r"(?! (?:the|my|a|an|it|them|this|that|course|those|these|your|his|her|me|us|ice|heat)\b)"
)
# No pain at all, in words: a score of 0.
_NO_PAIN = re.compile(
    r"^(?:no pain|pain free|painfree|zero|zilch|nothing|none|not sore)\b(?: at all)?(?! \w+ \w)"
    r"|^(?:its|it s|pain s|pains|the pain s|the pain is|pain is|all) (?:all )?gone\b(?! \w+ \w)"
)


def _pain(said: str, _text: str) -> str | None:
    score = spoken.score(said)
    if score is not None:
        return f"score:{score}"
    if _NO_PAIN.search(said):
        return "score:0"
    if reply_words.phrases().nudge["skip"].search(said) or reply_words.phrases().nudge[
        "later"
    ].search(said):
        return "skip"
    return None


def _offer(said: str, _text: str) -> str | None:
    nudge = reply_words.phrases().nudge
    for meaning in ("rest_today", "later", "skip", "start"):
        if nudge[meaning].search(said):
            return meaning
    return None


def _nudge(*kinds: str) -> Callable[[str, str], str | None]:
    def read(said: str, _text: str) -> str | None:
        nudge = reply_words.phrases().nudge
        if "water" in kinds:
            glasses = spoken.glasses(said, glass_ml=GLASS_ML)
            if glasses is None and _BARE_COUNT.fullmatch(said):
                counts = re.findall(r"(?<![\w:.])([2-9]|10|two|three|four|five)(?![\w:.])", said)
                glasses = int(spoken.number(counts[-1]) or 0) if counts else None
            total = _TOTAL.search(said) or _TIMES.search(said)
            if glasses is None and total is not None:
                glasses = int(spoken.number(total["n"]) or 0)  # "... so 2 i guess", "x2"
            if glasses is not None and glasses > 1:
                return f"done:{glasses}"
        for meaning in ("show", "skip_first", "later", "skip", "done"):
            if meaning.split("_")[0] in kinds and nudge[meaning].search(said):
                return meaning.split("_")[0]  # "skip, in a meeting", "busy all day": skip
        if "water" in kinds and (spoken.glasses(said, glass_ml=GLASS_ML) == 1 or _ONE.match(said)):
            return "done"  # "one glass", "a cup", "+1", "another one": one drunk
        return None

    return read


# A bare number answers a water nudge only in a short reply with no time or pain in it
# ("had 2", "3 since the last one"): "in a meeting until 3" is not three glasses.
_BARE_COUNT = re.compile(
    r"(?!.*\b(?:until|till|til|at|in|by|for|min|mins|minutes?|hours?|hrs?|pm|am|oclock"
    r"|pain|hurts?|sore|back|out of|an? [0-9]+)\b)(?:\S+ ){0,7}\S+"
)
# A count said at the end of a long reply, as its sum: "... and another just now so 2 i guess".
_TOTAL = re.compile(
    r"(?:so|thats|that s|makes|total|in total|altogether) (?:about |like |maybe )?"
    r"(?P<n>[2-9]|10|two|three|four|five|six|seven|eight)(?: glasses| cups)?"
    r"(?: (?:i guess|i think|i reckon|total|in total|altogether|so far|today))?(?: [.!])?$"
)
# One more glass, said as a count: "1", "+1", "another one", "one more".
_ONE = re.compile(r"^(?:\+ ?1|1|one|another(?: one)?|1 more|one more)(?: glass| cup)?(?: [.!])?$")
# "x2", "2x": that many glasses.
_TIMES = re.compile(r"(?:^|\s)(?=x ?[2-9]$|[2-9] ?x$)x? ?(?P<n>[2-9]) ?x?$")
_NOT_DONE = r"(?:skip\w*|no|not|didnt|havent|haven t|forgot|wont|gonna|going to|will|later|yet)"
_PART_WORDS = {"stretch": "stretch|yoga|exercis", "water": "water|drink|glass|drank"}
_THEM_ALL = re.compile(r"did (?:them|em)|them all|all of them")  # the stretches


def _not_done(part: str, said: str) -> bool:
    """Tell whether a part is said to be skipped, or left for later ("drink in a bit")."""
    words = _PART_WORDS[part]
    before = rf"{_NOT_DONE}\W+(?:\w+\W+){{0,3}}(?:{words})"
    after = rf"(?:{words})\w*\W+(?:later|in a bit|yet|after|can wait|tomorrow|tmrw)"
    return re.search(f"{before}|{after}", said) is not None


def _merged(said: str, _text: str) -> str | None:
    """Stretch and water in one message: act on the part named, or on both."""
    phrases = reply_words.phrases()
    nudge, parts = phrases.nudge, phrases.parts
    unsaid = {part: _not_done(part, said) for part in ("stretch", "water")}
    stretch = parts["stretch"].search(said) or _THEM_ALL.search(said)
    water = parts["water"].search(said)
    if stretch and water:
        if unsaid["stretch"] and not unsaid["water"]:
            return "done:water"
        if unsaid["water"] and not unsaid["stretch"]:
            return "done:stretch"
        both_unsaid = unsaid["water"] and unsaid["stretch"]
        return "skip:both" if both_unsaid else "done:both"
    if re.search(r"^(?:neither|none|nope neither)\b|neither (?:of )?(?:them|one|today)", said):
        return "skip:both"
    if parts["both"].search(said) and not stretch:
        if nudge["later"].search(said):
            return "later"  # "both later", "all of them later"
        return "skip:both" if nudge["skip"].search(said) else "done:both"
    named = "stretch" if stretch else "water" if water else None
    if named is not None:
        return f"skip:{named}" if unsaid[named] or nudge["skip"].search(said) else f"done:{named}"
    # "done" naming no part acts on the latest part only (the bot says which).
    for meaning, label in (("later", "later"), ("skip", "skip:both"), ("done", "done")):
        if nudge[meaning].search(said):
            return label
    return None


def _range(_said: str, text: str) -> str | None:
    found = spoken.day_range(plain(text))
    return None if found is None else f"range:{found[0]:%H:%M}-{found[1]:%H:%M}"


# A morning named anywhere: a bare "quarter past 8" is then 08:15, not 20:15.
_MORNING = re.compile(r"\bmornings?\b|\bam\b|before work|school run|breakfast|\bbrekkie\b")


def _time(_said: str, text: str) -> str | None:
    found = spoken.clock(plain(text), evening=not _MORNING.search(plain(text)))
    return None if found is None else f"time:{found:%H:%M}"


def _zone(_said: str, text: str) -> str | None:
    found = spoken.zone(text)
    if found is None:
        # "im in mum buy", "lundun": a place misheard or mistyped, its words run together.
        words = [w for w in re.sub(r"[^\w\s]", " ", text.lower()).split() if w not in _NOT_PLACES]
        names = [*(a + b for a, b in pairwise(words)), *words]
        found = next(filter(None, map(nearest_zone, names)), None) if len(words) <= 4 else None
    return None if found is None else f"zone:{found}"


# Words around a place that are not part of it ("im in mum buy").
_NOT_PLACES = frozenset(
    {"im", "i", "m", "am", "in", "live", "near", "the", "its", "it", "s", "at"}
)


def _water_goal(said: str, text: str) -> str | None:
    # "2.5L": read as typed first, its decimal point kept; "2k ml" as 2000 ml.
    typed = re.sub(r"(\d)\s*k\b\s*(?:ml)?", r"\g<1>000 ml", plain(text))
    found = spoken.millilitres(typed, glass_ml=GLASS_ML)
    if found is None:
        found = spoken.millilitres(said, glass_ml=GLASS_ML)
    if found is None and (_yes_no(said) is Said.YES or _AGREED.search(said)):
        found = SUGGESTED_ML  # "ok", "sounds good": the amount the question suggests
    return None if found is None else f"ml:{found}"


# What the water-goal question suggests ("About 2 litres suits most people").
SUGGESTED_ML = 2000
_AGREED = re.compile(
    r"^(?:sounds good|sounds right|perfect|great|fine|that s fine|thats fine|good)\b"
)


_READERS: dict[str, Callable[[str, str], str | None]] = {
    "signs": _signs,
    "forget": _forget,
    "taken_off": _taken_off,
    "pain_check": _pain,
    "ice_offer": _offer,
    "heat_offer": _offer,
    "water": _nudge("water", "later", "skip", "done"),
    "posture": _nudge("later", "skip", "done"),
    "stretch": _nudge("show", "later", "skip", "done"),
    "stretch+water": _merged,
    "wake_sleep": _range,
    "stretch_time": _time,
    "timezone": _zone,
    "water_goal": _water_goal,
}


# A message that goes on from the one before it: "and did the stretch", "also 2 glasses",
# "+ a walk", "the stretch too".
_GOES_ON = re.compile(
    r"^(?:and|also|plus|then|and then|oh and|n|an|&|\+|as well as|aswell as|aaa+nd|btw)"
    r"(?![a-z0-9])"
    r"|(?<![a-z0-9])(?:too|as well|aswell|also)\W*$"
)


def continues(text: str) -> bool:
    """Tell whether a message goes on from the one before it, one thought in two messages
    ("drank a glass" / "and did the stretch"): it opens with "and", "also", "plus"... or
    ends with "too", "as well"."""
    return _GOES_ON.search(" ".join(text.lower().split())) is not None
