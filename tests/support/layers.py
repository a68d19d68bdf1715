"""Which layer a test file belongs to: unit, integration, e2e or chaos.

`make test LAYERS="unit integration"` runs some layers only (`pytest -m "unit or integration"`):
the root conftest marks every test with its file's layer. Once the tests live in one folder
per layer (tests/unit, tests/integration, tests/e2e, tests/chaos; `tools/test_layers.py`
moves them), the folder is the layer. Until then, and for a file added in the old places,
the layer is read from what the file does:

- chaos: the fault scenarios against the real bot process (`CHAOS_FILES`);
- e2e: the rest of tests/e2e, which start the real bot as a process of its own;
- integration: a database (a fixture in `INTEGRATION_FIXTURES`, or a module that reaches
  one), the Bot API stand-in or an in-process `Application`, the outbox, another process
  (a CLI run), a socket;
- unit: everything else: pure code, in memory, on a driven clock.

A file goes whole to the slowest layer any of its tests needs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from tests.support.paths import TESTS

LAYERS = ("unit", "integration", "e2e", "chaos")
LAYER_DOCS = {
    "unit": "Unit tests: pure code in memory, on a driven clock; no database, no socket.",
    "integration": "Integration tests: databases, the Bot API stand-in, in-process bots, CLIs.",
    "e2e": "End to end: the real bot process against the Bot API stand-in.",
    "chaos": "Faults against the real bot process: kill -9, a silent database, outages.",
}
CHAOS_FILES = frozenset({"e2e/test_faults.py", "e2e/test_failover.py"})
INTEGRATION_FIXTURES = frozenset(
    {"engine", "sessionmaker", "database_url", "postgres_url", "botapi", "due_on_postgres"}
)
# A module imported from one of these (or one of their submodules) reaches outside memory.
INTEGRATION_MODULES = (
    "sqlalchemy",
    "asyncpg",
    "aiosqlite",
    "sqlite3",
    "alembic",
    "storage.database",
    "storage.migrate",
    "storage.health",
    "jobs.delivery.outbox",
    "jobs.delivery.lease",
    "telegram.ext",
    "bot.app",
    "bot.ops",
    "aiohttp",
    "httpx",
    "socket",
    "subprocess",
    "tests.support.databases",
    "tests.support.botapi_stub",
    "tests.support.fast_botapi",
    "tests.support.forwarder",
)


@cache
def imported_modules(path: Path) -> frozenset[str]:
    """Return every module a Python file imports, at any depth of its code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return frozenset(found)


def _reaches_out(modules: Iterable[str]) -> bool:
    return any(
        module == prefix or module.startswith(f"{prefix}.")
        for module in modules
        for prefix in INTEGRATION_MODULES
    )


def layer_of(path: Path, fixtures: Iterable[str] = ()) -> str:
    """Return the layer of a test file, given every fixture its tests use."""
    relative = path.resolve().relative_to(TESTS)
    if relative.as_posix() in CHAOS_FILES:
        return "chaos"
    if relative.parts[0] in LAYERS and len(relative.parts) > 1:
        return relative.parts[0]  # tests/e2e too: the real bot process
    if INTEGRATION_FIXTURES & set(fixtures) or _reaches_out(imported_modules(path)):
        return "integration"
    return "unit"
