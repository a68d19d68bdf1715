"""Move the tests into one folder per layer (issue 25 item 4): unit, integration, e2e, chaos.

Run once, from the repository root, on a clean tree (after every branch that adds tests has
been merged): `.venv/bin/python tools/test_layers.py` (`--plan` only prints the moves). It

1. collects the suite and reads each test file's layer from the marks the root conftest
   gives (tests/support/layers.py decides them: what a file's tests use and import);
2. moves each test file with `git mv` to tests/<layer>/, keeping its package below it
   (tests/jobs/test_outbox.py -> tests/integration/jobs/test_outbox.py; tests/e2e stays);
   a conftest.py whose tests leave its folder becomes a plugin module in
   tests/support/fixtures/ that the root conftest loads, so its fixtures still reach them;
   tests/e2e/bot_process.py, a helper, goes to tests/support/;
3. rewrites every import of a moved module (libcst), and `Path(__file__)...` in a moved
   file to the same place spelled from tests/support/paths.py (the data and evaluation
   suites beside the tests, tests/guidance/language/ and the like, do not move);
4. rewrites the moved files' paths and module names in strings, comments, docs and
   configuration (one regex pass per text);
5. tidies with ruff (unused and unsorted imports, format), then collects again and checks
   that the same tests are there, each in the same layer as before.

Nothing here changes what a test does. It prints how long each step took.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath

import libcst as cst
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.layers import LAYER_DOCS, LAYERS  # noqa: E402

TESTS = ROOT / "tests"
HELPERS = {"tests/e2e/bot_process.py": "tests/support/bot_process.py"}
TEXT_SUFFIXES = {".md", ".toml", ".yml", ".yaml", ".ini", ".cfg", ".sh", ".txt", ".py"}
TEXT_NAMES = {"Makefile", "Dockerfile"}
NOT_TEXT = {"uv.lock"}
# Under tests/ only code and prose are rewritten: the data files (question sets, held-out
# sets among them) are never opened.
TESTS_TEXT = {".py", ".md"}
FILE_CHAIN = re.compile(
    r"Path\(__file__\)(?P<resolve>\.resolve\(\))?"
    r"(?P<steps>(?:\.parent(?![\w(])|\.parents\[\d+\])*)"
    r"(?P<with_name>\.with_name\((?:(?P<name>\"[^\"]*\"|'[^']*')\))?)?"
)


# ---------------------------------------------------------------------------- 1. the plan


class _Layers:
    """A pytest plugin that records each collected test's layer mark, by node id."""

    def __init__(self) -> None:
        self.layers: dict[str, str] = {}

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            marks = [mark.name for mark in item.iter_markers() if mark.name in LAYERS]
            self.layers[item.nodeid] = marks[0] if marks else "?"


