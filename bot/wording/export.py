"""The export in words: one table per subject, columns named for people, each with what it
means (the zip's README.txt says them), dates and times local with weekday names."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import _
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
INTRO = _(
    "BackCare export: everything BackCare stores about you.\n"
    "\n"
    "There is one CSV file per subject (comma-separated, UTF-8, the first "
    "row names the\n"
    "columns). Each opens in a spreadsheet. Dates and times are in your own "
    "time zone, dates as\n"
    "year-month-day, times on the 24-hour clock. An empty cell means nothing "
    "was recorded there.\n"
    "The messages you sent as questions, the nudges sent and the answers to "
    "them are kept for 30\n"
    "days, so this export holds at most 30 days of them. /forget deletes "
    "everything.\n"
    "\n"
    "Below, each file in turn: what one row is, then what each column "
    "means.\n"
)


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
            (*MOMENT_COLUMNS, _("Amount (ml)"), _("Amount (glasses)")),
            tuple(
                (*_moment(e.at, zone), str(e.amount_ml or 0), _glasses(e.amount_ml or 0, glass))
                for e in events
                if e.kind is EventKind.WATER
            ),
            about=_("One row for each time you logged water."),
            meanings=(
                *moment(_("you logged it")),
                _("how much you drank, in millilitres"),
                _("the same amount in glasses of your glass size ({glass} ml a glass)").format(
                    glass=glass
                ),
            ),
        )
    )
    for kind, name, about in (
        (
            EventKind.POSTURE_BREAK,
            "posture_breaks",
            _("One row for each break from sitting you logged."),
        ),
        (EventKind.STRETCH, "stretches", _("One row for each stretch you logged as done.")),
    ):
        tables.append(
            RecordTable(
                name,
                MOMENT_COLUMNS,
                tuple(_moment(e.at, zone) for e in events if e.kind is kind),
                about=about,
                meanings=moment(_("you logged it")),
            )
        )
    tables.append(
        RecordTable(
            "care_episodes",
            (
                _("Episode"),
                *MOMENT_COLUMNS,
                _("Ended"),
                _("Ice phase (hours)"),
                _("Ice session (minutes)"),
                _("Ice offered every (minutes)"),
                _("Heat session (minutes)"),
                _("Heat sessions a day"),
                _("Ice and heat in turns"),
                _("Warning signs"),
                _("Said you were seen"),
                _("BackCare advised a doctor"),
                _("Why a doctor"),
            ),
            tuple(
                (
                    episode_of[f.id],
                    *_moment(f.started_at, zone),
                    _when(f.ended_at, zone, empty=_("still on")),
                    str(f.acute_hours),
                    str(f.ice_minutes),
                    str(f.ice_every_minutes),
                    str(f.heat_minutes),
                    str(f.heat_per_day),
                    _yes(f.alternate),
                    _yes(f.red_flags, none=_("not answered")),
                    _when(f.seen_at, zone),
                    _when(f.doctor_advised_at, zone),
                    f.doctor_reason or "",
                )
                for f in flares
            ),
            about=_(
                "One row for each care episode: from /flare (your back went into spasm) "
                "to /better."
            ),
            meanings=(
                _("the episode's number, 1 for your first; pain.csv and ice_and_heat.csv use it"),
                *moment(_("care mode started")),
                _(
                    "when care mode ended (weekday, date and time in {zone_name}), or 'still on'"
                ).format(zone_name=zone_name),
                _("for how many hours from the start BackCare offered ice (after that, heat)"),
                _("how long each ice session's timer ran, in minutes"),
                _("how often BackCare offered ice while you were awake, in minutes"),
                _("how long each heat session's timer ran, in minutes"),
                _("at most how many heat sessions BackCare offered a day"),
                _("yes if the plan alternated ice and heat"),
                _(
                    "your answer to 'Do you have any warning signs (numbness, bladder or "
                    "bowel trouble, weakness in the legs)?': yes, no or not answered"
                ),
                _("when you said a doctor had seen you, after a yes (empty if not said)"),
                _("when BackCare advised you to see a doctor (empty if it did not)"),
                _("why BackCare advised a doctor, in its words (empty if it did not)"),
            ),
        )
    )
    tables.append(
        RecordTable(
            "pain",
            (*MOMENT_COLUMNS, _("Pain (0-10)"), _("Episode")),
            tuple(
                (*_moment(p.at, zone), str(p.score), episode_of.get(p.flare_id, "")) for p in pains
            ),
            about=_("One row for each pain score you gave in care mode."),
            meanings=(
                *moment(_("you gave the score")),
                _("how bad your back was: 0 = no pain, 10 = the worst you can imagine"),
                _("the care episode it belongs to (its number in care_episodes.csv)"),
            ),
        )
    )
    tables.append(
        RecordTable(
            "ice_and_heat",
            (
                _("Episode"),
                *MOMENT_COLUMNS,
                _("What"),
                _("Part under way"),
                _("Timer for this part ends"),
                _("Taken off"),
                _("Minutes on"),
                _("Times asked if it was off"),
            ),
            tuple(
                (
                    episode_of.get(c.flare_id, "") if c.flare_id is not None else "",
                    *_moment(c.started_at, zone),
                    TREATMENT_NAMES[c.treatment],
                    TREATMENT_NAMES[Treatment.ICE if c.step == 0 else Treatment.HEAT]
                    if c.treatment is Treatment.ALTERNATE
                    else TREATMENT_NAMES[c.treatment],
                    _when(c.step_ends_at, zone),
                    _when(c.taken_off_at, zone, empty=_("not recorded")),
                    ""
                    if c.taken_off_at is None
                    else str(round((c.taken_off_at - c.started_at).total_seconds() / 60)),
                    str(c.checks_sent),
                )
                for c in cares
            ),
            about=_("One row for each ice or heat session you started."),
            meanings=(
                _(
                    "the care episode it belongs to (its number in care_episodes.csv; empty "
                    "if none)"
                ),
                *moment(_("the session started")),
                _("what went on your back: ice, heat, or ice, then heat"),
                _("for ice, then heat: which half was running last; otherwise the same as What"),
                _(
                    "when the timer for that part ends or ended (weekday, date and time in "
                    "{zone_name})"
                ).format(zone_name=zone_name),
                _("when you said it was off, or 'not recorded' if you never confirmed it"),
                _("how many minutes it was on, from start to when you said it was off"),
                _("how many times BackCare asked whether the heat pad was off"),
            ),
        )
    )
    tables.append(
        RecordTable(
            "questions",
            (
                *MOMENT_COLUMNS,
                _("Your message"),
                _("Answered from"),
                _("Answer found"),
                _("Warning read in it"),
                _("Your rating"),
            ),
            tuple(
                (
                    *_moment(q.asked_at, zone),
                    q.text,
                    q.entry_id or "",
                    _yes(q.matched),
                    LEVEL_NAMES.get(q.level, q.level),
                    {1: _("helpful (👍)"), -1: _("not helpful (👎)")}.get(q.vote, "")
                    if q.vote is not None
                    else "",
                )
                for q in questions
            ),
            about=_(
                "One row for each message you sent BackCare that it read as a question "
                "(kept 30 days)."
            ),
            meanings=(
                *moment(_("you sent it")),
                _("what you wrote, word for word"),
                _("the name of the guidance topic that answered it (empty if none did)"),
                _("yes if BackCare had an answer, no if it did not"),
                _("whether BackCare read a warning sign in it, and what it told you"),
                _("your 👍 or 👎 on the answer (empty if you gave none)"),
            ),
        )
    )
    tables.append(
        RecordTable(
            "upcoming_nudges",
            (*MOMENT_COLUMNS, _("What"), _("About")),
            tuple(
                (
                    *_moment(n.due_at, zone),
                    NUDGE_NAMES.get(n.kind, str(n.kind)),
                    _upcoming_about(n.payload, session_started, zone),
                )
                for n in upcoming
            ),
            about=_("One row for each kind of nudge BackCare has scheduled for you next."),
            meanings=(
                *moment(_("it is next due")),
                _("what kind of nudge it is, in words"),
                _("for a timer: the ice or heat session it ends (empty for others)"),
            ),
        )
    )
    words = {d.id: _message_words(d.payload, texts) for d in deliveries}
    tables.append(
        RecordTable(
            "messages_sent",
            (
                *MOMENT_COLUMNS,
                _("What"),
                _("Status"),
                _("Sent"),
                _("Tries"),
                _("Problem"),
                _("Message text"),
                _("Buttons"),
                _("Telegram message number"),
                _("Queued"),
                _("Last try began"),
                _("Held for sending until"),
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
            about=_("One row for each nudge BackCare sent you or meant to (kept 30 days)."),
            meanings=(
                *moment(_("it was due to go out")),
                _("what it was about, in words; '+' joins nudges sent as one message"),
                _("sent, waiting to be sent, or could not be sent"),
                _("when it was sent (weekday, date and time in {zone_name}; empty if not)").format(
                    zone_name=zone_name
                ),
                _("how many times BackCare tried to send it"),
                _("why it could not be sent, as Telegram said it (empty if no problem)"),
                _("the message's words as sent"),
                _("each button it offered and, in brackets, what pressing it did"),
                _("Telegram's number for the message in your chat"),
                _(
                    "when BackCare put it in line to send (weekday, date and time in {zone_name})"
                ).format(zone_name=zone_name),
                _("when BackCare last began sending it (empty once the answer was recorded)"),
                _("until when one BackCare process had it to send (so no other sends it twice)"),
            ),
        )
    )
    tables.append(
        RecordTable(
            "answered_nudges",
            (*MOMENT_COLUMNS, _("Telegram message number"), _("Which nudge"), _("What happened")),
            tuple(
                (*_moment(b.pressed_at, zone), str(b.message_id), *_answered(b.kind))
                for b in presses
            ),
            about=_(
                "One row for each nudge answered, or left to pass, so a second press of "
                "the same button does nothing (kept 30 days)."
            ),
            meanings=(
                *moment(_("it was answered or marked missed")),
                _("Telegram's number for the message (the same as in messages_sent.csv)"),
                _("which nudge in the message it was about"),
                _("answered (with a button or in words), or left unanswered and marked missed"),
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
        return _("the session started {when}").format(when=_when(started[session_id], zone))
    return ", ".join(f"{key}: {value}" for key, value in sorted(payload.items()))
