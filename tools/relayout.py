"""Re-layout the code (issue 25 item 1): move and split modules, then rewrite every import.

Run once, from the repository root, on a clean tree: `python tools/relayout.py`. It

1. splits the modules listed in `SPLITS` into pieces by top-level name (a piece gets the
   original imports, which ruff then trims, and imports the names it uses from its
   siblings); a class can be split into mixins by method name (`ClassSplit`);
2. moves whole modules and data files with `git mv`, so that git follows the rename;
3. rewrites every `from a.b import name` in Python (libcst) to the module the name now
   lives in, `from a import module` to the module's new place, and `module.name` where a
   module object's names went to several pieces;
4. rewrites dotted module paths and file paths in strings, comments and docstrings, and in
   the docs, Makefile, Dockerfile and configuration files (one regex pass per text);
5. runs `ruff check --fix` (unused and unsorted imports only) and `ruff format`.

Nothing here changes behaviour: the statements are moved verbatim.
Why libcst and not rope: docs/decisions/relayout-tool.md.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import libcst as cst

ROOT = Path(__file__).resolve().parents[1]
PYTHON_ROOTS = ("bot", "jobs", "guidance", "storage", "tests", "bench", "tools")
TEXT_SUFFIXES = {".md", ".toml", ".yml", ".yaml", ".ini", ".cfg", ".sh", ".txt", ".mako"}
TEXT_NAMES = {"Makefile", "Dockerfile", "README.md"}
# Files other engineers are editing now: only their import statements change.
IMPORTS_ONLY = (
    "guidance/reading/triage/",
    "guidance/reading/replies.py",
    "guidance/reading/spoken.py",
    "guidance/pictures/",
    "jobs/rules/progress.py",
    "jobs/rules/report.py",
    "jobs/documents/",
    "bot/wording/progress.py",
)
NOT_TEXT = {"uv.lock", "guidance/reading/english_words.txt", "guidance/english_words.txt"}


# ---------------------------------------------------------------------------- the layout


@dataclass
class ClassSplit:
    """Methods of `name` that go to a mixin class in another piece."""

    name: str
    mixins: dict[str, tuple[str, str, list[str], list[str]]]
    # piece module -> (mixin class name, docstring, attribute declarations, method names)


@dataclass
class Split:
    """One module cut into pieces by top-level name; the rest goes to `default`."""

    source: str
    default: str
    pieces: dict[str, list[str]]
    docstrings: dict[str, str]
    # What a bare mention of the old module means in text (the package, or the main piece).
    text_target: str | None = None
    # Statements copied into every piece that uses the name they define (loggers).
    copied: tuple[str, ...] = ("log",)
    classes: list[ClassSplit] = field(default_factory=list)
    package_docstring: str | None = None


SPLITS: list[Split] = [
    Split(
        source="bot.flows",
        default="bot.flows.conversation",
        text_target="bot.flows",
        package_docstring=(
            "What the bot does for each thing a person sends, as plain functions returning a"
            " `Reply`.\n\nThe handlers (`bot.handlers`, `bot.commands`) read the update, call one"
            " flow inside one transaction, and render its reply (`bot.render`)."
        ),
        pieces={
            "bot.flows.reply": [
                "StaleButton",
                "Stranger",
                "Arrival",
                "Shown",
                "Document",
                "Reply",
                "NudgeEdit",
                "Visit",
            ],
            "bot.flows.onboarding": [
                "_STEPS",
                "onboarding_screen",
                "_set_up_first",
                "_advance",
                "_first_nudge",
                "_work_fits",
                "_after_change",
                "start",
            ],
            "bot.flows.settings": [
                "_MENU_OF_COMMAND",
                "settings_menu",
                "command_menu",
                "command",
                "change_setting",
                "_noting_a_quiet_stretch",
                "press",
                "apply_command",
            ],
            "bot.flows.nudges": [
                "nudge_pressed",
                "press_for_words",
                "_WORDS_FOR",
                "_action_for",
                "_without_buttons",
            ],
            "bot.flows.signs": [
                "situation_of",
                "ask_signs_if_due",
                "ask_signs",
                "flare_signs",
                "signs_yes",
                "after_urgent",
                "been_seen",
                "record_warning",
            ],
            "bot.flows.questions": ["ask"],
            "bot.flows.care": [
                "start_flare",
                "start_flare_with_pain",
                "flare",
                "better",
                "start_session",
                "pain",
                "drank",
                "cancel",
            ],
            "bot.flows.records": ["today", "progress", "report", "export", "forget"],
        },
        docstrings={
            "bot.flows.reply": "What a flow returns: the `Reply`, what it shows, and who asked.",
            "bot.flows.onboarding": "The first steps: zone, hours, and the first nudge.",
            "bot.flows.settings": "The settings menus, the settings commands, and their buttons.",
            "bot.flows.nudges": "The buttons under a nudge, and the words that press them.",
            "bot.flows.signs": "The warning-sign questions, and what follows getting help.",
            "bot.flows.questions": "A question for the guide, answered from the knowledge base.",
            "bot.flows.care": "Flares, sessions, pain scores, and glasses of water.",
            "bot.flows.records": "What a person has done: today, progress, the report, export.",
        },
    ),
    Split(
        source="jobs.services.progress",
        default="jobs.services.progress",
        pieces={
            "jobs.services.export": ["export", "_upcoming_about"],
            "jobs.services.export_words": [
                "MOMENT_COLUMNS",
                "_moment_meanings",
                "_moment",
                "_when",
                "_yes",
                "_glasses",
                "NUDGE_NAMES",
                "TREATMENT_NAMES",
                "STATUS_NAMES",
                "LEVEL_NAMES",
                "BUTTON_MEANINGS",
                "_button",
                "_message_words",
                "_answered",
                "_settings",
                "_WEEKDAY_NAMES",
            ],
        },
        docstrings={
            "jobs.services.export": "The export: everything kept about a person, in words.",
            "jobs.services.export_words": (
                "The export's words: the names of nudges, treatments and answers, and a"
                " person's settings as sentences."
            ),
        },
    ),
    Split(
        source="bot.handlers",
        default="bot.handlers",
        pieces={
            "bot.render": [
                "MAX_MESSAGE_LENGTH",
                "MAX_ALERT_LENGTH",
                "NotForThisHandler",
                "_text",
                "_send",
                "_edit",
                "_other_parts",
                "_show",
                "_show_fewer_buttons",
            ],
            "bot.commands": [
                "FlowArgs",
                "_user",
                "_run",
                "read_first",
                "answer_warning",
                "cmd_start",
                "cmd_settings",
                "cmd_setting",
                "cmd_resume",
                "cmd_drank",
                "cmd_today",
                "cmd_progress",
                "cmd_report",
                "cmd_export",
                "cmd_help",
                "cmd_cancel",
                "commands",
                "cmd_flare",
                "cmd_better",
                "cmd_session",
                "cmd_pain",
                "cmd_forget",
            ],
        },
        docstrings={
            "bot.render": "Render a flow's `Reply` to Telegram: send, edit, or answer a press.",
            "bot.commands": "The command handlers: each runs one flow in one transaction.",
        },
    ),
    Split(
        source="bot.app",
        default="bot.app",
        pieces={
            "bot.wording.menu": ["MENU", "MENU_SIZE", "menu", "DESCRIPTION", "SHORT_DESCRIPTION"],
            "bot.startup": [
                "MIGRATION_SECONDS",
                "TELEGRAM_CHECK_SECONDS",
                "StartupError",
                "_wait_for_database",
                "_start_ops",
                "_warm_plain_words",
                "_describe_bot",
            ],
            "bot.background": [
                "EXIT_STALLED",
                "SHUTDOWN_SECONDS",
                "LEASE_RETRY_SECONDS",
                "TAKEOVER_QUIET_SECONDS",
                "_prune",
                "_check_store",
                "_tick",
                "_may_send",
                "stop_within_bounds",
                "_loop_running",
                "_watchdog",
                "_still_polling",
                "_stop_deaf",
                "_stop_polling_then_run",
            ],
        },
        docstrings={
            "bot.wording.menu": "The command menu and the bot's description, as Telegram shows them.",  # noqa: E501
            "bot.startup": "Start-up: wait for the database, start the ops server, describe the bot.",  # noqa: E501
            "bot.background": (
                "The bot's repeating jobs (the outbox tick, pruning, the store check, the"
                " watchdog) and stopping within bounds."
            ),
        },
    ),
    Split(
        source="jobs.delivery.outbox",
        default="jobs.delivery.outbox",
        pieces={
            "jobs.delivery.contracts": [
                "PER_CHAT_GAP",
                "OutboxSettings",
                "TickReport",
                "Outcome",
                "_Job",
                "Claimed",
                "Outgoing",
                "Planned",
                "Lease",
                "Planner",
                "OutboxObserver",
                "Unobserved",
            ],
            "jobs.delivery.claims": ["_SCHEDULE", "_DELIVERIES", "_MOVE", "_move"],
            "jobs.delivery.records": ["_RECORD"],
        },
        classes=[
            ClassSplit(
                name="Outbox",
                mixins={
                    "jobs.delivery.claims": (
                        "OutboxClaims",
                        "The outbox's claims: due rows and leftovers, in one transaction each.",
                        [
                            "sessionmaker: async_sessionmaker[AsyncSession]",
                            "lease: Lease | None",
                            "planner: Planner",
                            "settings: OutboxSettings",
                            "budget: SendBudget",
                            "clock: Clock",
                            "_in_hand: dict[int, list[_Job]]",
                        ],
                        [
                            "_hold",
                            "_claim",
                            "_claim_leftovers",
                            "_settled_as_ambiguous",
                            "_claim_due",
                            "_lock_due",
                        ],
                    ),
                    "jobs.delivery.records": (
                        "OutboxRecords",
                        "The outbox's records: the answers of a group of sends, and retries.",
                        [
                            "sessionmaker: async_sessionmaker[AsyncSession]",
                            "lease: Lease | None",
                            "planner: Planner",
                            "settings: OutboxSettings",
                            "budget: SendBudget",
                            "clock: Clock",
                            "observer: OutboxObserver",
                            "_unrecorded: list[tuple[list[dict[str, object]], set[int]]]",
                        ],
                        [
                            "_record",
                            "_record_answers",
                            "_write_records",
                            "_write_unrecorded",
                            "_mark_attempted",
                            "_again",
                            "_backoff",
                        ],
                    ),
                },
            )
        ],
        docstrings={
            "jobs.delivery.contracts": (
                "What the outbox works with: its settings, its report, and the planner,"
                " lease and observer it is given."
            ),
            "jobs.delivery.claims": "Claim due rows and leftovers for the outbox (a mixin).",
            "jobs.delivery.records": "Record the answers of the outbox's sends (a mixin).",
        },
    ),
    Split(
        source="jobs.pure.composer",
        default="jobs.composer.core",
        text_target="jobs.composer.core",
        package_docstring="The composer: what to send to one person now, as pure functions.",
        pieces={
            "jobs.composer.decisions": [
                "MERGE_WINDOW",
                "SLOWER_GAP",
                "SLOWER_OFFERS",
                "SLOWS_DOWN",
                "MOVING",
                "PRIORITY",
                "ALONE",
                "ALONE_WAIT",
                "RunningSession",
                "Due",
                "Verdict",
                "Decision",
                "order",
                "_after",
                "_held",
            ],
            "jobs.composer.budget": ["Budget", "_fits", "_at_most", "_still_to_come"],
            "jobs.composer.messages": [
                "_ignored_today",
                "_weekly_summary",
                "_week_phase",
                "_doctor_reason",
                "_summary",
                "_not_moving_until",
                "_message",
                "_session_alarm",
            ],
        },
        docstrings={
            "jobs.composer.decisions": "The composer's values: what is due, and what it decided.",
            "jobs.composer.budget": "The day's nudge budget: whether one more nudge fits.",
            "jobs.composer.messages": "The composer's messages: summaries, alarms, and why.",
        },
    ),
    Split(
        source="jobs.pure.nudges",
        default="jobs.composer.nudge",
        text_target="jobs.composer.nudge",
        pieces={"jobs.composer.texts": ["GET_CHECKED", "NudgeTexts", "went_well"]},
        docstrings={
            "jobs.composer.texts": (
                "The nudges' texts, in one place (until the wording is rendered at the edge)."
            ),
        },
    ),
    Split(
        source="jobs.services.schedule",
        default="jobs.services.schedule",
        pieces={
            "jobs.services.facts": [
                "recent_events",
                "Sent",
                "recent_sends",
                "waiting_nudge",
                "waiting_nudges",
                "care_facts",
                "session_of",
                "plan_of",
                "load_facts",
                "facts_of",
            ]
        },
        docstrings={
            "jobs.services.facts": "What is known of a person's care: recent events and sends.",
        },
    ),
    Split(
        source="jobs.services.profile",
        default="jobs.services.profile",
        pieces={
            "jobs.rules.changes": [
                "MAX_PAUSE",
                "SetZone",
                "SetWaking",
                "SetWork",
                "SetEnabled",
                "SetWaterGoal",
                "SetWaterGlass",
                "SetWaterUnit",
                "SetPostureEvery",
                "SetStretchTime",
                "SetSummary",
                "Pause",
                "PauseUntilDay",
                "Resume",
                "Change",
            ],
            "jobs.rules.fields": [
                "_OUNCES",
                "_UNITS",
                "_parse_unit",
                "_parse_ml",
                "_parse_work",
                "PAUSE_EXAMPLE",
                "_ANY_DAY",
                "UTC_ZONE",
                "_DURATION_WORDS",
                "_parse_pause",
                "_LENGTH_ONLY",
                "_typed_length",
                "_pause_length",
                "_spoken",
                "_parse_summary",
                "_FULL_DAYS",
                "Field",
                "FIELDS",
                "parse_field",
            ],
        },
        docstrings={
            "jobs.rules.changes": "A change to a person's settings, as one value per setting.",
            "jobs.rules.fields": "Read a typed setting (`/setting tz Berlin`) into a change.",
        },
    ),
    Split(
        source="jobs.pure.time_input",
        default="guidance.reading.times",
        text_target="guidance.reading.times",
        pieces={"jobs.rules.fields": ["parse_window", "parse_work_days"]},
        docstrings={},
    ),
    Split(
        source="jobs.pure.zones",
        default="guidance.reading.zones.match",
        text_target="guidance.reading.zones.match",
        package_docstring="Read a time zone from what a person types: names, places, offsets.",
        pieces={
            "guidance.reading.zones.names": [
                "ZONE_EXAMPLE",
                "COMMON_ZONES",
                "_NEW_YORK",
                "_CENTRAL_EUROPE",
                "_EASTERN_EUROPE",
                "_ABBREVIATIONS",
                "_ZONE_WORDS",
                "_TRAILING_WORDS",
                "_PLACES",
                "_SINGLE_WORD_ZONES",
                "_SEVERAL_ZONES",
                "_PART_HOUR_ZONES",
                "_OFFSET",
                "_FIXED",
                "_LEGACY_AREAS",
                "_LEGACY_AUSTRALIA",
                "_FUZZY_MIN_LETTERS",
                "_FUZZY_SCORE",
                "_WORDS_NOT_PLACES",
            ]
        },
        docstrings={
            "guidance.reading.zones.names": "The names people type for zones: the tables.",
        },
    ),
    Split(
        source="guidance.reading.intents",
        default="guidance.reading.intents.reader",
        text_target="guidance.reading.intents",
        package_docstring="Read what a typed message asks for: an act or a bit of chat.",
        pieces={
            "guidance.reading.intents.patterns": [
                "_pattern",
                "_DISTRESS_ALONE",
                "_SPASM",
                "_PAIN_NOW",
                "_URGE",
                "_QUESTION_START",
                "_REQUEST",
                "_STOP",
                "_PAUSE",
                "_RESUME",
                "_BUSY",
                "_SNOOZE",
                "_SKIP",
                "_DONE",
                "_BREAK",
                "_HURT",
                "_BREAK_TAKEN",
                "_TODAY",
                "_PROGRESS",
                "_HELP",
                "_SETTINGS",
                "_THANKS",
                "_HELLO",
                "_OK",
                "_WATER_AMOUNT",
                "_WATER_ALONE",
                "_WORDS",
                "_PAIN_WORDS",
                "_CARE_TOPIC",
                "_ASKING",
            ]
        },
        docstrings={
            "guidance.reading.intents.patterns": "The patterns the intent reader matches.",
        },
    ),
]

# Whole modules, moved with `git mv` (git follows the rename).
MOVES: dict[str, str] = {
    "bot.http": "bot.telegram_io.http",
    "bot.sender": "bot.telegram_io.sender",
    "bot.webhook": "bot.telegram_io.webhook",
    "bot.polling": "bot.telegram_io.polling",
    "bot.ops": "bot.ops.server",
    "bot.metrics": "bot.ops.metrics",
    "bot.logs": "bot.ops.logs",
    "jobs.pure.input_wording": "guidance.reading.input_wording",
    "jobs.gazetteer": "guidance.reading.zones.gazetteer",
    "guidance.language": "guidance.reading.language",
    "guidance.synonyms": "guidance.reading.synonyms",
    "guidance.foreign": "guidance.reading.foreign",
    "guidance.english_words": "guidance.reading.english_words",
    "guidance.knowledge_base": "guidance.knowledge.knowledge_base",
    "guidance.retrieval": "guidance.knowledge.retrieval",
    "guidance.guide": "guidance.knowledge.guide",
    "jobs.pure.person": "jobs.rules.person",
    "jobs.pure.windows": "jobs.rules.windows",
    "jobs.pure.rules": "jobs.rules.rules",
    "jobs.pure.planning": "jobs.rules.planning",
    "jobs.pure.flare": "jobs.rules.flare",
    "jobs.pure.progress": "jobs.rules.progress",
    "jobs.pure.report": "jobs.rules.report",
    "jobs.services.nudging": "jobs.services.planner",
    "tests.botapi_stub": "tests.support.botapi_stub",
    "tests.factories": "tests.support.factories",
    "tests.databases": "tests.support.databases",
    "tests.forwarder": "tests.support.forwarder",
    "tests.e2e.driven": "tests.support.driven",
    "bench.fast_botapi": "tests.support.fast_botapi",
}
# Packages that stop existing (every module in them moved).
GONE_PACKAGES = ["jobs/pure"]
# New packages: their __init__ docstring.
NEW_PACKAGES: dict[str, str] = {
    "bot/telegram_io": "Talking to Telegram: the HTTP client, the sender, polling and the webhook.",  # noqa: E501
    "bot/ops": "Operating the bot: the health and metrics server, the metrics, the logs.",
    "jobs/rules": "The pure rules: a person's settings, windows, plans, flares and progress.",
    "guidance/knowledge": "The knowledge: the entries, their index, and the guide that answers.",
    "tests/support": "What the tests and the bench share: the Bot API fake, factories, databases.",
}
# Data files moved with their readers (the readers' paths are fixed by hand after the run).
DATA_MOVES: dict[str, str] = {
    "jobs/cities.tsv.gz": "guidance/reading/zones/cities.tsv.gz",
    "guidance/english_words.txt": "guidance/reading/english_words.txt",
}
# The knowledge entries (guidance/knowledge/*.md and sources.toml) stay where they are: the
# Python modules join them, and triage reads sources.toml from there.


# ---------------------------------------------------------------------------- helpers


def path_of(module: str, *, package: bool = False) -> Path:
    """The file of a module (its `__init__.py` when it is a package)."""
    base = ROOT.joinpath(*module.split("."))
    return base / "__init__.py" if package else base.with_suffix(".py")


def git(*args: str) -> None:
    """Run git in the repository, failing loudly."""
    subprocess.run(["git", *args], cwd=ROOT, check=True)


def ensure_package(directory: Path, docstring: str | None = None) -> None:
    """Make `directory` a package, with a one-line docstring."""
    directory.mkdir(parents=True, exist_ok=True)
    init = directory / "__init__.py"
    if not init.exists():
        relative = str(directory.relative_to(ROOT))
        text = docstring or NEW_PACKAGES.get(relative) or f"The {directory.name} package."
        init.write_text(docstring_of(text))
        git("add", str(init))
    if directory.parent != ROOT:
        ensure_package(directory.parent)


def docstring_of(text: str) -> str:
    """A module docstring, wrapped to the line length."""
    paragraphs = [textwrap.fill(p, width=95) for p in text.split("\n\n")]
    body = "\n\n".join(paragraphs)
    return f'"""{body}\n"""\n' if "\n" in body else f'"""{body}"""\n'


def defined_names(statement: cst.CSTNode) -> list[str]:
    """The top-level names a statement binds."""
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return [statement.name.value]
    names: list[str] = []
    if isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            targets: list[cst.BaseExpression] = []
            if isinstance(small, cst.Assign):
                targets = [t.target for t in small.targets]
            elif isinstance(small, cst.AnnAssign):
                targets = [small.target]
            for target in targets:
                if isinstance(target, cst.Name):
                    names.append(target.value)
                elif isinstance(target, cst.Tuple):
                    names += [
                        e.value.value for e in target.elements if isinstance(e.value, cst.Name)
                    ]
    return names


def augmented_name(statement: cst.CSTNode) -> str | None:
    """The name a top-level `name op= value` changes, if the statement is one."""
    if isinstance(statement, cst.SimpleStatementLine):
        small = statement.body[0]
        if isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name):
            return small.target.value
    return None


def is_import(statement: cst.CSTNode) -> bool:
    """Tell whether a top-level statement only imports (or is a TYPE_CHECKING block)."""
    if isinstance(statement, cst.SimpleStatementLine):
        return all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body)
    if isinstance(statement, cst.If):
        test = statement.test
        return isinstance(test, cst.Name) and test.value == "TYPE_CHECKING"
    return False


def is_future(statement: cst.CSTNode) -> bool:
    """Tell whether a statement is `from __future__ import ...`."""
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.ImportFrom)
        and isinstance(statement.body[0].module, cst.Name)
        and statement.body[0].module.value == "__future__"
    )


def all_names(code: str) -> set[str]:
    """Every name a file binds or reads (variables, arguments, imports, definitions)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.split(".")[0])
    return names


