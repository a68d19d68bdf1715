"""The export's words: the names of nudges, treatments and answers, and a person's settings as
sentences.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.wording.nudges import NudgeTexts
from jobs.composer.nudge import NudgeMessage
from jobs.rules.report import RecordTable
from storage.models import (
    DeliveryStatus,
    NudgeKind,
    Treatment,
)

# -- the export: one file per subject, columns named for people -----------------------------

# Where a moment goes: three columns for the moment a row is about.
MOMENT_COLUMNS = ("Date", "Weekday", "Time")


def _moment_meanings(what: str, zone: str) -> tuple[str, ...]:
    return (
        f"the date {what}, in your time zone ({zone}), as year-month-day",
        f"the day of the week {what} (Monday to Sunday)",
        f"the time of day {what}, 24-hour clock, in your time zone ({zone})",
    )


def _moment(value: datetime | None, zone: ZoneInfo) -> tuple[str, str, str]:
    """Split a stored instant into the local date, weekday name and time of day."""
    if value is None:
        return ("", "", "")
    local = value.astimezone(zone)
    return (f"{local:%Y-%m-%d}", f"{local:%A}", f"{local:%H:%M}")


def _when(value: datetime | None, zone: ZoneInfo, *, empty: str = "") -> str:
    """Write a stored instant as one local cell: weekday, date and time."""
    if value is None:
        return empty
    local = value.astimezone(zone)
    return f"{local:%A %Y-%m-%d %H:%M}"


def _yes(value: bool | None, *, none: str = "") -> str:
    if value is None:
        return none
    return "yes" if value else "no"


def _glasses(amount_ml: int, glass_ml: int) -> str:
    glasses = round(amount_ml / glass_ml, 1)
    return f"{glasses:g}"


NUDGE_NAMES = {
    NudgeKind.WATER: "water reminder",
    NudgeKind.POSTURE: "posture break (get up and move)",
    NudgeKind.STRETCH: "daily stretch",
    NudgeKind.CARE_OFFER: "offer of ice or heat (care mode)",
    NudgeKind.SESSION_END: "time to take the ice or heat off",
    NudgeKind.PAIN_CHECK: "morning pain check-in (care mode)",
    NudgeKind.WEEKLY_SUMMARY: "weekly summary with your chart",
}
TREATMENT_NAMES = {
    Treatment.ICE: "ice",
    Treatment.HEAT: "heat",
    Treatment.ALTERNATE: "ice, then heat",
}
STATUS_NAMES = {
    DeliveryStatus.PENDING: "waiting to be sent",
    DeliveryStatus.SENT: "sent",
    DeliveryStatus.FAILED: "could not be sent",
}
LEVEL_NAMES = {
    "urgent": "a warning sign: told to get medical help now",
    "doctor": "told to see a doctor soon",
    "check": "not sure: asked you the warning-sign question",
    "none": "none",
}
# What a nudge's button did, by its action (see `jobs.composer.nudge.ACTIONS`).
BUTTON_MEANINGS = {
    "drink": "logs a glass of water",
    "snooze": "reminds you again a little later",
    "skip": "skips this one",
    "done": "logs it as done",
    "ice": "starts an ice session with a timer",
    "heat": "starts a heat session with a timer",
    "alternate": "starts ice, then heat, with a timer",
    "rest": "pauses these nudges for the rest of the day",
    "better": "ends care mode",
}


def _button(label: str, action: str) -> str:
    """Say a button and what pressing it did."""
    if action.isdigit():
        meaning = f"gives a pain score of {action} out of 10"
    elif action.startswith("done."):
        meaning = "says the ice or heat is off"
    else:
        meaning = BUTTON_MEANINGS.get(action, action)
    return f"{label} ({meaning})"


def _message_words(payload: dict[str, Any] | None, says: NudgeTexts) -> tuple[str, str, str]:
    """Return what a sent message was about, its text and its buttons, in words."""
    if not payload:
        return ("", "", "")
    message = NudgeMessage.from_payload(payload)
    kinds = [NUDGE_NAMES[part.kind] for part in message.parts]
    text = "\n\n".join(says.part_texts(message))
    buttons = " | ".join(
        _button(label, action) for part in message.parts for label, action in says.buttons(part)
    )
    return (" + ".join(kinds), text, buttons)


def _answered(kind: str) -> tuple[str, str]:
    """Say which nudge a recorded answer was about, and what happened to it."""
    name, _, missed = kind.partition(".")
    if not name:
        return ("the whole message", "answered with a button or in words")
    try:
        said = NUDGE_NAMES[NudgeKind(name)]
    except ValueError:
        said = name
    if missed:
        return (said, "left unanswered: BackCare marked it missed and took its buttons away")
    return (said, "answered with a button or in words")


def _settings(user: Any, prefs: Any, zone: str) -> RecordTable:
    """Every setting and state kept about someone, one per row, in words (`user` and
    `prefs`: their rows of `users` and `nudge_preferences`, prefs None if there is none)."""
    tz = ZoneInfo(user.timezone or "UTC")
    rows: list[tuple[str, str, str]] = [
        ("Your number in BackCare", str(user.id), "BackCare's own number for you"),
        ("Your Telegram user id", str(user.telegram_id), "who you are on Telegram"),
        ("Your Telegram chat id", str(user.chat_id), "the private chat BackCare writes to"),
        ("Time zone", user.timezone or "not chosen yet", "every time is in this zone"),
        ("Awake from", f"{user.wake_time:%H:%M}", "no nudge comes before this time"),
        ("Asleep from", f"{user.sleep_time:%H:%M}", "no nudge comes after this time"),
        ("Work starts", f"{user.work_start:%H:%M}", "posture breaks come from this time"),
        ("Work ends", f"{user.work_end:%H:%M}", "posture breaks stop at this time"),
        (
            "Work days",
            ", ".join(
                name for day, name in enumerate(_WEEKDAY_NAMES) if user.work_days & (1 << day)
            ),
            "the days posture breaks come",
        ),
        (
            "Nudges paused until",
            _when(user.paused_until, tz, empty="not paused"),
            "no nudges until then (/pause, /resume)",
        ),
        (
            "Reachable",
            _yes(user.active),
            "no once you blocked BackCare in Telegram: it stops sending",
        ),
        (
            "Setting-up step open",
            user.onboarding_step or "none (set up)",
            "the /start question you have not answered yet",
        ),
        (
            "Typed answer awaited",
            user.awaiting or "none",
            "which setting BackCare waits for you to type",
        ),
        (
            "Last told you were asking too fast",
            _when(user.question_notice_at, tz, empty="never"),
            "when BackCare last asked you to slow down",
        ),
        (
            "Question waiting for your answer in words",
            user.asked or "none",
            "what BackCare last asked you and waits to hear back about",
        ),
        ("Asked at", _when(user.asked_at, tz), "when it asked that question"),
        (
            "Your message that made it ask about warning signs",
            user.asked_text or "",
            "kept only until you answer the warning-sign question",
        ),
        (
            "Last asked about warning signs because unsure",
            _when(user.checked_at, tz, empty="never"),
            "when BackCare last checked with you",
        ),
        ("What it was unsure about", user.checked_about or "", "the sign it asked about"),
        (
            "Told to get medical help now, since",
            _when(user.held_for_help_since, tz, empty="no"),
            "self-care nudges wait until you say you were seen",
        ),
        (
            "First-aid steps last sent",
            _when(user.first_aid_at, tz, empty="never"),
            "not sent again within six hours",
        ),
        ("Started with BackCare", _when(user.created_at, tz), "when you were first stored"),
        ("Last changed", _when(user.updated_at, tz), "when any of these was last changed"),
    ]
    if prefs is not None:
        rows += [
            ("Water reminders", "on" if prefs.water_enabled else "off", "💧 nudges to drink"),
            ("Water goal (ml a day)", str(prefs.water_goal_ml), "how much to drink a day"),
            ("Glass size (ml)", str(prefs.water_glass_ml), "how much one glass counts for"),
            (
                "Water shown in",
                "millilitres" if prefs.water_unit == "ml" else "ounces",
                "how amounts are shown to you (kept in ml either way)",
            ),
            ("Posture breaks", "on" if prefs.posture_enabled else "off", "🚶 nudges to move"),
            (
                "Posture break every (minutes)",
                str(prefs.posture_every_minutes),
                "how often during work hours",
            ),
            ("Daily stretch", "on" if prefs.stretch_enabled else "off", "🧘 the daily stretch"),
            ("Stretch time", f"{prefs.stretch_time:%H:%M}", "when the daily stretch comes"),
            (
                "Weekly summary",
                "on" if prefs.weekly_summary_enabled else "off",
                "📈 your week's chart once a week",
            ),
            (
                "Weekly summary day",
                _WEEKDAY_NAMES[prefs.weekly_summary_day],
                "the day it comes",
            ),
            (
                "Weekly summary time",
                f"{prefs.weekly_summary_time:%H:%M}",
                "the time it comes",
            ),
        ]
    return RecordTable(
        "settings",
        ("Setting", "Value", "What it means"),
        tuple(rows),
        about="Everything BackCare keeps about you as a person: one setting or state a row.",
        meanings=(
            "the name of the setting or state, in words",
            f"its value for you (times of day are in your time zone, {zone})",
            "what the setting does, or why BackCare keeps it",
        ),
    )


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
