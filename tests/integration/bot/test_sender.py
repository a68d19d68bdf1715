"""Nudges go out through Telegram; its errors become the dispatcher's own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from telegram.error import RetryAfter

from bot.app import make_bot
from bot.callbacks import NudgeButton, decode
from bot.telegram_io.limiter import REPLY_TRIES, SendLimiter, counts_as_message
from bot.telegram_io.sender import BackCareBot, TelegramSender
from jobs.composer.content import PainCheck, Water, Written
from jobs.composer.nudge import ACTIONS, NudgeMessage
from jobs.delivery.budget import SendBudget
from jobs.delivery.sending import Denied, Rejected, RetryLater, Unreachable
from storage.models import NudgeKind
from tests.support.botapi_stub import BotApiStub, buttons
from tests.support.factories import DrivenClock, nudge_texts

WATER = NudgeMessage(NudgeKind.WATER, Water(0, 8, 0), ACTIONS[NudgeKind.WATER])


@pytest.fixture
async def sender(botapi: BotApiStub) -> AsyncIterator[TelegramSender]:
    """A sender over the application's bot and HTTP client, talking to the stand-in."""
    bot = make_bot("123:abc", botapi.base_url)
    async with bot:
        yield TelegramSender(bot, nudge_texts())


async def test_a_nudge_arrives_with_buttons_the_bot_understands(
    botapi: BotApiStub, sender: TelegramSender
) -> None:
    message_id = await sender.send(42, WATER)
    [sent] = botapi.sent(42)
    assert sent["message_id"] == message_id
    assert sent["text"].startswith("💧 Time for a glass of water. 0 of 8 glasses so far today")
    assert sent["text"] == nudge_texts().say(WATER)
    assert [label for label, _ in buttons(sent)] == ["+1 glass", "Snooze 30 min", "Skip"]
    assert [decode(data) for _, data in buttons(sent)] == [
        NudgeButton(NudgeKind.WATER, action) for action in ACTIONS[NudgeKind.WATER]
    ]


async def test_text_through_ptb_goes_as_html_and_a_plain_nudge_reads_as_typed(
    botapi: BotApiStub, sender: TelegramSender
) -> None:
    # The bot's default is HTML (PTB's `Defaults`): no call names a parse mode.
    await sender.bot.send_message(42, "<b>Ice</b> &amp; rest")
    # A nudge goes as plain text, and its edit (through PTB, so HTML) is escaped on the way.
    labels = ("+1 glass", "Snooze 30 min", "Skip")
    odd = NudgeMessage(
        NudgeKind.WATER, Written("Drink < 2 l & rest", labels), ACTIONS[NudgeKind.WATER]
    )
    message_id = await sender.send(42, odd)
    assert [sent["text"] for sent in botapi.sent(42)] == ["Ice & rest", "Drink < 2 l & rest"]
    edited = NudgeMessage(NudgeKind.WATER, Written("Drank < 2 l & rested"), ())
    await sender.edit(42, message_id, edited, with_text=True)
    assert botapi.sent(42)[1]["text"] == "Drank < 2 l & rested"
    assert botapi.calls_to("sendMessage")[0]["parse_mode"] == "HTML"
    assert "parse_mode" not in botapi.calls_to("sendMessage")[1]
    assert botapi.calls_to("editMessageText")[0]["parse_mode"] == "HTML"


