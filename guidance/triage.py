"""Red-flag triage: spot descriptions that need a doctor now, before any other answer."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from guidance.language import Speller, word_set, words

NOT_A_DOCTOR = (
    "I'm a bot, not a doctor: I share general guidance from my sources and cannot examine or "
    "diagnose you."
)

# Words that cancel the symptom named right after them ("no fever", "not numb").
NEGATORS = word_set(
    """
    no not without never dont doesnt didnt isnt arent wasnt havent hasnt nor none
    """
)
NEGATION_REACH = 3

_LEGS = r"(?:legs?|thighs?|knees?|calf|calves|feet|foot|toes?|arms?|hands?)"
_SADDLE = (
    r"(?:groin|saddle|crotch|genitals?|genital area|privates|private parts|buttocks?|bum|butt"
    r"|backside|bottom|inner thighs?|between my legs|perineum)"
)
_SIDE = r"(?:(?:one|left|right|whole) side|side of my body)"
_BODY = rf"(?:{_LEGS}|{_SADDLE}|{_SIDE})"
_GAP = r"(?: \w+){0,4} "
_CANT = r"(?:cant|cannot|can not|couldnt|unable to|not able to|struggling to|trouble|difficulty)"
_LOSE = (
    r"(?:lost|lose|losing|loss of|no|cant|cannot|couldnt|unable to|trouble|problems?|difficulty)"
)


@dataclass(frozen=True, slots=True)
class RedFlag:
    """A warning sign that needs medical help now, with the patterns that reveal it."""

    key: str
    label: str
    patterns: tuple[re.Pattern[str], ...]


def _flag(key: str, label: str, *patterns: str) -> RedFlag:
    return RedFlag(key, label, tuple(re.compile(rf"\b(?:{pattern})\b") for pattern in patterns))


RED_FLAGS: tuple[RedFlag, ...] = (
    _flag(
        "bladder-bowel",
        "loss of bladder or bowel control",
        r"(?P<k>incontinen\w*)",
        rf"(?P<k>{_LOSE}(?: \w+){{0,2}} control)(?: \w+){{0,3}} "
        r"(?:bladder|bowels?|pee|peeing|urine|wee|poo|poop|toilet)",
        r"(?P<k>(?:bladder|bowels?)(?: \w+){0,3} "
        r"(?:control|problems?|issues?|accidents?|leak\w*))",
        rf"(?P<k>{_CANT}(?: \w+){{0,1}} (?:pee|peeing|urinate|urinating|wee|weeing|poo|pooing"
        r"|empty my bladder|go to the toilet|go to the bathroom))",
        r"(?P<k>(?:wet|wetting|peed|peeing|pooed|pooing|soiled|soiling) (?:myself|my pants"
        r"|my trousers|my underwear|the bed))",
        r"(?P<k>leak\w* (?:urine|pee|wee))",
        rf"(?P<k>{_CANT} (?:hold|control|hold in) (?:my |the )?(?:pee|urine|wee|poo|poop|bladder"
        r"|bowels?))",
    ),
    _flag(
        "numbness",
        "numbness or tingling",
        r"(?P<k>numbness|numbnes|tingling|tingly|pins and needles)",
        rf"(?P<k>numb|numbed)(?: \w+){{0,5}} {_BODY}",
        rf"{_BODY}{_GAP}(?P<k>numb|numbed)",
        rf"(?P<k>dead) {_LEGS}",
        rf"{_LEGS} (?:\w+ )?(?P<k>dead)",
    ),
    _flag(
        "leg-weakness",
        "weakness in the legs or down one side",
        rf"(?P<k>weak|weakness|weaker|weakened){_GAP}(?:{_LEGS}|{_SIDE})",
        rf"(?:{_LEGS}|{_SIDE}){_GAP}(?P<k>weak|weakness|weaker)",
        rf"{_LEGS}(?: \w+){{0,3}} (?P<k>(?:gave|gives|give|giving|went|goes|going) (?:way|out)"
        r"|buckl\w*|collapsed?)",
        r"(?P<k>foot drop|drop foot|foot(?: \w+){0,2} slap\w*)",
        rf"(?P<k>{_CANT} (?:lift|move|stand on) (?:my |either |both )?(?:legs?|foot|feet))",
    ),
    _flag(
        "balance",
        "loss of balance",
        r"(?P<k>(?:lost|lose|losing|loss of|no|poor|bad|impaired|trouble with|problems with"
        r"|off) (?:my |the )?(?:balance|coordination))",
        r"(?P<k>(?:balance|coordination)(?: is)? (?:off|gone|bad|poor))",
        r"(?P<k>unsteady on my feet|keep falling over|keeps falling over)",
    ),
    _flag(
        "fall-or-accident",
        "a fall or an accident",
        r"(?P<k>fell|fallen|tripped|whiplash|accident|accidents|collision|crash|crashed)",
        r"(?P<k>slipped)(?! discs?\b)",
        r"(?:a|the|after|since|from|my|bad|nasty|hard) (?P<k>fall)(?! asleep)",
        r"(?P<k>fall|falling) (?:down|off|over|from)",
        r"(?P<k>hit by|(?:got|was|been|get) hit)",
    ),
    _flag(
        "fever",
        "fever",
        r"(?P<k>fever\w*|high temperature|high temp|a temperature|running a temperature"
        r"|(?:temperature|temp) of \d+)",
    ),
    _flag(
        "severe-pain",
        "severe, unbearable or worst-ever pain",
        r"(?P<k>unbearabl\w*|excruciating|agony|agonising|agonizing|intolerable)",
        r"(?P<k>worst) (?:back |spasm )?pain",
        r"(?P<k>worst)(?: \w+){0,3} (?:ever|of my life|in my life)",
        r"(?P<k>cant bear|cannot bear|cant stand the pain|10 out of 10|ten out of ten)",
        r"(?P<k>severe)(?: \w+){0,2} pain",
        r"pain(?: \w+){0,2} (?P<k>severe)",
    ),
    _flag(
        "loss-of-sensation",
        "loss of feeling or sensation",
        r"(?P<k>(?:lost|lose|losing|loss of|no)(?: \w+){0,1} (?:sensation|feeling))",
        rf"(?P<k>(?:cant|cannot|couldnt|can not) feel)(?: \w+){{0,2}} {_BODY}",
    ),
)

TRIAGE_WORDS = word_set(
    """
    incontinence incontinent bladder bowel bowels control urinate urinating urine toilet numbness
    numb tingling needles sensation feeling weakness balance coordination unsteady accident crash
    crashed collision whiplash fever feverish temperature unbearable excruciating agony severe
    groin saddle genitals buttock buttocks perineum tripped slipped fallen stairs
    """
)


class Triage:
    """Recognise red-flag descriptions in plain, misspelt questions."""

    def __init__(self, *, known_words: Iterable[str] = ()) -> None:
        self._speller = Speller(TRIAGE_WORDS, also_known=known_words)

    def check(self, question: str) -> list[RedFlag]:
        """Return the red flags a question describes, in a fixed order; empty if none."""
        text = " ".join(self._speller.correct_all(words(question)))
        if not text:
            return []
        return [flag for flag in RED_FLAGS if _mentions(flag, text)]


def _mentions(flag: RedFlag, text: str) -> bool:
    for pattern in flag.patterns:
        for match in pattern.finditer(text):
            start = match.start("k") if "k" in pattern.groupindex else match.start()
            before = text[:start].split()[-NEGATION_REACH:]
            if not NEGATORS.intersection(before):
                return True
    return False


def urgent_answer(flags: Sequence[RedFlag], *, warning_signs: str, sources: Sequence[str]) -> str:
    """Write the urgent reply: get help now, what was noticed, the warning signs, the sources."""
    labels = [flag.label for flag in flags]
    noticed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return (
        "⚠️ Please get medical help now.\n"
        f"You mentioned {noticed}. With back pain this can be a sign of something serious: "
        "call your local emergency number or see a doctor immediately. "
        "Don't wait to see whether it settles.\n\n"
        f"{warning_signs}\n\n"
        f"{NOT_A_DOCTOR}\n\n"
        f"Sources: {', '.join(sources)}"
    )
