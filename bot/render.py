"""What the bot shows: texts and button layouts as plain data, turned into Telegram markup."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import (
    AskFor,
    Callback,
    ConfirmDrink,
    Do,
    NudgeButton,
    OpenMenu,
    SetValue,
    StartFlareWithPain,
    Toggle,
    Vote,
    encode,
)
from guidance import EXAMPLE_QUESTIONS, Answer
from guidance import NOT_A_DOCTOR as NOT_A_DOCTOR_LINE
from jobs.pure.flare import CarePlan, trend
from jobs.pure.nudges import NudgeTexts
from jobs.pure.person import Person
from jobs.pure.planning import zone_of
from jobs.pure.zones import COMMON_ZONES
from jobs.services.care import FlareSummary, PainLogged, SessionStarted
from jobs.services.profile import FIELDS
from jobs.services.schedule import Today, WaterLogged
from storage.models import NudgeKind, Treatment

NOT_A_DOCTOR = (
    f"{NOT_A_DOCTOR_LINE} If your pain follows a fall or injury, is severe, or comes with "
    "numbness, leg weakness or trouble controlling your bladder or bowels, get medical "
    "help at once."
)

WELCOME = (
    "Hi, I'm BackCare 👋\n"
    "I help you look after your back: I remind you to drink water, to get up and move "
    "while you work, and to stretch once a day, always in your own time zone and never "
    "at night. You can also ask me quick questions about back spasms.\n\n"
    f"{NOT_A_DOCTOR}\n\n"
    "Let's set you up; it takes three taps."
)

Row = list[tuple[str, Callback]]


@dataclass(frozen=True, slots=True)
class Screen:
    """A message: its text and rows of buttons."""

    text: str
    rows: list[Row] = field(default_factory=list)

    def markup(self) -> InlineKeyboardMarkup | None:
        """Return the Telegram keyboard for the buttons, if any."""
        if not self.rows:
            return None
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(label, callback_data=encode(data)) for label, data in row]
                for row in self.rows
            ]
        )


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
    "stretch": [(at, at) for at in ("07:30", "12:30", "18:00", "19:00", "20:00", "21:00")],
    "pause": [
        ("1 hour", "1h"),
        ("2 hours", "2h"),
        ("Rest of today", "today"),
        ("Until the day after tomorrow", "tomorrow"),
    ],
}

_QUESTIONS = {
    "tz": "🕒 Which time zone are you in? Pick one, or type your city (Berlin, New York) "
    "or a zone name (Asia/Kolkata).",
    "hours": "🌙 When are you usually awake? I stay quiet outside these hours. Pick one, or "
    "type wake–sleep like 07:30-22:30 (22:00-06:00 works for night shifts).",
    "work": "💼 When do you work? Posture breaks come only then. Pick, or type hours and "
    "days like 08:30-17:00 mon-fri.",
    "goal": "💧 How much water a day? About 2 litres suits most people; more in heat or "
    "hard work.",
    "glass": "🥛 How big is your glass?",
    "every": "🚶 How often should I get you up from your desk?",
    "stretch": "🧘 When should the daily stretch come?",
    "pause": "⏸ Pause all nudges for how long?",
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
        rows.append([("✏️ Type it", AskFor(name)), ("« Back", OpenMenu("main"))])
    return Screen(_QUESTIONS[name], rows)


def typing_prompt(name: str) -> Screen:
    """Ask the user to type a setting's value."""
    return Screen(FIELDS[name].prompt, [[("« Back", OpenMenu("main"))]])


def _switch(on: bool) -> str:
    return "✅" if on else "⬜"


def _nudge_lines(profile: Person) -> tuple[str, str, str]:
    return (
        f"Water: {profile.water_goal_ml} ml a day in {profile.water_glass_ml} ml glasses "
        f"({profile.glasses_per_day} glasses)",
        f"Posture breaks: every {profile.posture_every_minutes} min, "
        f"{profile.work_days} {profile.work}",
        f"Daily stretch at {profile.stretch_time:%H:%M}",
    )