async def test_nudges_due_together_arrive_as_one_message_each_part_with_its_own_rows(
    botapi: BotApiStub, sender: TelegramSender
) -> None:
    pain = NudgeMessage(NudgeKind.PAIN_CHECK, PainCheck(), ACTIONS[NudgeKind.PAIN_CHECK])
    merged = WATER.with_part(pain)
    await sender.send(42, merged)
    [sent] = botapi.sent(42)
    said = nudge_texts()
    assert sent["text"] == f"{said.say(WATER)}\n\n{said.say(pain)}"
    rows = [
        [button["callback_data"] for button in row]
        for row in sent["reply_markup"]["inline_keyboard"]
    ]
    # Each part's buttons say which part they answer, at most 3 a row and as many as a
    # narrow screen shows whole: "💧 Snooze 30 min" leaves room for one more.
    labels = [button["text"] for row in sent["reply_markup"]["inline_keyboard"] for button in row]
    assert labels[:3] == ["💧 +1 glass", "💧 Snooze 30 min", "💧 Skip"]
    assert rows[:2] == [["nud:water:drink", "nud:water:snooze"], ["nud:water:skip"]]
    # The 0-10 scale's numbers are narrow: two rows of up to 6.
    assert labels[3:] == [str(n) for n in range(11)]
    assert rows[2:] == [
        [f"nud:pain_check:{n}" for n in range(6)],
        [f"nud:pain_check:{n}" for n in range(6, 11)],
    ]
    assert NudgeMessage.from_payload(merged.to_payload()) == merged
    # A part without buttons (retired, or answered) leaves no empty row behind.
    await sender.edit(
        42,
        sent["message_id"],
        WATER.with_part(NudgeMessage(NudgeKind.PAIN_CHECK, PainCheck(), ())),
        True,
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


@pytest.mark.parametrize(
    "description", ["Forbidden: bot was blocked by the user", "Forbidden: user is deactivated"]
)
async def test_a_blocked_bot_or_a_deleted_account_becomes_unreachable(
    botapi: BotApiStub, sender: TelegramSender, description: str
) -> None:
    botapi.fail_next("sendMessage", error_code=403, description=description)
    with pytest.raises(Unreachable):
        await sender.send(42, WATER)


@pytest.mark.parametrize(
    "description",
    [
        "Forbidden: bot can't initiate conversation with a user",
        "Forbidden: bot can't send messages to bots",
        "Forbidden: not enough rights to send text messages to the chat",
        "Forbidden",
    ],
)
async def test_any_other_403_is_denied_for_now_and_says_nothing_of_a_block(
    botapi: BotApiStub, sender: TelegramSender, description: str
) -> None:
    botapi.fail_next("sendMessage", error_code=403, description=description)
    with pytest.raises(Denied) as caught:
        await sender.send(42, WATER)
    assert not isinstance(caught.value, Unreachable)


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


class Waits:
    """Stands in for asyncio.sleep: remembers each wait and returns at once."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        """Remember the wait."""
        self.seconds.append(seconds)


@pytest.fixture
async def budgeted(botapi: BotApiStub) -> AsyncIterator[tuple[BackCareBot, SendBudget, Waits]]:
    """The application's bot drawing on a 30/s budget, on a stopped clock."""
    budget, waits = SendBudget(30, DrivenClock(datetime(2025, 6, 2, 10, tzinfo=UTC))), Waits()
    bot = make_bot("123:abc", botapi.base_url, budget=budget, sleep=waits)
    # PTB's own hook, not an override of its internals.
    assert isinstance(bot.rate_limiter, SendLimiter)
    assert bot.budget is budget
    async with bot:
        yield bot, budget, waits


async def test_a_reply_draws_on_the_budget_and_answering_a_button_does_not(
    budgeted: tuple[BackCareBot, SendBudget, Waits],
) -> None:
    bot, budget, _ = budgeted
    await bot.send_message(42, "Logged a glass.")
    await bot.edit_message_text("Logged two glasses.", chat_id=42, message_id=1)
    await bot.send_chat_action(42, "typing")
    assert budget.allowance(500) == 28
    assert not counts_as_message("answerCallbackQuery")
    assert not counts_as_message("setMyCommands")
    assert counts_as_message("sendPhoto")


async def test_a_nudge_took_its_token_when_claimed_and_is_not_counted_again(
    botapi: BotApiStub, budgeted: tuple[BackCareBot, SendBudget, Waits]
) -> None:
    bot, budget, _ = budgeted
    await TelegramSender(bot, nudge_texts()).send(42, WATER)
    assert len(botapi.sent(42)) == 1
    assert budget.allowance(500) == 30


async def test_a_reply_that_meets_flood_control_waits_and_goes_again_holding_the_nudges(
    botapi: BotApiStub, budgeted: tuple[BackCareBot, SendBudget, Waits]
) -> None:
    bot, budget, waits = budgeted
    botapi.fail_next(
        "sendMessage", error_code=429, description="Too Many Requests", retry_after=3, count=2
    )
    await bot.send_message(42, "Logged a glass.")
    assert waits.seconds == [3, 3]
    assert [message["text"] for message in botapi.sent(42)] == ["Logged a glass."]
    assert budget.held()  # the nudges wait out Telegram's wait too
    assert budget.allowance(500) == 0


async def test_a_reply_gives_up_only_after_a_few_tries_or_a_wait_too_long(
    botapi: BotApiStub, budgeted: tuple[BackCareBot, SendBudget, Waits]
) -> None:
    bot, _, waits = budgeted
    botapi.fail_next(
        "sendMessage", error_code=429, description="Too Many", retry_after=1, count=REPLY_TRIES
    )
    with pytest.raises(RetryAfter):
        await bot.send_message(42, "Logged a glass.")
    assert waits.seconds == [1] * (REPLY_TRIES - 1)
    botapi.fail_next("sendMessage", error_code=429, description="Too Many", retry_after=3600)
    with pytest.raises(RetryAfter):
        await bot.send_message(42, "Logged a glass.")
    assert waits.seconds == [1] * (REPLY_TRIES - 1)
