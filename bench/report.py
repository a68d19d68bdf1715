"""Figures the nudge benchmarks measured, kept for the side-by-side tables at the end; and
the docs page that `make bench` writes from what a run printed."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TextIO

FIGURES: dict[str, float] = {}
NOTES: list[str] = []


def percentile(samples: Sequence[float], share: float) -> float:
    """Return the sample at a share of the way up (nearest rank): 0.95 for p95."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def record(key: str, value: float) -> None:
    """Keep one figure for the summary."""
    FIGURES[key] = value


def note(line: str) -> None:
    """Keep one line of explanation for the summary."""
    NOTES.append(line)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Lay out rows under headers, the first column left-aligned and the rest right-aligned."""
    widths = [
        max(len(str(row[column])) for row in [headers, *rows]) for column in range(len(headers))
    ]
    lines = []
    for index, row in enumerate([headers, *rows]):
        cells = [
            str(cell).ljust(width) if column == 0 else str(cell).rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def figure(key: str, pattern: str = "{:,.0f}") -> str:
    """Format a kept figure, or a dash when it was not measured."""
    return pattern.format(FIGURES[key]) if key in FIGURES else "–"


def verdict(ok: bool | None) -> str:
    """Say whether a target was met."""
    return "–" if ok is None else ("met" if ok else "MISSED")


def _pair(left: str, right: str, pattern: str) -> str:
    return f"{figure(left, pattern)} / {figure(right, pattern)}"


def _all_at_most(keys: Sequence[str], limit: float) -> bool | None:
    found = [FIGURES[key] for key in keys if key in FIGURES]
    return None if not found else all(value <= limit for value in found)


def summary(backends: Sequence[str] = ("sqlite", "postgresql")) -> str:
    """Lay out the figures against the targets, per backend, and the two designs side by side."""
    if not FIGURES:
        return ""
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    rows: list[list[str]] = []
    throughput = [FIGURES.get(f"{b}.throughput") for b in backends]
    measured = [value for value in throughput if value is not None]
    rows.append(
        [
            "dispatch, real path, default settings, nudges/s (median of 3)",
            *(figure(f"{b}.throughput") for b in backends),
            "≥ 2,000",
            verdict(None if not measured else min(measured) >= 2000),
        ]
    )
    rows.append(
        [
            "  the slowest of the 3 runs",
            *(figure(f"{b}.throughput_lowest") for b in backends),
            "",
            "",
        ]
    )
    for label, key in (
        ("  before: PTB send_message over httpx", "before: send_message over httpx"),
        ("  database side alone (instant Sender)", "database side only"),
    ):
        rows.append([label, *(figure(f"{b}.throughput[{key}]") for b in backends), "", ""])
    rows.append(
        [
            "lateness at 30/s, p50 / p99 / max, s",
            *(
                " / ".join(
                    figure(f"{b}.lateness_{name}", "{:.1f}")
                    for name in ("p50_s", "p99_s", "max_s")
                )
                for b in backends
            ),
            "p99 ≤ 60",
            verdict(_all_at_most([f"{b}.lateness_p99_s" for b in backends], 60.0)),
        ]
    )
    rows.append(
        [
            "  sent / skipped (stale) of due in the hour",
            *(
                f"{figure(f'{b}.lateness_sent')} / {figure(f'{b}.lateness_skipped')} of "
                f"{figure(f'{b}.lateness_due')}"
                for b in backends
            ),
            "",
            "",
        ]
    )
    rss = [f"process.{b}.{size}.rss_after_mb" for b in backends for size in ("10k", "100k")]
    rows.append(
        [
            "bot RSS after sending, 10k / 100k people, MB",
            *(
                _pair(f"process.{b}.10k.rss_after_mb", f"process.{b}.100k.rss_after_mb", "{:.0f}")
                for b in backends
            ),
            "≤ 150, flat",
            verdict(_all_at_most(rss, 150.0)),
        ]
    )
    rows.append(
        [
            "  RSS once polling, 10k / 100k, MB",
            *(
                _pair(f"process.{b}.10k.rss_up_mb", f"process.{b}.100k.rss_up_mb", "{:.0f}")
                for b in backends
            ),
            "",
            "",
        ]
    )
    rows.append(
        [
            "start-up to first nudge, 10k / 100k, s",
            *(
                _pair(
                    f"process.{b}.10k.to_first_send_s",
                    f"process.{b}.100k.to_first_send_s",
                    "{:.2f}",
                )
                for b in backends
            ),
            "≤ 2, flat",
            verdict(
                _all_at_most(
                    [
                        f"process.{b}.{s}.to_first_send_s"
                        for b in backends
                        for s in ("10k", "100k")
                    ],
                    2.0,
                )
            ),
        ]
    )
    if "process.first_tick_delay_s" in FIGURES:
        delays = _pair("process.first_tick_delay_s", "process.first_tick_delay_fixed_s", "{:.2f}")
        rows.append(
            [
                "  first tick after start: first=0 / next_run_time=now, s",
                *(delays for _ in backends),
                "",
                "",
            ]
        )
    rows.append(
        [
            "  start-up to polling, 10k / 100k, s",
            *(
                _pair(f"process.{b}.10k.to_poll_s", f"process.{b}.100k.to_poll_s", "{:.2f}")
                for b in backends
            ),
            "",
            "",
        ]
    )
    parts = [table(["figure", *(names.get(b, b) for b in backends), "target", ""], rows)]
    if any(key.startswith("jobqueue.") for key in FIGURES):
        designs = []
        for size in ("10k", "100k"):
            designs.append(
                [
                    f"database schedule, 1 tick job, {size} people",
                    "none; 1st nudge "
                    + figure(f"process.sqlite.{size}.to_first_send_s", "{:.2f} s"),
                    figure(f"process.sqlite.{size}.rss_after_mb", "{:.0f} MB"),
                    figure("sqlite.throughput", "{:,.0f}/s with DB writes")
                    if size == "100k"
                    else "",
                ]
            )
            designs.append(
                [
                    f"JobQueue, 3 jobs per person, {size} people",
                    figure(f"jobqueue.{size}.build_s", "{:.1f} s")
                    + figure(f"jobqueue.{size}.build_us_per_job", " ({:.0f} µs/job)")
                    + figure(f"jobqueue.{size}.missed_while_building", ", {:,.0f} missed"),
                    figure(f"jobqueue.{size}.rss_after_mb", "{:.0f} MB")
                    + figure(f"jobqueue.{size}.rss_growth_mb", " (+{:.0f} MB")
                    + figure(f"jobqueue.{size}.bytes_per_job", ", {:,.0f} B/job)"),
                    figure(f"jobqueue.{size}.nudges_per_s", "{:,.0f}/s, sends only")
                    if f"jobqueue.{size}.nudges_per_s" in FIGURES
                    else "",
                ]
            )
        parts.append(
            "\n"
            + table(
                ["design (SQLite for ours)", "build at start-up", "process RSS", "dispatch"],
                designs,
            )
        )
    parts.extend(NOTES)
    return "\n".join(parts)


# `make bench` writes what it prints here, so the docs site shows the latest run as it was.
PAGE = Path(__file__).resolve().parent.parent / "docs" / "performance" / "latest.md"


class Tee(io.TextIOBase):
    """Pass everything printed on to the real stream, and keep a copy for the page."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.kept = io.StringIO()

    def write(self, text: str) -> int:
        self.kept.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()


def page(printed: str, *, command: str, machine: str, commit: str, finished: datetime) -> str:
    """Lay out a run's printed output as the docs page: the machine, then each suite's tables."""
    lines = [
        "# The latest bench run",
        "",
        "`python -m bench` writes this page at the end of a run of every suite (`make bench`),",
        "or of any run given `--page`; do not edit it by hand. It holds what the run printed,",
        "suite by suite, unchanged. What the figures mean, and earlier runs with their",
        "machines, are on [Performance](index.md).",
        "",
        f"- command: `{command}`",
        f"- machine: {machine}",
        f"- tree: {commit}",
        f"- finished: {finished:%Y-%m-%d %H:%M} UTC",
    ]
    sections: list[tuple[str, list[str]]] = []
    for line in printed.splitlines():
        if line.startswith("== "):
            sections.append((line.removeprefix("== "), []))
        elif line.startswith("(all suites: "):
            lines.append(f"- took: {line.removeprefix('(all suites: ').rstrip(')')}")
        elif sections:
            sections[-1][1].append(line)
    for title, body in sections:
        text = "\n".join(body).strip("\n")
        lines += ["", f"## {title}", "", "```text", text, "```"]
    return "\n".join(lines) + "\n"
