"""Every number people see, and where it comes from.

`numbers.toml` is the table: each number with its unit ("15-20 minute", "2 hour") and either
the documents that give it or nothing (BackCare's own rule); `what` says what each is for. The test
reads every text people see (knowledge entries, the bot's wording, nudges, the care plan),
finds each number with a unit, and fails on one the table does not have, or on a table row
whose documents do not give that number.

    python -m tests.guidance.numbers             the numbers found, and where
    python -m tests.guidance.numbers --markdown  the table as docs/safety/numbers.md shows it
"""

from __future__ import annotations

import argparse
import ast
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.wording.answers import ANSWER_WORDS

ROOT = Path(__file__).parents[2]
TABLE = Path(__file__).with_name("numbers.toml")
SOURCES = ROOT.parent / "shared" / "guidance-sources"
# Modules whose strings people read.
WORDING = (
    *sorted((ROOT / "bot" / "wording").glob("*.py")),
    ROOT / "guidance" / "knowledge" / "guide.py",
)

_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "twelve": "12", "fifteen": "15", "twenty": "20",
    "thirty": "30", "a couple of": "2",
}  # fmt: skip
_UNITS = {
    "minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute",
    "hour": "hour", "hours": "hour", "h": "hour", "hrs": "hour",
    "day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
    "months": "month", "second": "second", "seconds": "second", "sec": "second",
    "times": "time", "time": "time", "glasses": "glass", "glass": "glass",
    "litre": "litre", "litres": "litre", "liter": "litre", "liters": "litre", "l": "litre",
    "ounce": "ounce", "ounces": "ounce", "oz": "ounce", "percent": "percent", "%": "percent",
    "out of 10": "out of 10", "/10": "out of 10",
}  # fmt: skip
_NUMBER = r"\d+(?:\.\d+)?|" + "|".join(sorted(_WORDS, key=len, reverse=True))
_PATTERN = re.compile(
    rf"(?<![\w/:])({_NUMBER})(?:\s*(?:-|–|to|or)\s*({_NUMBER}))?(?:\s*|-)"
    rf"({'|'.join(re.escape(unit) for unit in sorted(_UNITS, key=len, reverse=True))})"
    r"(?![\w])",
    re.IGNORECASE,
)
# A command with its example argument ("/pause 2h", "/flare acute 72h") is syntax, not advice.
_COMMAND = re.compile(r"/[a-z]+(?: [a-z]+)?(?: \d[\w.:-]*)+", re.IGNORECASE)


@dataclass(frozen=True)
class Row:
    number: str
    sources: tuple[str, ...]
    what: str
    quotes: dict[str, str]

    @property
    def origin(self) -> str:
        return ", ".join(self.sources) if self.sources else "BackCare's own rule"


def _value(text: str) -> str:
    return _WORDS.get(text.lower(), text)


def numbers_in(text: str) -> Iterator[str]:
    """Yield each number with a unit in a text, normalised: "15-20 minute", "2 hour"."""
    for match in _PATTERN.finditer(_COMMAND.sub(" ", text)):
        low, high, unit = match.groups()
        value = _value(low) if high is None else f"{_value(low)}-{_value(high)}"
        yield f"{value} {_UNITS[unit.lower()]}"


def table() -> dict[str, Row]:
    """Read numbers.toml."""
    with TABLE.open("rb") as file:
        rows = tomllib.load(file)["number"]
    return {
        row["number"]: Row(
            number=row["number"],
            sources=tuple(row.get("sources", ())),
            what=row.get("what", ""),
            quotes=row.get("quotes", {}),
        )
        for row in rows
    }


def not_in_documents(row: Row) -> list[str]:
    """Return the documents a row names that do not give its number (or its quote)."""
    missing = []
    for source in row.sources:
        (path,) = SOURCES.glob(f"{source}_*.txt")
        text = path.read_text(encoding="utf-8")
        quote = row.quotes.get(source)
        given = quote.lower() in text.lower() if quote else row.number in set(numbers_in(text))
        if not given:
            missing.append(source)
    return missing


def _strings(path: Path) -> Iterator[str]:
    """Yield the string constants of a module, f-strings' literal parts included."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def texts_people_see() -> Iterator[tuple[str, str]]:
    """Yield (where, text) for every text people see that can hold a number."""
    from datetime import UTC, datetime

    from bot.wording.flare import flare_plan
    from bot.wording.nudges import NudgeTexts
    from guidance import Guide
    from jobs.rules.flare import CarePlan

    guide = Guide.load(words=ANSWER_WORDS)
    for entry in guide.knowledge:
        for part in (entry.title, entry.body, entry.how, entry.dose, entry.nudge, *entry.tips):
            if part:
                yield f"guidance/knowledge/{entry.id}.md", part
    for path in WORDING:
        for text in _strings(path):
            yield str(path.relative_to(ROOT)), text
    texts = NudgeTexts(guide)
    yield "the first aid", texts.first_aid
    started = datetime(2026, 1, 5, 9, tzinfo=UTC)
    for plan in (CarePlan(started), CarePlan(started, alternate=True)):
        yield "the care plan", flare_plan(plan, zone="UTC", now=started).text


def found() -> dict[str, set[str]]:
    """Return each number people see, with where."""
    where: dict[str, set[str]] = defaultdict(set)
    for place, text in texts_people_see():
        for number in numbers_in(text):
            where[number].add(place)
    return where


def markdown() -> str:
    """The table as docs/safety/numbers.md shows it."""
    lines = ["| number | from | what it is for |", "|---|---|---|"]
    for row in table().values():
        lines.append(f"| {row.number} | {row.origin} | {row.what} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    if args.markdown:
        print(markdown())
        return
    for number, places in sorted(found().items()):
        print(f"{number:18} {', '.join(sorted(places))}")


if __name__ == "__main__":
    main()
