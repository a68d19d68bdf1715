"""Setting up and settings: the questions and their choices, the menu, the plan, confirmations."""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

from bot.callbacks import Callback, Do, OpenMenu, SetValue, Toggle
from bot.i18n import _
from bot.wording.common import SHORT_WEEKDAYS, Screen, at, volume
from bot.wording.flare import SPASM_BUTTON
from guidance.reading.zones.match import is_fixed_offset, zone_label
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
from storage.models import NudgeKind

PLAN_HEADING = _("📋 Your plan")
NOT_SET_UP = _("Let's set you up first: it takes three taps.")
ALL_SET = _("You're all set ✅")
SAVED = _("Saved ✓")
RESUMED = _("Nudges resumed")
FINISH_SETTING_UP = _("Send /start to finish setting up.")
FORGOTTEN = _("Done: everything I stored about you is deleted. Send /start to begin again.")
KEPT = _("Nothing deleted.")


def set_up_first(step: Screen) -> Screen:
    """Say that setting up comes first, above its open step."""
    return step.under(NOT_SET_UP)


def saved(then: Screen) -> Screen:
    """Say that a typed answer was saved, above the screen that comes next."""
    return then.under(SAVED)


_FIRST = {
    NudgeKind.WATER: _("💧 a glass of water"),
    NudgeKind.POSTURE: _("🚶 a posture break"),
    NudgeKind.STRETCH: _("🧘 your stretch"),
}


def all_set(
    plan: Screen, first: tuple[NudgeKind, datetime] | None, zone: str | None, *, now: datetime
) -> Screen:
    """Say that setting up is finished, above the plan, and when the first nudge comes."""
    coming = ""
    if first is not None:
        kind, due = first
        coming = "\n" + _("Your first nudge: {what}, {when}.").format(
            what=_FIRST.get(kind, _("a nudge")), when=at(due, zone, now=now)
        )
    return plan.under(f"{ALL_SET}{coming}")


def _switch(on: bool) -> str:
    return "✅" if on else "⬜"


def _nudge_lines(profile: Person) -> tuple[str, str, str]:
    return (
        _("Water: {goal} a day in {glass} glasses ({glasses} glasses)").format(
            goal=volume(profile.water_goal_ml, profile.water_unit),
            glass=volume(profile.water_glass_ml, profile.water_unit),
            glasses=profile.glasses_per_day,
        ),
        _("Posture breaks: every {minutes} min, {days} {hours}").format(
            minutes=profile.posture_every_minutes, days=profile.work_days, hours=profile.work
        ),
        _("Daily stretch at {time}").format(time=f"{profile.stretch_time:%H:%M}"),
    )


def _unit_button(profile: Person) -> tuple[str, Callback]:
    """The button that switches water amounts between millilitres and ounces."""
    if profile.water_unit == "oz":
        return (_("Show in ml"), SetValue("unit", "ml"))
    return (_("Show in oz"), SetValue("unit", "oz"))


def _summary_time(profile: Person) -> str:
    """Say the weekly summary's day and time: `Sun 18:00`."""
    return _("{day} {time}").format(
        day=_(SHORT_WEEKDAYS[profile.summary_day]), time=f"{profile.summary_time:%H:%M}"
    )


def weekly_line(profile: Person) -> str:
    """Say when the weekly summary comes."""
    return _("Weekly summary: {when}").format(when=_summary_time(profile))


def nudge_choice(profile: Person) -> Screen:
    """Ask which nudges to receive, as toggles."""
    water, posture, stretch = _nudge_lines(profile)
    return Screen(
        _("🔔 Which nudges would you like? Tap to switch them on or off, then Done."),
        [
            [(f"{_switch(profile.water)} {water}", Toggle(NudgeKind.WATER))],
            [(f"{_switch(profile.posture)} {posture}", Toggle(NudgeKind.POSTURE))],
            [(f"{_switch(profile.stretch)} {stretch}", Toggle(NudgeKind.STRETCH))],
            [(_("Done ✔"), Do.FINISH)],
        ],
    )


def paused_until(profile: Person, *, now: datetime) -> str:
    """Say until when nudges are paused."""
    assert profile.paused_until is not None  # only asked while paused
    return _("⏸ Paused until {when}").format(when=at(profile.paused_until, profile.zone, now=now))


