"""What someone has done over days, their report and everything stored about them.

Plain async functions over a session (no Telegram): `progress` backs `/progress`, the
weekly summary and the plain-words "what's my streak?" / "show my history"; `report`
backs `/report`; `export` backs `/export`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.pure import rules
from jobs.pure.person import Person, person_of
from jobs.pure.progress import STREAK_HISTORY_DAYS, Progress, tally
from jobs.pure.report import CareSessionLine, Episode, RecordTable, Report, missed_checkins
from storage.models import (
    ButtonPress,
    CareSession,
    Delivery,
    DeliveryStatus,
    Event,
    EventKind,
    Flare,
    NudgeKind,
    NudgePreferences,
    PainCheckin,
    Question,
    ScheduledNudge,
    Treatment,
    User,
)

WEEK = 7
MONTH = 30


def _day_start(day: date, zone: ZoneInfo) -> datetime:
    return rules.local_to_utc(day, time(0), zone)


def _offered_breaks(payload: dict[str, Any] | None) -> int:
    """Count the posture-break parts of a sent message (nudges due together share one)."""
    if not payload:
        return 0
    parts = [payload, *payload.get("more", ())]
    return sum(1 for part in parts if part.get("kind") == NudgeKind.POSTURE.value)


async def started(session: AsyncSession, user_id: int) -> datetime | None:
    """Return when someone started with BackCare: when they were stored, or the first thing
    in their log if that is earlier (stored before the row's time was kept, or a clock that
    is driven, as in tests). None: nothing is stored about them."""
    firsts = [
        select(func.min(User.created_at)).where(User.id == user_id),
        select(func.min(Event.at)).where(Event.user_id == user_id),
        select(func.min(Delivery.sent_at)).where(Delivery.user_id == user_id),
        select(func.min(Flare.started_at)).where(Flare.user_id == user_id),
        select(func.min(PainCheckin.at)).where(PainCheckin.user_id == user_id),
        select(func.min(CareSession.started_at)).where(CareSession.user_id == user_id),
    ]
    row = (await session.execute(select(*(first.scalar_subquery() for first in firsts)))).one()
    known = [moment for moment in row if moment is not None]
    return min(known) if known else None


async def progress(
    session: AsyncSession, person: Person, *, now: datetime, days: int = WEEK
) -> Progress:
    """Sum up someone's last `days` local days (today the last), with their streaks; none
    before the day they started with BackCare."""
    zone = person.tz
    today = now.astimezone(zone).date()
    began = await started(session, person.id)
    since = _day_start(today - timedelta(days=max(days, STREAK_HISTORY_DAYS) - 1), zone)
    events = await session.execute(
        select(Event.kind, Event.at, Event.amount_ml).where(
            Event.user_id == person.id, Event.at >= since, Event.at <= now
        )
    )
    sent = await session.execute(
        select(Delivery.sent_at, Delivery.payload).where(
            Delivery.user_id == person.id,
            Delivery.status == DeliveryStatus.SENT,
            Delivery.sent_at >= since,
        )
    )
    offered = [
        at for at, payload in sent if at is not None for _ in range(_offered_breaks(payload))
    ]
    pain = await session.execute(
        select(PainCheckin.at, PainCheckin.score).where(
            PainCheckin.user_id == person.id, PainCheckin.at >= since
        )
    )
    sessions = await session.execute(
        select(CareSession.started_at, CareSession.treatment).where(
            CareSession.user_id == person.id, CareSession.started_at >= since
        )
    )
    first_shown = _day_start(today - timedelta(days=days - 1), zone)
    flare = await session.scalar(
        select(Flare.id)
        .where(
            Flare.user_id == person.id,
            Flare.started_at <= now,
            (Flare.ended_at.is_(None)) | (Flare.ended_at >= first_shown),
        )
        .limit(1)
    )
    return tally(
        zone=zone,
        last_day=today,
        days=days,
        water_goal_ml=person.water_goal_ml,
        events=[(kind, at, amount) for kind, at, amount in events],
        offered_breaks=offered,
        pain=[(at, score) for at, score in pain],
        sessions=[(at, treatment) for at, treatment in sessions],
        flare=flare is not None,
        joined=None if began is None else began.astimezone(zone).date(),
    )


async def weeks(
    session: AsyncSession, people: Sequence[Person], *, now: datetime
) -> dict[int, Progress]:
    """Sum up the last seven days of each of several people (for their weekly summary)."""
    return {person.id: await progress(session, person, now=now, days=WEEK) for person in people}


async def report(session: AsyncSession, user: User, *, now: datetime) -> Report:
    """Gather the report for a physiotherapist or doctor: the current or last episode,
    the last 30 days of habits, and the bot's settings."""
    person = person_of(user)
    zone = person.tz
    habits = await progress(session, person, now=now, days=MONTH)
    episode_row = await session.scalar(
        select(Flare)
        .where(Flare.user_id == user.id, Flare.started_at <= now)
        .order_by(Flare.started_at.desc())
        .limit(1)
    )
    episode = None
    if episode_row is not None:
        pain = tuple(
            (at, score)
            for at, score in await session.execute(
                select(PainCheckin.at, PainCheckin.score)
                .where(PainCheckin.flare_id == episode_row.id)
                .order_by(PainCheckin.at)
            )
        )
        sessions = tuple(
            CareSessionLine(started, treatment, off)
            for started, treatment, off in await session.execute(
                select(CareSession.started_at, CareSession.treatment, CareSession.taken_off_at)
                .where(CareSession.flare_id == episode_row.id)
                .order_by(CareSession.started_at)
            )
        )
        ended = episode_row.ended_at
        episode = Episode(
            started_at=episode_row.started_at,
            ended_at=ended,
            pain=pain,
            sessions=sessions,
            warning_signs=episode_row.red_flags,
            seen_at=episode_row.seen_at,
            doctor_advised_at=episode_row.doctor_advised_at,
            doctor_reason=episode_row.doctor_reason,
            missed_checkins=missed_checkins(
                episode_row.started_at.astimezone(zone).date(),
                (ended or now).astimezone(zone).date(),
                {at.astimezone(zone).date() for at, _ in pain},
                today=now.astimezone(zone).date(),
            ),
        )
    return Report(person, now, episode, habits)


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
# What a nudge's button did, by its action (see `jobs.pure.nudges.ACTIONS`).
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


