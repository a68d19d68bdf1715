"""Replies read in context, the rest of issue 27: Undo under a nudge's own buttons, merged
nudges labelled by part, "Did you mean …?" for a slip, and a burst answered once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram import User as TelegramUser

from bot import render, wording
from bot.callbacks import Callback, Do, Mean, NudgeButton, decode, encode
from bot.flows import conversation
from bot.flows import reply as flows_reply
from bot.telegram_io.sender import PHONE_ROW, ROW_CHARACTERS, nudge_markup
from bot.wording.common import Screen
from bot.wording.nudges import NudgeTexts
from guidance import Guide
from jobs.composer.nudge import ACTIONS, NudgeMessage
from storage.models import Event, NudgeKind, User
from tests.support.factories import make_ready_user
from tests.support.replies import MESSAGE_ID, NOW, Sessions, part, say, sent


async def press(
    session: AsyncSession, user: User, button: Callback, guide: Guide, texts: NudgeTexts
) -> flows_reply.Reply:
    return await conversation.pressed(
        flows_reply.Visit(session, user, NOW),
        button,
        texts,
        message_id=MESSAGE_ID,
        guide=guide,
        per_minute=6,
    )


def datas(screen: Screen) -> list[Callback]:
    return [data for row in screen.rows for _, data in row]


async def test_a_glass_pressed_on_a_nudge_offers_undo_and_undo_takes_it_back(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await sent(session, user, part(NudgeKind.WATER))
        logged = await press(session, user, NudgeButton(NudgeKind.WATER, "drink"), guide, texts)
        assert logged.shown is flows_reply.Shown.APPENDED
        assert datas(logged.screen) == [Do.UNDO]
        assert len(list(await session.scalars(select(Event)))) == 1
        undone = await press(session, user, Do.UNDO, guide, texts)
        assert undone.screen.text.startswith("↩️ Taken back"), undone.screen.text
        assert list(await session.scalars(select(Event))) == []


async def test_a_snooze_or_skip_pressed_offers_no_undo(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await sent(session, user, part(NudgeKind.WATER), part(NudgeKind.POSTURE))
        snoozed = await press(session, user, NudgeButton(NudgeKind.WATER, "snooze"), guide, texts)
        assert datas(snoozed.screen) == []
        skipped = await press(session, user, NudgeButton(NudgeKind.POSTURE, "skip"), guide, texts)
        assert datas(skipped.screen) == []


def query_on(rows: list[list[tuple[str, str]]], pressed: str) -> CallbackQuery:
    """A press of `pressed` on a message with these buttons (label, payload)."""
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )
    person = TelegramUser(7, "Eve", is_bot=False)
    message = Message(
        MESSAGE_ID, datetime(2025, 6, 2, tzinfo=UTC), Chat(7, "private"), reply_markup=markup
    )
    return CallbackQuery("q1", person, "chat", message=message, data=pressed)


def test_the_undo_button_comes_after_the_parts_still_waiting_and_only_once() -> None:
    water = [("+1 glass", "nud:water:drink"), ("Skip", "nud:water:skip")]
    stretch = [("Done", "nud:stretch:done")]
    undo = ("↩️ Undo", encode(Do.UNDO))
    # The stretch pressed first: its Undo sits under the water's buttons.
    query = query_on([water, stretch, [undo]], "nud:water:drink")
    markup = render._appended_markup(query, Screen("logged", [[wording.today.UNDO_BUTTON]]))
    assert markup is not None
    shown = [[button.callback_data for button in row] for row in markup.inline_keyboard]
    assert shown == [["nud:stretch:done"], [encode(Do.UNDO)]]
    # Undo pressed: nothing more to take back here, its button goes.
    query = query_on([stretch, [undo]], encode(Do.UNDO))
    markup = render._appended_markup(query, Screen("taken back"))
    assert markup is not None
    assert [[b.callback_data for b in row] for row in markup.inline_keyboard] == [
        ["nud:stretch:done"]
    ]


def test_a_merged_message_labels_each_part_and_fits_a_narrow_screen(texts: NudgeTexts) -> None:
    merged = NudgeMessage.of_parts(
        [part(NudgeKind.STRETCH), part(NudgeKind.WATER), part(NudgeKind.CARE_OFFER)]
    )
    keyboard = nudge_markup(texts.labelled(merged)).inline_keyboard
    rows = [[b.text for b in row] for row in keyboard]
    assert rows == [
        ["🧘 ▶️ Start", "🧘 Done", "🧘 Skip today"],
        ["💧 +1 glass", "💧 Snooze 30 min"],
        ["💧 Skip"],
        ["🩹 Start ice", "🩹 Start heat"],
        ["🩹 Start ice + heat", "🩹 Skip"],
    ]
    for row in rows:
        assert len(row) <= PHONE_ROW
        assert len(row) * max(map(len, row)) <= ROW_CHARACTERS
    # One part alone needs no label: its text says what it is.
    water = NudgeMessage.of_parts([part(NudgeKind.WATER)])
    alone = nudge_markup(texts.labelled(water)).inline_keyboard
    assert [[b.text for b in row] for row in alone] == [["+1 glass", "Snooze 30 min", "Skip"]]


async def test_done_typed_under_a_merged_message_logs_the_latest_part_and_says_which(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await sent(session, user, part(NudgeKind.STRETCH), part(NudgeKind.WATER))
        reply = await say(session, user, "done", guide, texts)
        kinds = [event.kind.value for event in await session.scalars(select(Event))]
        assert kinds == ["water"], reply.screen.text
        assert "the stretch is still waiting" in reply.screen.text
        assert reply.edit is not None
        kept = {p.kind: p.buttons for p in reply.edit.message.parts}
        assert kept == {NudgeKind.STRETCH: ACTIONS[NudgeKind.STRETCH], NudgeKind.WATER: ()}


async def test_a_slip_is_read_as_the_word_meant_and_the_reply_says_so(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await sent(session, user, part(NudgeKind.POSTURE))
        reply = await say(session, user, "snoze", guide, texts)
        assert reply.screen.text.startswith("(I read “snoze” as “snooze”.)"), reply.screen.text
        assert (
            "⏰" in reply.screen.text
            or "Snoozed" in reply.screen.text
            or "later" in (reply.screen.text)
        )
        assert reply.edit is not None
        assert reply.edit.message.parts[0].buttons == ()


async def test_a_slip_near_two_words_asks_and_each_button_does_what_its_word_would(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await sent(session, user, part(NudgeKind.WATER))
        asked = await say(session, user, "skop", guide, texts)
        assert asked.screen.text == "Did you mean “skip” or “stop”?"
        assert datas(asked.screen) == [Mean("skip"), Mean("stop"), Do.HELP]
        assert [decode(encode(data)) for data in datas(asked.screen)] == datas(asked.screen)
        skipped = await press(session, user, Mean("skip"), guide, texts)
        assert skipped.shown is flows_reply.Shown.REPLACED
        assert skipped.screen.text.startswith("Skipped"), skipped.screen.text
        assert datas(skipped.screen) == []  # nothing logged: nothing to undo
        assert skipped.edit is not None  # the water nudge loses its buttons
        assert skipped.edit.message.parts[0].buttons == ()
        assert list(await session.scalars(select(Event))) == []


@pytest.mark.parametrize("typed", ["blorp", "zzq xv", "paws", "dune"])
async def test_a_short_message_is_never_given_the_stock_decline(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts, typed: str
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        reply = await say(session, user, typed, guide, texts)
        assert "only have guidance" not in reply.screen.text
        assert reply.screen.text, typed
        if typed in ("paws", "dune"):  # a real word: asked about, never acted on
            assert reply.screen.text.startswith("Did you mean"), reply.screen.text
        else:
            assert reply.screen is wording.talk.SHORT_NOT_READ


@pytest.mark.parametrize(
    ("kind", "typed", "said"),
    [
        (NudgeKind.WATER, "yep", "💧 Logged"),
        (NudgeKind.POSTURE, "brb", "Snoozed"),
        (NudgeKind.STRETCH, "gn", "Skipped"),
    ],
)
async def test_chat_words_that_say_nothing_else_answer_the_nudge_waiting(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts, kind: NudgeKind, typed: str, said: str
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await sent(session, user, part(kind))
        reply = await say(session, user, typed, guide, texts)
        assert said in reply.screen.text, reply.screen.text
        assert reply.edit is not None
        assert reply.edit.message.parts[0].buttons == ()
