"""The report for a physiotherapist or doctor: one or two A4 pages, laid out with fpdf2.

fpdf2 and matplotlib are imported on the first report, not at start-up, and the bot makes
the report in its worker process (`jobs.documents.Renderer`). The PDF's core fonts hold
Latin-1 only, so the text here avoids emoji and typographic dashes.
"""

from __future__ import annotations

import io
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

from jobs.pure.progress import Progress
from jobs.pure.report import SELF_REPORTED, Episode, Report
from storage.kinds import Treatment

_lock = threading.Lock()
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _latin(text: str) -> str:
    """Keep what the PDF's core fonts can draw."""
    return text.replace("–", "-").replace("→", "->").encode("latin-1", "replace").decode("latin-1")


def _when(moment: datetime | None, zone: ZoneInfo) -> str:
    return "-" if moment is None else f"{moment.astimezone(zone):%a %d %b %Y %H:%M}"


def _day(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%a %d %b %Y}"


def pain_chart_png(episode: Episode, zone: ZoneInfo) -> bytes:
    """Draw the episode's pain trend, each check-in a point, as a small PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.5, 2.2), dpi=110, facecolor="white")
    ax = figure.subplots()
    start = episode.started_at

    def day_of(moment: datetime) -> float:
        return (moment - start).total_seconds() / 86400 + 1

    days = [day_of(at) for at, _ in episode.pain]
    ax.plot(days, [score for _, score in episode.pain], marker="o", color="#1d1d1f")
    for line in episode.sessions:
        colour = "#e08a1e" if line.treatment is Treatment.HEAT else "#5bb4e6"
        ax.axvline(day_of(line.started_at), color=colour, lw=0.8)
    ax.set_ylim(0, 10.5)
    ax.set_ylabel("pain 0-10")
    ax.set_xlabel(f"day of the episode (day 1: {start.astimezone(zone):%d %b %Y})")
    ax.set_title("Pain check-ins (lines: ice blue, heat orange)", fontsize=10, loc="left")
    figure.tight_layout()
    FigureCanvasAgg(figure)  # the Agg backend draws it
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _habit_lines(habits: Progress) -> list[str]:
    days = len(habits.days)
    average = sum(d.water_ml for d in habits.days) // max(days, 1)
    return [
        f"Water: goal of {habits.water_goal_ml} ml met on {habits.goal_days} of {days} days;"
        f" {average} ml a day on average.",
        f"Posture breaks: {habits.breaks_taken} taken of {habits.breaks_offered} offered.",
        f"Stretches: done on {habits.stretch_days} of {days} days.",
        f"Ice sessions: {sum(d.ice for d in habits.days)}; heat sessions:"
        f" {sum(d.heat for d in habits.days)}.",
    ]


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
        ice = sum(1 for s in episode.sessions if s.treatment is Treatment.ICE)
        heat = sum(1 for s in episode.sessions if s.treatment is Treatment.HEAT)
        both = sum(1 for s in episode.sessions if s.treatment is Treatment.ALTERNATE)
        line(f"Ice sessions: {ice}; heat sessions: {heat}; ice then heat: {both}.")
        for session in episode.sessions[:12]:
            off = _when(session.taken_off_at, zone) if session.taken_off_at else "not said"
            line(
                f"  {session.treatment.value}: started {_when(session.started_at, zone)},"
                f" taken off {off}"
            )
        if len(episode.sessions) > 12:
            line(f"  ... and {len(episode.sessions) - 12} more (all in /export).")
        line(f"Warning-sign question: {_warning_answer(episode, zone)}.")
        if episode.doctor_advised_at is not None:
            reason = episode.doctor_reason or "see the guidance"
            line(
                f"BackCare advised seeing a doctor {_when(episode.doctor_advised_at, zone)}:"
                f" {reason}."
            )
        missed = ", ".join(f"{day:%d %b}" for day in episode.missed_checkins)
        line(f"Days without a morning check-in: {len(episode.missed_checkins)} {missed}".strip())

    heading(f"Habits, last {len(report.habits.days)} days")
    for text in _habit_lines(report.habits):
        line(text)

    heading("BackCare's settings for this person")
    for text in (
        f"Time zone {person.zone or 'UTC'}; awake {person.waking} (no messages outside).",
        f"Water nudges {'on' if person.water else 'off'}: {person.water_goal_ml} ml a day in"
        f" {person.water_glass_ml} ml glasses.",
        f"Posture breaks {'on' if person.posture else 'off'}: every"
        f" {person.posture_every_minutes} min, {person.work_days} {person.work}.",
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
