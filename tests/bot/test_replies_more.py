"""Replies read in context, the rest of issue 27: Undo under a nudge's own buttons, merged
nudges labelled by part, "Did you mean …?" for a slip, and a burst answered once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import CallbackQuery, Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram import User as TelegramUser

from bot import render, wording
from bot.callbacks import Do, NudgeButton, encode
from bot.flows import conversation
from bot.flows import reply as flows_reply
from bot.wording.common import Screen
from guidance import Guide
from jobs.composer.texts import NudgeTexts
from storage.models import Event, NudgeKind
from tests.bot.test_replies_in_context import MESSAGE_ID, NOW, part, sent
from tests.support.factories import make_ready_user

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture(scope="module")
def guide() -> Guide:
    return Guide.load()


@pytest.fixture(scope="module")
def texts(guide: Guide) -> NudgeTexts:
    return NudgeTexts(guide)


async def press(
    session: AsyncSession, user: object, button: object, guide: Guide, texts: NudgeTexts
) -> flows_reply.Reply:
    return await conversation.pressed(
        flows_reply.Visit(session, user, NOW),  # type: ignore[arg-type]
        button,  # type: ignore[arg-type]
        texts,
        message_id=MESSAGE_ID,
        guide=guide,
        per_minute=6,
    )


def datas(screen: Screen) -> list[object]:
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
