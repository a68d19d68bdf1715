"""`python -m bench side_by_side`: what it reads from the benches it runs, and its options."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bench import side_by_side
from tests.support.paths import ROOT


def test_reads_the_figures_python_m_bench_prints() -> None:
    printed = (
        "== dispatch\n"
        "  sqlite: 100k people ready in 3.1 s\n"
        "        dispatch_sqlite_nudges_per_second: 2464.0000\n"
        "                    lateness_p99_ms: -1.5000\n"
        "(dispatch: 80 s)\n"
    )
    assert side_by_side.read_figures(printed) == {
        "dispatch_sqlite_nudges_per_second": 2464.0,
        "lateness_p99_ms": -1.5,
    }


def test_reads_the_rate_and_cpu_the_profile_bench_prints() -> None:
    line = (
        "sqlite, 100,000 people, 5,000 due, real sender, none: 5,000 sent in 4.10 s "
        "= 1,219/s; process CPU 1463 µs a nudge"
    )
    assert side_by_side.read_rate(f"SQL statements...\n{line}\n") == {
        "nudges_per_second": 1219.0,
        "cpu_us_a_nudge": 1463.0,
    }
    with pytest.raises(ValueError, match="no rate"):
        side_by_side.read_rate("Traceback (most recent call last): ...")


def test_the_profile_bench_prints_what_side_by_side_reads() -> None:
    source = (ROOT / "bench" / "profile_bench.py").read_text(encoding="utf-8")
    assert '/s; process CPU "' in source
    assert 'µs a nudge"' in source


@pytest.mark.parametrize("suites", [[], ["guidance"]])
def test_interleaved_needs_the_side_by_side_suite_named(suites: list[str]) -> None:
    # Without it, `python -m bench --interleaved dispatch` would run every suite.
    done = subprocess.run(
        [sys.executable, "-m", "bench", *suites, "--interleaved", "dispatch"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "side_by_side" in done.stderr
