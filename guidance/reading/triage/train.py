"""Train the learned second opinion: `python -m guidance.reading.triage.train`.

Reads the development phrasings only (tests/guidance/language/dev; never the held-out set),
turns each into triage's own words (lower case, typos repaired), and fits scikit-learn's
`LogisticRegression` on sublinear tf-idf word 1–2-grams and character 2–5-grams (within
words), to tell "describes an urgent warning sign" from the rest. The threshold is chosen
on five-fold cross-validated probabilities: the lowest that keeps the calm messages the
rules leave calm from being asked about more than `MAX_CALM_ASKED` of the time.

Writes model.json beside this file (the weights `learned.py` reads back without
scikit-learn) and prints the cross-validated figures; `--check` compares a fresh training
with the shipped model instead of writing it. Needs the dev extra (scikit-learn).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from guidance.reading.triage.learned import MODEL, char_ngrams, word_ngrams
from guidance.reading.triage.words import Corrector, tokens

DEV = Path(__file__).parents[3] / "tests" / "guidance" / "language" / "dev"
WORDS = (1, 2)
CHARS = (2, 5)
MIN_DF = 2
C = 4.0
FOLDS = 5
# Of the calm messages the rules leave calm, at most this share may be asked about.
MAX_CALM_ASKED = 0.08
SEED = 7


def load(folder: Path = DEV) -> tuple[list[str], list[int], list[str]]:
    """Return the dev phrasings' texts, whether each is urgent (1) or not (0), and levels."""
    texts, urgent, levels = [], [], []
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as file:
            for row in tomllib.load(file).get("phrasing", []):
                texts.append(row["text"])
                urgent.append(int(row["level"] == "urgent"))
                levels.append(row["level"])
    return texts, urgent, levels


def _words(corrector: Corrector, text: str) -> list[str]:
    return corrector.correct_all(tokens(text))


