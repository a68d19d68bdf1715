"""The learned second opinion: retraining gives the shipped model, and reading it back
without scikit-learn gives scikit-learn's own probabilities."""

from __future__ import annotations

import json

import pytest

from guidance.reading.triage.learned import MODEL, SecondOpinion
from guidance.reading.triage.train import reproduces, train


@pytest.fixture(scope="module")
def trained() -> tuple[dict[str, object], list[float], list[list[str]]]:
    exported, _, fitted, docs = train()
    return exported, fitted, docs


def test_retraining_reproduces_the_shipped_model_and_its_figures(
    trained: tuple[dict[str, object], list[float], list[list[str]]],
) -> None:
    exported, _, _ = trained
    shipped = json.loads(MODEL.read_text(encoding="utf-8"))
    assert reproduces(shipped, exported), (shipped["figures"], exported["figures"])


def test_the_shipped_model_reads_back_as_scikit_learn_scores_it(
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