def summary(profile: Person, *, now: datetime) -> Screen:
    """Sum up someone's plan, with a way to change it."""
    water, posture, stretch = _nudge_lines(profile)
    lines = [
        PLAN_HEADING,
        _("🕒 Time zone: {zone}").format(
            zone=zone_label(profile.zone) if profile.zone else _("not set")
        ),
        _("🌙 Awake {waking} (quiet the rest of the day)").format(waking=profile.waking),
        f"💧 {_on_off(profile.water)} {water}",
        f"🚶 {_on_off(profile.posture)} {posture}",
        f"🧘 {_on_off(profile.stretch)} {stretch}",
        f"📈 {_on_off(profile.weekly_summary)} {weekly_line(profile)}",
    ]
    if profile.paused_until and profile.paused_until > now:
        lines.append(paused_until(profile, now=now))
    lines += ["", _("Change anything with /settings, or see every command with /help.")]
    return Screen(
        "\n".join(lines),
        [[(_("⚙️ Change settings"), OpenMenu("main"))], [(SPASM_BUTTON, Do.FLARE)]],
        headings=(PLAN_HEADING,),
    )


def _on_off(on: bool) -> str:
    return _("On:") if on else _("Off:")


def settings_menu(profile: Person, *, now: datetime) -> Screen:
    """Show every setting as a button."""
    paused = profile.paused_until is not None and profile.paused_until > now
    pause_button: tuple[str, Callback] = (
        (_("▶️ Resume nudges"), Do.RESUME) if paused else (_("⏸ Pause nudges"), OpenMenu("pause"))
    )
    text = _("⚙️ Settings: tap what you'd like to change.")
    zone = zone_label(profile.zone) if profile.zone else None
    if paused and profile.paused_until:
        text += f"\n{paused_until(profile, now=now)}."
    return Screen(
        text,
        [
            [
                (f"🕒 {zone or _('Time zone')}", OpenMenu("tz")),
                (_("🌙 Awake {waking}").format(waking=profile.waking), OpenMenu("hours")),
            ],
            [
                (
                    _("{switch} 💧 Water").format(switch=_switch(profile.water)),
                    Toggle(NudgeKind.WATER),
                ),
                (
                    _("Goal {goal}").format(
                        goal=volume(profile.water_goal_ml, profile.water_unit)
                    ),
                    OpenMenu("goal"),
                ),
                (
                    _("Glass {glass}").format(
                        glass=volume(profile.water_glass_ml, profile.water_unit)
                    ),
                    OpenMenu("glass"),
                ),
                _unit_button(profile),
            ],
            [
                (
                    _("{switch} 🚶 Breaks").format(switch=_switch(profile.posture)),
                    Toggle(NudgeKind.POSTURE),
                ),
                (
                    _("Every {minutes} min").format(minutes=profile.posture_every_minutes),
                    OpenMenu("every"),
                ),
                (f"{profile.work_days} {profile.work}", OpenMenu("work")),
            ],
            [
                (
                    _("{switch} 🧘 Stretch").format(switch=_switch(profile.stretch)),
                    Toggle(NudgeKind.STRETCH),
                ),
                (
                    _("At {time}").format(time=f"{profile.stretch_time:%H:%M}"),
                    OpenMenu("stretch"),
                ),
            ],
            [
                (
                    _("{switch} 📈 Weekly").format(switch=_switch(profile.weekly_summary)),
                    Toggle(NudgeKind.WEEKLY_SUMMARY),
                ),
                (_summary_time(profile), OpenMenu("summary")),
            ],
            [pause_button, (_("✔ Close"), OpenMenu("close"))],
        ],
    )


def _quiet_stretch(profile: Person) -> str | None:
    """Say that the daily stretch's time is in quiet hours and when it comes instead: the
    rules move it to the wake-up (`jobs.rules.rules.next_stretch`)."""
    if not profile.stretch or profile.waking.contains(profile.stretch_time):
        return None
    waking = profile.waking
    return _("in your quiet hours ({sleep}-{wake}): it comes when you wake up, at {wake}").format(
        sleep=f"{waking.end:%H:%M}", wake=f"{waking.start:%H:%M}"
    )


