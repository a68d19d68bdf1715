"""Honest progress and a readable export (issue 28 items 3 and 4; UX walk MEDIUM 1, 7, 8).

Days before someone joined are not days missed, averages say over how many days, ice and
heat have a row of their own, the report's axis is dates and its lines are sentences, and
the export's columns are named for people and each explained in the zip's README.txt.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.wording import export as export_words
from bot.wording.progress import chart_words, describe
from bot.wording.report import pain_chart, report_page
from jobs.documents.chart import chart_figure
from jobs.documents.export import render_export
from jobs.documents.report import pain_chart_figure, render_report
from jobs.rules.person import person_of
from jobs.rules.progress import DayProgress, Progress, tally
from jobs.rules.report import CareSessionLine, Episode
from jobs.services import export, progress
from storage.models import (
    ButtonPress,
    CareSession,
    Delivery,
    DeliveryStatus,
    Event,
    EventKind,
    Flare,
    NudgeKind,
    PainCheckin,
    Question,
    ScheduledNudge,
    Treatment,
)
from tests.support.factories import care_session, make_ready_user, nudge_texts

NEW_YORK = ZoneInfo("America/New_York")
# Wednesday 25 November 2026, 09:02 in New York: Mia's third day (she joined on Monday).
WEDNESDAY = datetime(2026, 11, 25, 9, 2, tzinfo=NEW_YORK)
MONDAY = date(2026, 11, 23)

Sessions = async_sessionmaker[AsyncSession]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Return a New York wall-clock time on the n-th day from Monday 23 November."""
    return datetime.combine(MONDAY + timedelta(days=day), time(hour, minute), tzinfo=NEW_YORK)


def mias_days(days: int = 7) -> Progress:
    """Mia's three days as the walk saw them: 1.5 l on Monday, a glass on Tuesday's flare."""
    return tally(
        zone=NEW_YORK,
        last_day=MONDAY + timedelta(days=2),
        days=days,
        water_goal_ml=2000,
        events=[
            *((EventKind.WATER, at(0, 8 + hour), 250) for hour in range(6)),
            (EventKind.WATER, at(1, 7, 57), 250),
            (EventKind.STRETCH, at(0, 19, 20), None),
        ],
        offered_breaks=[at(0, 10), at(0, 11), at(0, 12), at(0, 15)],
        pain=[(at(1, 13, 31), 7), (at(2, 7, 32), 6)],
        sessions=[(at(1, 8, 36), Treatment.ICE), (at(1, 8, 56), Treatment.HEAT)],
        flare=True,
        joined=MONDAY,
    )


# -- the three-day person -------------------------------------------------------------------


def test_someone_who_joined_three_days_ago_sees_three_days_not_seven_or_thirty() -> None:
    for days in (7, 30):
        shown = mias_days(days)
        assert [d.day for d in shown.days] == [MONDAY + timedelta(days=i) for i in range(3)]
        assert shown.since_joined
        text = describe(shown)
        assert text.startswith("📈 Your 3 days with BackCare (since you started on Mon 23 Nov):")
        assert "of 7 days" not in text
        assert "of 30 days" not in text


def test_the_averages_say_over_how_many_days_and_leave_today_under_way_out() -> None:
    text = describe(mias_days())
    # Monday 1500 ml, Tuesday 250 ml: 875 ml over the two days that are over; not 583
    # (today's nothing-yet at 09:02 counted) and not 250 (over 7 days, 4 before she joined).
    assert (
        "💧 Water goal (2000 ml) met on 0 of 3 days; 875 ml a day on average over the 2 full"
        " days before today, 0 ml so far today."
    ) in text
    assert "🧘 Stretches on 1 of 3 days." in text
    assert "🩹 Pain (0-10): 7 → 6 (each day's last score, on 2 days);" in text


def test_the_first_day_has_no_average_only_what_is_logged_so_far() -> None:
    shown = tally(
        zone=NEW_YORK,
        last_day=MONDAY,
        days=7,
        water_goal_ml=2000,
        events=[(EventKind.WATER, at(0, 8), 250)],
        offered_breaks=[],
        pain=[],
        sessions=[],
        flare=False,
        joined=MONDAY,
    )
    text = describe(shown)
    assert text.startswith("📈 Your first day with BackCare (today, Mon 23 Nov):")
    assert "met on 0 of 1 day; 250 ml so far today." in text


