"""Progress: the chart's caption and buttons, the report's and the export's words."""

from __future__ import annotations

from bot.callbacks import Do
from bot.wording.common import Row, Screen
from jobs.rules.progress import Progress, describe
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
