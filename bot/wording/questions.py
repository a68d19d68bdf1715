"""Questions: the help, answers with their 👍/👎, and what is said when they come too fast."""

from __future__ import annotations

from bot.callbacks import Do, Vote
from bot.wording.common import NOT_A_DOCTOR, Screen
from bot.wording.flare import SPASM_BUTTON
from guidance import EXAMPLE_QUESTIONS, Answer

HELP = (
    """BackCare helps you look after your back: water through the day, a break from \
your desk every hour while you work, a daily stretch, in your time zone and never at night.

Setting up
/start – set up, or see your plan
/settings – change anything with buttons
/timezone Europe/Berlin – your time zone (a city works too)
/hours 07:30-22:30 – when you're awake (22:00-06:00 for nights)

Nudges
/water on|off · /water goal 2500 · /water glass 300
/posture on|off · /posture every 45m · /posture work 08:30-17:00 mon-fri
/stretch on|off · /stretch 19:30
/pause 2h|today|tomorrow · /resume

Your day
/drank – log a glass of water (/drank 500 for an amount in ml)
/today – what you did today and your next nudges
/progress – a chart of your last 7 days (and 30), with your streaks
/summary on|off · /summary sun 18:00 – your weekly summary, its day and time

When your back goes into spasm
/flare – care mode: what to do now, ice then heat on time, a daily pain check
/ice · /heat – start a session now (I'll say when to take it off)
/pain 6 – how bad it is today, 0-10
/better – end care mode, with a summary

Your data
/report – a PDF for your physiotherapist or doctor
/export – everything I store about you, as CSV files in a zip
/forget – delete everything I store about you

Questions: just type them, for example:
"""
    + "\n".join(f"• {question}" for question in EXAMPLE_QUESTIONS)
    + "\n\n"
)


def help_screen() -> Screen:
    """Show what the bot does and every command, with the button for a spasm."""
    return Screen(HELP + NOT_A_DOCTOR, [[(SPASM_BUTTON, Do.FLARE)]])


def answer(reply: Answer, question_id: int | None) -> Screen:
    """Show an answer; a matched one can be rated 👍/👎."""
    if question_id is None or reply.urgent or not reply.matched:
        return Screen(reply.answer)
    return Screen(
        reply.answer,
        [
            [
                ("👍 Helpful", Vote(question_id, helpful=True)),
                ("👎 Not helpful", Vote(question_id, helpful=False)),
            ]
        ],
    )


SLOW_DOWN = (
    "You're sending questions faster than I can answer well, so I'll leave the next ones "
    "for a minute: please send them again then. Anything about a warning sign (numbness, "
    "weakness, bladder or bowel trouble, severe pain) I always answer at once."
)
THANKS_FOR_VOTE = "Thanks for the feedback"
TOO_LONG = (
    "That message is too long for me ({limit} characters at most). For example: /hours 07:30-22:30"
)
