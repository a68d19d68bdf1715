"""Setting up and settings: the questions and their choices, the menu, the plan, confirmations."""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

from bot.callbacks import AskFor, Callback, Do, OpenMenu, SetValue, Toggle
from bot.wording.common import Row, Screen, at, volume
from bot.wording.flare import SPASM_BUTTON
from guidance.reading.zones.match import is_fixed_offset, zone_label
from guidance.reading.zones.names import COMMON_ZONES
from jobs.rules.changes import (
    Change,
    Pause,
    Resume,
    SetEnabled,
    SetPostureEvery,
    SetStretchTime,
    SetSummary,
    SetWaking,
    SetWaterGlass,
    SetWaterGoal,
    SetWaterUnit,
    SetWork,
    SetZone,
)
from jobs.rules.person import Person
from jobs.rules.planning import zone_of
from jobs.rules.windows import DAY_NAMES
from storage.models import NudgeKind

# A few values to pick per setting; each goes through the same parser as typed text.
CHOICES: dict[str, list[tuple[str, str]]] = {
    "tz": [(zone.split("/")[-1].replace("_", " "), zone) for zone in COMMON_ZONES],
    "hours": [
        ("06:00–21:00", "06:00-21:00"),
        ("07:00–22:00", "07:00-22:00"),
        ("08:00–22:00", "08:00-22:00"),
        ("08:00–23:00", "08:00-23:00"),
        ("09:00–00:00", "09:00-00:00"),
        ("Nights 22:00–06:00", "22:00-06:00"),
    ],
    "work": [
        ("08:00–16:00", "08:00-16:00"),
        ("08:30–17:00", "08:30-17:00"),
        ("09:00–17:00", "09:00-17:00"),
        ("10:00–18:00", "10:00-18:00"),
        ("Mon–Fri", "09:00-17:00 mon-fri"),
        ("Every day", "09:00-17:00 mon-sun"),
    ],
    "goal": [(f"{ml} ml", str(ml)) for ml in (1500, 2000, 2500, 3000)],
    "glass": [(f"{ml} ml", str(ml)) for ml in (200, 250, 300, 500)],
    "every": [
        ("30 min", "30m"),
        ("45 min", "45m"),
        ("1 hour", "60m"),
        ("1½ hours", "90m"),
        ("2 hours", "120m"),
    ],
    "stretch": [(hour, hour) for hour in ("07:30", "12:30", "18:00", "19:00", "20:00", "21:00")],
    "summary": [
        ("Sun 18:00", "sun 18:00"),
        ("Sun 20:00", "sun 20:00"),
        ("Fri 17:00", "fri 17:00"),
        ("Sat 10:00", "sat 10:00"),
        ("Mon 08:00", "mon 08:00"),
        ("Mon 18:00", "mon 18:00"),
    ],
    "pause": [
        ("1 hour", "1h"),
        ("2 hours", "2h"),
        ("Rest of today", "today"),
        ("Until the day after tomorrow", "tomorrow"),
        ("3 days", "3d"),
        ("1 week", "1w"),
    ],
}

_QUESTIONS = {
    "tz": "🕒 Which time zone are you in? Pick one, or type your city (Berlin, New York), "
    "an abbreviation (EST, CET, IST), an offset (UTC+2) or a zone name (Asia/Kolkata).",
    "hours": "🌙 When are you usually awake? I stay quiet outside these hours. Pick one, or "
    "type wake–sleep like 07:30-22:30 or 7am-10pm (22:00-06:00 works for night shifts).",
    "work": "💼 When do you work? Posture breaks come only then. Pick, or type hours and "
    "days like 08:30-17:00 mon-fri or 9am-5pm mon-fri.",
    "goal": "💧 How much water a day? About 2 litres suits most people; more in heat or "
    "hard work.",
    "glass": "🥛 How big is your glass?",
    "every": "🚶 How often should I get you up from your desk?",
    "stretch": "🧘 When should the daily stretch come?",
    "pause": "⏸ Pause all nudges for how long?",
    "summary": "📈 When should your weekly summary come (your chart and a few lines)? Pick,"
    " or type a day and time like sun 18:00.",
}