def nudge_choice(profile: Person) -> Screen:
    """Ask which nudges to receive, as toggles."""
    water, posture, stretch = _nudge_lines(profile)
    return Screen(
        "🔔 Which nudges would you like? Tap to switch them on or off, then Done.",
        [
            [(f"{_switch(profile.water)} {water}", Toggle(NudgeKind.WATER))],
            [(f"{_switch(profile.posture)} {posture}", Toggle(NudgeKind.POSTURE))],
            [(f"{_switch(profile.stretch)} {stretch}", Toggle(NudgeKind.STRETCH))],
            [("Done ✔", Do("finish"))],
        ],
    )


def _local(moment: datetime, zone: str | None) -> str:
    return f"{moment.astimezone(zone_of(zone)):%a %d %b %H:%M}"


def at(moment: datetime | None, zone: str | None) -> str:
    """Say when, in someone's local time, with the weekday (`Mon 14:10`)."""
    if moment is None:
        return "not scheduled"
    local = moment.astimezone(zone_of(zone))
    return f"{local:%a %H:%M}"


def water_logged(logged: WaterLogged, *, zone: str | None) -> str:
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
        f"Next reminder {at(logged.next_due, zone)}."
    )


def done(kind: NudgeKind, next_due: datetime | None, *, zone: str | None) -> str:
    """Say that a break or the stretch is logged, and when the next one comes."""
    what = "🧘 Stretch done, well done!" if kind is NudgeKind.STRETCH else "🚶 Break logged."
    return f"{what} Next one {at(next_due, zone)}."


def moved(what: str, next_due: datetime | None, *, zone: str | None) -> str:
    """Say that a nudge was snoozed or skipped, and when it comes back."""
    return f"{what}: next one {at(next_due, zone)}."


