"""What the bot says to plain messages: distress, small talk, busy and pauses, other languages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.callbacks import Do, Mean, OpenMenu, SetValue
from bot.i18n import _
from bot.wording.common import Screen, at, on_day
from bot.wording.nudges import NudgeTexts
from guidance.reading.intents.reader import Act, Chat
from storage.kinds import NudgeKind

CARE_MODE_BUTTON = (_("🩹 Start care mode"), Do.FLARE)


def distress(texts: NudgeTexts) -> Screen:
    """Someone in pain right now: what to do first, then care mode on one tap."""
    text = _(
        "I'm sorry, that sounds painful. First, right now:\n"
        "{first_aid}\n"
        "{positions}\n"
        "{breathing}\n"
        "\n"
        "Tap below and I'll switch to care mode: ice, then heat, on time, a "
        "check on the warning signs, and a gentler plan until your back eases."
    ).format(first_aid=texts.first_aid, positions=texts.positions, breathing=texts.breathing)
    return Screen(text, [[CARE_MODE_BUTTON]])


def distress_in_care(texts: NudgeTexts, status: str, *, first_aid: bool = True) -> Screen:
    """Someone in pain while care mode is on: where the plan stands, and the first aid
    unless it was sent in the last six hours."""
    steps = f"{texts.first_aid}\n{texts.positions}\n\n" if first_aid else f"{STILL_APPLIES}\n\n"
    text = _(
        "I'm sorry it hurts.\n"
        "{steps}{status}\n"
        "/ice or /heat starts a session now; /pain 0-10 notes how it is."
    ).format(steps=steps, status=status)
    return Screen(text)


# The first aid went out within six hours: point back to it rather than send it again.
STILL_APPLIES = _(
    "The steps I sent earlier still apply: rest somewhere comfortable, "
    "breathe slowly, ice 15-20 minutes wrapped in a towel."
)
DISTRESS_AGAIN = Screen(
    _(
        "I'm sorry it still hurts. {still_applies} Tap below for care mode: ice "
        "and heat on time, and a gentler plan."
    ).format(still_applies=STILL_APPLIES),
    [[CARE_MODE_BUTTON]],
)


SMALL_TALK = {
    Chat.THANKS: _("You're welcome 🙂 I'm here whenever you need me."),
    Chat.HELLO: _("Hi 👋 I'm here. /today shows your day; /help shows what I can do."),
    Chat.OK: "👍",
}

FOREIGN = Screen(
    _(
        "Sorry, I only speak English for now. If your back has gone into spasm, "
        "tap below; /help lists what I can do."
    ),
    [[CARE_MODE_BUTTON]],
)

# A reply to a nudge ("done", "later", "skip") when nothing is waiting for one.
NOTHING_WAITING = {
    Act.DONE: _(
        'Nothing is waiting for an answer right now. To log something: "2 '
        'glasses", "I just walked", or /drank 500.'
    ),
    Act.SNOOZE: _('Nothing is waiting right now. To hold your nudges: "busy until 3".'),
    Act.SKIP: _("Nothing is waiting right now, so there is nothing to skip."),
}
# After words that answer one part of a message of several ("done", "did the stretch"):
# the part answered says so in its own line; the others keep their buttons.
_PART_NAMES = {
    NudgeKind.WATER: _("the glass of water"),
    NudgeKind.POSTURE: _("the break"),
    NudgeKind.STRETCH: _("the stretch"),
    NudgeKind.CARE_OFFER: _("the ice or heat offer"),
    NudgeKind.PAIN_CHECK: _("today's pain score"),
    NudgeKind.SESSION_END: _("taking the pack off"),
}


def still_waiting(kinds: Sequence[NudgeKind]) -> str:
    """Say which parts of a message a typed "done" left waiting, and how to answer them."""
    names = [_PART_NAMES.get(kind, kind.value) for kind in kinds]
    named = (
        names[0]
        if len(names) == 1
        else _("{some} and {last}").format(some=", ".join(names[:-1]), last=names[-1])
    )
    return _("Only that one: {waiting} is still waiting, its buttons are on the message.").format(
        waiting=named
    )


NOT_THAT_NUDGE = _(
    "That doesn't fit the nudge that's waiting: use its buttons, or tell me "
    'more ("2 glasses", "busy until 3").'
)

# A request BackCare cannot do: said plainly, with what it can do; no nudge is touched.
CANNOT = _(
    "I can't do that: I only remind you about water, getting up from your "
    "desk, your daily stretch, and ice or heat in care mode, and I answer "
    "questions about back spasms. For medicines, appointments or anything "
    "else, your phone's own reminders will serve you better. If a medicine "
    "worries you, ask a pharmacist or your doctor."
)


def cannot() -> Screen:
    """Say plainly what BackCare cannot do, and what it can."""
    return Screen(CANNOT, [[(_("⚙️ My reminders"), OpenMenu("main")), (_("❓ Help"), Do.HELP)]])


# "Not yet" to "take the ice (or heat) off": nothing is logged, the reminder stands.
NOT_OFF_YET = _(
    "OK, it stays on for now; don't leave it on past the time your plan "
    "gives. Tap “Done, it's off” or tell me “it's off” when it is."
)

STOP = Screen(
    _(
        "Would you like a break from the nudges? Pause them for a while, or turn "
        "some off. /forget deletes everything I keep about you."
    ),
    [
        [
            (_("⏸ Rest of today"), SetValue("pause", "today")),
            (_("⏸ 1 week"), SetValue("pause", "1w")),
        ],
        [(_("⚙️ Turn some off"), OpenMenu("main"))],
    ],
)


def busy(until: datetime, zone: str | None, *, now: datetime) -> str:
    """Confirm nudges held until a time today."""
    return _(
        "🔕 Got it: I'll hold your nudges until {when}. Ice and heat timers still "
        "ring. /resume brings the nudges back sooner."
    ).format(when=at(until, zone, now=now))


def paused(until: datetime, zone: str | None, *, day_only: bool, now: datetime) -> str:
    """Confirm a pause: until a day (from that morning), or until a moment."""
    if day_only:
        return _(
            "⏸ Paused until {day}: your nudges come back when you wake up that "
            "day. /resume brings them back sooner."
        ).format(day=on_day(until, zone, now=now))
    return _("⏸ Paused until {when}. /resume brings them back sooner.").format(
        when=at(until, zone, now=now)
    )


# A short message with a slip in it ("skp", "remnd"): what it was read as, above the reply.
def read_as(typed: str, meant: str) -> str:
    """Say which words a short message with a slip was read as."""
    return _("(I read “{typed}” as “{meant}”.)").format(typed=typed, meant=meant)


def did_you_mean(choices: Sequence[str]) -> Screen:
    """Ask which of a few words a short message meant, a button for each: pressing one does
    what typing it would."""
    quoted = [f"“{word}”" for word in choices]
    asked = (
        quoted[0]
        if len(quoted) == 1
        else _("{some} or {last}").format(some=", ".join(quoted[:-1]), last=quoted[-1])
    )
    return Screen(
        _("Did you mean {asked}?").format(asked=asked),
        [[(word, Mean(word)) for word in choices], [(_("❓ Something else"), Do.HELP)]],
    )


# A short message nothing reads (never the "I only have guidance on back spasms" decline):
# what can be typed or pressed instead.
SHORT_NOT_READ = Screen(
    _(
        "I didn't catch that. You can answer a nudge with its buttons or in a "
        "word: “done”, “skip”, “later”, “undo”; log things as “2 glasses” or “I "
        "just walked”; or ask me anything about your back in a sentence."
    ),
    [[(_("❓ What I can do"), Do.HELP), CARE_MODE_BUTTON]],
)
