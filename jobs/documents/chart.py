"""The progress chart: a PNG drawn with matplotlib's Agg backend from a `Progress` value.

matplotlib is imported on the first chart, not at start-up (it costs about half a second),
and the bot draws in a worker process (`jobs.documents.Renderer`), so other people's
replies do not wait. Only the object-oriented API is used (no pyplot state), one figure per
call, under a lock: matplotlib's text and font caches are not meant for several threads.
"""

from __future__ import annotations

import gc
import io
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jobs.rules.progress import DayProgress, Progress

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Phone-sized: 1080 px wide; large type; a neutral opaque card that reads the same in a
# dark and a light theme; few colours (blue for done, grey for offered or the goal line,
# orange for heat, light blue for ice: told apart by shape too, not by colour alone).
WIDTH_IN, DPI = 7.2, 140
BACKGROUND = "#f4f4f0"
INK = "#1d1d1f"
MUTED = "#b8b8b2"
DONE = "#2a6fdb"
ICE = "#5bb4e6"
HEAT = "#e08a1e"
FONT_SIZE = 15

_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class ChartWords:
    """What the chart says: its title (a second line for the streaks that run), each
    panel's title, the names of the ice and heat rows, and the days' names
    (`bot.wording.progress`)."""

    title: str
    water: str
    breaks: str
    stretches: str
    pain: str
    care: str
    ice: str
    heat: str
    # Each day's name under the chart (a week: its weekdays; longer: dates).
    ticks: tuple[str, ...]


# Charts drawn by this process, and how often a full garbage collection follows one.
_drawn = 0
COLLECT_EVERY = 10


def _ticks(days: tuple[DayProgress, ...], names: tuple[str, ...]) -> tuple[list[int], list[str]]:
    """Return where the day labels go: each day for a week, else every fifth day and the
    last (fewer ticks also draw faster: each one is several artists on every panel)."""
    count = len(days)
    if count <= 7:
        return list(range(count)), list(names)
    shown = [i for i in range(count) if (count - 1 - i) % 5 == 0]
    return shown, [names[i] for i in shown]


def _style(ax: Axes, title: str) -> None:
    ax.set_facecolor(BACKGROUND)
    ax.set_title(title, loc="left", fontsize=FONT_SIZE + 1, color=INK, fontweight="bold")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(INK)
    ax.tick_params(colors=INK, labelsize=FONT_SIZE - 2)


