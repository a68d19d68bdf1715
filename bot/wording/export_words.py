"""The export's words: the names of nudges, treatments and answers, and a person's settings as
sentences.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import _
from bot.wording.common import WEEKDAYS, dated
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
MOMENT_COLUMNS = (_("Date"), _("Weekday"), _("Time"))


def _moment_meanings(what: str, zone: str) -> tuple[str, ...]:
    return (
        _("the date {what}, in your time zone ({zone}), as year-month-day").format(
            what=what, zone=zone
        ),
        _("the day of the week {what} (Monday to Sunday)").format(what=what),
        _("the time of day {what}, 24-hour clock, in your time zone ({zone})").format(
            what=what, zone=zone
        ),
    )


def _moment(value: datetime | None, zone: ZoneInfo) -> tuple[str, str, str]:
    """Split a stored instant into the local date, weekday name and time of day."""
    if value is None:
        return ("", "", "")
    local = value.astimezone(zone)
    return (f"{local:%Y-%m-%d}", dated(local, "%A"), f"{local:%H:%M}")


def _when(value: datetime | None, zone: ZoneInfo, *, empty: str = "") -> str:
    """Write a stored instant as one local cell: weekday, date and time."""
    if value is None:
        return empty
    return dated(value.astimezone(zone), "%A %Y-%m-%d %H:%M")


def _yes(value: bool | None, *, none: str = "") -> str:
    if value is None:
        return none
    return _("yes") if value else _("no")


def _glasses(amount_ml: int, glass_ml: int) -> str:
    glasses = round(amount_ml / glass_ml, 1)
    return f"{glasses:g}"


NUDGE_NAMES = {
    NudgeKind.WATER: _("water reminder"),
    NudgeKind.POSTURE: _("posture break (get up and move)"),
    NudgeKind.STRETCH: _("daily stretch"),
    NudgeKind.CARE_OFFER: _("offer of ice or heat (care mode)"),
    NudgeKind.SESSION_END: _("time to take the ice or heat off"),
    NudgeKind.PAIN_CHECK: _("morning pain check-in (care mode)"),
    NudgeKind.WEEKLY_SUMMARY: _("weekly summary with your chart"),
}
TREATMENT_NAMES = {
    Treatment.ICE: _("ice"),
    Treatment.HEAT: _("heat"),
    Treatment.ALTERNATE: _("ice, then heat"),
}
STATUS_NAMES = {
    DeliveryStatus.PENDING: _("waiting to be sent"),
    DeliveryStatus.SENT: _("sent"),
    DeliveryStatus.FAILED: _("could not be sent"),
}
LEVEL_NAMES = {
    "urgent": _("a warning sign: told to get medical help now"),
    "doctor": _("told to see a doctor soon"),
    "check": _("not sure: asked you the warning-sign question"),
    "none": _("none"),
}
# What a nudge's button did, by its action (see `jobs.composer.nudge.ACTIONS`).
BUTTON_MEANINGS = {
    "drink": _("logs a glass of water"),
    "snooze": _("reminds you again a little later"),
    "skip": _("skips this one"),
    "done": _("logs it as done"),
    "ice": _("starts an ice session with a timer"),
    "heat": _("starts a heat session with a timer"),
    "alternate": _("starts ice, then heat, with a timer"),
    "rest": _("pauses these nudges for the rest of the day"),
    "better": _("ends care mode"),
}


def _button(label: str, action: str) -> str:
    """Say a button and what pressing it did."""
    if action.isdigit():
        meaning = _("gives a pain score of {score} out of 10").format(score=action)
    elif action.startswith("done."):
        meaning = _("says the ice or heat is off")
    else:
        meaning = BUTTON_MEANINGS.get(action, action)
    return _("{label} ({meaning})").format(label=label, meaning=meaning)


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
    name, _dot, missed = kind.partition(".")
    if not name:
        return (_("the whole message"), _("answered with a button or in words"))
    try:
        said = NUDGE_NAMES[NudgeKind(name)]
    except ValueError:
        said = name
    if missed:
        return (said, _("left unanswered: BackCare marked it missed and took its buttons away"))
    return (said, _("answered with a button or in words"))


def _settings(user: Any, prefs: Any, zone: str) -> RecordTable:
    """Every setting and state kept about someone, one per row, in words (`user` and
    `prefs`: their rows of `users` and `nudge_preferences`, prefs None if there is none)."""
    tz = ZoneInfo(user.timezone or "UTC")
    rows: list[tuple[str, str, str]] = [
        (_("Your number in BackCare"), str(user.id), _("BackCare's own number for you")),
        (_("Your Telegram user id"), str(user.telegram_id), _("who you are on Telegram")),
        (_("Your Telegram chat id"), str(user.chat_id), _("the private chat BackCare writes to")),
        (_("Time zone"), user.timezone or _("not chosen yet"), _("every time is in this zone")),
        (_("Awake from"), f"{user.wake_time:%H:%M}", _("no nudge comes before this time")),
        (_("Asleep from"), f"{user.sleep_time:%H:%M}", _("no nudge comes after this time")),
        (_("Work starts"), f"{user.work_start:%H:%M}", _("posture breaks come from this time")),
        (_("Work ends"), f"{user.work_end:%H:%M}", _("posture breaks stop at this time")),
        (
            _("Work days"),
            ", ".join(_(name) for day, name in enumerate(WEEKDAYS) if user.work_days & (1 << day)),
            _("the days posture breaks come"),
        ),
        (
            _("Nudges paused until"),
            _when(user.paused_until, tz, empty=_("not paused")),
            _("no nudges until then (/pause, /resume)"),
        ),
        (
            _("Reachable"),
            _yes(user.active),
            _("no once you blocked BackCare in Telegram: it stops sending"),
        ),
        (
            _("Setting-up step open"),
            user.onboarding_step or _("none (set up)"),
            _("the /start question you have not answered yet"),
        ),
        (
            _("Typed answer awaited"),
            user.awaiting or _("none"),
            _("which setting BackCare waits for you to type"),
        ),
        (
            _("Last told you were asking too fast"),
            _when(user.question_notice_at, tz, empty=_("never")),
            _("when BackCare last asked you to slow down"),
        ),
        (
            _("Question waiting for your answer in words"),
            user.asked or _("none"),
            _("what BackCare last asked you and waits to hear back about"),
        ),
        (_("Asked at"), _when(user.asked_at, tz), _("when it asked that question")),
        (
            _("Your message that made it ask about warning signs"),
            user.asked_text or "",
            _("kept only until you answer the warning-sign question"),
        ),
        (
            _("Last asked about warning signs because unsure"),
            _when(user.checked_at, tz, empty=_("never")),
            _("when BackCare last checked with you"),
        ),
        (_("What it was unsure about"), user.checked_about or "", _("the sign it asked about")),
        (
            _("Told to get medical help now, since"),
            _when(user.held_for_help_since, tz, empty=_("no")),
            _("self-care nudges wait until you say you were seen"),
        ),
        (
            _("First-aid steps last sent"),
            _when(user.first_aid_at, tz, empty=_("never")),
            _("not sent again within six hours"),
        ),
        (_("Started with BackCare"), _when(user.created_at, tz), _("when you were first stored")),
        (_("Last changed"), _when(user.updated_at, tz), _("when any of these was last changed")),
    ]
    if prefs is not None:
        rows += [
            (
                _("Water reminders"),
                _on_off(prefs.water_enabled),
                _("💧 nudges to drink"),
            ),
            (_("Water goal (ml a day)"), str(prefs.water_goal_ml), _("how much to drink a day")),
            (_("Glass size (ml)"), str(prefs.water_glass_ml), _("how much one glass counts for")),
            (
                _("Water shown in"),
                _("millilitres") if prefs.water_unit == "ml" else _("ounces"),
                _("how amounts are shown to you (kept in ml either way)"),
            ),
            (
                _("Posture breaks"),
                _on_off(prefs.posture_enabled),
                _("🚶 nudges to move"),
            ),
            (
                _("Posture break every (minutes)"),
                str(prefs.posture_every_minutes),
                _("how often during work hours"),
            ),
            (
                _("Daily stretch"),
                _on_off(prefs.stretch_enabled),
                _("🧘 the daily stretch"),
            ),
            (_("Stretch time"), f"{prefs.stretch_time:%H:%M}", _("when the daily stretch comes")),
            (
                _("Weekly summary"),
                _on_off(prefs.weekly_summary_enabled),
                _("📈 your week's chart once a week"),
            ),
            (
                _("Weekly summary day"),
                _(WEEKDAYS[prefs.weekly_summary_day]),
                _("the day it comes"),
            ),
            (
                _("Weekly summary time"),
                f"{prefs.weekly_summary_time:%H:%M}",
                _("the time it comes"),
            ),
        ]
    return RecordTable(
        "settings",
        (_("Setting"), _("Value"), _("What it means")),
        tuple(rows),
        about=_("Everything BackCare keeps about you as a person: one setting or state a row."),
        meanings=(
            _("the name of the setting or state, in words"),
            _("its value for you (times of day are in your time zone, {zone})").format(zone=zone),
            _("what the setting does, or why BackCare keeps it"),
        ),
    )


def _on_off(setting: bool) -> str:
    return _("on") if setting else _("off")
