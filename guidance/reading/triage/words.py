"""Words as triage reads them: lower case, no apostrophes, typos in symptoms repaired."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from guidance.reading.language import Speller, word_set

# A word, a number (decimals kept: "38.5"), or the punctuation that ends a scope.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?(?![a-z0-9])|[a-z0-9]+|[.,;:!?/]")
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`]")
# "foot's" is "foot s", not the word "foots"; "it's" and "that's" stay whole.
_POSSESSIVE = re.compile(
    r"(?<![a-z])(?!(?:it|that|what|there|here|he|she|who|where|how|let)['\u2019])([a-z]+)"
    r"['\u2019]s(?![a-z])"
)
# "running 38s", "in the 101s": a temperature said as a range of readings.
_DECADE = re.compile(r"(?<![a-z0-9])(3[5-9](?:[.,]\d)?|10\d)s(?![a-z])")
_DEGREES = re.compile(r"(\d)\s*(?:°|º|˚)\s*([cf])?(?![a-z])|(\d)([cf])(?![a-z])")

# Words triage corrects typos into (body parts and symptoms); everyday words stay as typed.
TRIAGE_WORDS = word_set(
    """
    incontinence incontinent bladder bowel bowels control urinate urinating urine toilet
    numbness numb tingling tingly tingle needles sensation feeling weakness weak balance
    coordination unsteady accident crash crashed collision whiplash fever feverish temperature
    unbearable excruciating agony severe groin saddle genitals buttock buttocks perineum
    tripped slipped fallen stairs legs foot feet toes thigh thighs knees ankle ankles calves
    arms hands fingers stumbling stumble dragging drags drag slapping numbing painkillers
    worse worsening getting injury injured falling bladder peeing weeing pooing wetting
    paracetamol ibuprofen relief helping improving persistent recurring coming weeks months
    tailbone bottom jelly asleep strength collapse collapsed buckled buckling thermometer
    privates crotch wobbly shivering chills breathe breathing chest naproxen codeine anything
    """
)
REAL_WORDS = Path(__file__).parent / "real_words.txt"
# Short words one typo away, which the general speller leaves alone: "numm", "legz".
_SHORT_TARGETS = ("numb", "legs", "toes", "feet", "foot", "fever")


@cache
def real_words() -> frozenset[str]:
    """Read the real words that are never corrected (see guidance/reading/triage/real_words.py)."""
    lines = REAL_WORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _degrees(match: re.Match[str]) -> str:
    """Write "38.5°C" and "100.8f" as "38.5 degrees c"."""
    number = match[1] or match[3]
    unit = match[2] or match[4] or ""
    return f"{number} degrees {unit}"


def tokens(text: str) -> list[str]:
    """Split text into lower-case words, numbers and the punctuation that ends a scope."""
    lowered = _DEGREES.sub(_degrees, text.lower().replace("\n", " . "))
    lowered = _DECADE.sub(r"\1", lowered)
    lowered = _POSSESSIVE.sub(r"\1 s", lowered)
    lowered = _APOSTROPHES.sub("", lowered)
    return _TOKEN.findall(lowered)


class Corrector:
    """Repair a typo in a body part or symptom; leave every other word as typed."""

    def __init__(self, *, known_words: Iterable[str] = (), protect: bool = True) -> None:
        real = real_words() if protect else frozenset()
        self._speller = Speller(TRIAGE_WORDS, also_known=[*known_words, *real])

    def correct(self, token: str) -> str:
        """Return a word with a typo in a body part or symptom corrected."""
        if len(token) == 4 and token.isalpha() and token not in self._speller.known:
            # Four letters are too short for the general speller ("feel" and "fell"), so
            # they are corrected only into a few body parts and symptoms: "numm", "legz".
            near = process.extractOne(token, _SHORT_TARGETS, scorer=OSA.distance, score_cutoff=1)
            return near[0] if near else token
        return self._speller.correct(token)

    def correct_all(self, words: Sequence[str]) -> list[str]:
        """Correct each word of a sequence."""
        return [self.correct(word) for word in words]