def test_no_streak_running_is_not_said_as_zero_in_a_row() -> None:
    text = describe(mias_days())
    assert "0 days in a row" not in text
    assert "in a row" not in text
    figure = chart_figure(mias_days(), chart_words(mias_days()))
    assert "0 in a row" not in figure.get_suptitle()
    assert "3 days with BackCare" in figure.get_suptitle()


def test_the_caption_says_what_the_chart_shows() -> None:
    assert describe(mias_days()).splitlines()[-1] == (
        "The chart shows, day by day: water a day (the dashed line is your goal), breaks"
        " taken of offered, stretches, your pain score (0-10), ice and heat days on a row of"
        " their own."
    )


def test_progress_with_its_joining_day_survives_the_outbox_and_older_payloads_read() -> None:
    shown = mias_days()
    assert Progress.from_payload(shown.to_payload()) == shown
    old = shown.to_payload()
    del old["period"], old["joined"]
    assert Progress.from_payload(old).joined is None


async def test_the_service_starts_the_days_on_the_day_the_person_joined(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, zone="America/New_York")
        user.created_at = at(0, 7, 40)
        session.add(Event(user_id=user.id, kind=EventKind.WATER, at=at(0, 8), amount_ml=1500))
    async with sessionmaker() as session:
        for days in (7, 30):
            shown = await progress.progress(session, person_of(user), now=WEDNESDAY, days=days)
            assert len(shown.days) == 3, days
            assert shown.joined == MONDAY


# -- ice and heat on their own row ------------------------------------------------------------


def test_ice_and_heat_are_drawn_on_their_own_row_not_on_the_pain_axis() -> None:
    axes = {
        str(ax.get_label()): ax for ax in chart_figure(mias_days(), chart_words(mias_days())).axes
    }
    assert list(axes) == ["water", "breaks", "stretches", "pain", "ice_heat"]
    pain, care = axes["pain"], axes["ice_heat"]
    assert len(pain.collections) == 0  # nothing but the pain line on the 0-10 scale
    (line,) = pain.get_lines()
    assert [float(y) for y in cast(Any, line.get_ydata())] == [7, 6]
    marks = {
        str(collection.get_label()): [
            (float(x), float(y)) for x, y in cast(Any, collection.get_offsets())
        ]
        for collection in care.collections
    }
    assert marks == {"ice": [(1.0, 1.0)], "heat": [(1.0, 0.0)]}
    assert [t.get_text() for t in care.get_yticklabels()] == ["heat", "ice"]


def test_without_ice_or_heat_there_is_no_empty_row_for_them() -> None:
    days = tuple(DayProgress(MONDAY + timedelta(days=i), pain=5) for i in range(3))
    sore = Progress(days, 2000, flare=True)
    axes = {str(ax.get_label()) for ax in chart_figure(sore, chart_words(sore)).axes}
    assert axes == {"water", "breaks", "stretches", "pain"}


# -- the report ---------------------------------------------------------------------------------


def _episode(*, taken_off: bool) -> Episode:
    return Episode(
        started_at=at(1, 8, 30),
        ended_at=None,
        pain=((at(1, 13, 31), 7), (at(2, 7, 32), 6)),
        sessions=(
            CareSessionLine(at(1, 8, 36), Treatment.ICE, at(1, 8, 51) if taken_off else None),
            CareSessionLine(at(1, 8, 56), Treatment.HEAT, None),
        ),
        warning_signs=False,
        seen_at=None,
        doctor_advised_at=None,
        doctor_reason=None,
        missed_checkins=(),
    )


