"""The settings' questions: a few values to pick for each, and what to type instead."""

from __future__ import annotations

from bot.callbacks import AskFor, Callback, Do, OpenMenu, SetValue
from bot.i18n import _
from bot.wording.common import Row, Screen
from guidance.reading.zones.names import COMMON_ZONES
from jobs.rules.person import Person

# A few values to pick per setting; each goes through the same parser as typed text.
CHOICES: dict[str, list[tuple[str, str]]] = {
    "tz": [(zone.split("/")[-1].replace("_", " "), zone) for zone in COMMON_ZONES],
    "hours": [
        ("06:00–21:00", "06:00-21:00"),
        ("07:00–22:00", "07:00-22:00"),
        ("08:00–22:00", "08:00-22:00"),
        ("08:00–23:00", "08:00-23:00"),
        ("09:00–00:00", "09:00-00:00"),
        (_("Nights 22:00–06:00"), "22:00-06:00"),
    ],
    "work": [
        ("08:00–16:00", "08:00-16:00"),
        ("08:30–17:00", "08:30-17:00"),
        ("09:00–17:00", "09:00-17:00"),
        ("10:00–18:00", "10:00-18:00"),
        (_("Mon–Fri"), "09:00-17:00 mon-fri"),
        (_("Every day"), "09:00-17:00 mon-sun"),
    ],
    "goal": [(_("{amount} ml").format(amount=ml), str(ml)) for ml in (1500, 2000, 2500, 3000)],
    "glass": [(_("{amount} ml").format(amount=ml), str(ml)) for ml in (200, 250, 300, 500)],
    "every": [
        (_("30 min"), "30m"),
        (_("45 min"), "45m"),
        (_("1 hour"), "60m"),
        (_("1½ hours"), "90m"),
        (_("2 hours"), "120m"),
    ],
    "stretch": [(hour, hour) for hour in ("07:30", "12:30", "18:00", "19:00", "20:00", "21:00")],
    "summary": [
        (_("Sun 18:00"), "sun 18:00"),
        (_("Sun 20:00"), "sun 20:00"),
        (_("Fri 17:00"), "fri 17:00"),
        (_("Sat 10:00"), "sat 10:00"),
        (_("Mon 08:00"), "mon 08:00"),
        (_("Mon 18:00"), "mon 18:00"),
    ],
    "pause": [
        (_("1 hour"), "1h"),
        (_("2 hours"), "2h"),
        (_("Rest of today"), "today"),
        (_("Until the day after tomorrow"), "tomorrow"),
        (_("3 days"), "3d"),
        (_("1 week"), "1w"),
    ],
}

_QUESTIONS = {
    "tz": _(
        "🕒 Which time zone are you in? Pick one, or type your city (Berlin, New "
        "York), an abbreviation (EST, CET, IST), an offset (UTC+2) or a zone "
        "name (Asia/Kolkata)."
    ),
    "hours": _(
        "🌙 When are you usually awake? I stay quiet outside these hours. Pick "
        "one, or type wake–sleep like 07:30-22:30 or 7am-10pm (22:00-06:00 works "
        "for night shifts)."
    ),
    "work": _(
        "💼 When do you work? Posture breaks come only then. Pick, or type hours "
        "and days like 08:30-17:00 mon-fri or 9am-5pm mon-fri."
    ),
    "goal": _(
        "💧 How much water a day? About 2 litres suits most people; more in heat or hard work."
    ),
    "glass": _("🥛 How big is your glass?"),
    "every": _("🚶 How often should I get you up from your desk?"),
    "stretch": _("🧘 When should the daily stretch come?"),
    "pause": _("⏸ Pause all nudges for how long?"),
    "summary": _(
        "📈 When should your weekly summary come (your chart and a few lines)? "
        "Pick, or type a day and time like sun 18:00."
    ),
}


def _rows(buttons: list[tuple[str, Callback]], per_row: int) -> list[Row]:
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def question(name: str, *, onboarding: bool) -> Screen:
    """Ask for one setting, with buttons for common values and a way to type it."""
    buttons: list[tuple[str, Callback]] = [
        (label, SetValue(name, value)) for label, value in CHOICES[name]
    ]
    rows = _rows(buttons, 2 if name in ("pause", "work") else 3)
    if not onboarding:
        rows.append([(_("✏️ Type it"), AskFor(name)), (_("« Back"), OpenMenu("main"))])
    return Screen(_QUESTIONS[name], rows)


# What to type for each setting (`jobs.rules.fields.FIELDS` reads it).
PROMPTS = {
    "tz": _("Type your city or time zone, e.g. Berlin, EST, UTC+2 or America/New_York."),
    "hours": _(
        "Type your waking hours as wake-sleep, e.g. 07:30-22:30 or "
        "7:30am-10:30pm (22:00-06:00 for nights)."
    ),
    "work": _("Type your work hours and days, e.g. 08:30-17:00 mon-fri or 9am-5pm."),
    "goal": _("Type your daily water goal in ml, e.g. 2500."),
    "glass": _("Type the size of your glass in ml, e.g. 300."),
    "unit": _("Type ml or oz: the unit water amounts are shown in."),
    "every": _("Type how often you want a posture break, e.g. 45m or 1h."),
    "stretch": _("Type the time for your daily stretch, e.g. 19:30 or 7:30pm."),
    "pause": _("Type how long to pause, e.g. 2h, today or tomorrow."),
    "summary": _("Type the day and time for your weekly summary, e.g. sun 18:00."),
}


def typing_prompt(name: str) -> Screen:
    """Ask the user to type a setting's value."""
    return Screen(PROMPTS[name], [[(_("« Back"), OpenMenu("main"))]])


def work_outside_waking(person: Person) -> Screen:
    """Setting up: the waking hours leave out the work hours; ask, or offer no breaks."""
    text = _(
        "💼 You're awake {waking}, so work hours of {work} would never get a "
        "posture break. When do you work? Pick, or type hours and days like "
        "22:00-06:00 mon-fri."
    ).format(waking=person.waking, work=person.work)
    rows = question("work", onboarding=True).rows
    return Screen(text, [*rows, [(_("No posture breaks"), Do.NO_BREAKS)]])
