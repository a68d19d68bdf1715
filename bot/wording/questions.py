"""Questions: answers with their 👍/👎, and what is said when they come too fast."""

from __future__ import annotations

from bot.callbacks import Vote
from bot.i18n import _
from bot.wording.common import Screen
from guidance import Answer


def answer(reply: Answer, question_id: int | None) -> Screen:
    """Show an answer; a matched one can be rated 👍/👎."""
    if question_id is None or reply.urgent or not reply.matched:
        return Screen(reply.answer)
    return Screen(
        reply.answer,
        [
            [
                (_("👍 Helpful"), Vote(question_id, helpful=True)),
                (_("👎 Not helpful"), Vote(question_id, helpful=False)),
            ]
        ],
    )


SLOW_DOWN = _(
    "You're sending questions faster than I can answer well, so I'll leave "
    "the next ones for a minute: please send them again then. Anything about "
    "a warning sign (numbness, weakness, bladder or bowel trouble, severe "
    "pain) I always answer at once."
)
THANKS_FOR_VOTE = _("Thanks for the feedback")
TOO_LONG = _(
    "That message is too long for me ({limit} characters at most). For example: /hours 07:30-22:30"
)
