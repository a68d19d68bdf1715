"""The report for a physiotherapist or doctor: one or two A4 pages, laid out with fpdf2.

fpdf2 and matplotlib are imported on the first report, not at start-up, and the bot makes
the report in its worker process (`jobs.documents.Renderer`). The PDF's core fonts hold
Latin-1 only, so the text here avoids emoji and typographic dashes.
"""

from __future__ import annotations

import io
import threading
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from jobs.rules.progress import Progress

if TYPE_CHECKING:
    from matplotlib.figure import Figure
from jobs.rules.report import SELF_REPORTED, CareSessionLine, Episode, Report
from storage.kinds import Treatment

_lock = threading.Lock()
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _latin(text: str) -> str:
    """Keep what the PDF's core fonts can draw."""
    return text.replace("–", "-").replace("→", "->").encode("latin-1", "replace").decode("latin-1")


def _when(moment: datetime | None, zone: ZoneInfo) -> str:
    return "-" if moment is None else f"{moment.astimezone(zone):%a %d %b %Y %H:%M}"


def _day(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%a %d %b %Y}"


# What the report's chart shows, said under it: a chart is read without the app beside it.
CHART_CAPTION = (
    "Chart: each pain check-in of the episode (0 = no pain, 10 = the worst imaginable) by"
    " date; below it, on a row of its own, when each ice and heat session started."
)


def pain_chart_png(episode: Episode, zone: ZoneInfo) -> bytes:
    """Draw the episode's chart (`pain_chart_figure`) as a small PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = pain_chart_figure(episode, zone)
    FigureCanvasAgg(figure)  # the Agg backend draws it
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def pain_chart_figure(episode: Episode, zone: ZoneInfo) -> Figure:
    """Draw the episode's pain check-ins by date, and its ice and heat sessions on a row of
    their own below (not on the pain scale, where a session would read as a score)."""
    from matplotlib.dates import AutoDateLocator, DateFormatter
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.5, 2.9), dpi=110, facecolor="white")
    pain, care = figure.subplots(2, 1, sharex=True, height_ratios=[3, 1])

    def local(moment: datetime) -> datetime:
        # matplotlib draws the wall-clock time it is given: the person's own.
        return moment.astimezone(zone).replace(tzinfo=None)

    pain.plot(
        [local(at) for at, _ in episode.pain],
        [score for _, score in episode.pain],
        marker="o",
        color="#1d1d1f",
    )
    pain.set_ylim(0, 10.5)
    pain.set_yticks([0, 2, 4, 6, 8, 10])
    pain.set_ylabel("pain 0-10")
    pain.set_title("Pain check-ins", fontsize=10, loc="left")
    lanes = (
        (1.0, "ice", "v", "#5bb4e6", (Treatment.ICE, Treatment.ALTERNATE)),
        (0.0, "heat", "s", "#e08a1e", (Treatment.HEAT, Treatment.ALTERNATE)),
    )
    for lane, _, marker, colour, treatments in lanes:
        starts = [local(s.started_at) for s in episode.sessions if s.treatment in treatments]
        care.scatter(starts, [lane] * len(starts), marker=marker, color=colour, s=40)
    care.set_ylim(-0.7, 1.7)
    care.set_yticks([1.0, 0.0], [name for _, name, *_ in lanes])
    care.set_title("Ice and heat sessions (when each started)", fontsize=10, loc="left")
    moments = [local(at) for at, _ in episode.pain] + [
        local(s.started_at) for s in episode.sessions
    ]
    first, last = min(moments), max(moments)
    margin = max((last - first) * 0.05, timedelta(hours=3))
    care.set_xlim(first - margin, last + margin)
    locator = AutoDateLocator(minticks=2, maxticks=5)  # type: ignore[no-untyped-call]
    care.xaxis.set_major_locator(locator)
    # Dates, not "day 1.2 of the episode": a time of day only when the span is short.
    short = last - first < timedelta(days=2)
    shown = "%a %d %b\n%H:%M" if short else "%a %d %b"
    care.xaxis.set_major_formatter(DateFormatter(shown))  # type: ignore[no-untyped-call]
    care.set_xlabel(f"date ({zone.key})")
    care.tick_params(axis="x", labelsize=8)
    for ax in (pain, care):
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    figure.tight_layout()
    return figure


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def habits_heading(habits: Progress) -> str:
    """Name the days the habits cover: since joining, or the last 30."""
    days = habits.days
    if habits.since_joined:
        return f"Habits since starting BackCare on {days[0].day:%a %d %b %Y} ({_days(len(days))})"
    return f"Habits, last {len(days)} days ({days[0].day:%d %b} - {days[-1].day:%d %b %Y})"


def habit_lines(habits: Progress) -> list[str]:
    """Say the habits in sentences, each count with the days it is out of."""
    days = len(habits.days)
    average = habits.water_average
    over = len(habits.finished_days)
    water = (
        f"Water: the goal of {habits.water_goal_ml} ml a day was met on {habits.goal_days} of"
        f" {_days(days)}"
    )
    if average is None:
        water += f"; {habits.days[-1].water_ml} ml logged so far today (the first day)."
    else:
        water += (
            f"; {average} ml a day on average over the {_days(over)} before today"
            f" ({habits.days[-1].water_ml} ml so far today)."
        )
    ice = sum(d.ice for d in habits.days)
    heat = sum(d.heat for d in habits.days)
    return [
        water,
        f"Posture breaks: {habits.breaks_taken} taken of {habits.breaks_offered} offered"
        " by BackCare.",
        f"Stretches: done on {habits.stretch_days} of {_days(days)}.",
        f"Ice: {_times(ice)}; heat: {_times(heat)} (sessions counted on the day they started).",
    ]


def _times(count: int) -> str:
    return "no sessions" if count == 0 else ("1 session" if count == 1 else f"{count} sessions")


def sessions_sentence(episode: Episode) -> str:
    """Sum up the episode's ice and heat sessions in one sentence."""
    counts = [
        (sum(1 for s in episode.sessions if s.treatment is treatment), name)
        for treatment, name in (
            (Treatment.ICE, "with ice"),
            (Treatment.HEAT, "with heat"),
            (Treatment.ALTERNATE, "alternating ice and heat (ice first, then heat)"),
        )
    ]
    said = [f"{count} {name}" for count, name in counts if count]
    if not said:
        return "No ice or heat sessions were logged in this episode."
    total = len(episode.sessions)
    listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    return f"{total} ice or heat {'session' if total == 1 else 'sessions'} logged: {listed}."


