"""Progress: the days summed up, the chart drawn, the report laid out and the data exported."""

from __future__ import annotations

import asyncio
import io
import os
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.wording.progress import chart_words, describe
from bot.wording.report import SELF_REPORTED, report_page
from jobs.documents import Renderer
from jobs.documents.chart import chart_figure, render_chart
from jobs.documents.report import render_report
from jobs.rules.person import person_of
from jobs.rules.progress import DayProgress, Progress, tally
from jobs.services import progress
from storage.models import (
    PERSONAL_DATA,
    Base,
    Delivery,
    DeliveryStatus,
    Event,
    EventKind,
    Flare,
    NudgeKind,
    PainCheckin,
    Treatment,
)
from tests.support.factories import care_session, make_ready_user

BERLIN = ZoneInfo("Europe/Berlin")
# Sunday 8 June 2025, 18:00 in Berlin: the end of the week the tests build.
SUNDAY_18 = datetime(2025, 6, 8, 16, 0, tzinfo=UTC)
MONDAY = date(2025, 6, 2)

Sessions = async_sessionmaker[AsyncSession]


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """Return a Berlin wall-clock time on the n-th day of the week (0 = Monday 2 June)."""
    return datetime.combine(MONDAY + timedelta(days=day), time(hour, minute), tzinfo=BERLIN)


def week(**overrides: Any) -> Progress:
    """A week with something on every day: water rising past the goal, some breaks."""
    days = tuple(
        DayProgress(
            MONDAY + timedelta(days=i),
            water_ml=1500 + 150 * i,
            breaks_taken=i % 4,
            breaks_offered=5,
            stretches=i % 2,
        )
        for i in range(7)
    )
    return Progress(days, 2000, **overrides)


# -- the days summed up ---------------------------------------------------------------------


def test_days_are_local_calendar_days_and_streaks_run_up_to_today() -> None:
    events = [
        # Monday to Saturday at the goal (8 x 250 ml), Sunday (today) not yet: the streak
        # is six days, the day under way does not break it.
        *((EventKind.WATER, local(day, 9 + glass), 250) for day in range(6) for glass in range(8)),
        (EventKind.WATER, local(6, 9), 250),
        # 23:30 on Tuesday in Berlin is 21:30 UTC: still Tuesday.
        (EventKind.STRETCH, local(1, 23, 30), None),
        (EventKind.STRETCH, local(2, 19), None),
        (EventKind.POSTURE_BREAK, local(0, 10), None),
        (EventKind.POSTURE_BREAK, local(0, 11), None),
    ]
    shown = tally(
        zone=BERLIN,
        last_day=MONDAY + timedelta(days=6),
        days=7,
        water_goal_ml=2000,
        events=events,
        offered_breaks=[local(0, 10), local(0, 11), local(0, 12)],
        pain=[],
        sessions=[],
        flare=False,
    )
    assert [d.day for d in shown.days] == [MONDAY + timedelta(days=i) for i in range(7)]
    assert [d.water_ml for d in shown.days] == [2000] * 6 + [250]
    assert [d.stretches for d in shown.days] == [0, 1, 1, 0, 0, 0, 0]
    assert (shown.days[0].breaks_taken, shown.days[0].breaks_offered) == (2, 3)
    assert (shown.goal_days, shown.water_streak, shown.stretch_streak) == (6, 6, 0)
    assert not shown.empty
    assert not shown.shows_pain


def test_the_days_last_pain_score_and_each_session_count_on_their_local_day() -> None:
    shown = tally(
        zone=BERLIN,
        last_day=MONDAY + timedelta(days=2),
        days=3,
        water_goal_ml=2000,
        events=[],
        offered_breaks=[],
        pain=[(local(0, 8), 7), (local(0, 20), 6), (local(2, 8), 3)],
        sessions=[
            (local(0, 9), Treatment.ICE),
            (local(0, 12), Treatment.ICE),
            (local(1, 9), Treatment.ALTERNATE),
            (local(2, 9), Treatment.HEAT),
        ],
        flare=True,
    )
    assert [(d.pain, d.ice, d.heat) for d in shown.days] == [(6, 2, 0), (None, 1, 1), (3, 0, 1)]
    assert shown.shows_pain
    assert (
        "🩹 Pain (0-10): 6 → 3 (each day's last score, on 2 days);"
        " 3 ice sessions and 2 heat sessions."
    ) in describe(shown)


def test_a_week_without_anything_logged_is_empty() -> None:
    days = tuple(DayProgress(MONDAY + timedelta(days=i)) for i in range(7))
    assert Progress(days, 2000).empty
    assert not Progress((*days[:6], DayProgress(days[6].day, pain=0)), 2000).empty


