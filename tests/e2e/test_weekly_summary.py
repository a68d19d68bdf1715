"""End to end: the weekly summary arrives once, on Sunday at 18:00 local, in two zones.

The real bot process, on a driven clock, from Sunday 8 June 2025 06:00 in Berlin to Monday
14:00 in Berlin (08:00 in New York). Ana is in Berlin and Ben in New York, both with the
default (Sunday 18:00); Cleo in Berlin chose Sunday 23:00, inside her quiet hours
(awake 07:00-22:00), so hers comes at her wake-up on Monday. Each summary is a picture
(the chart) with its caption; then Ana asks for /progress, /report and /export.
"""

from __future__ import annotations

import io
import logging
from datetime import datetime, time
from pathlib import Path
from time import monotonic
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from storage.models import DeliveryStatus, NudgeKind
from tests.support.botapi_stub import BotApiStub, JsonDict
from tests.support.driven import BERLIN, DrivenBot, Nudge, Person

pytestmark = pytest.mark.e2e

log = logging.getLogger(__name__)

NEW_YORK = ZoneInfo("America/New_York")
START = datetime(2025, 6, 8, 6, 0, tzinfo=BERLIN)  # Sunday
END = datetime(2025, 6, 9, 14, 0, tzinfo=BERLIN)  # Monday, 08:00 in New York
HEADLINE = "📅 Your week with BackCare"


class Someone(Person):
    """A person who lets every nudge be, and keeps each picture the bot sends, with when."""

    def __init__(self, user_id: int, botapi: BotApiStub, bot: DrivenBot, zone: ZoneInfo):
        super().__init__(user_id, botapi, bot)
        self.zone = zone
        self.pictures: list[tuple[datetime, JsonDict]] = []
        self.others: list[Someone] = []

    def react(self, nudge: Nudge) -> None:
        """Let it be: the summary comes whatever was answered."""
        self.note(f"lets {nudge} be")

    def arrived(self) -> list[Nudge]:
        """Keep the pictures among what arrived, at the clock's time, as well as the nudges."""
        seen = len(self.botapi.history(self.user_id))
        start = self._seen
        found = super().arrived()
        for event in self.botapi.history(self.user_id)[start:seen]:
            if event.kind == "sent" and "photo" in event.message:
                self.pictures.append((self.clock.now, event.message))
        return found

    def catch_up(self) -> None:
        """Catch up, and let the others in the same bot look at what they were sent."""
        super().catch_up()
        for other in self.others:
            other.arrived()


def test_the_weekly_summary_comes_once_at_18_local_in_two_zones_never_in_quiet_hours(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    started = monotonic()
    bot = DrivenBot.prepare(botapi, tmp_path, START)
    ana = Someone(1001, botapi, bot, BERLIN)
    ben = Someone(1002, botapi, bot, NEW_YORK)
    cleo = Someone(1003, botapi, bot, BERLIN)
    ana.others = [ben, cleo]
    try:
        with ana.running():
            for person in (ana, ben, cleo):
                person.onboard()
            ben.say("/timezone America/New_York", "Time zone set to America/New_York")
            cleo.say("/summary sun 23:00", "Weekly summary: Sun 23:00")
            for person in (ana, ben, cleo):
                person.say("/drank", "Logged")
            ana.run_until(END)

            # Ana asks for her chart, her report and her data.
            mark = botapi.mark()
            botapi.send_text(ana.user_id, "/progress")
            chart = ana.answer(lambda m: "photo" in m, after=mark)
            botapi.send_text(ana.user_id, "/report")
            report = ana.answer(lambda m: "document" in m and "pdf" in str(m), after=mark)
            botapi.send_text(ana.user_id, "/export")
            export = ana.answer(lambda m: "document" in m and "zip" in str(m), after=mark)
        deliveries = bot.database.deliveries()
    finally:
        bot.database.close()
    elapsed = monotonic() - started
    for person in (ana, ben, cleo):
        log.info("%s: %s", person.user_id, [f"{at:%a %H:%M:%S}" for at, _ in person.pictures])

    expected = {
        ana.user_id: ("Sun", time(18)),
        ben.user_id: ("Sun", time(18)),
        cleo.user_id: ("Mon", time(7)),  # 23:00 is in her quiet hours: her wake-up
    }
    for person in (ana, ben, cleo):
        assert len(person.pictures) == 1, (person.user_id, person.pictures, person.timeline())
        [(at, message)] = person.pictures
        local = at.astimezone(person.zone)
        day, hour = expected[person.user_id]
        # On the minute; a minute later at most if another nudge went out to them just then.
        assert f"{local:%a}" == day, (person.user_id, local)
        assert hour <= local.time() <= time(hour.hour, 1), (person.user_id, local)
        assert time(7) <= local.time() < time(22), "a summary in quiet hours"
        caption = str(message["caption"])
        assert caption.startswith(HEADLINE), caption
        # They started on Sunday: the days before are not theirs, not days missed.
        days = "1 day" if day == "Sun" else "2 days"
        assert f"💧 Water goal (2000 ml) met on 0 of {days}" in caption, caption
        assert "💡 One thing to try: " in caption, caption
        assert "Sources: " in caption, caption
        assert "reply_markup" not in message

    # The pictures are real charts.
    pictures = {(chat, message_id): data for chat, message_id, data in botapi.uploads}
    for person in (ana, ben, cleo):
        _, message = person.pictures[0]
        image = Image.open(io.BytesIO(pictures[(person.user_id, message["message_id"])]))
        assert image.format == "PNG"
        assert image.size[0] >= 1000

    # Once each in the outbox, sent.
    summaries = [d for d in deliveries if d.kind is NudgeKind.WEEKLY_SUMMARY]
    assert sorted(d.user_id for d in summaries) == [1, 2, 3]
    assert all(d.status is DeliveryStatus.SENT for d in summaries)

    # /progress, /report and /export answered with a picture and two files.
    assert str(chart["caption"]).startswith("📈 Your 2 days with BackCare"), chart
    assert report["document"]["file_name"].startswith("backcare-report-2025-06-09"), report
    assert report["document"]["mime_type"] == "application/pdf"
    assert export["document"]["file_name"] == "backcare-export-2025-06-09.zip", export
    assert botapi.unknown_methods == []
    assert elapsed < 120, f"the day and a half took {elapsed:.0f} s"