def used_names(code: str) -> set[str]:
    """The names a piece of code reads."""
    tree = ast.parse(code)
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


# ---------------------------------------------------------------------------- 1. splits

# (old module, name) -> new module, for every name that moved out of a split module.
SYMBOLS: dict[tuple[str, str], str] = {}


def split_module(split: Split) -> None:
    """Write the pieces of one split module, and remove or rewrite the original."""
    source = path_of(split.source)
    module = cst.parse_module(source.read_text())
    body = list(module.body)
    docstring = None
    if (
        body
        and isinstance(body[0], cst.SimpleStatementLine)
        and isinstance(body[0].body[0], cst.Expr)
    ):
        docstring, body = body[0], body[1:]
    header = [s for s in body if is_import(s)]
    rest = [s for s in body if not is_import(s)]

    owner: dict[str, str] = {}
    for piece, names in split.pieces.items():
        for name in names:
            owner[name] = piece
    assigned: dict[str, list[cst.CSTNode]] = {
        piece: [] for piece in [*split.pieces, split.default]
    }
    copied: dict[str, cst.CSTNode] = {}
    defined_in: dict[str, str] = {}
    for statement in rest:
        names = defined_names(statement)
        if names and names[0] in split.copied:
            copied[names[0]] = statement
            continue
        # `_UNITS |= {...}` goes with `_UNITS`.
        changed = augmented_name(statement)
        piece = owner.get((names or [changed or ""])[0], split.default)
        if not names and not changed:
            print(f"  {split.source}: a statement that binds no name goes to {piece}")
        assigned[piece].append(statement)
        for name in names:
            defined_in[name] = piece
    unknown = set(owner) - set(defined_in)
    if unknown:
        sys.exit(f"{split.source}: no such names: {sorted(unknown)}")

    # Classes split into mixins.
    for class_split in split.classes:
        home = defined_in[class_split.name]
        index = next(
            i
            for i, s in enumerate(assigned[home])
            if isinstance(s, cst.ClassDef) and s.name.value == class_split.name
        )
        klass = assigned[home][index]
        assert isinstance(klass, cst.ClassDef)
        kept = list(klass.body.body)
        bases = list(klass.bases)
        for piece, (mixin, doc, declarations, methods) in class_split.mixins.items():
            taken = [s for s in kept if isinstance(s, cst.FunctionDef) and s.name.value in methods]
            missing = set(methods) - {s.name.value for s in taken}  # type: ignore[attr-defined]
            if missing:
                sys.exit(f"{class_split.name}: no such methods: {sorted(missing)}")
            kept = [s for s in kept if s not in taken]
            mixin_body: list[cst.BaseStatement] = [
                cst.parse_statement(f'"""{doc}"""\n'),
                *(cst.parse_statement(d + "\n") for d in declarations),
            ]
            first, *others = taken
            first = first.with_changes(
                leading_lines=[cst.EmptyLine(), *first.leading_lines]  # type: ignore[union-attr]
            )
            mixin_body += [first, *others]  # type: ignore[list-item]
            mixin_class = cst.ClassDef(
                name=cst.Name(mixin),
                body=cst.IndentedBlock(body=mixin_body),
                leading_lines=[cst.EmptyLine(), cst.EmptyLine()],
            )
            assigned.setdefault(piece, []).append(mixin_class)
            defined_in[mixin] = piece
            bases.append(cst.Arg(cst.Name(mixin)))
        assigned[home][index] = klass.with_changes(
            body=klass.body.with_changes(body=kept),
            bases=[
                b.with_changes(comma=cst.MaybeSentinel.DEFAULT)
                if i == len(bases) - 1
                else b.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                for i, b in enumerate(bases)
            ],
            lpar=cst.LeftParen(),
            rpar=cst.RightParen(),
        )

    for name, piece in defined_in.items():
        if piece != split.source:
            SYMBOLS[(split.source, name)] = piece

    header_code = "".join(module.code_for_node(s) for s in header)
    source_stays = split.source in assigned and assigned[split.source]
    if not source_stays:
        git("rm", "-q", str(source.relative_to(ROOT)))
    for piece, statements in assigned.items():
        if not statements:
            continue
        code = "".join(module.code_for_node(s) for s in statements)
        names = used_names(code)
        own = set()
        for s in statements:
            own.update(defined_names(s))
        extra = ""
        for name in sorted(copied):
            if name in names:
                extra += module.code_for_node(copied[name])
        siblings: dict[str, list[str]] = {}
        for name in sorted(names - own):
            other = defined_in.get(name)
            if other and other != piece:
                siblings.setdefault(other, []).append(name)
        imports = "".join(
            f"from {other} import {', '.join(names_)}\n" for other, names_ in siblings.items()
        )
        if piece == split.source or (piece == split.default and docstring is not None):
            doc = module.code_for_node(docstring) if docstring is not None else ""
        else:
            doc = docstring_of(split.docstrings.get(piece, ""))
        text = f"{doc}\n{header_code}{imports}\n{extra}\n{code}"
        target = path_of(piece)
        if target.parent != path_of(split.source).parent or not target.parent.exists():
            package_doc = (
                split.package_docstring
                if target.parent == ROOT.joinpath(*split.source.split("."))
                or (split.package_docstring and not target.parent.exists())
                else None
            )
            ensure_package(target.parent, package_doc)
        if target.exists() and piece != split.source:
            # A piece joining a module written by an earlier split: its imports go after the
            # module's imports, its definitions at the end.
            existing = cst.parse_module(target.read_text())
            old_body = list(existing.body)
            last = max(i for i, s in enumerate(old_body) if is_import(s))
            later = "".join(module.code_for_node(s) for s in header if not is_future(s))
            new_imports = list(cst.parse_module(later + imports).body)
            new_code = list(cst.parse_module(extra + code).body)
            text = existing.with_changes(
                body=[*old_body[: last + 1], *new_imports, *old_body[last + 1 :], *new_code]
            ).code
        target.write_text(text)
        git("add", str(target.relative_to(ROOT)))


