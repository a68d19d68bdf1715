"""Every string a person sees is in the catalog: marked in bot/wording, found by Babel's
extraction (as `make messages` runs it), and nowhere else (docs/architecture/wording.md).

What counts as a string a person sees: a literal with a letter and a space in it, or, in
bot/wording, any literal that reads as a word to show (a label such as "Skip"). The few
that are not are listed below, each with why.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot import i18n
from tests.support.paths import ROOT

WORDING = ROOT / "bot" / "wording"
POT = WORDING / "locale" / "messages.pot"
GETTEXT = frozenset({"_", "ngettext", "N_"})
# Babel's mapping, as babel.cfg gives it.
METHODS = [("**.py", "python")]

# In bot/wording, literals a person never reads as they are: what a choice button types
# for you goes through the same parser as typed text (and reads English, as typed input
# does); strftime patterns name day and month through `dated`.
NOT_SAID_IN_WORDING: dict[str, set[str]] = {
    "*": {"UTC"},  # the time zone's own name, when none is set
    "asking.py": {
        "09:00-17:00 mon-fri",
        "09:00-17:00 mon-sun",
        "sun 18:00",
        "sun 20:00",
        "fri 17:00",
        "sat 10:00",
        "mon 08:00",
        "mon 18:00",
    },
}
STRFTIME = re.compile(r"^(?:%[a-zA-Z]|[ \n:/-])+$")
# Modules of jobs/ and guidance/ whose literals with words are not said to anyone, or not
# yet in bot/wording; each says why. Any other module with such a literal fails the test.
NOT_SAID_ELSEWHERE = {
    "guidance/reading": "what people type is read in English: these are the reader's words "
    "and patterns, not what it says (a second language to read is a reader, not a catalog)",
    "guidance/knowledge/retrieval.py": "words the search ignores or expands, for reading",
    "guidance/knowledge/knowledge_base.py": "the knowledge loader's errors, for whoever edits "
    "the entries",
    "guidance/exercises.py": "the knowledge entries' own headings, read to find the steps",
    "guidance/pictures": "the picture tool's command line",
    "guidance/cli.py": "the offline question tool's command line",
    "jobs/delivery": "the outbox's diagnostics (logs, its error column) and its SQL",
}


def _python(root: Path) -> Iterator[Path]:
    yield from sorted(path for path in root.rglob("*.py") if "migrations" not in path.parts)


def _skipped_nodes(tree: ast.AST) -> set[int]:
    """Nodes whose strings are never said: documentation, errors raised, lookups, patterns,
    logs and command lines."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if _never_said(node):
            skipped.update(id(child) for child in ast.walk(node))
        elif isinstance(node, ast.match_case):
            skipped.update(id(child) for child in ast.walk(node.pattern))
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                if key is not None:
                    skipped.update(id(child) for child in ast.walk(key))
    return skipped


def _never_said(node: ast.AST) -> bool:
    """Tell whether nothing in a node is said to a person."""
    if isinstance(node, ast.Raise | ast.Compare | ast.Subscript | ast.Assert):
        return True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return True  # a docstring, or a string documenting what is above it
    if isinstance(node, ast.Assign):
        return any(isinstance(name, ast.Name) and name.id == "__all__" for name in node.targets)
    if isinstance(node, ast.keyword):
        return node.arg in _NOT_SAID_KEYWORDS
    return isinstance(node, ast.Call) and _call_name(node) in _NOT_SAID_CALLS


