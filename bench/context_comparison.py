"""Compare medspaCy's ConText with BackCare's own context rules on the warning-sign sets.

Both read the same targets (BackCare's sign patterns over the same corrected words); only
the context step differs: medspaCy's ConText with its default rules (negation, history,
hypotheticals, family) against `guidance.triage`'s scoped rules. Also timed: loading each,
and the memory medspaCy adds to a process. medspaCy is not one of the bot's dependencies,
so this runs in a virtual environment of its own:

    python3 -m venv .venv-medspacy
    .venv-medspacy/bin/pip install -e . medspacy
    .venv-medspacy/bin/python -m bench.context_comparison
"""

from __future__ import annotations

import resource
import time
import tomllib
from pathlib import Path
from typing import Any

from guidance import Guide, Level
from guidance.triage import SIGNS, Sign, _tokens

SETS = Path(__file__).resolve().parents[1] / "tests" / "guidance"
FILES = ("warning_signs.toml", "warning_signs_holdout.toml", "warning_signs_batch3.toml")


def _phrasings() -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    for name in FILES:
        with (SETS / name).open("rb") as file:
            found += tomllib.load(file)["phrasing"]
    return found


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class MedspacyContext:
    """BackCare's targets, with medspaCy's ConText deciding their context."""

    def __init__(self, guide: Guide) -> None:
        import medspacy
        from loguru import logger

        logger.disable("PyRuSH")  # it logs every sentence it splits
        self._guide = guide
        self._nlp = medspacy.load(medspacy_enable=["medspacy_pyrush", "medspacy_context"])

    def level(self, message: str) -> Level:
        """Return the level medspaCy's ConText leaves for BackCare's targets in a message."""
        triage = self._guide._triage
        tokens = [triage.correct(token) for token in _tokens(message)]
        text = " ".join(tokens)
        doc = self._nlp.make_doc(text)
        spans: list[tuple[Any, Sign]] = []
        for sign in SIGNS:
            for pattern in sign.patterns:
                for match in pattern.finditer(text):
                    begin, end = match.span("k") if "k" in pattern.groupindex else match.span()
                    span = doc.char_span(begin, end, label=sign.key, alignment_mode="expand")
                    if span is not None:
                        spans.append((span, sign))
        from spacy.util import filter_spans

        doc.ents = filter_spans([span for span, _ in spans])
        for _, component in self._nlp.pipeline:
            doc = component(doc)
        levels = [Level.NONE]
        for entity in doc.ents:
            sign = next(sign for sign in SIGNS if sign.key == entity.label_)
            if not (
                entity._.is_negated
                or entity._.is_historical
                or entity._.is_hypothetical
                or entity._.is_family
            ):
                levels.append(sign.level)
        return max(levels, key=lambda level: level.rank)


def _score(name: str, level_of: Any, phrasings: list[dict[str, str]]) -> None:
    urgent = [item for item in phrasings if item["level"] == "urgent"]
    doctor = [item for item in phrasings if item["level"] == "doctor"]
    calm = [item for item in phrasings if item["level"] == "none"]
    caught = sum(level_of(item["text"]) is Level.URGENT for item in urgent)
    seen = sum(level_of(item["text"]) is not Level.NONE for item in doctor)
    alarms = sum(level_of(item["text"]) is not Level.NONE for item in calm)
    correct = caught + seen + len(calm) - alarms
    print(
        f"{name:>22}: urgent {caught}/{len(urgent)}, doctor {seen}/{len(doctor)}, "
        f"false alarms {alarms}/{len(calm)}, overall {correct / len(phrasings):.1%}"
    )


def main() -> None:
    """Print accuracy, load time and memory for both context steps."""
    phrasings = _phrasings()
    before = _rss_mb()
    started = time.perf_counter()
    guide = Guide.load()
    ours_load = time.perf_counter() - started
    ours_rss = _rss_mb() - before
    started = time.perf_counter()
    medspacy_context = MedspacyContext(guide)
    medspacy_load = time.perf_counter() - started
    medspacy_rss = _rss_mb() - before - ours_rss
    print(f"{len(phrasings)} phrasings from {', '.join(FILES)}")
    _score("BackCare's rules", lambda text: guide.triage(text).level, phrasings)
    _score("medspaCy ConText", medspacy_context.level, phrasings)
    print(
        f"load: BackCare's guide {ours_load:.2f} s (+{ours_rss:.0f} MB peak RSS); "
        f"medspaCy {medspacy_load:.2f} s (+{medspacy_rss:.0f} MB peak RSS)"
    )


if __name__ == "__main__":
    main()
