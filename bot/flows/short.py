"""Forgiving short replies (issue 27 item 3): a slip is read as the word meant, two near
words are asked about, and a short message nothing reads never gets the stock decline.

`guidance.reading.forgiving` finds the slips; here they change how a message is read:
"skp" is read as "skip" (and the reply says so), "skop" asks "Did you mean “skip” or
“stop”?" with a button for each, "paws" that nothing else reads asks about "pause", and
any other short message nothing answers says what can be typed or pressed instead.
"""

from __future__ import annotations

from dataclasses import replace

from bot import wording
from bot.flows.reply import Reply, Shown
from guidance import Answer, Guide
from guidance.reading import Reading, forgiving
from guidance.reading.triage import Finding


def reread(reading: Reading) -> tuple[Reading, str | None]:
    """Return a short message with its slips corrected ("remnd me later" as "remind me
    later"), to be read on, and the words it is read as (None when it had no slip)."""
    meant = forgiving.forgive(reading.text).text
    if meant is None:
        return reading, None
    return Reading(meant, reading.finding), meant  # signs were read on what was typed


def noted(reply: Reply, typed: str, meant: str | None) -> Reply:
    """Say above a reply which words a message with a slip was read as."""
    if meant is None or not reply.screen.text:
        return reply
    return replace(reply, screen=reply.screen.under(wording.talk.read_as(typed, meant)))


def instead_of_decline(text: str, guide: Guide, finding: Finding) -> Reply | Answer | None:
    """Answer a short message the guide has no answer to: "Did you mean …?" when it is a
    slip near two words (or a real word near one), else what can be typed or pressed. The
    guide's answer when it has one (to be asked as usual, not looked up again); None when
    the message is not short."""
    if not 1 <= len(text.split()) <= forgiving.SHORT_WORDS:
        return None
    answer = guide.answer(text, finding=finding)
    if answer.matched or answer.own_back:
        return answer
    forgiven = forgiving.forgive(text)
    choices = forgiven.choices or forgiven.maybe
    if choices:
        return Reply(wording.talk.did_you_mean(choices))
    return Reply(wording.talk.SHORT_NOT_READ)


def in_place(reply: Reply) -> Reply:
    """Show a pressed "Did you mean …?" word's reply in place of the question; one with a
    chart, a file, a picture or more screens comes as a new message."""
    plain = reply.picture is None and reply.document is None and reply.photo is None
    return replace(reply, shown=Shown.REPLACED if plain and not reply.then else Shown.NEW)
