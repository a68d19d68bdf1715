"""Nudges go out through Telegram; its errors become the dispatcher's own."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import make_bot
from bot.callbacks import NudgeButton, decode
from bot.sender import TelegramSender
from jobs.delivery.sending import Rejected, RetryLater, Unreachable
from jobs.pure.nudges import ACTIONS, NudgeMessage
from storage.models import NudgeKind
from tests.botapi_stub import BotApiStub, buttons

WATER = NudgeMessage(NudgeKind.WATER, "💧 Time for a glass of water.", ACTIONS[NudgeKind.WATER])


@pytest.fixture
async def sender(botapi: BotApiStub) -> AsyncIterator[TelegramSender]:
    """A sender over the application's bot and HTTP client, talking to the stand-in."""
    bot = make_bot("123:abc", botapi.base_url)
    async with bot:
        yield TelegramSender(bot)


async def test_a_nudge_arrives_with_buttons_the_bot_understands(
    botapi: BotApiStub, sender: TelegramSender
) -> None:
    message_id = await sender.send(42, WATER)
    [sent] = botapi.sent(42)
    assert sent["message_id"] == message_id
    assert sent["text"] == WATER.text
    assert [decode(data) for _, data in buttons(sent)] == [
        NudgeButton(NudgeKind.WATER, action) for _, action in ACTIONS[NudgeKind.WATER]
    ]


async def test_nudges_due_together_arrive_as_one_message_each_part_with_its_own_rows(
    botapi: BotApiStub, sender: TelegramSender
) -> None:
    pain = NudgeMessage(
        NudgeKind.PAIN_CHECK, "🌅 How is your back?", ACTIONS[NudgeKind.PAIN_CHECK]
    )
    merged = WATER.with_part(pain)
    await sender.send(42, merged)
    [sent] = botapi.sent(42)
    assert sent["text"] == f"{WATER.text}\n\n{pain.text}"
    rows = [
        [button["callback_data"] for button in row]
        for row in sent["reply_markup"]["inline_keyboard"]
    ]
    assert rows[0] == ["nud:water:drink", "nud:water:snooze", "nud:water:skip"]
    # The 0-10 scale takes two rows: at most 8 buttons a row.
    assert rows[1:] == [
        [f"nud:pain_check:{n}" for n in range(6)],
        [f"nud:pain_check:{n}" for n in range(6, 11)],
    ]
    assert NudgeMessage.from_payload(merged.to_payload()) == merged
    # A part without buttons (retired, or answered) leaves no empty row behind.
    await sender.edit(
        42, sent["message_id"], WATER.with_part(NudgeMessage(NudgeKind.PAIN_CHECK, "x", ())), True
    )
    [edited] = botapi.sent(42)
    assert [] not in edited["reply_markup"]["inline_keyboard"]


async def test_flood_control_becomes_retry_later_with_its_wait(
    botapi: BotApiStub, sender: TelegramSender
) -> None:
    botapi.fail_next("sendMessage", error_code=429, description="Too Many Requests", retry_after=7)
    with pytest.raises(RetryLater) as caught:
        await sender.send(42, WATER)
    assert caught.value.seconds == 7


async def test_a_blocked_bot_becomes_unreachable(
    botapi: BotApiStub, sender: TelegramSender
) -> None:
    botapi.fail_next(
        "sendMessage", error_code=403, description="Forbidden: bot was blocked by the user"
    )
    with pytest.raises(Unreachable):
        await sender.send(42, WATER)


async def test_a_lost_chat_is_unreachable_and_a_bad_message_rejected(
    botapi: BotApiStub, sender: TelegramSender
) -> None:
    botapi.fail_next("sendMessage", error_code=400, description="Bad Request: chat not found")
    with pytest.raises(Unreachable):
        await sender.send(42, WATER)
    botapi.fail_next(
        "sendMessage", error_code=400, description="Bad Request: message text is empty"
    )
    with pytest.raises(Rejected):
        await sender.send(42, WATER)
