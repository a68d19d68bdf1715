"""Words: splitting, everyday words, and typo repair shared by triage and retrieval."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`]")

# Short words are left alone: one edit turns "feel" into "fell" or "rain" into "pain".
MIN_CORRECTABLE_LENGTH = 5
# Long words may carry two slips ("excercize"); shorter ones only one.
TWO_EDIT_LENGTH = 8


def word_set(text: str) -> frozenset[str]:
    """Return the distinct whitespace-separated words of a text block."""
    return frozenset(text.split())


# Question filler that says nothing about the topic; dropped before ranking.
STOPWORDS = word_set(
    """
    a about all also am an and any anybody many anyone anything are as at be been being but by can
    could did do does doing done each else even ever for from get gets getting got had has have
    having he hello her here hey hi him his how i id if ill im in into is it its ive just kind
    know let like lot lots me might mine more most much must my myself need needs of ok okay on
    one or other our out please pls plz really she should so some someone something sort still
    see tell than thank thanks that thats the their them then there these they thing things this
    those thx to too u up ur us very want wanna was way we were what whats when where whether
    which while who why will with would you youre your yours good help use using try trying
    """
)

# Correctly spelt words a question may use that the guidance does not; never "corrected".
EVERYDAY_WORDS = STOPWORDS | word_set(
    """
    fewer never seven river worse worst lever clever better bowl house mouse world words
    write wrote right light night weather whether where there three these those throw threw
    thought through today tonight tomorrow yesterday week month year years hours minutes money
    movie music phone email paris france capital city country weight height dinner lunch bread
    recipe cake pizza coffee game games football score stocks python code program computer poem
    story joke funny cheap price prices buy sell shop store weekend holiday travel train plane
    """
)


def words(text: str) -> list[str]:
    """Split text into lower-case words, dropping apostrophes so "can't" reads "cant"."""
    return _WORD.findall(_APOSTROPHES.sub("", text.lower()))


class Speller:
    """Correct misspelt words to the nearest word of a known vocabulary."""

    def __init__(self, vocabulary: Iterable[str], *, also_known: Iterable[str] = ()) -> None:
        counts = Counter(vocabulary)
        self._frequency = counts
        self._targets = sorted(word for word in counts if len(word) >= MIN_CORRECTABLE_LENGTH - 1)
        self._known = frozenset(counts) | frozenset(also_known) | EVERYDAY_WORDS
        self._cache: dict[str, str] = {}

    @property
    def known(self) -> frozenset[str]:
        """Return every word that is left as it is."""
        return self._known

    def correct(self, word: str) -> str:
        """Return the nearest vocabulary word for a misspelling, or the word itself."""
        if word in self._known or len(word) < MIN_CORRECTABLE_LENGTH or not word.isalpha():
            return word
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        limit = 2 if len(word) >= TWO_EDIT_LENGTH else 1
        matches = process.extract(
            word, self._targets, scorer=OSA.distance, score_cutoff=limit, limit=8
        )
        corrected = word
        if matches:
            nearest = min(distance for _, distance, _ in matches)
            closest = [choice for choice, distance, _ in matches if distance == nearest]
            # Among equally near words, the one the guidance uses most is the likelier meaning.
            corrected = max(closest, key=lambda choice: (self._frequency[choice], choice))
        if len(self._cache) < 10_000:
            self._cache[word] = corrected
        return corrected

    def correct_all(self, tokens: Iterable[str]) -> list[str]:
        """Correct each word of a sequence."""
        return [self.correct(token) for token in tokens]