_TREATMENT_NAMES = {
    Treatment.ICE: "Ice",
    Treatment.HEAT: "Heat",
    Treatment.ALTERNATE: "Ice then heat",
}


def session_sentence(line: CareSessionLine, zone: ZoneInfo) -> str:
    """Say one session: when it went on and when it came off, or that nobody said so."""
    what = _TREATMENT_NAMES[line.treatment]
    started = line.started_at.astimezone(zone)
    if line.taken_off_at is None:
        return (
            f"{what} put on {started:%a %d %b %H:%M}; when it came off was not recorded"
            " (the person did not confirm it)."
        )
    off = line.taken_off_at.astimezone(zone)
    minutes = round((line.taken_off_at - line.started_at).total_seconds() / 60)
    ended = f"{off:%H:%M}" if off.date() == started.date() else f"{off:%a %d %b %H:%M}"
    return f"{what} on {started:%a %d %b %H:%M}, off at {ended} ({minutes} min)."


def _warning_answer(episode: Episode, zone: ZoneInfo) -> str:
    if episode.warning_signs is None:
        return "not answered"
    if not episode.warning_signs:
        return "no (none of the warning signs)"
    seen = "; not yet said they were seen" if episode.seen_at is None else ""
    if episode.seen_at is not None:
        seen = f"; said they were seen by a doctor {_when(episode.seen_at, zone)}"
    return f"yes: told to get medical help at once{seen}"


