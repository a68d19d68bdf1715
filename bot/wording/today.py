"""Your day: water logged, breaks and stretches done or moved, and today's summary."""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

from bot.callbacks import ConfirmDrink, Do
from bot.wording.common import Screen, at
from bot.wording.settings import paused_until
from jobs.rules.person import Person
from jobs.services.schedule import Today, WaterLogged
from jobs.services.undo import Undid, Undone
from storage.models import NudgeKind

# What a nudge's button says it did, briefly, as it is pressed.
GLASS_ADDED = "+1 glass"
LOGGED = "Logged ✓"
SNOOZED = "Snoozed"
SKIPPED = "Skipped"

NOT_LOGGED = "Okay, not logged."
TOO_MUCH_WATER_ON_A_NUDGE = (
    "That would make more than 10 litres today, so I didn't log it. If it's right, type "
    "/drank and confirm."
)


def water_logged(logged: WaterLogged, *, zone: str | None, now: datetime) -> str:
    """Say where someone stands after logging water."""
    if logged.goal_reached_now:
        return (
            f"🎉 That's {logged.glasses} of {logged.goal} glasses: today's goal is reached. "
            "No more water reminders today."
        )
    if logged.glasses >= logged.goal:
        return f"💧 Logged: {logged.glasses} glasses today, goal already reached."
    return (
        f"💧 Logged: {logged.glasses} of {logged.goal} glasses today. "
        f"Next reminder {at(logged.next_due, zone, now=now)}."
    )


def confirm_drink(ml: int, total_ml: int) -> Screen:
    """Ask before a drink takes the day past 10 litres (BackCare's own caution)."""
    return Screen(
        f"That would make {total_ml / 1000:.1f} litres today, far beyond the 2 litres or so my "
        "sources suggest. Log it anyway?",
        [[("Yes, log it", ConfirmDrink(ml)), ("No", Do.KEEP_WATER)]],
    )


def done(kind: NudgeKind, next_due: datetime | None, *, zone: str | None, now: datetime) -> str:
    """Say that a break or the stretch is logged, and when the next one comes."""
    what = "🧘 Stretch done, well done!" if kind is NudgeKind.STRETCH else "🚶 Break logged."
    return f"{what} Next one {at(next_due, zone, now=now)}."


def _moved(what: str, next_due: datetime | None, *, zone: str | None, now: datetime) -> str:
    return f"{what}: next one {at(next_due, zone, now=now)}."


def snoozed(next_due: datetime | None, *, zone: str | None, now: datetime) -> str:
    """Say that a nudge was snoozed, and when it comes back."""
    return _moved("⏰ Snoozed", next_due, zone=zone, now=now)


def skipped(next_due: datetime | None, *, zone: str | None, now: datetime) -> str:
    """Say that a nudge was skipped, and when the next one comes."""
    return _moved("Skipped", next_due, zone=zone, now=now)


TODAY_HEADING = "📅 Today"
NEXT_HEADING = "Next nudges:"


def today(report: Today, profile: Person, *, now: datetime, flare: str | None = None) -> Screen:
    """Sum up someone's day so far and their next nudges, and their flare if one is on."""
    lines = [
        TODAY_HEADING,
        f"💧 Water: {report.glasses} of {report.goal} glasses",
        f"🚶 Breaks taken: {report.breaks}",
        f"🧘 Stretch: {'done ✅' if report.stretched else 'not yet'}",
        "",
        NEXT_HEADING,
    ]
    names = {
        NudgeKind.WATER: "💧 Water",
        NudgeKind.POSTURE: "🚶 Break",
        NudgeKind.STRETCH: "🧘 Stretch",
    }
    for kind, name in names.items():
        if not profile.enabled(kind):
            lines.append(f"{name}: off")
        else:
            lines.append(f"{name}: {at(report.next_due[kind], profile.zone, now=now)}")
    if profile.paused_until and profile.paused_until > now:
        lines.append(paused_until(profile, now=now))
    if flare is not None:
        lines.append(flare)
    return Screen("\n".join(lines), headings=(TODAY_HEADING, NEXT_HEADING))


PAUSED = "Paused for today"


def rested(next_due: datetime | None, *, zone: str | None, now: datetime) -> str:
    """Confirm one kind of nudge is paused for the rest of the day."""
    return f"⏸ Paused for today. Next one {at(next_due, zone, now=now)}."


# Taking back the last log (/undo, the ↩️ Undo button, "oops undo that").
UNDO_BUTTON = ("↩️ Undo", Do.UNDO)
NOTHING_TO_UNDO = (
    "Nothing to undo: I take back only what was logged in the last ten minutes. "
    "(“It's off” stays: start a new session if the pack goes back on.)"
)


def undone(what: Undone) -> str:
    """Say what was taken back, and that the next nudge keeps its time."""
    match what.what:
        case Undid.WATER:
            return f"↩️ Taken back: {what.amount_ml or 0} ml of water."
        case Undid.BREAK:
            return "↩️ Taken back: that posture break. Your next break keeps its time."
        case Undid.STRETCH:
            return "↩️ Taken back: today's stretch."
        case Undid.PAIN:
            return f"↩️ Taken back: the pain score {what.score}/10."
        case Undid.SESSION:
            treatment = what.treatment.value if what.treatment else "ice or heat"
            return f"↩️ Taken back: the {treatment} session. No reminder to take it off will come."
        case _:
            assert_never(what.what)
