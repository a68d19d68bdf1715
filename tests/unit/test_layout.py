"""The layout stays readable: no module of the four packages over 400 lines (issue 25).

Migrations are generated history, not code to read, and are left out. The import contracts
(only `bot` imports telegram; `bot -> jobs, guidance -> storage`) are import-linter's, run
by `make lint`.
"""

from __future__ import annotations

from tests.support.paths import ROOT

PACKAGES = ("bot", "jobs", "guidance", "storage")
MAX_LINES = 400


def test_no_module_of_the_packages_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_check_sees_every_package() -> None:
    for package in PACKAGES:
        assert len(list((ROOT / package).rglob("*.py"))) > 3, package
