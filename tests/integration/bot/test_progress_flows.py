"""/progress, /report, /export and the weekly summary's setting, without Telegram."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import wording
from bot.arguments import parse_command
from bot.callbacks import Do, OpenMenu, Toggle, decode, encode
from bot.flows import conversation, records, settings
from bot.flows import reply as flows_reply
from bot.telegram_io.sender import MAX_CAPTION, fit_caption
from bot.wording.answers import ANSWER_WORDS
from bot.wording.nudges import NudgeTexts
from guidance import Guide
from jobs.rules.changes import SetEnabled, SetSummary
from jobs.rules.person import person_of
from storage.models import Event, EventKind, NudgeKind
from tests.support.factories import make_ready_user, nudge_texts
from tests.support.refusals import refused

NOW = datetime(2025, 6, 8, 16, 0, tzinfo=UTC)  # Sunday 18:00 in Berlin

Sessions = async_sessionmaker[AsyncSession]


async def test_a_newcomer_is_told_there_is_nothing_to_show_yet(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        reply = await records.progress(flows_reply.Visit(session, user, NOW))
    assert reply.picture is None
    assert reply.screen.text == wording.progress.NOTHING_YET


async def test_progress_is_a_chart_captioned_in_words_with_a_button_for_30_days(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        user.created_at = NOW - timedelta(days=40)  # here longer than a month
        session.add(
            Event(
                user_id=user.id, kind=EventKind.WATER, at=NOW - timedelta(hours=2), amount_ml=500
            )
        )
        reply = await records.progress(flows_reply.Visit(session, user, NOW))
        assert reply.picture is not None
        assert len(reply.picture.days) == 7
        assert reply.picture.days[-1].water_ml == 500
        assert reply.screen.text.startswith("📈 Your last 7 days (Mon 02 Jun – Sun 08 Jun):")
        [[(label, button)]] = reply.screen.rows
        assert (label, button) == (wording.progress.MONTH_BUTTON, Do.MONTH)
        assert decode(encode(button)) is Do.MONTH

        guide = Guide.load(words=ANSWER_WORDS)
        month = await conversation.pressed(
            flows_reply.Visit(session, user, NOW),
            Do.MONTH,
            NudgeTexts(guide),
            message_id=1,
            guide=guide,
            per_minute=6,
        )
    assert month.shown is flows_reply.Shown.NEW
    assert month.picture is not None
    assert len(month.picture.days) == 30
    assert month.screen.rows == []


async def test_someone_three_days_in_sees_three_days_and_no_button_for_30(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        user.created_at = NOW - timedelta(days=2, hours=3)  # Friday 15:00 in Berlin
        session.add(
            Event(
                user_id=user.id, kind=EventKind.WATER, at=NOW - timedelta(hours=2), amount_ml=500
            )
        )
        reply = await records.progress(flows_reply.Visit(session, user, NOW))
    assert reply.picture is not None
    assert [f"{d.day:%a}" for d in reply.picture.days] == ["Fri", "Sat", "Sun"]
    assert reply.screen.text.startswith(
        "📈 Your 3 days with BackCare (since you started on Fri 06 Jun):"
    )
    assert "met on 0 of 3 days" in reply.screen.text
    assert reply.screen.rows == []  # the last 30 days would be the same three


async def test_nothing_to_report_for_a_newcomer(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        reply = await records.report(flows_reply.Visit(session, user, NOW))
    assert reply.document is None
    assert reply.screen.text == wording.progress.NOTHING_TO_REPORT


async def test_the_report_is_a_pdf_named_by_the_local_date(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        session.add(Event(user_id=user.id, kind=EventKind.STRETCH, at=NOW - timedelta(hours=1)))
        reply = await records.report(flows_reply.Visit(session, user, NOW))
    assert reply.document is not None
    assert reply.document.filename == "backcare-report-2025-06-08.pdf"
    assert reply.document.make().startswith(b"%PDF-")
    assert "no care episode so far" in reply.screen.text


async def test_export_hands_back_a_zip_of_csvs(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        reply = await records.export(flows_reply.Visit(session, user, NOW), nudge_texts())
    assert reply.document is not None
    assert reply.document.filename == "backcare-export-2025-06-08.zip"
    names = zipfile.ZipFile(io.BytesIO(reply.document.make())).namelist()
    assert "README.txt" in names
    assert "settings.csv" in names
    assert "water.csv" in names


@pytest.mark.parametrize(
    ("typed", "change"),
    [
        ("off", SetEnabled(NudgeKind.WEEKLY_SUMMARY, False)),
        ("on", SetEnabled(NudgeKind.WEEKLY_SUMMARY, True)),
        ("sun 18:00", SetSummary(6, time(18))),
        ("Friday 19:30", SetSummary(4, time(19, 30))),
        ("20:00", SetSummary(None, time(20))),
    ],
)
def test_the_summary_command_switches_and_moves_it(typed: str, change: object) -> None:
    assert parse_command("summary", typed) == change


@pytest.mark.parametrize("typed", ["funday 18:00", "sun", "sun 25:00"])
def test_a_wrong_summary_time_is_refused_with_an_example(typed: str) -> None:
    with refused("/summary sun 18:00"):
        parse_command("summary", typed)


async def test_the_settings_menu_switches_the_summary_and_picks_its_evening(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        menu = wording.settings.settings_menu(person_of(user), now=NOW)
        buttons = {label: button for row in menu.rows for label, button in row}
        assert buttons["✅ 📈 Weekly"] == Toggle(NudgeKind.WEEKLY_SUMMARY)
        assert buttons["Sun 18:00"] == OpenMenu("summary")
        toggle = decode(encode(Toggle(NudgeKind.WEEKLY_SUMMARY)))
        assert isinstance(toggle, Toggle)
        settings.press(user, toggle, now=NOW)
        assert user.preferences.weekly_summary_enabled is False
        reply = await settings.command(
            flows_reply.Visit(session, user, NOW), SetSummary(4, time(17))
        )
    assert reply.screen.text == "Weekly summary: Fri 17:00 (your time)."
    assert reply.reschedule


def test_a_long_caption_is_cut_at_a_line_end() -> None:
    text = "\n".join(f"line {i} " + "x" * 60 for i in range(40))
    cut = fit_caption(text)
    assert len(cut) <= MAX_CAPTION
    assert cut.endswith("\n…")
    assert text.startswith(cut.removesuffix("\n…"))
    assert fit_caption("short") == "short"