PLAN_HEADING = "📋 Your plan"
NOT_SET_UP = "Let's set you up first: it takes three taps."
ALL_SET = "You're all set ✅"
SAVED = "Saved ✓"
RESUMED = "Nudges resumed"
FINISH_SETTING_UP = "Send /start to finish setting up."
FORGOTTEN = "Done: everything I stored about you is deleted. Send /start to begin again."
KEPT = "Nothing deleted."


def _rows(buttons: list[tuple[str, Callback]], per_row: int) -> list[Row]:
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def question(name: str, *, onboarding: bool) -> Screen:
    """Ask for one setting, with buttons for common values and a way to type it."""
    buttons: list[tuple[str, Callback]] = [
        (label, SetValue(name, value)) for label, value in CHOICES[name]
    ]
    rows = _rows(buttons, 2 if name in ("pause", "work") else 3)
    if not onboarding:
        rows.append([("✏️ Type it", AskFor(name)), ("« Back", OpenMenu("main"))])
    return Screen(_QUESTIONS[name], rows)


# What to type for each setting (`jobs.rules.fields.FIELDS` reads it).
PROMPTS = {
    "tz": "Type your city or time zone, e.g. Berlin, EST, UTC+2 or America/New_York.",
    "hours": "Type your waking hours as wake-sleep, e.g. 07:30-22:30 or 7:30am-10:30pm "
    "(22:00-06:00 for nights).",
    "work": "Type your work hours and days, e.g. 08:30-17:00 mon-fri or 9am-5pm.",
    "goal": "Type your daily water goal in ml, e.g. 2500.",
    "glass": "Type the size of your glass in ml, e.g. 300.",
    "unit": "Type ml or oz: the unit water amounts are shown in.",
    "every": "Type how often you want a posture break, e.g. 45m or 1h.",
    "stretch": "Type the time for your daily stretch, e.g. 19:30 or 7:30pm.",
    "pause": "Type how long to pause, e.g. 2h, today or tomorrow.",
    "summary": "Type the day and time for your weekly summary, e.g. sun 18:00.",
}


def typing_prompt(name: str) -> Screen:
    """Ask the user to type a setting's value."""
    return Screen(PROMPTS[name], [[("« Back", OpenMenu("main"))]])


def set_up_first(step: Screen) -> Screen:
    """Say that setting up comes first, above its open step."""
    return step.under(NOT_SET_UP)


def saved(then: Screen) -> Screen:
    """Say that a typed answer was saved, above the screen that comes next."""
    return then.under(SAVED)


_FIRST = {
    NudgeKind.WATER: "💧 a glass of water",
    NudgeKind.POSTURE: "🚶 a posture break",
    NudgeKind.STRETCH: "🧘 your stretch",
}


def all_set(
    plan: Screen, first: tuple[NudgeKind, datetime] | None, zone: str | None, *, now: datetime
) -> Screen:
    """Say that setting up is finished, above the plan, and when the first nudge comes."""
    coming = ""
    if first is not None:
        kind, due = first
        coming = f"\nYour first nudge: {_FIRST.get(kind, 'a nudge')}, {at(due, zone, now=now)}."
    return plan.under(f"{ALL_SET}{coming}")


def work_outside_waking(person: Person) -> Screen:
    """Setting up: the waking hours leave out the work hours; ask, or offer no breaks."""
    text = (
        f"💼 You're awake {person.waking}, so work hours of {person.work} would never get a"
        " posture break. When do you work? Pick, or type hours and days like"
        " 22:00-06:00 mon-fri."
    )
    rows = question("work", onboarding=True).rows
    return Screen(text, [*rows, [("No posture breaks", Do.NO_BREAKS)]])


def _switch(on: bool) -> str:
    return "✅" if on else "⬜"


def _nudge_lines(profile: Person) -> tuple[str, str, str]:
    return (
        f"Water: {volume(profile.water_goal_ml, profile.water_unit)} a day in "
        f"{volume(profile.water_glass_ml, profile.water_unit)} glasses "
        f"({profile.glasses_per_day} glasses)",
        f"Posture breaks: every {profile.posture_every_minutes} min, "
        f"{profile.work_days} {profile.work}",
        f"Daily stretch at {profile.stretch_time:%H:%M}",
    )