def _vectorizers() -> list[Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return [
        TfidfVectorizer(
            analyzer=lambda words: word_ngrams(words, WORDS), sublinear_tf=True, min_df=MIN_DF
        ),
        TfidfVectorizer(
            analyzer=lambda words: char_ngrams(words, CHARS), sublinear_tf=True, min_df=MIN_DF
        ),
    ]


def _fit(docs: Sequence[list[str]], labels: Sequence[int]) -> tuple[list[Any], Any]:
    from scipy.sparse import hstack
    from sklearn.linear_model import LogisticRegression

    vectorizers = _vectorizers()
    matrix = hstack([vectorizer.fit_transform(docs) for vectorizer in vectorizers]).tocsr()
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
    model.fit(matrix, labels)
    return vectorizers, model


def _probabilities(vectorizers: list[Any], model: Any, docs: Sequence[list[str]]) -> list[float]:
    from scipy.sparse import hstack

    matrix = hstack([vectorizer.transform(docs) for vectorizer in vectorizers]).tocsr()
    return [float(p) for p in model.predict_proba(matrix)[:, 1]]


def cross_validated(docs: Sequence[list[str]], labels: Sequence[int]) -> list[float]:
    """Return each phrasing's probability from a model that did not see it."""
    from sklearn.model_selection import StratifiedKFold

    probabilities = [0.0] * len(docs)
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for train, test in folds.split(list(range(len(docs))), labels):
        vectorizers, model = _fit([docs[i] for i in train], [labels[i] for i in train])
        for index, p in zip(
            test, _probabilities(vectorizers, model, [docs[i] for i in test]), strict=True
        ):
            probabilities[index] = p
    return probabilities


def choose_threshold(
    probabilities: Sequence[float], levels: Sequence[str], rule_levels: Sequence[str]
) -> tuple[float, dict[str, float]]:
    """Pick the lowest threshold that asks about few of the calm messages the rules leave calm."""
    calm = [p for p, gold, rule in zip(probabilities, levels, rule_levels, strict=True)
            if gold == "none" and rule == "none"]  # fmt: skip
    missed = [p for p, gold, rule in zip(probabilities, levels, rule_levels, strict=True)
              if gold == "urgent" and rule not in ("urgent", "check")]  # fmt: skip
    for step in range(20, 100):
        threshold = step / 100
        asked = sum(p >= threshold for p in calm)
        if asked <= MAX_CALM_ASKED * len(calm):
            caught = sum(p >= threshold for p in missed)
            return threshold, {
                "calm_left_calm": len(calm),
                "calm_asked": asked,
                "urgent_missed_by_rules": len(missed),
                "urgent_rescued": caught,
            }
    return 1.0, {"calm_left_calm": len(calm), "calm_asked": 0}


def export(
    vectorizers: list[Any], model: Any, threshold: float, figures: dict[str, float]
) -> dict[str, Any]:
    """Write the model as plain numbers: per block, each n-gram's idf and weight."""
    coefficients = model.coef_[0]
    blocks, offset = [], 0
    for vectorizer, (analyzer, sizes) in zip(
        vectorizers, (("word", WORDS), ("char_wb", CHARS)), strict=True
    ):
        vocabulary = vectorizer.vocabulary_
        idf = {gram: round(float(vectorizer.idf_[i]), 6) for gram, i in vocabulary.items()}
        weight = {
            gram: round(float(coefficients[offset + i]), 6)
            for gram, i in vocabulary.items()
            if abs(coefficients[offset + i]) >= 1e-6
        }
        blocks.append(
            {"analyzer": analyzer, "ngram_range": list(sizes), "idf": idf, "weight": weight}
        )
        offset += len(vocabulary)
    return {
        "about": "BackCare's learned second opinion: python -m guidance.reading.triage.train",
        "intercept": round(float(model.intercept_[0]), 6),
        "threshold": threshold,
        "figures": figures,
        "blocks": blocks,
    }


def train() -> tuple[dict[str, Any], dict[str, float], list[float], list[list[str]]]:
    """Train on the dev set; return the model, its cross-validated figures, and the docs."""
    from guidance.reading.triage import Triage
    from guidance.reading.triage.learned import SecondOpinion

    texts, labels, levels = load()
    corrector = Corrector()
    docs = [_words(corrector, text) for text in texts]
    rules = Triage(second_opinion=SecondOpinion())
    rule_levels = [rules.check(text, rules_only=True).level.value for text in texts]
    probabilities = cross_validated(docs, labels)
    threshold, figures = choose_threshold(probabilities, levels, rule_levels)
    vectorizers, model = _fit(docs, labels)
    exported = export(vectorizers, model, threshold, {"threshold": threshold, **figures})
    fitted = _probabilities(vectorizers, model, docs)
    return exported, {"threshold": threshold, **figures}, fitted, docs


def reproduces(shipped: dict[str, Any], fresh: dict[str, Any]) -> bool:
    """Tell whether a fresh training gives the shipped model: its threshold, its
    cross-validated figures, and (within rounding) its intercept."""
    return bool(
        shipped["threshold"] == fresh["threshold"]
        and shipped["figures"] == fresh["figures"]
        and math.isclose(shipped["intercept"], fresh["intercept"], abs_tol=1e-4)
    )


def main() -> None:
    """Train, print the figures, and write (or check) the model file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped model")
    args = parser.parse_args()
    exported, figures, _, _ = train()
    print(json.dumps(figures))  # noqa: T201
    if args.check:
        same = reproduces(json.loads(MODEL.read_text(encoding="utf-8")), exported)
        print("the shipped model is reproduced" if same else "the shipped model differs")  # noqa: T201
        sys.exit(0 if same else 1)
    MODEL.write_text(json.dumps(exported, separators=(",", ":"), sort_keys=True), "utf-8")
    print(f"wrote {MODEL} ({MODEL.stat().st_size // 1024} KiB)")  # noqa: T201


if __name__ == "__main__":
    main()