def test_the_reports_chart_has_dates_on_its_axis_and_ice_and_heat_on_their_own_row() -> None:
    chart = pain_chart(_episode(taken_off=True), NEW_YORK)
    assert chart is not None
    figure = pain_chart_figure(chart)
    pain, care = figure.axes
    figure.canvas.draw()
    labels = [t.get_text() for t in care.get_xticklabels() if t.get_text()]
    assert labels
    assert all(re.match(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d (Nov|Dec)", t) for t in labels)
    assert pain.get_ylim() == (0, 10.5)
    assert len(pain.collections) == 0  # no ice or heat marks on the pain scale
    assert len(care.collections) == 2


async def test_the_report_says_sessions_in_sentences_with_habits_since_joining(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, zone="America/New_York")
        user.created_at = at(0, 7, 40)
        session.add(Event(user_id=user.id, kind=EventKind.WATER, at=at(0, 8), amount_ml=1500))
        episode = Flare(user_id=user.id, started_at=at(1, 8, 30), red_flags=False)
        session.add(episode)
        await session.flush()
        session.add_all(
            [
                PainCheckin(user_id=user.id, flare_id=episode.id, at=at(1, 13, 31), score=7),
                PainCheckin(user_id=user.id, flare_id=episode.id, at=at(2, 7, 32), score=6),
                care_session(user.id, episode.id, at(1, 8, 36), Treatment.ICE, off=None),
                care_session(user.id, episode.id, at(1, 14, 56), Treatment.ICE, off=15),
                care_session(user.id, episode.id, at(1, 8, 56), Treatment.HEAT, off=None),
            ]
        )
    async with sessionmaker() as session:
        user = await session.merge(user)
        made = await progress.report(session, user, now=WEDNESDAY)
    reader = PdfReader(io.BytesIO(render_report(report_page(made))))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "not said" not in text
    assert "ice then heat: 0" not in text
    assert "3 ice or heat sessions logged: 2 with ice and 1 with heat." in text
    assert (
        "Ice put on Tue 24 Nov 08:36; when it came off was not recorded (the person did not"
        " confirm it)."
    ) in text
    assert "Ice on Tue 24 Nov 14:56, off at 15:11 (15 min)." in text
    assert "Chart: each pain check-in of the episode" in text
    assert "Habits since starting BackCare on Mon 23 Nov 2026 (3 days)" in text
    assert "met on 0 of 3 days; 750 ml a day on average over the 2 days before today" in text
    assert "Weekly summary on: Sunday 18:00." in text
    assert "Mon-Fri" in text


# -- the export -------------------------------------------------------------------------------


def _explained(readme: str) -> dict[str, list[str]]:
    """Read the README.txt: each file it describes, and the columns it explains there."""
    files: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in readme.splitlines():
        if re.fullmatch(r"[a-z_]+\.csv", line):
            current = files.setdefault(line, [])
        elif current is not None and line.startswith("  - "):
            column, separator, meaning = line[4:].partition(": ")
            assert separator, f"a column without its meaning: {line!r}"
            assert meaning.strip(), line
            current.append(column)
    return files


async def _mias_export(sessionmaker: Sessions) -> tuple[zipfile.ZipFile, int]:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, zone="America/New_York")
        other = await make_ready_user(session, telegram_id=2002)
        user.created_at = at(0, 7, 40)
        episode = Flare(user_id=user.id, started_at=at(1, 8, 30), red_flags=False)
        session.add(episode)
        await session.flush()
        care = care_session(user.id, episode.id, at(1, 8, 36), Treatment.ICE, off=15)
        session.add_all(
            [
                Event(user_id=user.id, kind=EventKind.WATER, at=at(0, 7, 57), amount_ml=250),
                Event(user_id=user.id, kind=EventKind.WATER, at=at(0, 17, 15), amount_ml=500),
                Event(user_id=user.id, kind=EventKind.POSTURE_BREAK, at=at(0, 16, 50)),
                Event(user_id=user.id, kind=EventKind.STRETCH, at=at(0, 19, 20)),
                Event(user_id=other.id, kind=EventKind.WATER, at=at(0, 9), amount_ml=999),
                PainCheckin(user_id=user.id, flare_id=episode.id, at=at(1, 13, 31), score=7),
                care,
                Question(
                    user_id=user.id,
                    asked_at=at(2, 9),
                    text="how long should i ice it",
                    entry_id="ice",
                    matched=True,
                    level="none",
                    vote=1,
                ),
                ScheduledNudge(user_id=user.id, kind=NudgeKind.WATER, due_at=at(2, 9, 49)),
                Delivery(
                    user_id=user.id,
                    kind=NudgeKind.POSTURE,
                    due_at=at(0, 10, 12),
                    status=DeliveryStatus.SENT,
                    attempts=1,
                    payload={
                        "kind": "posture",
                        "text": "🚶 Time to get up from your desk.",
                        "buttons": [["Done", "done"], ["Snooze 10 min", "snooze"]],
                        "more": [
                            {
                                "kind": "water",
                                "text": "💧 A glass?",
                                "buttons": [["+1 glass", "drink"]],
                            }
                        ],
                    },
                    created_at=at(0, 10, 12),
                    sent_at=at(0, 10, 12),
                    message_id=77,
                ),
                ButtonPress(
                    user_id=user.id, message_id=77, kind="posture.missed", pressed_at=at(0, 11, 12)
                ),
            ]
        )
    async with sessionmaker() as session:
        user = await session.merge(user)
        tables = export_words.tables(await export.records(session, user), nudge_texts())
    return zipfile.ZipFile(io.BytesIO(render_export(tables, export_words.INTRO))), user.id


def _csv(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    with archive.open(name) as file:
        return list(csv.DictReader(io.TextIOWrapper(file, encoding="utf-8")))


async def test_every_exported_column_is_explained_in_the_zips_readme_and_nothing_else(
    sessionmaker: Sessions,
) -> None:
    archive, _ = await _mias_export(sessionmaker)
    readme = archive.read("README.txt").decode("utf-8")
    assert "BackCare's README" not in readme  # a Telegram user does not have it
    explained = _explained(readme)
    files = sorted(name for name in archive.namelist() if name.endswith(".csv"))
    assert sorted(explained) == files
    for name in files:
        with archive.open(name) as file:
            header = next(csv.reader(io.TextIOWrapper(file, encoding="utf-8")))
        assert explained[name] == header, name


async def test_the_export_speaks_in_local_dates_weekdays_glasses_and_words(
    sessionmaker: Sessions,
) -> None:
    archive, _ = await _mias_export(sessionmaker)
    water = _csv(archive, "water.csv")
    assert water == [
        {
            "Date": "2026-11-23",
            "Weekday": "Monday",
            "Time": "07:57",
            "Amount (ml)": "250",
            "Amount (glasses)": "1",
        },
        {
            "Date": "2026-11-23",
            "Weekday": "Monday",
            "Time": "17:15",
            "Amount (ml)": "500",
            "Amount (glasses)": "2",
        },
    ]
    (care,) = _csv(archive, "ice_and_heat.csv")
    assert (care["What"], care["Taken off"], care["Minutes on"]) == (
        "ice",
        "Tuesday 2026-11-24 08:51",
        "15",
    )
    (sent,) = _csv(archive, "messages_sent.csv")
    assert sent["What"] == "posture break (get up and move) + water reminder"
    assert sent["Buttons"] == (
        "Done (logs it as done) | Snooze 10 min (reminds you again a little later)"
        " | +1 glass (logs a glass of water)"
    )
    (answered,) = _csv(archive, "answered_nudges.csv")
    assert answered["Which nudge"] == "posture break (get up and move)"
    assert answered["What happened"].startswith("left unanswered")
    settings = {row["Setting"]: row["Value"] for row in _csv(archive, "settings.csv")}
    assert settings["Work days"] == "Monday, Tuesday, Wednesday, Thursday, Friday"
    assert settings["Weekly summary day"] == "Sunday"
    (question,) = _csv(archive, "questions.csv")
    assert question["Your rating"] == "helpful (👍)"
    for name in archive.namelist():
        text = archive.read(name).decode("utf-8")
        assert "posture.missed" not in text, name
        assert "_utc" not in text, name


async def test_the_export_still_holds_every_stored_row_and_only_this_persons(
    sessionmaker: Sessions,
) -> None:
    archive, user_id = await _mias_export(sessionmaker)
    files: dict[tuple[Any, EventKind | None], str] = {
        (Event, EventKind.WATER): "water.csv",
        (Event, EventKind.POSTURE_BREAK): "posture_breaks.csv",
        (Event, EventKind.STRETCH): "stretches.csv",
        (Flare, None): "care_episodes.csv",
        (PainCheckin, None): "pain.csv",
        (CareSession, None): "ice_and_heat.csv",
        (Question, None): "questions.csv",
        (ScheduledNudge, None): "upcoming_nudges.csv",
        (Delivery, None): "messages_sent.csv",
        (ButtonPress, None): "answered_nudges.csv",
    }
    async with sessionmaker() as session:
        for (model, kind), name in files.items():
            query: Any = select(func.count()).select_from(model)
            query = query.where(model.user_id == user_id)
            if kind is not None:
                query = query.where(Event.kind == kind)
            stored = await session.scalar(query)
            assert len(_csv(archive, name)) == stored, name
    assert len(_csv(archive, "settings.csv")) >= 30