def _unit_button(profile: Person) -> tuple[str, Callback]:
    """The button that switches water amounts between millilitres and ounces."""
    other = "ml" if profile.water_unit == "oz" else "oz"
    return (f"Show in {other}", SetValue("unit", other))


def weekly_line(profile: Person) -> str:
    """Say when the weekly summary comes."""
    day = DAY_NAMES[profile.summary_day].capitalize()
    return f"Weekly summary: {day} {profile.summary_time:%H:%M}"


def nudge_choice(profile: Person) -> Screen:
    """Ask which nudges to receive, as toggles."""
    water, posture, stretch = _nudge_lines(profile)
    return Screen(
        "🔔 Which nudges would you like? Tap to switch them on or off, then Done.",
        [
            [(f"{_switch(profile.water)} {water}", Toggle(NudgeKind.WATER))],
            [(f"{_switch(profile.posture)} {posture}", Toggle(NudgeKind.POSTURE))],
            [(f"{_switch(profile.stretch)} {stretch}", Toggle(NudgeKind.STRETCH))],
            [("Done ✔", Do.FINISH)],
        ],
    )


def paused_until(profile: Person, *, now: datetime) -> str:
    """Say until when nudges are paused."""
    assert profile.paused_until is not None  # only asked while paused
    return f"⏸ Paused until {at(profile.paused_until, profile.zone, now=now)}"


def summary(profile: Person, *, now: datetime) -> Screen:
    """Sum up someone's plan, with a way to change it."""
    water, posture, stretch = _nudge_lines(profile)
    lines = [
        PLAN_HEADING,
        f"🕒 Time zone: {zone_label(profile.zone) if profile.zone else 'not set'}",
        f"🌙 Awake {profile.waking} (quiet the rest of the day)",
        f"💧 {_on_off(profile.water)} {water}",
        f"🚶 {_on_off(profile.posture)} {posture}",
        f"🧘 {_on_off(profile.stretch)} {stretch}",
        f"📈 {_on_off(profile.weekly_summary)} {weekly_line(profile)}",
    ]
    if profile.paused_until and profile.paused_until > now:
        lines.append(paused_until(profile, now=now))
    lines += ["", "Change anything with /settings, or see every command with /help."]
    return Screen(
        "\n".join(lines),
        [[("⚙️ Change settings", OpenMenu("main"))], [(SPASM_BUTTON, Do.FLARE)]],
        headings=(PLAN_HEADING,),
    )


def _on_off(on: bool) -> str:
    return "On:" if on else "Off:"


def settings_menu(profile: Person, *, now: datetime) -> Screen:
    """Show every setting as a button."""
    paused = profile.paused_until is not None and profile.paused_until > now
    pause_button: tuple[str, Callback] = (
        ("▶️ Resume nudges", Do.RESUME) if paused else ("⏸ Pause nudges", OpenMenu("pause"))
    )
    text = "⚙️ Settings: tap what you'd like to change."
    zone = zone_label(profile.zone) if profile.zone else None
    if paused and profile.paused_until:
        text += f"\n{paused_until(profile, now=now)}."
    return Screen(
        text,
        [
            [
                (f"🕒 {zone or 'Time zone'}", OpenMenu("tz")),
                (f"🌙 Awake {profile.waking}", OpenMenu("hours")),
            ],
            [
                (f"{_switch(profile.water)} 💧 Water", Toggle(NudgeKind.WATER)),
                (f"Goal {volume(profile.water_goal_ml, profile.water_unit)}", OpenMenu("goal")),
                (f"Glass {volume(profile.water_glass_ml, profile.water_unit)}", OpenMenu("glass")),
                _unit_button(profile),
            ],
            [
                (f"{_switch(profile.posture)} 🚶 Breaks", Toggle(NudgeKind.POSTURE)),
                (f"Every {profile.posture_every_minutes} min", OpenMenu("every")),
                (f"{profile.work_days} {profile.work}", OpenMenu("work")),
            ],
            [
                (f"{_switch(profile.stretch)} 🧘 Stretch", Toggle(NudgeKind.STRETCH)),
                (f"At {profile.stretch_time:%H:%M}", OpenMenu("stretch")),
            ],
            [
                (
                    f"{_switch(profile.weekly_summary)} 📈 Weekly",
                    Toggle(NudgeKind.WEEKLY_SUMMARY),
                ),
                (weekly_line(profile).removeprefix("Weekly summary: "), OpenMenu("summary")),
            ],
            [pause_button, ("✔ Close", OpenMenu("close"))],
        ],
    )