def collect() -> dict[str, str]:
    """Collect the suite in a process of its own; return each test's layer by node id."""
    code = (
        "import json, sys; sys.path.insert(0, '.');"
        "import pytest; from tools.test_layers import _Layers; r = _Layers();"
        "code = pytest.main(['--collect-only', '-q', '-p', 'no:cacheprovider', 'tests'],"
        " plugins=[r]);"
        "print('LAYERS' + json.dumps(r.layers)) if code == 0 else sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("LAYERS")]
    if result.returncode or not lines:
        sys.exit(f"collecting the tests failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    import json

    layers: dict[str, str] = json.loads(lines[0].removeprefix("LAYERS"))
    return layers


def file_layers(layers: dict[str, str]) -> dict[str, str]:
    """Each test file's layer (the marks are per file already)."""
    files: dict[str, str] = {}
    for node, layer in layers.items():
        files.setdefault(node.split("::", 1)[0], layer)
    return files


def destination(path: str, layer: str) -> str:
    """Where a test file goes: tests/<layer>/<its package below tests>/<name>."""
    parts = PurePosixPath(path).parts  # ("tests", "jobs", "test_outbox.py")
    # tests/e2e/test_faults.py -> tests/chaos/test_faults.py
    rest = parts[2:] if len(parts) > 2 and parts[1] in LAYERS else parts[1:]
    return str(PurePosixPath("tests", layer, *rest))


def plan(layers: dict[str, str]) -> dict[str, str]:
    """Old path -> new path of every file that moves (tests, helpers, conftests)."""
    moves = {
        old: new
        for old, layer in sorted(file_layers(layers).items())
        if (new := destination(old, layer)) != old
    }
    moves.update({old: new for old, new in HELPERS.items() if (ROOT / old).exists()})
    # A conftest stays where its folder keeps a test; else its fixtures become a plugin.
    staying = {PurePosixPath(p).parent for p in file_layers(layers) if p not in moves}
    for conftest in sorted(TESTS.rglob("conftest.py")):
        relative = conftest.relative_to(ROOT).as_posix()
        folder = PurePosixPath(relative).parent
        if folder == PurePosixPath("tests") or any(
            folder == kept or folder in kept.parents for kept in staying
        ):
            continue
        name = "_".join(folder.parts[1:])
        moves[relative] = f"tests/support/fixtures/{name}.py"
    return moves


def module_of(path: str) -> str:
    """The dotted module name of a repository-relative .py path."""
    return ".".join(PurePosixPath(path).with_suffix("").parts).removesuffix(".__init__")


# ---------------------------------------------------------------------------- 2. the moves


def git(*args: str) -> None:
    subprocess.run(["git", *args], cwd=ROOT, check=True)


def ensure_package(folder: Path) -> None:
    """Make every folder from tests/ down to `folder` a package."""
    for each in [folder, *folder.parents]:
        if each == TESTS or TESTS not in each.parents:
            continue
        init = each / "__init__.py"
        if not init.exists():
            where = each.relative_to(TESTS).as_posix()
            init.write_text(f'"""{LAYER_DOCS.get(where, f"Tests: {where}.")}"""\n')
            git("add", str(init.relative_to(ROOT)))


def move(moves: dict[str, str]) -> list[str]:
    """git mv each file; return the plugin modules the root conftest must now load."""
    plugins = []
    for old, new in moves.items():
        target = ROOT / new
        target.parent.mkdir(parents=True, exist_ok=True)
        ensure_package(target.parent)
        git("mv", old, new)
        if PurePosixPath(old).name == "conftest.py":
            plugins.append(module_of(new))
    # A package left with nothing but its __init__ is gone.
    for init in sorted(TESTS.rglob("__init__.py"), reverse=True):
        folder = init.parent
        if folder == TESTS or (folder.name in LAYERS and folder.parent == TESTS):
            continue
        if [p for p in folder.iterdir() if p.name not in {"__init__.py", "__pycache__"}]:
            continue
        git("rm", "-q", str(init.relative_to(ROOT)))
    if plugins:
        conftest = TESTS / "conftest.py"
        conftest.write_text(_with_plugins(conftest.read_text(), plugins))
    return plugins


def _with_plugins(code: str, plugins: list[str]) -> str:
    """Add `pytest_plugins = [...]` after the first block of imports of the root conftest."""
    module = cst.parse_module(code)
    body = list(module.body)
    at = 0
    while at < len(body):
        statement = body[at]
        if not isinstance(statement, cst.SimpleStatementLine) or not isinstance(
            statement.body[0], cst.Expr | cst.Import | cst.ImportFrom
        ):
            break
        at += 1
    listed = ", ".join(f'"{name}"' for name in plugins)
    line = cst.parse_statement(f"pytest_plugins = [{listed}]\n").with_changes(
        leading_lines=[
            cst.EmptyLine(),
            cst.EmptyLine(
                comment=cst.Comment("# The fixtures of folders whose tests moved to the layers.")
            ),
        ]
    )
    return module.with_changes(body=[*body[:at], line, *body[at:]]).code


# ---------------------------------------------------------------------------- 3. imports


class Imports(cst.CSTTransformer):
    """Point `from old import x`, `from package import old` and `import old` at new places."""

    def __init__(self, modules: dict[str, str]) -> None:
        super().__init__()
        self.modules = modules

    def leave_ImportFrom(
        self, original: cst.ImportFrom, updated: cst.ImportFrom
    ) -> cst.ImportFrom | cst.FlattenSentinel[cst.BaseSmallStatement]:
        if updated.relative or updated.module is None:
            return updated
        module = cst.helpers.get_full_name_for_node(updated.module)
        assert module is not None
        if module in self.modules:
            return updated.with_changes(module=cst.parse_expression(self.modules[module]))
        if isinstance(updated.names, cst.ImportStar):
            return updated
        # `from tests.e2e import bot_process`: a moved module imported as a name.
        groups: dict[str, list[cst.ImportAlias]] = {}
        for alias in updated.names:
            name = cst.helpers.get_full_name_for_node(alias.name)
            new = self.modules.get(f"{module}.{name}")
            parent, leaf = new.rsplit(".", 1) if new else (module, str(name))
            local = alias.asname.name.value if alias.asname else name  # type: ignore[union-attr]
            groups.setdefault(parent, []).append(
                cst.ImportAlias(
                    name=cst.Name(leaf),
                    asname=None if leaf == local else cst.AsName(name=cst.Name(str(local))),
                )
            )
        if list(groups) == [module]:
            return updated
        statements = [
            cst.ImportFrom(module=cst.parse_expression(parent), names=aliases)  # type: ignore[arg-type]
            for parent, aliases in groups.items()
        ]
        return cst.FlattenSentinel(statements)

    def leave_Import(self, original: cst.Import, updated: cst.Import) -> cst.Import:
        names = []
        for alias in updated.names:
            name = cst.helpers.get_full_name_for_node(alias.name)
            if name in self.modules:
                alias = alias.with_changes(name=cst.parse_expression(self.modules[name]))
            names.append(alias)
        return updated.with_changes(names=names)


_ROOT = PurePosixPath("/above/root")  # the repository, as a path with a parent to spell


def place(where: PurePosixPath) -> str:
    """Spell a place from tests/support/paths.py: TESTS / "jobs", ROOT, ROOT.parent."""
    if where == _ROOT:
        return "ROOT"
    if where == _ROOT.parent:
        return "ROOT.parent"
    if where == _ROOT / "tests":
        return "TESTS"
    if _ROOT / "tests" in where.parents:
        return " / ".join(
            ["TESTS", *(f'"{part}"' for part in where.relative_to(_ROOT / "tests").parts)]
        )
    if _ROOT in where.parents:
        return " / ".join(["ROOT", *(f'"{part}"' for part in where.relative_to(_ROOT).parts)])
    raise ValueError(f"{where} is outside what this script spells")


def _follow(match: re.Match[str], file: str) -> PurePosixPath:
    """Where a `Path(__file__)` chain ends for the file at `file` (the argument aside)."""
    where = _ROOT / file
    for index in re.findall(r"\.parent(?![\w(])|\.parents\[(\d+)\]", match["steps"]):
        where = where.parent if index == "" else where.parents[int(index)]
    return where


def rewrite_file_paths(code: str, old: str, new: str) -> str:
    """Rewrite `Path(__file__)...` in a file moved from `old` to `new` where it would now
    name another place, spelled from tests/support/paths.py; return the code."""

    def lexical(match: re.Match[str]) -> str:
        was, now = _follow(match, old), _follow(match, new)
        if match["with_name"] is not None:
            was, now = was.parent, now.parent
        if was == now:
            return match.group(0)
        spelled = place(was)
        if match["with_name"] is not None:
            if not match["name"]:
                return f"{spelled} / ("  # the argument and its `)` follow as they were
            spelled = f"{spelled} / {match['name']}"
        follows = code[match.end() : match.end() + 1]
        return f"({spelled})" if " / " in spelled and follows in {".", "[", "("} else spelled

    return FILE_CHAIN.sub(lexical, code)


# ---------------------------------------------------------------------------- 4. text


class TextRewriter:
    """Rewrite moved files' paths (tests/jobs/test_outbox.py) and modules in one pass."""

    def __init__(self, moves: dict[str, str]) -> None:
        table: dict[str, str] = {}
        for old, new in moves.items():
            table[old] = new
            table[module_of(old)] = module_of(new)
        self.table = table
        keys = sorted(table, key=len, reverse=True)
        self.pattern = re.compile(r"(?<![\w./])(" + "|".join(map(re.escape, keys)) + r")(?![\w])")

    def __call__(self, text: str) -> str:
        return self.pattern.sub(lambda match: self.table[match.group(1)], text)


def text_files() -> list[Path]:
    """Every tracked text file: this script and the data under tests/ aside."""
    listed = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    return [
        ROOT / name
        for name in listed
        if name not in NOT_TEXT
        and not (name.startswith("tests/") and Path(name).suffix not in TESTS_TEXT)
        and name != "tools/test_layers.py"
        and (ROOT / name).exists()
        and (Path(name).suffix in TEXT_SUFFIXES or Path(name).name in TEXT_NAMES)
    ]


def rewrite(moves: dict[str, str]) -> int:
    """Rewrite imports, `Path(__file__)` and paths everywhere; return files changed."""
    modules = {module_of(old): module_of(new) for old, new in moves.items()}
    text = TextRewriter(moves)
    moved_from = {new: old for old, new in moves.items()}
    changed = 0
    for path in text_files():
        relative = path.relative_to(ROOT).as_posix()
        before = path.read_text(encoding="utf-8")
        after = before
        if path.suffix == ".py":
            after = cst.parse_module(after).visit(Imports(modules)).code
            old = moved_from.get(relative)
            if old and PurePosixPath(old).parent != PurePosixPath(relative).parent:
                followed = rewrite_file_paths(after, old, relative)
                if followed != after:
                    after = _import_paths(followed)
                if re.search(
                    r"__file__(?!\)(\.resolve\(\))?(\.parent\b|\.parents\[|\.with_name\())", after
                ):
                    sys.exit(f"{relative}: a use of __file__ this script cannot follow")
        after = text(after)
        if path.suffix == ".py" and after != before:
            after = rewrap_comments(after, relative)
        if after != before:
            path.write_text(after, encoding="utf-8")
            changed += 1
    return changed


LINE = 99  # ruff's line length (pyproject)


def rewrap_comments(code: str, where: str) -> str:
    """Wrap a comment that a longer path made too long into the comment line after it."""
    lines = code.split("\n")
    at = 0
    while at < len(lines):
        line = lines[at]
        comment = re.match(r"(\s*)# ", line)
        if len(line) > LINE and comment:
            cut = line.rindex(" ", 0, LINE + 1)
            indent = comment.group(1)
            rest = line[cut + 1 :]
            lines[at] = line[:cut]
            following = lines[at + 1] if at + 1 < len(lines) else ""
            if re.match(rf"{indent}# \S", following):
                lines[at + 1] = f"{indent}# {rest} {following[len(indent) + 2 :]}"
            else:
                lines.insert(at + 1, f"{indent}# {rest}")
        elif len(line) > LINE and "tests/" in line:
            sys.exit(f"{where}:{at + 1}: too long after the rewrite; wrap it by hand")
        at += 1
    return "\n".join(lines)


def _import_paths(code: str) -> str:
    """Import ROOT and TESTS from tests/support/paths.py after the file's last import."""
    module = cst.parse_module(code)
    body = list(module.body)
    last = max(
        (
            i
            for i, statement in enumerate(body)
            if isinstance(statement, cst.SimpleStatementLine)
            and isinstance(statement.body[0], cst.Import | cst.ImportFrom)
        ),
        default=-1,
    )
    line = cst.parse_statement("from tests.support.paths import ROOT, TESTS\n")
    return module.with_changes(body=[*body[: last + 1], line, *body[last + 1 :]]).code


# ---------------------------------------------------------------------------- 5. tidy, check


def tidy() -> None:
    ruff = str(ROOT / ".venv" / "bin" / "ruff")
    subprocess.run([ruff, "check", "--fix", "--select", "F401,I001", "--quiet", "tests"], cwd=ROOT)
    subprocess.run([ruff, "format", "--quiet", "tests"], cwd=ROOT, check=True)


def check(before: dict[str, str], after: dict[str, str], moves: dict[str, str]) -> None:
    """The same tests, each in the same layer, now in its layer's folder."""
    expected = {}
    for node, layer in before.items():
        path, _, rest = node.partition("::")
        expected[f"{moves.get(path, path)}::{rest}"] = layer
    missing = sorted(set(expected) - set(after))
    extra = sorted(set(after) - set(expected))
    moved = sorted(n for n in expected if n in after and after[n] != expected[n])
    misplaced = sorted(n for n, layer in after.items() if not n.startswith(f"tests/{layer}/"))
    if missing or extra or moved or misplaced:
        sys.exit(
            f"check failed: {len(missing)} missing {missing[:5]}, {len(extra)} new"
            f" {extra[:5]}, {len(moved)} changed layer {moved[:5]},"
            f" {len(misplaced)} outside their layer's folder {misplaced[:5]}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plan", action="store_true", help="print the moves, change nothing")
    arguments = parser.parse_args()
    started = time.perf_counter()
    before = collect()
    moves = plan(before)
    planned = time.perf_counter()
    if arguments.plan:
        for old, new in moves.items():
            print(f"{old} -> {new}")
        return
    move(moves)
    moved = time.perf_counter()
    changed = rewrite(moves)
    tidy()
    rewritten = time.perf_counter()
    after = collect()
    check(before, after, moves)
    done = time.perf_counter()
    counts = {layer: sum(1 for v in after.values() if v == layer) for layer in LAYERS}
    print(
        f"collected {len(before)} tests and planned {len(moves)} moves in"
        f" {planned - started:.1f} s; moved in {moved - planned:.1f} s; rewrote {changed}"
        f" files and tidied in {rewritten - moved:.1f} s; collected again and checked in"
        f" {done - rewritten:.1f} s: {counts}"
    )


if __name__ == "__main__":
    main()
