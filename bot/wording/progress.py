"""Progress: the chart's caption and buttons, the report's and the export's words."""

from __future__ import annotations

from bot.callbacks import Do
from bot.wording.common import Row, Screen
from jobs.pure.progress import Progress, describe
from jobs.pure.report import Report

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
    "🗂 Everything I store about you: one CSV file per kind of record, in a zip. Times are"
    " given in UTC and in your local time. /forget deletes it all."
)


def chart(progress: Progress) -> Screen:
    """Caption the chart in words; a week's chart offers the last 30 days."""
    rows: list[Row] = [[(MONTH_BUTTON, Do.MONTH)]] if len(progress.days) < 30 else []
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