# ---------------------------------------------------------------------------- 2. moves


def move_modules() -> None:
    """Move whole modules and data files with git, so that git follows them."""
    for old, new in MOVES.items():
        target = path_of(new)
        ensure_package(target.parent)
        git("mv", str(path_of(old).relative_to(ROOT)), str(target.relative_to(ROOT)))
    for old, new in DATA_MOVES.items():
        (ROOT / new).parent.mkdir(parents=True, exist_ok=True)
        git("mv", old, new)
    for package in GONE_PACKAGES:
        init = ROOT / package / "__init__.py"
        if init.exists():
            git("rm", "-q", str(init.relative_to(ROOT)))


# ---------------------------------------------------------------------------- 3. imports


def spelled(alias: cst.ImportAlias) -> str:
    """An imported name as written, with its `as` part."""
    code = cst.Module(body=[]).code_for_node
    return code(alias.name) + (code(alias.asname) if alias.asname else "")


def resolve(module: str, name: str) -> str:
    """The module a name imported from `module` now lives in."""
    if (module, name) in SYMBOLS:
        return SYMBOLS[(module, name)]
    return MOVES.get(module, module)


SPLIT_SOURCES = {split.source: split for split in SPLITS}


class Imports(cst.CSTTransformer):
    """Rewrite imports to the modules their names now live in, and module paths in text."""

    def __init__(
        self, text: TextRewriter, here: str, taken: set[str], *, strings: bool = True
    ) -> None:
        super().__init__()
        self.taken = taken  # every name the file binds or reads: an alias must not clash
        self.text = text if strings else (lambda value: value)
        self.here = here  # this file's module: a name that moved into it is not imported
        # local name of a split module object -> {name -> local name of its new module}
        self.objects: dict[str, str] = {}
        self.needed: dict[str, tuple[str, str]] = {}  # local alias -> (parent, leaf)

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        if len(updated.body) != 1 or not isinstance(updated.body[0], cst.ImportFrom):
            return updated
        statement = updated.body[0]
        if statement.relative or statement.module is None:
            return updated
        if isinstance(statement.names, cst.ImportStar):
            return updated
        module = cst.helpers.get_full_name_for_node(statement.module)
        assert module is not None
        groups: dict[str, list[cst.ImportAlias]] = {}
        for alias in statement.names:
            name = cst.helpers.get_full_name_for_node(alias.name)
            assert name is not None
            local = alias.asname.name.value if alias.asname else name  # type: ignore[union-attr]
            full = f"{module}.{name}"
            if full in MOVES:  # `from package import module`
                parent, leaf = MOVES[full].rsplit(".", 1)
                new_alias = cst.ImportAlias(
                    name=cst.Name(leaf),
                    asname=None if leaf == local else cst.AsName(name=cst.Name(local)),
                )
                groups.setdefault(parent, []).append(new_alias)
            elif full in SPLIT_SOURCES:  # a split module's object: its names are re-pointed
                self.objects[local] = full
                split = SPLIT_SOURCES[full]
                if path_of(full).exists():
                    groups.setdefault(module, []).append(
                        alias.with_changes(comma=cst.MaybeSentinel.DEFAULT)
                    )
                del split
            else:
                target = resolve(module, name)
                if target == self.here and module != self.here and alias.asname is None:
                    continue  # it moved into this very module
                groups.setdefault(target, []).append(
                    alias.with_changes(comma=cst.MaybeSentinel.DEFAULT)
                )
        if list(groups) == [module] and len(groups[module]) == len(statement.names):
            return updated
        if len(groups) == 1:
            [(target, aliases)] = groups.items()
            if [spelled(a) for a in aliases] == [spelled(a) for a in statement.names]:
                # Only the module changed: keep the statement's parentheses and comments.
                moved = statement.with_changes(module=cst.parse_expression(target))
                return updated.with_changes(body=[moved])
        lines: list[cst.BaseStatement] = []
        for target, aliases in groups.items():
            aliases = [
                a.with_changes(comma=cst.MaybeSentinel.DEFAULT)
                if i == len(aliases) - 1
                else a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                for i, a in enumerate(aliases)
            ]
            node = cst.ImportFrom(module=cst.parse_expression(target), names=aliases)  # type: ignore[arg-type]
            lines.append(
                cst.SimpleStatementLine(
                    body=[node], leading_lines=updated.leading_lines if not lines else []
                )
            )
        if not lines:
            return cst.RemovalSentinel.REMOVE  # type: ignore[return-value]
        return cst.FlattenSentinel(lines)

    def leave_Attribute(
        self, original: cst.Attribute, updated: cst.Attribute
    ) -> cst.BaseExpression:
        value = updated.value
        if isinstance(value, cst.Name) and value.value in self.objects:
            old = self.objects[value.value]
            target = resolve(old, updated.attr.value)
            if target == old:
                return updated
            parent, leaf = target.rsplit(".", 1)
            local = leaf
            if leaf in self.taken or leaf == value.value:
                local = f"{old.rsplit('.', 1)[1]}_{leaf}"
            self.needed[local] = (parent, leaf)
            return updated.with_changes(value=cst.Name(local))
        return updated

    def leave_SimpleString(
        self, original: cst.SimpleString, updated: cst.SimpleString
    ) -> cst.BaseExpression:
        return updated.with_changes(value=self.text(updated.value))

    def leave_FormattedStringText(
        self, original: cst.FormattedStringText, updated: cst.FormattedStringText
    ) -> cst.FormattedStringText:
        return updated.with_changes(value=self.text(updated.value))

    def leave_Comment(self, original: cst.Comment, updated: cst.Comment) -> cst.Comment:
        return updated.with_changes(value=self.text(updated.value))

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        if not self.needed:
            return updated
        lines = [
            cst.parse_statement(
                f"from {parent} import {leaf}" + (f" as {local}" if local != leaf else "") + "\n"
            )
            for local, (parent, leaf) in sorted(self.needed.items())
        ]
        body = list(updated.body)
        # After the last top-level import.
        last = max((i for i, s in enumerate(body) if is_import(s)), default=-1)
        return updated.with_changes(body=[*body[: last + 1], *lines, *body[last + 1 :]])


