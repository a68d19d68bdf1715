"""Progress: the chart's caption and buttons, the report's and the export's words."""

from __future__ import annotations

from bot.callbacks import Do
from bot.wording.common import Row, Screen
from jobs.documents.chart import ChartWords
from jobs.rules.progress import Progress
from jobs.rules.report import Report

NOTHING_YET = (
    "📈 Nothing to show yet. Once you log water (/drank), take a break or a stretch from a"
    " nudge, or rate your pain in care mode, your chart will be here."
)
NOTHING_TO_REPORT = (
    "📄 Nothing to report yet: there is no care episode (/flare) and nothing logged in the"
    " last 30 days. Once there is, /report makes a PDF to show your physiotherapist or doctor."
)
MONTH_BUTTON = "📅 Last 30 days"
EXPORT = (
    "🗂 Everything I store about you, in a zip: one spreadsheet (CSV) file per subject (water,"
    " breaks, stretches, pain, ice and heat, care episodes, questions, messages, settings),"
    " dates and times in your time zone, and a README.txt that explains every column."
    " /forget deletes it all."
)


def chart(progress: Progress) -> Screen:
    """Caption the chart in words; a week's chart offers the last 30 days, unless the person
    has not been here longer than the week shows (the 30 days would be the same days)."""
    more = not progress.since_joined and len(progress.days) < 30
    rows: list[Row] = [[(MONTH_BUTTON, Do.MONTH)]] if more else []
    return Screen(describe(progress), rows)


def report(made: Report) -> Screen:
    """Caption the report: what it holds, and that it is self-reported."""
    episode = made.episode
    if episode is None:
        holds = "your last 30 days of habits and your settings (no care episode so far)"
    else:
        state = "current" if episode.ongoing else "last"
        holds = f"your {state} care episode, your last 30 days of habits and your settings"
    return Screen(
        f"📄 Your report for a physiotherapist or doctor: {holds}. Everything in it is what you"
        " told me; I'm not a doctor, and it says so."
    )


# -- the chart in words ----------------------------------------------------------------------


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def shown_days(progress: Progress) -> str:
    """Name the days shown: "your last 7 days (…)" or "your 3 days with BackCare (since …)"."""
    days = progress.days
    first, last = days[0].day, days[-1].day
    if progress.since_joined:
        if len(days) == 1:
            return f"your first day with BackCare (today, {last:%a %d %b})"
        return f"your {len(days)} days with BackCare (since you started on {first:%a %d %b})"
    return f"your last {len(days)} days ({first:%a %d %b} – {last:%a %d %b})"


def water_line(progress: Progress) -> str:
    """Say how the water went: goal days of days, and the average over the finished days."""
    days = progress.days
    today = days[-1].water_ml
    said = f"goal ({progress.water_goal_ml} ml) met on {progress.goal_days} of {_days(len(days))}"
    average = progress.water_average
    if average is None:
        return f"{said}; {today} ml so far today."
    over = len(progress.finished_days)
    full = "the 1 full day before today" if over == 1 else f"the {over} full days before today"
    return f"{said}; {average} ml a day on average over {full}, {today} ml so far today."


def streak_line(progress: Progress) -> str | None:
    """Say the streaks that are running; none running: nothing to say (not "0 in a row")."""
    runs = []
    if progress.water_streak:
        runs.append(f"{_days(progress.water_streak)} in a row at your water goal")
    if progress.stretch_streak:
        runs.append(f"{_days(progress.stretch_streak)} in a row with a stretch")
    return f"🔥 Streaks: {', '.join(runs)}." if runs else None


def care_line(progress: Progress) -> str:
    """Say the pain scores and the ice and heat sessions of the days shown."""
    scores = [d.pain for d in progress.days if d.pain is not None]
    ice = sum(d.ice for d in progress.days)
    heat = sum(d.heat for d in progress.days)
    said = "🩹 Pain (0-10): no scores given"
    if scores:
        trend = " → ".join(str(score) for score in scores)
        said = f"🩹 Pain (0-10): {trend} (each day's last score, on {_days(len(scores))})"
    return f"{said}; {_sessions(ice, 'ice')} and {_sessions(heat, 'heat')}."


def _sessions(count: int, what: str) -> str:
    return f"1 {what} session" if count == 1 else f"{count} {what} sessions"


def chart_shows(progress: Progress) -> str:
    """Say what the chart's panels are, one per line of the chart, top to bottom."""
    panels = ["water a day (the dashed line is your goal)", "breaks taken of offered", "stretches"]
    if progress.shows_pain:
        panels.append("your pain score (0-10)")
        if progress.shows_care:
            panels.append("ice and heat days on a row of their own")
    return f"The chart shows, day by day: {', '.join(panels)}."


def describe(progress: Progress) -> str:
    """Say in words what the chart shows: for screen readers, notifications and the caption."""
    days = progress.days
    count = len(days)
    lines = [
        f"📈 {shown_days(progress)[0].upper()}{shown_days(progress)[1:]}:",
        f"💧 Water {water_line(progress)}",
        f"🚶 Breaks: {progress.breaks_taken} taken of {progress.breaks_offered} offered.",
        f"🧘 Stretches on {progress.stretch_days} of {_days(count)}.",
    ]
    streaks = streak_line(progress)
    if streaks is not None:
        lines.append(streaks)
    if progress.shows_pain:
        lines.append(care_line(progress))
    lines.append(chart_shows(progress))
    return "\n".join(lines)


def went_well(week: Progress) -> list[str]:
    """Say, in at most two short phrases, what went best this week (nothing if nothing did)."""
    days = len(week.days)
    found: list[tuple[float, str]] = []
    if week.goal_days:
        found.append((week.goal_days / days, f"water goal met on {week.goal_days} of {days} days"))
    if week.breaks_taken:
        share = week.breaks_taken / max(week.breaks_offered, week.breaks_taken)
        found.append((share, f"{week.breaks_taken} breaks from sitting taken"))
    if week.stretch_days:
        found.append((week.stretch_days / days, f"stretches on {week.stretch_days} days"))
    scores = [d.pain for d in week.days if d.pain is not None]
    if len(scores) >= 2 and scores[-1] < scores[0]:
        found.append((1.0, f"pain down from {scores[0]} to {scores[-1]}"))
    if week.water_streak >= 3:
        found.append((0.9, f"{week.water_streak} days in a row at your water goal"))
    found.sort(key=lambda item: -item[0])
    return [phrase for _, phrase in found[:2]]


def chart_words(progress: Progress) -> ChartWords:
    """Say what the chart shows: the days, the streaks that run, each panel's title."""
    title = shown_days(progress)
    title = title[0].upper() + title[1:]
    # A streak is named once it runs: "0 in a row" greets nobody on their third day.
    runs = [
        f"{run} in a row {what}"
        for run, what in (
            (progress.water_streak, "at the water goal"),
            (progress.stretch_streak, "with a stretch"),
        )
        if run
    ]
    if runs:
        title += "\n" + " · ".join(runs)
    return ChartWords(
        title=title,
        water=f"Water, litres (dashed: goal {progress.water_goal_ml / 1000:g} l)",
        breaks="Breaks taken (blue) of offered (grey)",
        stretches="Stretches done",
        pain="Pain, the day's last score (0-10)",
        care="Ice ▼ and heat ■ sessions",
        ice="ice",
        heat="heat",
    )