# Calls whose strings go to logs, the command line or the database's own language.
_NOT_SAID_CALLS = frozenset(
    {
        "debug",
        "info",
        "warning",
        "error",
        "exception",
        "critical",
        "add_argument",
        "add_parser",
        "ArgumentParser",
        "text",
        "compile",
        "search",
        "match",
        "fullmatch",
        "sub",
        "word_set",
        "removeprefix",  # a pattern in the knowledge entries' own text
        "startswith",
        "__init__",  # an exception's message
        "TypeVar",
        "ParamSpec",
        "cast",
    }
)
# Keyword arguments that are settings, not words (matplotlib's).
_NOT_SAID_KEYWORDS = frozenset({"textcoords"})
# The tables of day and month names (bot/wording/common.py): marked with N_, said by `_`.
_NAME_TABLES = ("SHORT_WEEKDAYS", "WEEKDAYS", "SHORT_MONTHS", "MONTHS")


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _gettext_calls(tree: ast.AST) -> Iterator[ast.Call]:
    """Yield the calls of `_`, `ngettext` and `N_` (by name: not a method of that name)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_gettext(node.func):
            yield node


def _is_gettext(func: ast.expr) -> bool:
    return isinstance(func, ast.Name) and func.id in GETTEXT


def _said_from_a_table(tree: ast.AST, argument: ast.expr | None) -> bool:
    """Tell whether `_` says a name from the N_-marked tables: `_(WEEKDAYS[day])`, or a
    name taken from one in a loop."""
    if argument is None:
        return False
    if any(table in ast.unparse(argument) for table in _NAME_TABLES):
        return True
    taken = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.comprehension)
        and any(table in ast.unparse(node.iter) for table in _NAME_TABLES)
        for target in ast.walk(node.target)
        if isinstance(target, ast.Name)
    }
    return isinstance(argument, ast.Name) and argument.id in taken


def _literals(path: Path) -> Iterator[tuple[int, str, bool]]:
    """Yield each string literal's line, value, and whether it sits in a gettext call,
    leaving out the strings that are never said."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _skipped_nodes(tree)
    marked: set[int] = set()
    for call in _gettext_calls(tree):
        marked.update(id(child) for child in ast.walk(call))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skipped
        ):
            yield node.lineno, node.value, id(node) in marked


def _reads_as_words(value: str) -> bool:
    """A literal with a letter and a space, or a word that starts with a capital or a
    symbol ("Skip", "▶️ Start"): said, unless a pattern."""
    if STRFTIME.match(value) or not re.search(r"[A-Za-z]{2}", value):
        return False
    if re.search(r"[A-Za-z]", value) and " " in value.strip():
        return True
    first = value.strip()[:1]
    return first.isupper() or not first.isascii()


def _extracted(*roots: Path) -> set[str]:
    """Every message Babel's extraction finds under these folders (a plural by its singular,
    as a template keys it)."""
    found: set[str] = set()
    for root in roots:
        for _filename, _line, message, _comments, _context in extract_from_dir(str(root), METHODS):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.fixture(scope="module")
def extracted() -> set[str]:
    return _extracted(ROOT / "bot", ROOT / "jobs", ROOT / "guidance")


def test_every_string_a_person_reads_in_the_wording_is_marked(extracted: set[str]) -> None:
    unmarked = []
    for path in _python(WORDING):
        allowed = NOT_SAID_IN_WORDING["*"] | NOT_SAID_IN_WORDING.get(path.name, set())
        for line, value, marked in _literals(path):
            if not marked and _reads_as_words(value) and value not in allowed:
                unmarked.append(f"{path.relative_to(ROOT)}:{line}: {value!r}")
    assert unmarked == [], "wrap these in _() (bot/i18n.py), or say why they are not said"


# The modules of bot/ that answer people: what they say comes from bot/wording. (The rest of
# bot/ speaks to whoever runs it: logs, the command line, health and metrics.)
ANSWERING = (
    "flows",
    "handlers.py",
    "commands.py",
    "render.py",
    "callbacks.py",
    "pending.py",
    "arguments.py",
    "gate.py",
    "burst.py",
    "countdown.py",
    "updates.py",
)


def test_the_bot_answers_in_the_wordings_words() -> None:
    found = []
    for name in ANSWERING:
        place = ROOT / "bot" / name
        for path in _python(place) if place.is_dir() else [place]:
            for line, value, _marked in _literals(path):
                if _reads_as_words(value) and not value.startswith("/"):
                    found.append(f"{path.relative_to(ROOT)}:{line}: {value!r}")
    assert found == [], "what the bot says belongs in bot/wording"