def render_report(report: Report) -> bytes:
    """Lay the report out as a PDF and return its bytes (blocking: call it off the loop)."""
    from fpdf import FPDF

    person = report.person
    zone = person.tz
    with _lock:
        chart = (
            pain_chart_png(report.episode, zone)
            if report.episode is not None and report.episode.pain
            else None
        )
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title("BackCare report")
    pdf.add_page()

    def heading(text: str) -> None:
        pdf.ln(2)
        pdf.set_font("Helvetica", style="B", size=13)
        pdf.cell(0, 8, _latin(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)

    def line(text: str) -> None:
        pdf.multi_cell(0, 5.5, _latin(text), new_x="LMARGIN", new_y="NEXT")

    pdf.set_font("Helvetica", style="B", size=16)
    pdf.cell(
        0, 10, "BackCare report for a physiotherapist or doctor", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("Helvetica", size=10)
    line(f"Made {_when(report.made_at, zone)} ({person.zone or 'UTC'}).")
    pdf.set_font("Helvetica", style="I", size=10)
    line(SELF_REPORTED)
    pdf.set_font("Helvetica", size=10)

    episode = report.episode
    heading("Care episode" + (" (ongoing)" if episode and episode.ongoing else ""))
    if episode is None:
        line("No care episode recorded (care mode, /flare, was never started).")
    else:
        ended = "ongoing" if episode.ended_at is None else _day(episode.ended_at, zone)
        line(f"Started {_day(episode.started_at, zone)}; ended: {ended}.")
        scores = ", ".join(f"{at.astimezone(zone):%d %b} {score}" for at, score in episode.pain)
        line(f"Pain check-ins (0 = none, 10 = worst): {scores or 'none given'}.")
        if chart is not None:
            pdf.image(io.BytesIO(chart), w=170)
            pdf.set_font("Helvetica", style="I", size=9)
            line(CHART_CAPTION)
            pdf.set_font("Helvetica", size=10)
        line(sessions_sentence(episode))
        for session in episode.sessions[:12]:
            line(f"  {session_sentence(session, zone)}")
        if len(episode.sessions) > 12:
            line(f"  ... and {len(episode.sessions) - 12} more (all in /export).")
        line(f"Warning-sign question: {_warning_answer(episode, zone)}.")
        if episode.doctor_advised_at is not None:
            reason = episode.doctor_reason or "see the guidance"
            line(
                f"BackCare advised seeing a doctor {_when(episode.doctor_advised_at, zone)}:"
                f" {reason}."
            )
        missed = episode.missed_checkins
        if missed:
            listed = ", ".join(f"{day:%a %d %b}" for day in missed)
            line(f"Days without a morning pain check-in: {len(missed)} ({listed}).")
        else:
            line("A morning pain check-in was given on every day of the episode after the first.")

    heading(habits_heading(report.habits))
    for text in habit_lines(report.habits):
        line(text)

    heading("BackCare's settings for this person")
    for text in (
        f"Time zone {person.zone or 'UTC'}; awake {person.waking} (no messages outside).",
        f"Water nudges {'on' if person.water else 'off'}: {person.water_goal_ml} ml a day in"
        f" {person.water_glass_ml} ml glasses.",
        f"Posture breaks {'on' if person.posture else 'off'}: every"
        f" {person.posture_every_minutes} min, {str(person.work_days).title()} {person.work}.",
        f"Daily stretch {'on' if person.stretch else 'off'} at {person.stretch_time:%H:%M}.",
        f"Weekly summary {'on' if person.weekly_summary else 'off'}:"
        f" {_WEEKDAYS[person.summary_day]} {person.summary_time:%H:%M}.",
    ):
        line(text)

    pdf.ln(3)
    pdf.set_font("Helvetica", style="I", size=9)
    line(
        "BackCare gives no advice beyond its guidance documents; nothing here is a diagnosis"
        " or a treatment plan. " + SELF_REPORTED.split(". ", 1)[0] + "."
    )
    return bytes(pdf.output())