# ---------------------------------------------------------------------------- 4. text


class TextRewriter:
    """Rewrite old module paths and file paths in one regex pass per text."""

    def __init__(self) -> None:
        table: dict[str, str] = {}
        for (old, name), new in SYMBOLS.items():
            if new != old:
                table[f"{old}.{name}"] = f"{new}.{name}"
        for old, new in MOVES.items():
            table[old] = new
            table[old.replace(".", "/") + ".py"] = new.replace(".", "/") + ".py"
        for split in SPLITS:
            if split.text_target and split.text_target != split.source:
                table[split.source] = split.text_target
            old_file = split.source.replace(".", "/") + ".py"
            if split.text_target == split.source or path_of(split.source, package=True).exists():
                table[old_file] = split.source.replace(".", "/") + "/"
            elif split.text_target:
                table[old_file] = split.text_target.replace(".", "/") + ".py"
        for old, new in DATA_MOVES.items():
            table[old] = new
        table["jobs.pure"] = "jobs.rules"
        table["jobs/pure/"] = "jobs/rules/"
        self.table = table
        keys = sorted(table, key=len, reverse=True)
        self.pattern = re.compile(
            r"(?<![\w.])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w])"
        )

    def __call__(self, text: str) -> str:
        return self.pattern.sub(lambda match: self.table[match.group(1)], text)


