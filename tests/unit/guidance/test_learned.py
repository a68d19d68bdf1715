"""The learned second opinion: reading it back without scikit-learn gives scikit-learn's own
probabilities for the shipped weights, and retraining gives the shipped model (`make slow`:
five-fold cross-validation and a fit take longer than the rest of a unit test run)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from guidance.reading.triage.learned import MODEL, SecondOpinion, char_ngrams, word_ngrams
from guidance.reading.triage.train import load, reproduces, train
from guidance.reading.triage.words import Corrector, tokens

ANALYZERS = {"word": word_ngrams, "char_wb": char_ngrams}


def scikit_learn_scores(model: dict[str, Any], docs: list[list[str]]) -> list[float]:
    """Score docs with scikit-learn's own tf-idf and logistic regression, set to the shipped
    model's vocabulary, idf and weights (nothing fitted)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    matrices: list[Any] = []
    weights: list[float] = []
    for block in model["blocks"]:
        grams = sorted(block["idf"])
        sizes = tuple(block["ngram_range"])
        analyzer = ANALYZERS[block["analyzer"]]
        vectorizer = TfidfVectorizer(
            analyzer=lambda words, analyzer=analyzer, sizes=sizes: analyzer(words, sizes),
            sublinear_tf=True,
            vocabulary={gram: index for index, gram in enumerate(grams)},
        )
        vectorizer.idf_ = np.array([block["idf"][gram] for gram in grams])
        matrices.append(vectorizer.transform(docs))
        weights.extend(block["weight"].get(gram, 0.0) for gram in grams)
    regression = LogisticRegression()
    regression.coef_ = np.array([weights])
    regression.intercept_ = np.array([model["intercept"]])
    regression.classes_ = np.array([0, 1])
    return [float(p) for p in regression.predict_proba(hstack(matrices).tocsr())[:, 1]]


def test_the_shipped_model_reads_back_as_scikit_learn_scores_it() -> None:
    shipped = json.loads(MODEL.read_text(encoding="utf-8"))
    texts, _, _ = load()
    corrector = Corrector()
    docs = [corrector.correct_all(tokens(text)) for text in texts[::3]]  # a third of the dev set
    opinion = SecondOpinion.load()
    expected = scikit_learn_scores(shipped, docs)
    worst = max(abs(opinion.score(doc) - p) for doc, p in zip(docs, expected, strict=True))
    assert worst < 1e-6


@pytest.fixture(scope="module")
def trained() -> tuple[dict[str, object], list[float], list[list[str]]]:
    exported, _, fitted, docs = train()
    return exported, fitted, docs


@pytest.mark.slow
def test_retraining_reproduces_the_shipped_model_and_its_figures(
    trained: tuple[dict[str, object], list[float], list[list[str]]],
) -> None:
    exported, _, _ = trained
    shipped = json.loads(MODEL.read_text(encoding="utf-8"))
    assert reproduces(shipped, exported), (shipped["figures"], exported["figures"])


@pytest.mark.slow
def test_a_fresh_training_reads_back_as_scikit_learn_scores_it(
    trained: tuple[dict[str, object], list[float], list[list[str]]],
) -> None:
    _, fitted, docs = trained
    opinion = SecondOpinion.load()
    worst = max(abs(opinion.score(doc) - p) for doc, p in zip(docs, fitted, strict=True))
    assert worst < 1e-4


def test_without_a_model_the_opinion_never_raises_anything(tmp_path: object) -> None:
    empty = SecondOpinion.load(MODEL.with_name("no-such-model.json"))
    assert empty.score(["my", "legs", "are", "numb"]) == 0.0
    assert not empty.about_the_body({"limb": [(0, 1)]})