def _quiet_stretch(profile: Person) -> str | None:
    """Say that the daily stretch's time is in quiet hours and when it comes instead: the
    rules move it to the wake-up (`jobs.rules.rules.next_stretch`)."""
    if not profile.stretch or profile.waking.contains(profile.stretch_time):
        return None
    waking = profile.waking
    return (
        f"in your quiet hours ({waking.end:%H:%M}-{waking.start:%H:%M}): it comes when you "
        f"wake up, at {waking.start:%H:%M}"
    )


def quiet_stretch_note(profile: Person) -> str | None:
    """Say, as a line above a screen, that the daily stretch comes at the wake-up instead."""
    quiet = _quiet_stretch(profile)
    return f"Your daily stretch at {profile.stretch_time:%H:%M} is {quiet}." if quiet else None


def confirmation(change: Change, profile: Person, *, now: datetime) -> str:
    """Say in one line what a change did, from the settings as they are after it; a stretch
    that comes at the wake-up, its time being in quiet hours, says so."""
    said = _confirmation(change, profile, now=now)
    match change:
        case SetStretchTime(at_time) if (quiet := _quiet_stretch(profile)) is not None:
            return f"Daily stretch at {at_time:%H:%M}, which is {quiet}."
        case SetWaking() | SetEnabled(NudgeKind.STRETCH, True):
            note = quiet_stretch_note(profile)
            return f"{said} {note}" if note else said
        case _:
            return said


def _confirmation(change: Change, profile: Person, *, now: datetime) -> str:
    match change:
        case SetZone(zone):
            local = now.astimezone(zone_of(zone))
            said = f"Time zone set to {zone_label(zone)} (it's {local:%H:%M} there now)."
            if is_fixed_offset(zone):
                # An offset never moves for daylight saving: say so, and how to follow it.
                said += " A fixed offset: type your city instead to follow daylight saving."
            return said
        case SetWaking(window):
            return (
                f"Awake {window}; I'll stay quiet from {window.end:%H:%M} to {window.start:%H:%M}."
            )
        case SetWork():
            return f"Posture breaks during work: {profile.work_days} {profile.work}."
        case SetEnabled(NudgeKind.WEEKLY_SUMMARY, enabled):
            return f"Weekly summary {'on' if enabled else 'off'}."
        case SetEnabled(kind, enabled):
            return f"{kind.value.capitalize()} nudges {'on' if enabled else 'off'}."
        case SetWaterGoal() | SetWaterGlass() | SetWaterUnit():
            return (
                f"Water goal {volume(profile.water_goal_ml, profile.water_unit)} a day: "
                f"{profile.glasses_per_day} glasses of "
                f"{volume(profile.water_glass_ml, profile.water_unit)}."
            )
        case SetPostureEvery(minutes):
            return f"A posture break every {minutes} minutes while you work."
        case SetStretchTime(at_time):
            return f"Daily stretch at {at_time:%H:%M}."
        case SetSummary():
            return f"{weekly_line(profile)} (your time)."
        case Pause():
            assert profile.paused_until is not None  # set by apply_change
            until = at(profile.paused_until, profile.zone, now=now)
            return f"Nudges paused until {until}. /resume brings them back."
        case Resume():
            return "Nudges resumed."
        case _:
            assert_never(change)


def still_setting_up(confirmed: str) -> str:
    """Add to a command's confirmation that setting up is not finished."""
    return f"{confirmed} {FINISH_SETTING_UP}"


def forget_question() -> Screen:
    """Ask before deleting everything stored about someone."""
    return Screen(
        "🗑 Delete everything I store about you (settings, schedule and log)? "
        "This cannot be undone.",
        [[("Yes, delete it all", Do.FORGET), ("No, keep it", Do.KEEP)]],
    )