def python_files() -> list[Path]:
    """Every Python file the move may touch (this script aside)."""
    files = []
    for root in PYTHON_ROOTS:
        for path in sorted((ROOT / root).rglob("*.py")):
            if path.name != "relayout.py" and ".venv" not in path.parts:
                files.append(path)
    return files


def text_files() -> list[Path]:
    """Every tracked text file that is not Python."""
    listed = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    files = []
    for name in listed:
        path = ROOT / name
        if name in NOT_TEXT or name.startswith(("tools/", *IMPORTS_ONLY)) or not path.exists():
            continue
        if path.suffix in TEXT_SUFFIXES or path.name in TEXT_NAMES:
            files.append(path)
    return files


def rewrite() -> int:
    """Rewrite imports and paths everywhere; return how many files changed."""
    text = TextRewriter()
    changed = 0
    for path in python_files():
        before = path.read_text()
        module = cst.parse_module(before)
        relative = str(path.relative_to(ROOT))
        imports_only = relative.startswith(IMPORTS_ONLY)
        here = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        after = module.visit(Imports(text, here, all_names(before), strings=not imports_only)).code
        if after != before:
            path.write_text(after)
            changed += 1
    for path in text_files():
        before = path.read_text()
        after = text(before)
        if after != before:
            path.write_text(after)
            changed += 1
    return changed


