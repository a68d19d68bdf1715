"""The fault classes of tests/chaos, and the rule that `make test` keeps a short test of each.

Every test in tests/chaos names its class with `@fault("kill -9")`. A scenario that is long
at full scale comes twice, through `short_and_full`: a short form (a few people, short
time-outs, set through the bot's own settings) that `make test` runs, and the full form,
marked `chaos_full`, that `make chaos` runs. `make test` passes `--each-fault-class`: if the
tests it selected leave a class out, the run fails (a test named "each fault class" says
which), so no class can drop out of CI silently (by a marker, a `-k`, or a test moved to
the full set). A chaos test that names no class fails the same way, in any run.

This module is a pytest plugin (the root conftest loads it).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

if TYPE_CHECKING:
    from _pytest.mark.structures import ParameterSet

# What each class of fault does to the bot; `make test` runs at least one test of each.
FAULT_CLASSES = {
    "kill -9": "the process killed mid-batch, then started again",
    "lease failover": "the holder of the sending lease killed; a standby takes over",
    "silent database": "every database connection stops answering, then comes back",
    "bot api outage": "the Bot API failing or dropping connections, for sends or polls",
    "401/403": "Telegram refusing the token, or refusing sends without a block",
    "flood control": "429 retry_after, and one person's flood",
    "late answers": "sends answered only after the read time-out",
    "full or read-only store": "the SQLite store full, or made read-only under the bot",
    "stuck bot": "no outbox tick finishing: the watchdog stops the bot",
    "start-up failures": "the database or Telegram never answering, or refusing, at start-up",
}
EACH_FAULT_CLASS = "--each-fault-class"

T = TypeVar("T")


def fault(name: str) -> pytest.MarkDecorator:
    """Mark a chaos test with its class of fault (one of `FAULT_CLASSES`)."""
    if name not in FAULT_CLASSES:
        raise ValueError(f"{name!r} is not a fault class: {', '.join(FAULT_CLASSES)}")
    return pytest.mark.fault(name)


def short_and_full(short: T, full: T) -> list[ParameterSet]:
    """Parameters for a scenario's short form (in `make test`) and its full-scale form
    (`chaos_full`: `make chaos`)."""
    return [
        pytest.param(short, id="short"),
        pytest.param(full, id="full", marks=pytest.mark.chaos_full),
    ]


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--each-fault-class` (make test): fail unless the run keeps a test of each class."""
    parser.addoption(
        EACH_FAULT_CLASS,
        action="store_true",
        help="fail unless the selected tests keep a short test of each fault class "
        "(tests/support/faults.py)",
    )


class Refused(pytest.Item):
    """A test that fails with what is wrong with the selection (a plain error would be lost
    among xdist's workers)."""

    def __init__(self, *, reason: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reason = reason

    def runtest(self) -> None:
        """Fail, saying why."""
        raise AssertionError(self.reason)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Name the rule, not a place in a file."""
        return self.path, None, self.name


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """After `-m` and `-k` have chosen: a failing test for each chaos test without its
    class, and, under `--each-fault-class`, one for a selection that leaves a class out."""
    reasons = [f"{nodeid} names no fault class (@fault)" for nodeid in unnamed(items)]
    if config.getoption(EACH_FAULT_CLASS) and (missing := left_out(items)):
        reasons.append(
            f"no short test of these fault classes was selected: {', '.join(missing)} "
            "(tests/support/faults.py)"
        )
    if reasons:
        items.append(
            Refused.from_parent(session, name="each fault class", reason="; ".join(reasons))
        )


def unnamed(items: Iterable[pytest.Item]) -> list[str]:
    """Return the chaos tests that name no fault class, or more than one."""
    return [
        item.nodeid
        for item in items
        if item.get_closest_marker("chaos") and len(list(item.iter_markers("fault"))) != 1
    ]


def left_out(items: Iterable[pytest.Item]) -> list[str]:
    """Return the fault classes that no selected short test (not `chaos_full`) covers."""
    covered = {
        mark.args[0]
        for item in items
        if not item.get_closest_marker("chaos_full")
        for mark in item.iter_markers("fault")
    }
    return [name for name in FAULT_CLASSES if name not in covered]