def test_the_caption_says_in_words_what_the_chart_shows() -> None:
    text = describe(week(water_streak=2, stretch_streak=1))
    assert text.splitlines() == [
        "📈 Your last 7 days (Mon 02 Jun – Sun 08 Jun):",
        "💧 Water goal (2000 ml) met on 3 of 7 days; 1875 ml a day on average over the 6 full"
        " days before today, 2400 ml so far today.",
        "🚶 Breaks: 9 taken of 35 offered.",
        "🧘 Stretches on 3 of 7 days.",
        "🔥 Streaks: 2 days in a row at your water goal, 1 day in a row with a stretch.",
        "The chart shows, day by day: water a day (the dashed line is your goal), breaks taken"
        " of offered, stretches.",
    ]


def test_progress_survives_the_outbox_payload() -> None:
    shown = week(water_streak=3, stretch_streak=1, flare=True)
    assert Progress.from_payload(shown.to_payload()) == shown


# -- the chart --------------------------------------------------------------------------------


def _axes(progress_shown: Progress) -> dict[str, Any]:
    figure = chart_figure(progress_shown, chart_words(progress_shown))
    return {str(ax.get_label()): ax for ax in figure.axes}


def test_the_chart_has_a_bar_per_day_and_taken_beside_offered_breaks() -> None:
    axes = _axes(week())
    assert set(axes) == {"water", "breaks", "stretches"}
    assert len(axes["water"].patches) == 7
    assert len(axes["breaks"].patches) == 14  # offered and taken, each day
    assert len(axes["stretches"].patches) == 7
    heights = [round(bar.get_height(), 2) for bar in axes["water"].patches]
    assert heights == [1.5, 1.65, 1.8, 1.95, 2.1, 2.25, 2.4]
    # Days at the goal stand out from the others.
    colours = {bar.get_facecolor() for bar in axes["water"].patches}
    assert len(colours) == 2