def test_babel_finds_every_marked_string(extracted: set[str]) -> None:
    # A message Babel cannot read (an f-string, a name) is never translated.
    missing = []
    for path in _python(ROOT / "bot"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _gettext_calls(tree):
            first = call.args[0] if call.args else None
            said = first.value if isinstance(first, ast.Constant) else None
            if _said_from_a_table(tree, first) or path.name == "i18n.py":
                continue
            if not isinstance(said, str) or said not in extracted:
                missing.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert missing == [], "a gettext call with no literal message Babel can extract"


def test_the_committed_template_holds_every_message(extracted: set[str]) -> None:
    with POT.open("rb") as file:
        template = read_po(file)
    kept = {message.id if isinstance(message.id, str) else message.id[0] for message in template}
    kept.discard("")
    assert extracted - kept == set(), "run make messages and commit the template"
    assert kept - extracted == set(), "the template holds messages no longer said"


def test_jobs_and_guidance_hold_no_words_of_their_own() -> None:
    found = []
    for root in (ROOT / "jobs", ROOT / "guidance"):
        for path in _python(root):
            where = path.relative_to(ROOT).as_posix()
            if any(
                where == known or where.startswith(known + "/") for known in NOT_SAID_ELSEWHERE
            ):
                continue
            for line, value, _marked in _literals(path):
                said = " " in value.strip() and re.search(r"[A-Za-z]{2}", value)
                if said and not value.startswith("/") and not STRFTIME.match(value):
                    found.append(f"{where}:{line}: {value!r}")
    assert found == [], "words people read belong in bot/wording (docs/architecture/wording.md)"


# Said in a made-up catalog: the water nudge's words turned round, and its first button.
SAID_IN_ANOTHER_LANGUAGE = """
import json
from pathlib import Path

from bot import i18n

i18n.LOCALE = Path({locale!r})
i18n.use("de")  # before the wording is imported, as the backcare command does

from jobs.composer.content import Water
from jobs.composer.nudge import ACTIONS, NudgeMessage
from storage.kinds import NudgeKind
from tests.support.factories import nudge_texts

texts = nudge_texts()
message = NudgeMessage(NudgeKind.WATER, Water(2, 8, 0), ACTIONS[NudgeKind.WATER])
print(json.dumps([texts.say(message), texts.buttons(message)[0], texts.water_tips[0]]))
"""


def test_a_language_is_a_catalog(tmp_path: Path, extracted: set[str]) -> None:
    # A second language needs no code: a compiled catalog, chosen at start-up, is all.
    water = (
        "💧 Time for a glass of water. {glasses} of {goal} glasses so far today ({left} to go)."
        "\n{tip}"
    )
    assert water in extracted
    catalog = Catalog(locale="de")
    catalog.add(water, "💧 Zeit für ein Glas Wasser: {glasses} von {goal}.\n{tip}")
    catalog.add("+1 glass", "+1 Glas")
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / f"{i18n.DOMAIN}.mo").open("wb") as file:
        write_mo(file, catalog)
    run = subprocess.run(
        [sys.executable, "-c", SAID_IN_ANOTHER_LANGUAGE.format(locale=str(tmp_path))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    said, button, tip = json.loads(run.stdout)
    assert said == f"💧 Zeit für ein Glas Wasser: 2 von 8.\n{tip}"  # the tip is guidance
    assert button == ["+1 Glas", "drink"]


def test_the_language_is_chosen_before_anything_is_said() -> None:
    # By now the wording has been imported (in English): another language is refused.
    assert i18n._Catalog.said
    i18n.use(i18n.SOURCE_LANGUAGE)  # the one in use: nothing to do
    with pytest.raises(RuntimeError, match="before the wording is imported"):
        i18n.use("de")
    assert i18n.has_catalog("en")
    assert not i18n.has_catalog("xx")
