"""The learned second opinion: a linear model over word and character n-grams.

Trained by `python -m guidance.reading.triage.train` (scikit-learn's `TfidfVectorizer` and
`LogisticRegression`, on the development phrasings only) and shipped as `model.json`: the
n-grams' weights, their idf and the intercept. Reading it back needs no scikit-learn: this
module computes the same features and the same probability (a test holds the two equal),
so the bot starts as fast and as small as before.

It can raise a calm reading to `check` (ask the warning-sign question), never lower one.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

MODEL = Path(__file__).parent / "model.json"
# The ideas a message must touch for the model's opinion to count: the body, not the weather.
DOMAIN = (
    "feel_loss", "feel_odd", "saddle", "toilet", "pee_word", "retention", "toilet_change",
    "limb", "limb_fails", "buttock", "weak", "balance_word", "balance_hint", "fever_hint",
    "body_side", "foot_misbehave", "odd", "chest_hint", "face_hint", "speech_trouble",
)  # fmt: skip

Opinion = float


def word_ngrams(words: Sequence[str], sizes: tuple[int, int]) -> list[str]:
    """Return the word n-grams of a message, as scikit-learn's word analyzer makes them."""
    low, high = sizes
    grams: list[str] = []
    for size in range(low, high + 1):
        grams.extend(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))
    return grams


def char_ngrams(words: Sequence[str], sizes: tuple[int, int]) -> list[str]:
    """Return each word's character n-grams, padded with spaces ("char_wb")."""
    low, high = sizes
    grams: list[str] = []
    for word in words:
        padded = f" {word} "
        for size in range(low, high + 1):
            if len(padded) < size:
                break
            grams.extend(padded[i : i + size] for i in range(len(padded) - size + 1))
    return grams


@dataclass(frozen=True, slots=True)
class _Block:
    """One vectorizer's part of the model: its n-grams' idf and weights."""

    analyzer: str  # "word" or "char_wb"
    sizes: tuple[int, int]
    idf: Mapping[str, float]
    weight: Mapping[str, float]

    def grams(self, words: Sequence[str]) -> list[str]:
        if self.analyzer == "word":
            return word_ngrams(words, self.sizes)
        return char_ngrams(words, self.sizes)

    def dot(self, words: Sequence[str]) -> float:
        """Return the block's share of the decision: sublinear tf-idf, l2-normalised."""
        counts = Counter(self.grams(words))
        # Only the n-grams the model knows count (a set operation: long stories have
        # thousands of character n-grams); `fsum` makes the sums independent of their order.
        known = counts.keys() & self.idf.keys()
        if not known:
            return 0.0
        idf, weight = self.idf, self.weight
        values = [((1 + math.log(counts[gram])) * idf[gram], gram) for gram in known]
        norm = math.sqrt(math.fsum(value * value for value, _ in values))
        return math.fsum(value * weight.get(gram, 0.0) for value, gram in values) / norm


class SecondOpinion:
    """How likely a message is to describe a warning sign, learned from labelled phrasings."""

    def __init__(
        self, blocks: Sequence[_Block] = (), intercept: float = 0.0, threshold: float = 1.1
    ) -> None:
        self._blocks = tuple(blocks)
        self._intercept = intercept
        self.threshold = threshold

    @classmethod
    def load(cls, path: Path = MODEL) -> SecondOpinion:
        """Load the shipped model (none: an opinion that never raises anything)."""
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        blocks = [
            _Block(
                block["analyzer"],
                (block["ngram_range"][0], block["ngram_range"][1]),
                block["idf"],
                block["weight"],
            )
            for block in data["blocks"]
        ]
        return cls(blocks, data["intercept"], data["threshold"])

    def decision(self, words: Sequence[str]) -> float:
        """Return the model's raw decision value for a message's words."""
        return self._intercept + sum(block.dot(words) for block in self._blocks)

    def score(self, words: Sequence[str]) -> Opinion:
        """Return the probability the model gives to "this describes a warning sign"."""
        if not self._blocks:
            return 0.0
        return 1 / (1 + math.exp(-self.decision(words)))

    def about_the_body(self, found: Mapping[str, Sequence[object]]) -> bool:
        """Tell whether a message touches the body at all, so that the opinion may count."""
        return bool(self._blocks) and any(found.get(name) for name in DOMAIN)