def test_a_month_has_thirty_bars_and_a_flare_adds_the_pain_panel() -> None:
    days = tuple(
        DayProgress(MONDAY + timedelta(days=i), water_ml=1000, pain=8 - i // 4, ice=int(i < 3))
        for i in range(30)
    )
    axes = _axes(Progress(days, 2000, flare=True))
    assert set(axes) == {"water", "breaks", "stretches", "pain", "ice_heat"}
    assert len(axes["water"].patches) == 30
    (line,) = axes["pain"].get_lines()
    assert list(line.get_ydata()) == [8 - i // 4 for i in range(30)]


def _decode(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def test_the_chart_is_a_phone_sized_png_that_is_not_blank() -> None:
    image = _decode(render_chart(week(), chart_words(week())))
    assert image.format == "PNG"
    width, height = image.size
    assert width >= 1000
    assert 1.0 <= height / width < 1.6  # square to portrait, for a phone
    colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is not None
    # Mostly the opaque background, with real drawing on it: bars, text, lines.
    background = max(colours)[1]
    drawn = sum(count for count, colour in colours if colour != background)
    assert drawn > width * height * 0.1
    alpha = image.convert("RGBA").getchannel("A").getextrema()
    assert alpha == (255, 255)  # opaque everywhere: the same on a dark and a light theme


async def test_the_renderer_draws_in_a_worker_process_and_the_loop_keeps_going() -> None:
    renderer = Renderer()
    try:
        drawing = asyncio.ensure_future(renderer.run(render_chart, week(), chart_words(week())))
        ticks = 0
        while not drawing.done():
            await asyncio.sleep(0.01)  # the event loop is free while the worker draws
            ticks += 1
        image = _decode(await drawing)
        assert renderer.worker_pids()
        assert os.getpid() not in renderer.worker_pids()
        # A second one reuses the worker, already warm.
        sore = week(flare=True)
        sore = Progress(tuple(replace(d, pain=5) for d in sore.days), 2000, flare=True)
        again = _decode(await renderer.run(render_chart, sore, chart_words(sore)))
    finally:
        renderer.close()
    assert image.size[0] >= 1000
    assert again.size[1] > image.size[1]  # the pain panel makes it taller
    assert ticks > 1


# -- the service ------------------------------------------------------------------------------


async def test_progress_reads_logs_offers_and_a_flare_from_the_database(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        user.created_at = local(-30, 12)
        session.add_all(
            [
                Event(user_id=user.id, kind=EventKind.WATER, at=local(5, 9), amount_ml=2000),
                Event(user_id=user.id, kind=EventKind.WATER, at=local(6, 9), amount_ml=500),
                Event(user_id=user.id, kind=EventKind.POSTURE_BREAK, at=local(4, 10)),
                Event(user_id=user.id, kind=EventKind.STRETCH, at=local(6, 8)),
                # Two messages offered breaks on Friday: one alone, one merged with water.
                _sent(user.id, local(4, 10), {"kind": "posture"}),
                _sent(user.id, local(4, 11), {"kind": "water", "more": [{"kind": "posture"}]}),
                _sent(user.id, local(4, 12), {"kind": "water"}),
            ]
        )
        episode = Flare(user_id=user.id, started_at=local(3, 8))
        session.add(episode)
        await session.flush()
        session.add_all(
            [
                PainCheckin(user_id=user.id, flare_id=episode.id, at=local(4, 8), score=6),
                care_session(user.id, episode.id, local(4, 9), Treatment.ICE),
            ]
        )
    async with sessionmaker() as session:
        shown = await progress.progress(session, person_of(user), now=SUNDAY_18)
    friday, saturday, sunday = shown.days[4:]
    assert (friday.breaks_taken, friday.breaks_offered, friday.pain, friday.ice) == (1, 2, 6, 1)
    assert (saturday.water_ml, sunday.water_ml, sunday.stretches) == (2000, 500, 1)
    assert (shown.water_streak, shown.stretch_streak, shown.flare) == (1, 1, True)


def _sent(user_id: int, at: datetime, payload: dict[str, Any]) -> Delivery:
    return Delivery(
        user_id=user_id,
        kind=NudgeKind(payload["kind"]),
        due_at=at,
        status=DeliveryStatus.SENT,
        attempts=1,
        payload={"text": "", "buttons": [], **payload},
        created_at=at,
        sent_at=at,
        message_id=int(at.timestamp()),
    )


# -- the report -------------------------------------------------------------------------------


async def test_the_report_shows_the_episode_dates_pain_scores_and_self_reported_line(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        user.created_at = local(-60, 12)
        episode = Flare(user_id=user.id, started_at=local(0, 8), red_flags=False)
        session.add(episode)
        await session.flush()
        for day, score in ((0, 7), (1, 6), (3, 4), (5, 2)):
            session.add(
                PainCheckin(user_id=user.id, flare_id=episode.id, at=local(day, 8), score=score)
            )
        session.add_all(
            [
                care_session(user.id, episode.id, local(0, 9), Treatment.ICE),
                care_session(user.id, episode.id, local(3, 9), Treatment.HEAT),
            ]
        )
        episode.ended_at = local(5, 20)
    async with sessionmaker() as session:
        user = await session.merge(user)
        made = await progress.report(session, user, now=SUNDAY_18)
    assert made.episode is not None
    assert [d.isoformat() for d in made.episode.missed_checkins] == ["2025-06-04", "2025-06-06"]

    pdf = render_report(report_page(made))
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 2
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Started Mon 02 Jun 2025; ended: Sat 07 Jun 2025." in text
    assert "Pain check-ins (0 = none, 10 = worst): 02 Jun 7, 03 Jun 6, 05 Jun 4, 07 Jun 2" in text
    assert "2 ice or heat sessions logged: 1 with ice and 1 with heat." in text
    assert "Ice on Mon 02 Jun 09:00, off at 09:15 (15 min)." in text
    assert "Warning-sign question: no" in text
    assert "Days without a morning pain check-in: 2 (Wed 04 Jun, Fri 06 Jun)." in text
    assert "Habits, last 30 days (10 May - 08 Jun 2025)" in text
    assert "Europe/Berlin" in text
    assert " ".join(SELF_REPORTED.split()[:12]) in text
    assert "BackCare is not a doctor" in text


async def test_a_person_with_nothing_logged_has_nothing_to_report(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        made = await progress.report(session, user, now=SUNDAY_18)
    assert made.empty


# -- the export -------------------------------------------------------------------------------


def test_the_export_covers_every_table_that_holds_something_about_a_person() -> None:
    holding = {
        table.name
        for table in Base.metadata.sorted_tables
        if any(column.name == "user_id" for column in table.columns) or table.name == "users"
    }
    assert {cast(Table, model.__table__).name for model in PERSONAL_DATA} == holding


@pytest.mark.parametrize("days", [7, 30])
async def test_a_newcomer_has_nothing_to_show_yet(sessionmaker: Sessions, days: int) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        shown = await progress.progress(session, person_of(user), now=SUNDAY_18, days=days)
    assert shown.empty
    assert len(shown.days) == 1  # only today: the days before they joined are not theirs