def chart_figure(progress: Progress, words: ChartWords) -> Figure:
    """Draw the chart as a matplotlib figure: water, breaks, stretches, and pain in a flare.

    Each panel's axes carry a label (`water`, `breaks`, `stretches`, `pain`), so tests can
    count what was drawn.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    days = progress.days
    count = len(days)
    xs = list(range(count))
    # Ice and heat get a short row of their own under the pain panel: drawn on the pain
    # axis, a session read as a pain score of about 1 (UX walk, MEDIUM 1).
    heights = [1.0, 1.0, 1.0]
    if progress.shows_pain:
        heights.append(1.0)
        if progress.shows_care:
            heights.append(0.45)
    panels = len(heights)
    figure = Figure(figsize=(WIDTH_IN, 2.3 * sum(heights) + 0.8), dpi=DPI, facecolor=BACKGROUND)
    title = words.title
    # Inches above the first panel: the title, and its second line when streaks run.
    head = 1.15 if "\n" in title else 0.75
    figure.suptitle(title, fontsize=FONT_SIZE, color=INK, x=0.02, ha="left")
    # Not shared: a shared x axis gives every panel the day ticks (several artists each).
    axes = figure.subplots(panels, 1, height_ratios=heights)
    width = 0.7 if count <= 7 else 0.8

    water = axes[0]
    water.set_label("water")
    goal = progress.water_goal_ml
    litres = [d.water_ml / 1000 for d in days]
    colours = [DONE if d.water_ml >= goal else MUTED for d in days]
    water.bar(xs, litres, width=width, color=colours)
    water.axhline(goal / 1000, color=INK, linestyle="--", linewidth=1.5)
    water.set_ylim(0, max([goal / 1000 * 1.25, *litres]) * 1.05)
    _style(water, words.water)

    breaks = axes[1]
    breaks.set_label("breaks")
    breaks.bar(xs, [d.breaks_offered for d in days], width=width, color=MUTED)
    breaks.bar(xs, [d.breaks_taken for d in days], width=width * 0.55, color=DONE)
    top = max([*(d.breaks_offered for d in days), *(d.breaks_taken for d in days), 1])
    breaks.set_ylim(0, top * 1.15)
    _style(breaks, words.breaks)

    stretches = axes[2]
    stretches.set_label("stretches")
    stretches.bar(xs, [d.stretches for d in days], width=width, color=DONE)
    stretches.set_ylim(0, max([*(d.stretches for d in days), 1]) * 1.15)
    _style(stretches, words.stretches)

    # Three or four numbers on each scale: enough to read, and each tick costs drawing time.
    water.yaxis.set_major_locator(MaxNLocator(nbins=3))
    for ax in axes[1:3]:
        ax.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))

    if progress.shows_pain:
        pain = axes[3]
        pain.set_label("pain")
        scored = [(i, d.pain) for i, d in enumerate(days) if d.pain is not None]
        if scored:
            pain.plot(
                [i for i, _ in scored],
                [score for _, score in scored],
                color=INK,
                marker="o",
                markersize=8,
                linewidth=2.5,
            )
        pain.set_ylim(0, 10.5)
        pain.set_yticks([0, 5, 10])
        _style(pain, words.pain)
    if progress.shows_pain and progress.shows_care:
        care = axes[4]
        care.set_label("ice_heat")
        # One lane each: ice ▼ above, heat ■ below; the day's count beside a mark over one.
        for lane, what, marker, colour in ((1, "ice", "v", ICE), (0, "heat", "s", HEAT)):
            counts = [(i, getattr(d, what)) for i, d in enumerate(days) if getattr(d, what)]
            care.scatter(
                [i for i, _ in counts],
                [lane] * len(counts),
                marker=marker,
                s=110,
                color=colour,
                label=what,
            )
            for i, times in counts:
                if times > 1:
                    care.annotate(
                        f"×{times}",
                        (i, lane),
                        xytext=(9, -5),
                        textcoords="offset points",
                        fontsize=FONT_SIZE - 4,
                        color=INK,
                    )
        care.set_ylim(-0.6, 1.6)
        care.set_yticks([0, 1], [words.heat, words.ice])
        _style(care, words.care)

    for ax in axes[:-1]:
        ax.set_xticks([])
    for ax in axes:
        ax.set_xlim(-0.6, count - 0.4)
    axes[-1].set_xticks(*_ticks(days, words.ticks))
    figure.subplots_adjust(
        left=0.09,
        right=0.95,
        top=1 - head / figure.get_figheight(),
        bottom=0.5 / figure.get_figheight(),
        hspace=0.55,
    )
    return figure


def render_chart(progress: Progress, words: ChartWords) -> bytes:
    """Draw the chart and return it as PNG bytes (blocking: call it off the event loop)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    global _drawn
    with _lock:
        figure = chart_figure(progress, words)
        canvas = FigureCanvasAgg(figure)  # the Agg backend draws it
        buffer = io.BytesIO()
        # Fast compression: a little larger file, a third of the time.
        figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
        # A figure is a web of reference cycles, freed only by the garbage collector's rare
        # full passes: meanwhile dozens pile up, each with its pixel buffer (6 MB). Let go of
        # the buffer and the artists now, and collect now and then (measured: 100 charts
        # leave the worker about 25 MB larger instead of 60 MB).
        canvas.__dict__.pop("renderer", None)
        figure.clear()
        _drawn += 1
        if _drawn % COLLECT_EVERY == 0:
            gc.collect()
    return buffer.getvalue()
