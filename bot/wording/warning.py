"""Warning signs: the unsure question, answers to it, and what follows "get help now"."""

from __future__ import annotations

from bot.callbacks import Do
from bot.i18n import _
from bot.wording.common import Row, Screen
from bot.wording.flare import SEEN_BUTTON
from guidance import Answer

SIGN_BUTTONS: list[Row] = [[(_("Yes, one of these"), Do.SIGN_YES), (_("No"), Do.SIGN_NO)]]
SEEN_ROW: list[Row] = [[(SEEN_BUTTON, Do.SEEN)]]

HELD = _(
    "I've paused posture breaks, stretches and ice or heat offers until you "
    "tell me you've been seen. Water reminders carry on."
)
UNSURE = _(
    "If you're not sure, it's safest to get checked: call a doctor today, "
    "and get help at once if any of these comes on or gets worse. Is any of "
    "them happening now?"
)
WORRY = _(
    "⚠️ To be safe, please treat it as serious and get medical help now: call "
    "your local emergency number or see a doctor straight away. I can't "
    "examine you, so I can't tell you it is safe to wait."
)
GOING = _(
    "Good, that's the right thing to do. I hope it goes well. Tap below once you've been seen."
)
SEEN = _("Thanks for letting me know. I'm glad you were seen: your nudges are back on.")
NOTHING_HELD = _("Thanks for letting me know. Nothing was paused, so everything carries on.")
NO_SIGNS = _("Thanks. Then here is my answer:")
NO_SIGNS_NOTHING_ASKED = _("Thanks, good to hear. What would you like to know?")


def urgent(answer: Answer, *, held: bool) -> Screen:
    """The answer to a warning sign told in words: help first, and self-care held."""
    if not held:
        return Screen(answer.answer)
    return Screen(f"{answer.answer}\n\n{HELD}", SEEN_ROW)


def check() -> Screen:
    """Ask the warning-sign question when triage is not sure, with its two buttons."""
    from bot.wording.answers import CHECK_QUESTION

    return Screen(CHECK_QUESTION, SIGN_BUTTONS)


def unsure(rows: list[Row]) -> Screen:
    """An "I'm not sure" to the warning-sign question: get checked, and ask again."""
    return Screen(UNSURE, rows)


def yes(urgent_text: str) -> Screen:
    """A yes to the warning-sign question asked when unsure: help now, self-care held."""
    return Screen(f"{urgent_text}\n\n{HELD}", SEEN_ROW)


def worry() -> Screen:
    """After "get help now", a worried "is that bad?": the same advice, plainly."""
    return Screen(WORRY, SEEN_ROW)


def going() -> Screen:
    """After "get help now", "on my way": good, and the button for when they've been seen."""
    return Screen(GOING, SEEN_ROW)


def own_back(answer: Answer) -> Screen:
    """A message about their own back that no entry answers: what the bot can do, never no."""
    return Screen(answer.answer, [[(_("🆘 It's in spasm now"), Do.FLARE)]])
