"""Your day: water logged, breaks and stretches done or moved, and today's summary."""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

from bot.callbacks import ConfirmDrink, Do
from bot.i18n import _
from bot.wording.common import Screen, at
from bot.wording.settings import paused_until
from jobs.rules.person import Person
from jobs.services.schedule import Today, WaterLogged
from jobs.services.undo import Undid, Undone
from storage.models import NudgeKind

# What a nudge's button says it did, briefly, as it is pressed.
GLASS_ADDED = _("+1 glass")
LOGGED = _("Logged ✓")
SNOOZED = _("Snoozed")
SKIPPED = _("Skipped")

NOT_LOGGED = _("Okay, not logged.")
TOO_MUCH_WATER_ON_A_NUDGE = _(
    "That would make more than 10 litres today, so I didn't log it. If it's "
    "right, type /drank and confirm."
)


def water_logged(logged: WaterLogged, *, zone: str | None, now: datetime) -> str:
    """Say where someone stands after logging water."""
    if logged.goal_reached_now:
        return _(
            "🎉 That's {glasses} of {goal} glasses: today's goal is reached. No more "
            "water reminders today."
        ).format(glasses=logged.glasses, goal=logged.goal)
    if logged.glasses >= logged.goal:
        return _("💧 Logged: {glasses} glasses today, goal already reached.").format(
            glasses=logged.glasses
        )
    return _("💧 Logged: {glasses} of {goal} glasses today. Next reminder {when}.").format(
        glasses=logged.glasses, goal=logged.goal, when=at(logged.next_due, zone, now=now)
    )


def confirm_drink(ml: int, total_ml: int) -> Screen:
    """Ask before a drink takes the day past 10 litres (BackCare's own caution)."""
    return Screen(
        _(
            "That would make {litres:.1f} litres today, far beyond the 2 litres or so "
            "my sources suggest. Log it anyway?"
        ).format(litres=total_ml / 1000),
        [[(_("Yes, log it"), ConfirmDrink(ml)), (_("No"), Do.KEEP_WATER)]],
    )


def done(kind: NudgeKind, next_due: datetime | None, *, zone: str | None, now: datetime) -> str:
    """Say that a break or the stretch is logged, and when the next one comes."""
    what = _("🧘 Stretch done, well done!") if kind is NudgeKind.STRETCH else _("🚶 Break logged.")
    return _("{what} Next one {when}.").format(what=what, when=at(next_due, zone, now=now))


def _moved(what: str, next_due: datetime | None, *, zone: str | None, now: datetime) -> str:
    return _("{what}: next one {when}.").format(what=what, when=at(next_due, zone, now=now))


def snoozed(next_due: datetime | None, *, zone: str | None, now: datetime) -> str:
    """Say that a nudge was snoozed, and when it comes back."""
    return _moved(_("⏰ Snoozed"), next_due, zone=zone, now=now)


def skipped(next_due: datetime | None, *, zone: str | None, now: datetime) -> str:
    """Say that a nudge was skipped, and when the next one comes."""
    return _moved(_("Skipped"), next_due, zone=zone, now=now)


TODAY_HEADING = _("📅 Today")
NEXT_HEADING = _("Next nudges:")


def today(report: Today, profile: Person, *, now: datetime, flare: str | None = None) -> Screen:
    """Sum up someone's day so far and their next nudges, and their flare if one is on."""
    lines = [
        TODAY_HEADING,
        _("💧 Water: {glasses} of {goal} glasses").format(
            glasses=report.glasses, goal=report.goal
        ),
        _("🚶 Breaks taken: {breaks}").format(breaks=report.breaks),
        _("🧘 Stretch: done ✅") if report.stretched else _("🧘 Stretch: not yet"),
        "",
        NEXT_HEADING,
    ]
    names = {
        NudgeKind.WATER: _("💧 Water"),
        NudgeKind.POSTURE: _("🚶 Break"),
        NudgeKind.STRETCH: _("🧘 Stretch"),
    }
    for kind, name in names.items():
        if not profile.enabled(kind):
            lines.append(_("{name}: off").format(name=name))
        else:
            lines.append(f"{name}: {at(report.next_due[kind], profile.zone, now=now)}")
    if profile.paused_until and profile.paused_until > now:
        lines.append(paused_until(profile, now=now))
    if flare is not None:
        lines.append(flare)
    return Screen("\n".join(lines), headings=(TODAY_HEADING, NEXT_HEADING))


PAUSED = _("Paused for today")


def rested(next_due: datetime | None, *, zone: str | None, now: datetime) -> str:
    """Confirm one kind of nudge is paused for the rest of the day."""
    return _("⏸ Paused for today. Next one {when}.").format(when=at(next_due, zone, now=now))


# Taking back the last log (/undo, the ↩️ Undo button, "oops undo that").
UNDO_BUTTON = (_("↩️ Undo"), Do.UNDO)
NOTHING_TO_UNDO = _(
    "Nothing to undo: I take back only what was logged in the last ten "
    "minutes. (“It's off” stays: start a new session if the pack goes back "
    "on.)"
)


def undone(what: Undone) -> str:
    """Say what was taken back, and that the next nudge keeps its time."""
    match what.what:
        case Undid.WATER:
            return _("↩️ Taken back: {amount} ml of water.").format(amount=what.amount_ml or 0)
        case Undid.BREAK:
            return _("↩️ Taken back: that posture break. Your next break keeps its time.")
        case Undid.STRETCH:
            return _("↩️ Taken back: today's stretch.")
        case Undid.PAIN:
            return _("↩️ Taken back: the pain score {score}/10.").format(score=what.score)
        case Undid.SESSION:
            treatment = what.treatment.value if what.treatment else _("ice or heat")
            return _(
                "↩️ Taken back: the {treatment} session. No reminder to take it off will come."
            ).format(treatment=treatment)
        case _:
            assert_never(what.what)
