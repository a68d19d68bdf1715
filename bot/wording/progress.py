"""Progress: the chart's caption and buttons, the report's and the export's words."""

from __future__ import annotations

from bot.callbacks import Do
from bot.i18n import _, ngettext
from bot.wording.common import Row, Screen, dated
from jobs.documents.chart import ChartWords
from jobs.rules.progress import Progress
from jobs.rules.report import Report

NOTHING_YET = _(
    "📈 Nothing to show yet. Once you log water (/drank), take a break or a "
    "stretch from a nudge, or rate your pain in care mode, your chart will "
    "be here."
)
NOTHING_TO_REPORT = _(
    "📄 Nothing to report yet: there is no care episode (/flare) and nothing "
    "logged in the last 30 days. Once there is, /report makes a PDF to show "
    "your physiotherapist or doctor."
)
MONTH_BUTTON = _("📅 Last 30 days")
EXPORT = _(
    "🗂 Everything I store about you, in a zip: one spreadsheet (CSV) file "
    "per subject (water, breaks, stretches, pain, ice and heat, care "
    "episodes, questions, messages, settings), dates and times in your time "
    "zone, and a README.txt that explains every column. /forget deletes it "
    "all."
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
        holds = _("your last 30 days of habits and your settings (no care episode so far)")
    else:
        holds = (
            _("your current care episode, your last 30 days of habits and your settings")
            if episode.ongoing
            else _("your last care episode, your last 30 days of habits and your settings")
        )
    return Screen(
        _(
            "📄 Your report for a physiotherapist or doctor: {holds}. Everything in "
            "it is what you told me; I'm not a doctor, and it says so."
        ).format(holds=holds)
    )


# -- the chart in words ----------------------------------------------------------------------


def _days(count: int) -> str:
    return ngettext("{count} day", "{count} days", count).format(count=count)


def shown_days(progress: Progress) -> str:
    """Name the days shown: "your last 7 days (…)" or "your 3 days with BackCare (since …)"."""
    days = progress.days
    first, last = days[0].day, days[-1].day
    if progress.since_joined:
        if len(days) == 1:
            return _("your first day with BackCare (today, {today})").format(
                today=dated(last, "%a %d %b")
            )
        return _("your {count} days with BackCare (since you started on {first})").format(
            count=len(days), first=dated(first, "%a %d %b")
        )
    return _("your last {count} days ({first} – {last})").format(
        count=len(days), first=dated(first, "%a %d %b"), last=dated(last, "%a %d %b")
    )


def water_line(progress: Progress) -> str:
    """Say how the water went: goal days of days, and the average over the finished days."""
    days = progress.days
    today = days[-1].water_ml
    said = _("goal ({goal} ml) met on {met} of {days}").format(
        goal=progress.water_goal_ml, met=progress.goal_days, days=_days(len(days))
    )
    average = progress.water_average
    if average is None:
        return _("{said}; {today} ml so far today.").format(said=said, today=today)
    over = len(progress.finished_days)
    full = ngettext(
        "the {count} full day before today", "the {count} full days before today", over
    ).format(count=over)
    return _("{said}; {average} ml a day on average over {full}, {today} ml so far today.").format(
        said=said, average=average, full=full, today=today
    )


def streak_line(progress: Progress) -> str | None:
    """Say the streaks that are running; none running: nothing to say (not "0 in a row")."""
    runs = []
    if progress.water_streak:
        runs.append(
            _("{days} in a row at your water goal").format(days=_days(progress.water_streak))
        )
    if progress.stretch_streak:
        runs.append(
            _("{days} in a row with a stretch").format(days=_days(progress.stretch_streak))
        )
    return _("🔥 Streaks: {streaks}.").format(streaks=", ".join(runs)) if runs else None


def care_line(progress: Progress) -> str:
    """Say the pain scores and the ice and heat sessions of the days shown."""
    scores = [d.pain for d in progress.days if d.pain is not None]
    ice = sum(d.ice for d in progress.days)
    heat = sum(d.heat for d in progress.days)
    said = _("🩹 Pain (0-10): no scores given")
    if scores:
        trend = " → ".join(str(score) for score in scores)
        said = _("🩹 Pain (0-10): {trend} (each day's last score, on {days})").format(
            trend=trend, days=_days(len(scores))
        )
    ice_sessions = ngettext("{count} ice session", "{count} ice sessions", ice)
    heat_sessions = ngettext("{count} heat session", "{count} heat sessions", heat)
    return _("{pain}; {ice} and {heat}.").format(
        pain=said, ice=ice_sessions.format(count=ice), heat=heat_sessions.format(count=heat)
    )


def chart_shows(progress: Progress) -> str:
    """Say what the chart's panels are, one per line of the chart, top to bottom."""
    panels = [
        _("water a day (the dashed line is your goal)"),
        _("breaks taken of offered"),
        _("stretches"),
    ]
    if progress.shows_pain:
        panels.append(_("your pain score (0-10)"))
        if progress.shows_care:
            panels.append(_("ice and heat days on a row of their own"))
    return _("The chart shows, day by day: {panels}.").format(panels=", ".join(panels))


def describe(progress: Progress) -> str:
    """Say in words what the chart shows: for screen readers, notifications and the caption."""
    days = progress.days
    count = len(days)
    lines = [
        f"📈 {shown_days(progress)[0].upper()}{shown_days(progress)[1:]}:",
        _("💧 Water {how_it_went}").format(how_it_went=water_line(progress)),
        _("🚶 Breaks: {taken} taken of {offered} offered.").format(
            taken=progress.breaks_taken, offered=progress.breaks_offered
        ),
        _("🧘 Stretches on {stretched} of {days}.").format(
            stretched=progress.stretch_days, days=_days(count)
        ),
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
        found.append(
            (
                week.goal_days / days,
                _("water goal met on {met} of {days} days").format(met=week.goal_days, days=days),
            )
        )
    if week.breaks_taken:
        share = week.breaks_taken / max(week.breaks_offered, week.breaks_taken)
        found.append(
            (
                share,
                _("{count} breaks from sitting taken").format(count=week.breaks_taken),
            )
        )
    if week.stretch_days:
        found.append(
            (
                week.stretch_days / days,
                _("stretches on {count} days").format(count=week.stretch_days),
            )
        )
    scores = [d.pain for d in week.days if d.pain is not None]
    if len(scores) >= 2 and scores[-1] < scores[0]:
        found.append(
            (
                1.0,
                _("pain down from {first} to {last}").format(first=scores[0], last=scores[-1]),
            )
        )
    if week.water_streak >= 3:
        found.append(
            (
                0.9,
                _("{count} days in a row at your water goal").format(count=week.water_streak),
            )
        )
    found.sort(key=lambda item: -item[0])
    return [phrase for _share, phrase in found[:2]]


def chart_words(progress: Progress) -> ChartWords:
    """Say what the chart shows: the days, the streaks that run, each panel's title."""
    title = shown_days(progress)
    title = title[0].upper() + title[1:]
    # A streak is named once it runs: "0 in a row" greets nobody on their third day.
    runs = []
    if progress.water_streak:
        runs.append(_("{count} in a row at the water goal").format(count=progress.water_streak))
    if progress.stretch_streak:
        runs.append(_("{count} in a row with a stretch").format(count=progress.stretch_streak))
    if runs:
        title += "\n" + " · ".join(runs)
    return ChartWords(
        title=title,
        water=_("Water, litres (dashed: goal {litres:g} l)").format(
            litres=progress.water_goal_ml / 1000
        ),
        breaks=_("Breaks taken (blue) of offered (grey)"),
        stretches=_("Stretches done"),
        pain=_("Pain, the day's last score (0-10)"),
        care=_("Ice ▼ and heat ■ sessions"),
        ice=_("ice"),
        heat=_("heat"),
        ticks=tuple(_ticks(progress)),
    )


def _ticks(progress: Progress) -> list[str]:
    """Name the chart's days: each weekday for a week, else the date of every fifth day
    and the last."""
    days = progress.days
    if len(days) <= 7:
        return [dated(day.day, "%a")[:2] for day in days]
    return [dated(day.day, "%d %b") for day in days]