def quiet_stretch_note(profile: Person) -> str | None:
    """Say, as a line above a screen, that the daily stretch comes at the wake-up instead."""
    quiet = _quiet_stretch(profile)
    return (
        _("Your daily stretch at {time} is {quiet}.").format(
            time=f"{profile.stretch_time:%H:%M}", quiet=quiet
        )
        if quiet
        else None
    )


def confirmation(change: Change, profile: Person, *, now: datetime) -> str:
    """Say in one line what a change did, from the settings as they are after it; a stretch
    that comes at the wake-up, its time being in quiet hours, says so."""
    said = _confirmation(change, profile, now=now)
    match change:
        case SetStretchTime(at_time) if (quiet := _quiet_stretch(profile)) is not None:
            return _("Daily stretch at {time}, which is {quiet}.").format(
                time=f"{at_time:%H:%M}", quiet=quiet
            )
        case SetWaking() | SetEnabled(NudgeKind.STRETCH, True):
            note = quiet_stretch_note(profile)
            return f"{said} {note}" if note else said
        case _:
            return said


def _confirmation(change: Change, profile: Person, *, now: datetime) -> str:
    match change:
        case SetZone(zone):
            local = now.astimezone(zone_of(zone))
            said = _("Time zone set to {zone} (it's {time} there now).").format(
                zone=zone_label(zone), time=f"{local:%H:%M}"
            )
            if is_fixed_offset(zone):
                # An offset never moves for daylight saving: say so, and how to follow it.
                said += " " + _(
                    "A fixed offset: type your city instead to follow daylight saving."
                )
            return said
        case SetWaking(window):
            return _("Awake {hours}; I'll stay quiet from {sleep} to {wake}.").format(
                hours=window, sleep=f"{window.end:%H:%M}", wake=f"{window.start:%H:%M}"
            )
        case SetWork():
            return _("Posture breaks during work: {days} {hours}.").format(
                days=profile.work_days, hours=profile.work
            )
        case SetEnabled(kind, enabled):
            on, off = _SWITCHED.get(kind, (_("Nudges on."), _("Nudges off.")))
            return on if enabled else off
        case SetWaterGoal() | SetWaterGlass() | SetWaterUnit():
            return _("Water goal {goal} a day: {glasses} glasses of {glass}.").format(
                goal=volume(profile.water_goal_ml, profile.water_unit),
                glasses=profile.glasses_per_day,
                glass=volume(profile.water_glass_ml, profile.water_unit),
            )
        case SetPostureEvery(minutes):
            return _("A posture break every {minutes} minutes while you work.").format(
                minutes=minutes
            )
        case SetStretchTime(at_time):
            return _("Daily stretch at {time}.").format(time=f"{at_time:%H:%M}")
        case SetSummary():
            return _("{weekly_line} (your time).").format(weekly_line=weekly_line(profile))
        case Pause():
            assert profile.paused_until is not None  # set by apply_change
            until = at(profile.paused_until, profile.zone, now=now)
            return _("Nudges paused until {until}. /resume brings them back.").format(until=until)
        case Resume():
            return _("Nudges resumed.")
        case _:
            assert_never(change)


# What switching each kind of nudge on and off says.
_SWITCHED = {
    NudgeKind.WATER: (_("Water nudges on."), _("Water nudges off.")),
    NudgeKind.POSTURE: (_("Posture nudges on."), _("Posture nudges off.")),
    NudgeKind.STRETCH: (_("Stretch nudges on."), _("Stretch nudges off.")),
    NudgeKind.WEEKLY_SUMMARY: (_("Weekly summary on."), _("Weekly summary off.")),
}


def still_setting_up(confirmed: str) -> str:
    """Add to a command's confirmation that setting up is not finished."""
    return f"{confirmed} {FINISH_SETTING_UP}"


def forget_question() -> Screen:
    """Ask before deleting everything stored about someone."""
    return Screen(
        _(
            "🗑 Delete everything I store about you (settings, schedule and log)? "
            "This cannot be undone."
        ),
        [[(_("Yes, delete it all"), Do.FORGET), (_("No, keep it"), Do.KEEP)]],
    )
