"""The export in words: one table per subject, columns named for people, each with what it
means (the zip's README.txt says them), dates and times local with weekday names."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.wording.export_words import (
    LEVEL_NAMES,
    MOMENT_COLUMNS,
    NUDGE_NAMES,
    STATUS_NAMES,
    TREATMENT_NAMES,
    _answered,
    _glasses,
    _message_words,
    _moment,
    _moment_meanings,
    _settings,
    _when,
    _yes,
)
from bot.wording.nudges import NudgeTexts
from jobs.rules.report import RecordTable
from jobs.services.export import Records
from storage.models import EventKind, Treatment

# What the zip's README.txt opens with.
INTRO = """BackCare export: everything BackCare stores about you.

There is one CSV file per subject (comma-separated, UTF-8, the first row names the
columns). Each opens in a spreadsheet. Dates and times are in your own time zone, dates as
year-month-day, times on the 24-hour clock. An empty cell means nothing was recorded there.
The messages you sent as questions, the nudges sent and the answers to them are kept for 30
days, so this export holds at most 30 days of them. /forget deletes everything.

Below, each file in turn: what one row is, then what each column means.
"""


def tables(kept: Records, texts: NudgeTexts) -> list[RecordTable]:
    """Say everything stored about someone, one table per subject, in words a person reads:
    local dates and times with weekday names, amounts in ml and glasses, messages and their
    buttons said as they were sent."""
    stored, prefs = kept.user, kept.prefs
    zone_name = stored.timezone or "UTC"
    zone = ZoneInfo(zone_name)
    glass = prefs.water_glass_ml if prefs is not None else 250
    events, flares, pains, cares = kept.events, kept.flares, kept.pains, kept.cares
    questions, upcoming, deliveries, presses = (
        kept.questions,
        kept.upcoming,
        kept.deliveries,
        kept.presses,
    )
    episode_of = {flare.id: str(number) for number, flare in enumerate(flares, start=1)}
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
    words = {d.id: _message_words(d.payload, texts) for d in deliveries}
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
                    words[d.id][0] or NUDGE_NAMES.get(d.kind, str(d.kind)),
                    STATUS_NAMES.get(d.status, str(d.status)),
                    _when(d.sent_at, zone),
                    str(d.attempts),
                    d.error or "",
                    words[d.id][1],
                    words[d.id][2],
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