def _message_words(payload: dict[str, Any] | None) -> tuple[str, str, str]:
    """Return what a sent message was about, its text and its buttons, in words."""
    if not payload:
        return ("", "", "")
    parts = [payload, *payload.get("more", ())]
    kinds = []
    for part in parts:
        try:
            kinds.append(NUDGE_NAMES[NudgeKind(part.get("kind"))])
        except ValueError:
            kinds.append(str(part.get("kind", "")))
    text = "\n\n".join(str(part.get("text", "")) for part in parts)
    buttons = " | ".join(
        _button(str(label), str(action))
        for part in parts
        for label, action in part.get("buttons", ())
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


async def export(session: AsyncSession, user: User) -> list[RecordTable]:
    """Read everything stored about someone, one file per subject, in words a person reads:
    local dates and times with weekday names, amounts in ml and glasses, buttons said.

    Together the files hold every row of `storage.models.PERSONAL_DATA`, the tables
    `/forget` deletes (a test checks that each row is in one file).
    """
    zone_name = user.timezone or "UTC"
    zone = ZoneInfo(zone_name)
    # Read afresh as rows: the ORM object may hold columns expired by a flush just now.
    stored = (await session.execute(select(User.__table__).where(User.id == user.id))).one()
    prefs = (
        await session.execute(
            select(NudgePreferences.__table__).where(NudgePreferences.user_id == user.id)
        )
    ).one_or_none()
    glass = prefs.water_glass_ml if prefs is not None else 250

    async def rows_of(model: Any, *order: Any) -> list[Any]:
        found = await session.scalars(
            select(model).where(model.user_id == user.id).order_by(*order)
        )
        return list(found)

    events = await rows_of(Event, Event.at, Event.id)
    flares = await rows_of(Flare, Flare.started_at, Flare.id)
    episode_of = {flare.id: str(number) for number, flare in enumerate(flares, start=1)}
    pains = await rows_of(PainCheckin, PainCheckin.at, PainCheckin.id)
    cares = await rows_of(CareSession, CareSession.started_at, CareSession.id)
    questions = await rows_of(Question, Question.asked_at, Question.id)
    upcoming = await rows_of(ScheduledNudge, ScheduledNudge.due_at, ScheduledNudge.id)
    deliveries = await rows_of(Delivery, Delivery.due_at, Delivery.id)
    presses = await rows_of(ButtonPress, ButtonPress.pressed_at, ButtonPress.message_id)
    session_started = {care.id: care.started_at for care in cares}

    def moment(what: str) -> tuple[str, ...]:
        return _moment_meanings(what, zone_name)

    tables = [_settings(stored, prefs, zone_name)]
    tables.append(
        RecordTable(
            "water",
            (*MOMENT_COLUMNS, "Amount (ml)", "Amount (glasses)"),
            tuple(
                (*_moment(e.at, zone), str(e.amount_ml or 0), _glasses(e.amount_ml or 0, glass))
                for e in events
                if e.kind is EventKind.WATER
            ),
            about="One row for each time you logged water.",
            meanings=(
                *moment("you logged it"),
                "how much you drank, in millilitres",
                f"the same amount in glasses of your glass size ({glass} ml a glass)",
            ),
        )
    )
    for kind, name, about in (
        (EventKind.POSTURE_BREAK, "posture_breaks", "a break from sitting you logged"),
        (EventKind.STRETCH, "stretches", "a stretch you logged as done"),
    ):
        tables.append(
            RecordTable(
                name,
                MOMENT_COLUMNS,
                tuple(_moment(e.at, zone) for e in events if e.kind is kind),
                about=f"One row for each {about}.",
                meanings=moment("you logged it"),
            )
        )
    tables.append(
        RecordTable(
            "care_episodes",
            (
                "Episode",
                *MOMENT_COLUMNS,
                "Ended",
                "Ice phase (hours)",
                "Ice session (minutes)",
                "Ice offered every (minutes)",
                "Heat session (minutes)",
                "Heat sessions a day",
                "Ice and heat in turns",
                "Warning signs",
                "Said you were seen",
                "BackCare advised a doctor",
                "Why a doctor",
            ),
            tuple(
                (
                    episode_of[f.id],
                    *_moment(f.started_at, zone),
                    _when(f.ended_at, zone, empty="still on"),
                    str(f.acute_hours),
                    str(f.ice_minutes),
                    str(f.ice_every_minutes),
                    str(f.heat_minutes),
                    str(f.heat_per_day),
                    _yes(f.alternate),
                    _yes(f.red_flags, none="not answered"),
                    _when(f.seen_at, zone),
                    _when(f.doctor_advised_at, zone),
                    f.doctor_reason or "",
                )
                for f in flares
            ),
            about="One row for each care episode: from /flare (your back went into spasm) to"
            " /better.",
            meanings=(
                "the episode's number, 1 for your first; pain.csv and ice_and_heat.csv use it",
                *moment("care mode started"),
                f"when care mode ended (weekday, date and time in {zone_name}), or 'still on'",
                "for how many hours from the start BackCare offered ice (after that, heat)",
                "how long each ice session's timer ran, in minutes",
                "how often BackCare offered ice while you were awake, in minutes",
                "how long each heat session's timer ran, in minutes",
                "at most how many heat sessions BackCare offered a day",
                "yes if the plan alternated ice and heat",
                "your answer to 'Do you have any warning signs (numbness, bladder or bowel"
                " trouble, weakness in the legs)?': yes, no or not answered",
                "when you said a doctor had seen you, after a yes (empty if not said)",
                "when BackCare advised you to see a doctor (empty if it did not)",
                "why BackCare advised a doctor, in its words (empty if it did not)",
            ),
        )
    )
    tables.append(
        RecordTable(
            "pain",
            (*MOMENT_COLUMNS, "Pain (0-10)", "Episode"),
            tuple(
                (*_moment(p.at, zone), str(p.score), episode_of.get(p.flare_id, "")) for p in pains
            ),
            about="One row for each pain score you gave in care mode.",
            meanings=(
                *moment("you gave the score"),
                "how bad your back was: 0 = no pain, 10 = the worst you can imagine",
                "the care episode it belongs to (its number in care_episodes.csv)",
            ),
        )
    )
    tables.append(
        RecordTable(
            "ice_and_heat",
            (
                "Episode",
                *MOMENT_COLUMNS,
                "What",
                "Part under way",
                "Timer for this part ends",
                "Taken off",
                "Minutes on",
                "Times asked if it was off",
            ),
            tuple(
                (
                    episode_of.get(c.flare_id, "") if c.flare_id is not None else "",
                    *_moment(c.started_at, zone),
                    TREATMENT_NAMES[c.treatment],
                    ("ice" if c.step == 0 else "heat")
                    if c.treatment is Treatment.ALTERNATE
                    else TREATMENT_NAMES[c.treatment],
                    _when(c.step_ends_at, zone),
                    _when(c.taken_off_at, zone, empty="not recorded"),
                    ""
                    if c.taken_off_at is None
                    else str(round((c.taken_off_at - c.started_at).total_seconds() / 60)),
                    str(c.checks_sent),
                )
                for c in cares
            ),
            about="One row for each ice or heat session you started.",
            meanings=(
                "the care episode it belongs to (its number in care_episodes.csv; empty if none)",
                *moment("the session started"),
                "what went on your back: ice, heat, or ice, then heat",
                "for ice, then heat: which half was running last; otherwise the same as What",
                f"when the timer for that part ends or ended (weekday, date and time in"
                f" {zone_name})",
                "when you said it was off, or 'not recorded' if you never confirmed it",
                "how many minutes it was on, from start to when you said it was off",
                "how many times BackCare asked whether the heat pad was off",
            ),
        )
    )
    tables.append(
        RecordTable(
            "questions",
            (
                *MOMENT_COLUMNS,
                "Your message",
                "Answered from",
                "Answer found",
                "Warning read in it",
                "Your rating",
            ),
            tuple(
                (
                    *_moment(q.asked_at, zone),
                    q.text,
                    q.entry_id or "",
                    _yes(q.matched),
                    LEVEL_NAMES.get(q.level, q.level),
                    {1: "helpful (👍)", -1: "not helpful (👎)"}.get(q.vote, "")
                    if q.vote is not None
                    else "",
                )
                for q in questions
            ),
            about="One row for each message you sent BackCare that it read as a question"
            " (kept 30 days).",
            meanings=(
                *moment("you sent it"),
                "what you wrote, word for word",
                "the name of the guidance topic that answered it (empty if none did)",
                "yes if BackCare had an answer, no if it did not",
                "whether BackCare read a warning sign in it, and what it told you",
                "your 👍 or 👎 on the answer (empty if you gave none)",
            ),
        )
    )
    tables.append(
        RecordTable(
            "upcoming_nudges",
            (*MOMENT_COLUMNS, "What", "About"),
            tuple(
                (
                    *_moment(n.due_at, zone),
                    NUDGE_NAMES.get(n.kind, str(n.kind)),
                    _upcoming_about(n.payload, session_started, zone),
                )
                for n in upcoming
            ),
            about="One row for each kind of nudge BackCare has scheduled for you next.",
            meanings=(
                *moment("it is next due"),
                "what kind of nudge it is, in words",
                "for a timer: the ice or heat session it ends (empty for others)",
            ),
        )
    )
    tables.append(
        RecordTable(
            "messages_sent",
            (
                *MOMENT_COLUMNS,
                "What",
                "Status",
                "Sent",
                "Tries",
                "Problem",
                "Message text",
                "Buttons",
                "Telegram message number",
                "Queued",
                "Last try began",
                "Held for sending until",
            ),
            tuple(
                (
                    *_moment(d.due_at, zone),
                    _message_words(d.payload)[0] or NUDGE_NAMES.get(d.kind, str(d.kind)),
                    STATUS_NAMES.get(d.status, str(d.status)),
                    _when(d.sent_at, zone),
                    str(d.attempts),
                    d.error or "",
                    _message_words(d.payload)[1],
                    _message_words(d.payload)[2],
                    "" if d.message_id is None else str(d.message_id),
                    _when(d.created_at, zone),
                    _when(d.attempted_at, zone),
                    _when(d.lease_until, zone),
                )
                for d in deliveries
            ),
            about="One row for each nudge BackCare sent you or meant to (kept 30 days).",
            meanings=(
                *moment("it was due to go out"),
                "what it was about, in words; '+' joins nudges sent as one message",
                "sent, waiting to be sent, or could not be sent",
                f"when it was sent (weekday, date and time in {zone_name}; empty if not)",
                "how many times BackCare tried to send it",
                "why it could not be sent, as Telegram said it (empty if no problem)",
                "the message's words as sent",
                "each button it offered and, in brackets, what pressing it did",
                "Telegram's number for the message in your chat",
                f"when BackCare put it in line to send (weekday, date and time in {zone_name})",
                "when BackCare last began sending it (empty once the answer was recorded)",
                "until when one BackCare process had it to send (so no other sends it twice)",
            ),
        )
    )
    tables.append(
        RecordTable(
            "answered_nudges",
            (*MOMENT_COLUMNS, "Telegram message number", "Which nudge", "What happened"),
            tuple(
                (*_moment(b.pressed_at, zone), str(b.message_id), *_answered(b.kind))
                for b in presses
            ),
            about="One row for each nudge answered, or left to pass, so a second press of"
            " the same button does nothing (kept 30 days).",
            meanings=(
                *moment("it was answered or marked missed"),
                "Telegram's number for the message (the same as in messages_sent.csv)",
                "which nudge in the message it was about",
                "answered (with a button or in words), or left unanswered and marked missed",
            ),
        )
    )
    return tables


def _upcoming_about(
    payload: dict[str, Any] | None, started: dict[int, datetime], zone: ZoneInfo
) -> str:
    """Say what a scheduled nudge's details are about (a timer: its session)."""
    if not payload:
        return ""
    session_id = payload.get("session")
    if session_id in started:
        return f"the session started {_when(started[session_id], zone)}"
    return ", ".join(f"{key}: {value}" for key, value in sorted(payload.items()))