def tidy() -> None:
    """Drop the imports a piece does not use, sort them, and format."""
    ruff = str(ROOT / ".venv" / "bin" / "ruff")
    roots = [r for r in PYTHON_ROOTS if r != "tools"]
    subprocess.run([ruff, "check", "--fix", "--select", "F401,I001", "--quiet", *roots], cwd=ROOT)
    subprocess.run([ruff, "format", "--quiet", *roots], cwd=ROOT, check=True)


PLACES_MODULE = "guidance/reading/zones/names.py"
PLACES_DATA = "guidance/reading/zones/places.tsv"
PLACES_READER = """_PLACES = {
    place: zone
    for place, _, zone in (
        line.partition("\\t")
        for line in resources.files("guidance.reading.zones")
        .joinpath("places.tsv")
        .read_text(encoding="utf-8")
        .splitlines()
        if line and not line.startswith("#")
    )
}
"""


def places_to_data() -> None:
    """Move the table of places (250 lines) to a TSV file read at import, checked equal."""
    path = ROOT / PLACES_MODULE
    code = path.read_text()
    before: dict[str, Any] = {}
    exec(compile(code, str(path), "exec"), before)
    start = code.index("_PLACES = {\n")
    end = code.index("\n}\n", start) + 3
    lines = ["# A place (folded, see `fold_name`), a tab, and the zone it is in."]
    for line in code[start:end].splitlines()[1:-1]:
        line = line.strip()
        if line.startswith("#"):
            lines.append(line)
            continue
        key = ast.literal_eval(line.split(":", 1)[0])
        lines.append(f"{key}\t{before['_PLACES'][key]}")
    (ROOT / PLACES_DATA).write_text("\n".join(lines) + "\n")
    code = code[:start] + PLACES_READER + code[end:]
    code = code.replace("import re\n", "import re\nfrom importlib import resources\n", 1)
    path.write_text(code)
    after: dict[str, Any] = {}
    exec(compile(code, str(path), "exec"), after)
    assert list(after["_PLACES"].items()) == list(before["_PLACES"].items())
    git("add", PLACES_MODULE, PLACES_DATA)


def main() -> None:
    """Split, move, rewrite, tidy; say how long each took."""
    started = time.perf_counter()
    for split in SPLITS:
        split_module(split)
    split_done = time.perf_counter()
    move_modules()
    moved = time.perf_counter()
    changed = rewrite()
    rewritten = time.perf_counter()
    tidy()
    places_to_data()
    tidy()
    done = time.perf_counter()
    print(
        f"split {len(SPLITS)} modules in {split_done - started:.1f} s, moved {len(MOVES)}"
        f" modules in {moved - split_done:.1f} s, rewrote {changed} files in"
        f" {rewritten - moved:.1f} s, tidied in {done - rewritten:.1f} s"
    )


if __name__ == "__main__":
    main()
