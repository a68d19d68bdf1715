"""Rows the previous release wrote, with a nudge's words in their payload, still go out as
written after an upgrade; and a message sent with them is still retired, and exported."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.wording import export as export_words
from bot.wording.nudges import MISSED, NudgeTexts
from jobs.composer.content import Water, Written
from jobs.composer.nudge import NudgeMessage
from jobs.delivery.contracts import OutboxSettings
from jobs.delivery.outbox import Outbox
from jobs.services import export
from jobs.services.planner import NudgePlanner
from storage.models import Delivery, DeliveryStatus, NudgeKind, ScheduledNudge
from tests.support.factories import (
    DrivenClock,
    RecordingSender,
    make_ready_user,
    nudge_texts,
    said,
)

Sessions = async_sessionmaker[AsyncSession]
MONDAY_10 = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)  # 10:00 in Berlin
BERLIN = ZoneInfo("Europe/Berlin")

# As the previous release kept them (`NudgeMessage.to_payload` at 253e3f1): the words, and
# each button as [label, action]; a merged message's other parts under "more".
WATER_TEXT = (
    "💧 Time for a glass of water. 2 of 8 glasses so far today (6 to go).\n"
    "A common guide is eight 8-ounce glasses a day, about 2 litres; your own needs may differ."
)
WATER_BUTTONS = [["+1 glass", "drink"], ["Snooze 30 min", "snooze"], ["Skip", "skip"]]
OLD_WATER = {"kind": "water", "text": WATER_TEXT, "buttons": WATER_BUTTONS}
OFFER_TEXT = (
    "🧊 Time for ice: 15 minutes on the sore spot.\n"
    "Ice safety: wrap the pack in a towel, keep it on for 15–20 minutes, then take it off "
    "and give your skin a break. Don't fall asleep with it on.\n"
    "You've let the last few pass, so these will come less often for now. Answer one to "
    "bring the usual rhythm back, or pause them for today."
)
OLD_MERGED = {
    "kind": "care_offer",
    "text": OFFER_TEXT,
    "buttons": [["Start ice", "ice"], ["Skip", "skip"], ["⏸ Pause ice for today", "rest"]],
    "more": [OLD_WATER],
}


def outbox(sessions: Sessions, sender: RecordingSender, clock: DrivenClock) -> Outbox:
    """An outbox with the rate limit off."""
    planner = NudgePlanner(nudge_texts().choices)
    return Outbox(sessions, sender, clock, planner, OutboxSettings(0))


def sent_water(
    user_id: int, payload: dict[str, Any], *, hours_ago: int, message_id: int
) -> Delivery:
    """A water nudge sent some hours before ten on Monday, kept with this payload."""
    at = MONDAY_10 - timedelta(hours=hours_ago)
    return Delivery(
        user_id=user_id,
        kind=NudgeKind.WATER,
        due_at=at,
        status=DeliveryStatus.SENT,
        attempts=1,
        payload=payload,
        created_at=at,
        sent_at=at,
        message_id=message_id,
    )


def test_an_old_payload_reads_as_its_words_and_buttons(texts: NudgeTexts) -> None:
    message = NudgeMessage.from_payload(OLD_MERGED)
    assert [part.kind for part in message.parts] == [NudgeKind.CARE_OFFER, NudgeKind.WATER]
    assert message.says == Written(OFFER_TEXT, ("Start ice", "Skip", "⏸ Pause ice for today"))
    assert texts.say(message) == f"{OFFER_TEXT}\n\n{WATER_TEXT}"
    assert [texts.buttons(part) for part in message.parts] == [
        (("Start ice", "ice"), ("Skip", "skip"), ("⏸ Pause ice for today", "rest")),
        tuple((label, action) for label, action in WATER_BUTTONS),
    ]
    # Kept again (an edit, a retry), it keeps its words: nothing is said anew.
    assert NudgeMessage.from_payload(message.to_payload()) == message


def test_a_new_payload_keeps_content_not_words(texts: NudgeTexts) -> None:
    message = texts.choices.water(glasses=2, goal=8, due_at=MONDAY_10, zone=BERLIN)
    payload = message.to_payload()
    assert "text" not in payload
    assert isinstance(message.says, Water)
    assert payload["says"] == {"is": "water", "glasses": 2, "goal": 8, "tip": message.says.tip}
    assert payload["buttons"] == ["drink", "snooze", "skip"]
    assert isinstance(NudgeMessage.from_payload(payload).says, Water)


async def test_a_pending_row_from_the_previous_release_is_sent_as_written(
    sessionmaker: Sessions,
) -> None:
    clock = DrivenClock(MONDAY_10)
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, 31)
        # Claimed by the old process just before the upgrade; its lease ran out.
        session.add(
            Delivery(
                user_id=user.id,
                kind=NudgeKind.CARE_OFFER,
                due_at=MONDAY_10 - timedelta(seconds=40),
                status=DeliveryStatus.PENDING,
                attempts=0,
                lease_until=MONDAY_10 - timedelta(seconds=10),
                payload=OLD_MERGED,
                created_at=MONDAY_10 - timedelta(seconds=40),
            )
        )
    sender = RecordingSender()
    report = await outbox(sessionmaker, sender, clock).sweep()
    assert report.sent == 1
    [(chat, sent)] = sender.sent
    assert chat == 31
    assert sent.text == f"{OFFER_TEXT}\n\n{WATER_TEXT}"
    assert [part.buttons for part in sent.parts] == [
        (("Start ice", "ice"), ("Skip", "skip"), ("⏸ Pause ice for today", "rest")),
        (("+1 glass", "drink"), ("Snooze 30 min", "snooze"), ("Skip", "skip")),
    ]
    async with sessionmaker() as session:
        delivery = (await session.scalars(select(Delivery))).one()
    assert delivery.status is DeliveryStatus.SENT


async def test_a_message_sent_by_the_previous_release_is_retired_by_the_next_of_its_kind(
    sessionmaker: Sessions,
) -> None:
    clock = DrivenClock(MONDAY_10)
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, 32)
        session.add(sent_water(user.id, OLD_WATER, hours_ago=1, message_id=700))
        session.add(ScheduledNudge(user_id=user.id, kind=NudgeKind.WATER, due_at=MONDAY_10))
    sender = RecordingSender()
    await outbox(sessionmaker, sender, clock).tick()
    [(_, fresh)] = sender.sent
    assert fresh.text.startswith("💧 Time for a glass of water.")
    [(chat, message_id, retired, with_text)] = sender.edits
    assert (chat, message_id, with_text) == (32, 700, True)
    assert retired.text == f"{WATER_TEXT}\n{MISSED}"
    assert retired.buttons == ()


async def test_the_export_says_old_and_new_messages_in_words(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    new = texts.choices.water(glasses=2, goal=8, due_at=MONDAY_10, zone=BERLIN)
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, 33)
        for hours, payload in enumerate((OLD_WATER, new.to_payload()), start=1):
            session.add(sent_water(user.id, payload, hours_ago=hours, message_id=800 + hours))
        await session.flush()
        tables = export_words.tables(await export.records(session, user), texts)
    [sent] = [table for table in tables if table.name == "messages_sent"]
    text = sent.columns.index("Message text")
    assert sorted(row[text] for row in sent.rows) == sorted([WATER_TEXT, said(new).text])
