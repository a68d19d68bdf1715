"""Show a test's figures on the terminal even though its output is captured."""

from __future__ import annotations

import pytest


def report(request: pytest.FixtureRequest, line: str) -> None:
    """Write one line of figures to the terminal."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capsys: pytest.CaptureFixture[str] = request.getfixturevalue("capsys")
    if reporter is not None:
        with capsys.disabled():
            reporter.write_line(line)