def today(report: Today, profile: Person, *, now: datetime) -> str:
    """Sum up someone's day so far and their next nudges."""
    lines = [
        "📅 Today",
        f"💧 Water: {report.glasses} of {report.goal} glasses",
        f"🚶 Breaks taken: {report.breaks}",
        f"🧘 Stretch: {'done ✅' if report.stretched else 'not yet'}",
        "",
        "Next nudges:",
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
            lines.append(f"{name}: {at(report.next_due[kind], profile.zone)}")
    if profile.paused_until and profile.paused_until > now:
        lines.append(f"⏸ Paused until {_local(profile.paused_until, profile.zone)}")
    return "\n".join(lines)


def summary(profile: Person, *, now: datetime) -> Screen:
    """Sum up someone's plan, with a way to change it."""
    water, posture, stretch = _nudge_lines(profile)
    lines = [
        "📋 Your plan",
        f"🕒 Time zone: {profile.zone or 'not set'}",
        f"🌙 Awake {profile.waking} (quiet the rest of the day)",
        f"💧 {_on_off(profile.water)} {water}",
        f"🚶 {_on_off(profile.posture)} {posture}",
        f"🧘 {_on_off(profile.stretch)} {stretch}",
    ]
    if profile.paused_until and profile.paused_until > now:
        lines.append(f"⏸ Paused until {_local(profile.paused_until, profile.zone)}")
    lines += ["", "Change anything with /settings, or see every command with /help."]
    return Screen(
        "\n".join(lines),
        [[("⚙️ Change settings", OpenMenu("main"))], [(SPASM_BUTTON, Do("flare"))]],
    )


def _on_off(on: bool) -> str:
    return "On:" if on else "Off:"


def settings_menu(profile: Person, *, now: datetime) -> Screen:
    """Show every setting as a button."""
    paused = profile.paused_until is not None and profile.paused_until > now
    pause_button: tuple[str, Callback] = (
        ("▶️ Resume nudges", Do("resume")) if paused else ("⏸ Pause nudges", OpenMenu("pause"))
    )
    text = "⚙️ Settings: tap what you'd like to change."
    if paused and profile.paused_until:
        text += f"\n⏸ Paused until {_local(profile.paused_until, profile.zone)}."
    return Screen(
        text,
        [
            [
                (f"🕒 {profile.zone or 'Time zone'}", OpenMenu("tz")),
                (f"🌙 Awake {profile.waking}", OpenMenu("hours")),
            ],
            [
                (f"{_switch(profile.water)} 💧 Water", Toggle(NudgeKind.WATER)),
                (f"Goal {profile.water_goal_ml} ml", OpenMenu("goal")),
                (f"Glass {profile.water_glass_ml} ml", OpenMenu("glass")),
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
            [pause_button, ("✔ Close", OpenMenu("close"))],
        ],
    )


def forget_question() -> Screen:
    """Ask before deleting everything stored about someone."""
    return Screen(
        "🗑 Delete everything I store about you (settings, schedule and log)? "
        "This cannot be undone.",
        [[("Yes, delete it all", Do("forget")), ("No, keep it", Do("keep"))]],
    )


HELP = (
    """BackCare helps you look after your back: water through the day, a break from \
your desk every hour while you work, a daily stretch, in your time zone and never at night.

Setting up
/start – set up, or see your plan
/settings – change anything with buttons
/timezone Europe/Berlin – your time zone (a city works too)
/hours 07:30-22:30 – when you're awake (22:00-06:00 for nights)

Nudges
/water on|off · /water goal 2500 · /water glass 300
/posture on|off · /posture every 45m · /posture work 08:30-17:00 mon-fri
/stretch on|off · /stretch 19:30
/pause 2h|today|tomorrow · /resume

Your day
/drank – log a glass of water (/drank 500 for an amount in ml)
/today – what you did today and your next nudges

When your back goes into spasm
/flare – care mode: what to do now, ice then heat on time, a daily pain check
/ice · /heat – start a session now (I'll say when to take it off)
/pain 6 – how bad it is today, 0-10
/better – end care mode, with a summary

Your data
/forget – delete everything I store about you

Questions: just type them, for example:
"""
    + "\n".join(f"• {question}" for question in EXAMPLE_QUESTIONS)
    + "\n\n"
)


def answer(reply: Answer, question_id: int | None) -> Screen:
    """Show an answer; a matched one can be rated 👍/👎."""
    if question_id is None or reply.urgent or not reply.matched:
        return Screen(reply.answer)
    return Screen(
        reply.answer,
        [
            [
                ("👍 Helpful", Vote(question_id, helpful=True)),
                ("👎 Not helpful", Vote(question_id, helpful=False)),
            ]
        ],
    )


SLOW_DOWN = (
    "You're sending questions faster than I can answer well, so I'll leave the next ones "
    "for a minute: please send them again then. Anything about a warning sign (numbness, "
    "weakness, bladder or bowel trouble, severe pain) I always answer at once."
)
THANKS_FOR_VOTE = "Thanks for the feedback"

TOO_LONG = (
    "That message is too long for me ({limit} characters at most). For example: /hours 07:30-22:30"
)
EXPIRED_BUTTON = "That button is no longer valid. Send /settings for a fresh menu."
NOT_YOURS = "This button isn't yours: it belongs to someone else's chat with me."
EXPIRED_OFFER = "That offer has expired: care mode isn't on. Send /flare if your back is in spasm."
EXPIRED_SESSION = "That session isn't running any more, so there is nothing to take off."


def private_only(link: str) -> str:
    """Answer a command or mention in a group: health data stays in a private chat."""
    return (
        "🔒 I keep health data private, so I only talk one to one. Open our private chat "
        f"here: {link}"
    )


PRIVATE_ONLY_BUTTON = "I only work in a private chat: open one with me to use buttons."
URGENT_IN_A_GROUP = (
    "⚠️ If you have a warning sign (numbness, weakness, trouble with your bladder or "
    "bowels, severe pain), get medical help now."
)
EDITS_IGNORED = "✏️ I act on new messages only, so that edit changed nothing. Send it again."
NOT_SET_UP = "Let's set you up first: it takes three taps."
WELCOME_BACK = "Welcome back 👋 Your nudges are on again, as you left them."
SAVED = "Saved ✓"
FORGOTTEN = "Done: everything I stored about you is deleted. Send /start to begin again."
KEPT = "Nothing deleted."


SPASM_BUTTON = "🆘 My back just went into spasm"


def help_screen() -> Screen:
    """Show what the bot does and every command, with the button for a spasm."""
    return Screen(HELP + NOT_A_DOCTOR, [[(SPASM_BUTTON, Do("flare"))]])


RED_FLAG_QUESTION = (
    "One question before anything else. Do you have any of these?\n"
    "• numbness, tingling or weakness in your legs, feet, arms, groin or buttocks, or down "
    "one side\n"
    "• trouble controlling your bladder or bowels, or you can't pass urine\n"
    "• poor balance, or a foot that drags or slaps the ground\n"
    "• pain so severe you can hardly move\n"
    "• a fever (my own caution; my sources don't list it)"
)
RED_FLAG_BUTTONS: list[Row] = [
    [("Yes, one of these", Do("redflag_yes")), ("No, none of these", Do("redflag_no"))]
]
HELD_FOR_HELP = (
    "I've paused ice and heat offers, stretches and posture breaks until you tell me you've "
    "been seen. Water reminders and the morning pain check carry on."
)
SEEN_BUTTON = "✅ I've been seen: resume care"


def flare_started(texts: NudgeTexts) -> Screen:
    """The first reply to a spasm: what to do right now, and the red-flag question."""
    text = (
        "I'm sorry your back has gone into spasm. I'm switching to care mode.\n\n"
        f"{texts.first_aid}\n{texts.positions}\n{texts.breathing}\n\n{RED_FLAG_QUESTION}"
    )
    return Screen(text, RED_FLAG_BUTTONS)


def seeking_help(texts: NudgeTexts) -> Screen:
    """After a yes to the warning-sign question: get help now; self-care waits."""
    return Screen(f"{texts.urgent_if_yes}\n\n{HELD_FOR_HELP}", [[(SEEN_BUTTON, Do("seen"))]])


def care_resumed(plan: CarePlan, *, zone: str | None) -> Screen:
    """After "I've been seen": the plan again."""
    screen = flare_plan(plan, zone=zone)
    return Screen(
        "Thanks for letting me know. Care mode is back on.\n\n" + screen.text, screen.rows
    )


def pain_outside_flare(score: int) -> Screen:
    """Ask before a pain score starts care mode."""
    return Screen(
        f"You're not in care mode. Shall I start it and note your pain as {score}/10? "
        "Care mode offers ice, then heat, on a timer, and asks about your pain each morning.",
        [
            [
                ("🩹 Start care mode", StartFlareWithPain(score)),
                ("Not now", Do("no_flare")),
            ]
        ],
    )


NO_FLARE = "Okay, nothing noted. Send /flare whenever a spasm starts."
ALREADY_NOTED = "Already noted ✓"
TOO_MUCH_WATER_ON_A_NUDGE = (
    "That would make more than 10 litres today, so I didn't log it. If it's right, type "
    "/drank and confirm."
)


def confirm_drink(ml: int, total_ml: int) -> Screen:
    """Ask before a drink takes the day past 10 litres (BackCare's own caution)."""
    return Screen(
        f"That would make {total_ml / 1000:.1f} litres today, far beyond the 2 litres or so my "
        "sources suggest. Log it anyway?",
        [[("Yes, log it", ConfirmDrink(ml)), ("No", Do("keep_water"))]],
    )


NOT_LOGGED = "Okay, not logged."
OLD_CHECK_IN = "That check-in belongs to care mode that has ended, so I didn't note it."


def flare_plan(plan: CarePlan, *, zone: str | None) -> Screen:
    """After "no red flags": the plan for the next days, and ice now."""
    text = (
        "Good. Here is the plan:\n"
        f"• Until {at(plan.acute_until, zone)}: ice for {plan.ice_minutes} minutes, wrapped in a "
        f"towel; I'll offer it every {plan.ice_every_minutes // 60} hours while you're awake.\n"
        f"• After that: heat for {plan.heat_minutes} minutes on the lowest setting, up to "
        f"{plan.heat_per_day} times a day, never in the hour before you sleep.\n"
        "• Each morning I'll ask how your back is (or send /pain 0-10).\n"
        "• Rest first; gentle movement only, and stretch once the worst has passed.\n"
        "Send /better when it has eased, /flare acute 72h for a longer ice phase, or "
        "/flare alternate on to switch between ice and heat."
    )
    return Screen(text, [[("🧊 Start ice now", NudgeButton(NudgeKind.CARE_OFFER, "ice"))]])


def flare_status(plan: CarePlan, scores: list[int], *, now: datetime, zone: str | None) -> str:
    """Say where a running episode stands."""
    day = (now - plan.started_at).days + 1
    phase = (
        f"acute phase: ice, until {at(plan.acute_until, zone)}"
        if plan.phase(now) == "acute"
        else "after the acute phase: heat"
    )
    alternate = ", ice and heat in turn" if plan.alternate else ""
    return f"🩹 Flare: day {day}, {phase}{alternate}. Pain: {trend(scores)}."


def flare_ended(summary: FlareSummary | None) -> str:
    """Sum up an episode that just ended."""
    if summary is None:
        return "You're not in a flare episode. If your back goes into spasm, send /flare."
    sessions = [
        f"{summary.ice_sessions} ice",
        f"{summary.heat_sessions} heat",
    ]
    if summary.alternating_sessions:
        sessions.append(f"{summary.alternating_sessions} ice-and-heat")
    days = "1 day" if summary.days == 1 else f"{summary.days} days"
    return (
        f"🌤 Glad it's easing. This episode: {days}; sessions: {', '.join(sessions)}; "
        f"pain: {trend(summary.pain)}. Your everyday nudges carry on; take it slowly."
    )


def session_started(started: SessionStarted, texts: NudgeTexts, *, zone: str | None) -> str:
    """Confirm a started session and when it must come off, with its safety line."""
    first, minutes = started.steps[0][0], int(started.steps[0][1].total_seconds() // 60)
    if started.treatment is Treatment.ALTERNATE:
        return (
            f"🧊 Ice first, {minutes} minutes; I'll tell you when to switch to heat and when to "
            f"take it off ({at(started.ends_at, zone)}).\n{texts.ice_safety}"
        )
    if first is Treatment.ICE:
        return (
            f"🧊 Ice on: {minutes} minutes. I'll tell you at {at(started.ends_at, zone)} to take "
            f"it off.\n{texts.ice_safety}"
        )
    return (
        f"🔥 Heat on: {minutes} minutes. I'll tell you at {at(started.ends_at, zone)} to take it "
        f"off.\n{texts.heat_safety}"
    )


TAKEN_OFF = "✅ Noted, it's off. Give your skin a break before the next session."


def pain_logged(logged: PainLogged, texts: NudgeTexts) -> str:
    """Confirm a pain score with the trend: help now first for a 9 or 10, else a doctor."""
    text = f"📝 Pain {logged.scores[-1]}/10 noted. So far: {trend(logged.scores)}."
    if logged.urgent:
        return f"{texts.urgent_for_pain}\n\n{text}"
    if logged.see_doctor:
        text += f"\n\n🩺 Please see a doctor: {logged.see_doctor}. {texts.see_a_doctor}"
    return text
