"""The report for a physiotherapist or doctor: one or two A4 pages, laid out with fpdf2.

Its words come as a `Page` (`bot.wording.report` says them); this lays them out, and draws
the episode's chart. fpdf2 and matplotlib are imported on the first report, not at
start-up, and the bot makes the report in its worker process (`jobs.documents.Renderer`).
The PDF's core fonts hold Latin-1 only: typographic dashes and arrows become plain ones.
"""

from __future__ import annotations

import enum
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from storage.kinds import Treatment

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_lock = threading.Lock()


class Style(enum.Enum):
    """How a block of the report is set."""

    HEADING = "heading"  # a section's heading
    TEXT = "text"
    NOTE = "note"  # in italics, under the title
    CHART = "chart"  # the episode's chart goes here
    CAPTION = "caption"  # small italics, under the chart
    FOOTER = "footer"  # small italics, a little apart, at the end


@dataclass(frozen=True, slots=True)
class Block:
    """One heading or paragraph of the report, in order."""

    style: Style
    text: str


@dataclass(frozen=True, slots=True)
class PainChart:
    """The episode's chart: its pain check-ins and session starts, drawn in the person's
    time zone, with its words."""

    pain: tuple[tuple[datetime, int], ...]
    sessions: tuple[tuple[datetime, Treatment], ...]
    zone: str
    pain_title: str
    pain_axis: str
    care_title: str
    ice: str
    heat: str
    dates: str
    # The days' and months' short names under the chart, Monday and January first.
    weekdays: tuple[str, ...]
    months: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Page:
    """The report in words: the document's title, its heading, its blocks, and the chart."""

    title: str
    heading: str
    blocks: tuple[Block, ...]
    chart: PainChart | None = None


def _latin(text: str) -> str:
    """Keep what the PDF's core fonts can draw."""
    return text.replace("–", "-").replace("→", "->").encode("latin-1", "replace").decode("latin-1")


def pain_chart_png(chart: PainChart) -> bytes:
    """Draw the episode's chart (`pain_chart_figure`) as a small PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = pain_chart_figure(chart)
    FigureCanvasAgg(figure)  # the Agg backend draws it
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def pain_chart_figure(chart: PainChart) -> Figure:
    """Draw the episode's pain check-ins by date, and its ice and heat sessions on a row of
    their own below (not on the pain scale, where a session would read as a score)."""
    from matplotlib.dates import AutoDateLocator, num2date
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    zone = ZoneInfo(chart.zone)
    figure = Figure(figsize=(6.5, 2.9), dpi=110, facecolor="white")
    pain, care = figure.subplots(2, 1, sharex=True, height_ratios=[3, 1])

    def local(moment: datetime) -> datetime:
        # matplotlib draws the wall-clock time it is given: the person's own.
        return moment.astimezone(zone).replace(tzinfo=None)

    pain.plot(
        [local(at) for at, _ in chart.pain],
        [score for _, score in chart.pain],
        marker="o",
        color="#1d1d1f",
    )
    pain.set_ylim(0, 10.5)
    pain.set_yticks([0, 2, 4, 6, 8, 10])
    pain.set_ylabel(chart.pain_axis)
    pain.set_title(chart.pain_title, fontsize=10, loc="left")
    lanes = (
        (1.0, chart.ice, "v", "#5bb4e6", (Treatment.ICE, Treatment.ALTERNATE)),
        (0.0, chart.heat, "s", "#e08a1e", (Treatment.HEAT, Treatment.ALTERNATE)),
    )
    for lane, _, marker, colour, treatments in lanes:
        starts = [local(at) for at, treatment in chart.sessions if treatment in treatments]
        care.scatter(starts, [lane] * len(starts), marker=marker, color=colour, s=40)
    care.set_ylim(-0.7, 1.7)
    care.set_yticks([1.0, 0.0], [name for _, name, *_ in lanes])
    care.set_title(chart.care_title, fontsize=10, loc="left")
    moments = [local(at) for at, _ in chart.pain] + [local(at) for at, _ in chart.sessions]
    first, last = min(moments), max(moments)
    margin = max((last - first) * 0.05, timedelta(hours=3))
    care.set_xlim(first - margin, last + margin)
    locator = AutoDateLocator(minticks=2, maxticks=5)  # type: ignore[no-untyped-call]
    care.xaxis.set_major_locator(locator)
    # Dates, not "day 1.2 of the episode": a time of day only when the span is short.
    short = last - first < timedelta(days=2)

    def named(value: float, _position: int | None) -> str:
        moment = num2date(value)  # type: ignore[no-untyped-call]
        day = f"{chart.weekdays[moment.weekday()]} {moment:%d} {chart.months[moment.month - 1]}"
        return f"{day}\n{moment:%H:%M}" if short else day

    care.xaxis.set_major_formatter(FuncFormatter(named))
    care.set_xlabel(chart.dates)
    care.tick_params(axis="x", labelsize=8)
    for ax in (pain, care):
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    figure.tight_layout()
    return figure


def render_report(page: Page) -> bytes:
    """Lay the report out as a PDF and return its bytes (blocking: call it off the loop)."""
    from fpdf import FPDF

    with _lock:
        chart = pain_chart_png(page.chart) if page.chart is not None else None
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(_latin(page.title))
    pdf.add_page()

    def line(text: str) -> None:
        pdf.multi_cell(0, 5.5, _latin(text), new_x="LMARGIN", new_y="NEXT")

    def set_in(font: str, size: float) -> Callable[[str], None]:
        def write(text: str) -> None:
            pdf.set_font("Helvetica", style=font, size=size)
            line(text)
            pdf.set_font("Helvetica", size=10)

        return write

    def heading(text: str) -> None:
        pdf.ln(2)
        pdf.set_font("Helvetica", style="B", size=13)
        pdf.cell(0, 8, _latin(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)

    def picture(_: str) -> None:
        if chart is not None:
            pdf.image(io.BytesIO(chart), w=170)

    def footer(text: str) -> None:
        pdf.ln(3)
        set_in("I", 9)(text)

    setting: dict[Style, Callable[[str], None]] = {
        Style.HEADING: heading,
        Style.TEXT: line,
        Style.NOTE: set_in("I", 10),
        Style.CHART: picture,
        Style.CAPTION: set_in("I", 9),
        Style.FOOTER: footer,
    }
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.cell(0, 10, _latin(page.heading), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    for block in page.blocks:
        setting[block.style](block.text)
    return bytes(pdf.output())
