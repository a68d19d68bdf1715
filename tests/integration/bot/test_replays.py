"""An update's id is recorded in its flow's own transaction: a replay acts once, and a crash
between the flow and the record can neither lose the update nor make it act twice."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update

from bot.commands import _run
from bot.context import AppContext
from bot.flows.reply import Reply, Visit
from bot.gate import Replayed, once
from bot.wording.common import Screen
from storage.models import ProcessedUpdate, User
from tests.support.factories import DEFAULTS, DrivenClock, make_ready_user

MONDAY_10 = datetime(2025, 6, 2, 10, tzinfo=UTC)
ANA = 4242


def message_update(update_id: int) -> Update:
    person = {"id": ANA, "is_bot": False, "first_name": "Ana"}
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 1748851200,
                "chat": {"id": ANA, "type": "private", "first_name": "Ana"},
                "from": person,
                "text": "/today",
            },
        },
        None,
    )


class Context:
    """What the handlers' transaction runner uses of a context, for one update."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.recorded = False
        self.clock = DrivenClock(MONDAY_10)
        self.bot_data = SimpleNamespace(
            sessionmaker=sessionmaker, defaults=DEFAULTS, store=SimpleNamespace()
        )

    def transaction(self) -> AbstractAsyncContextManager[AsyncSession]:
        return cast(
            "AbstractAsyncContextManager[AsyncSession]", self.bot_data.sessionmaker.begin()
        )


def context_for(sessionmaker: async_sessionmaker[AsyncSession]) -> AppContext:
    return cast("AppContext", Context(sessionmaker))


class Crash(Exception):
    """The process dies between the flow's changes and the end of its transaction."""


def move_to(zone: str, *, crash: bool = False) -> Any:
    async def flow(visit: Visit) -> Reply:
        visit.user.timezone = zone
        await visit.session.flush()
        if crash:
            raise Crash
        return Reply(Screen(f"Time zone set: {zone}"))

    return flow


async def zone_and_records(sessionmaker: async_sessionmaker[AsyncSession]) -> tuple[str, int]:
    async with sessionmaker() as session:
        zone = await session.scalar(select(User.timezone).where(User.telegram_id == ANA))
        records = len((await session.scalars(select(ProcessedUpdate.update_id))).all())
    return str(zone), records


@pytest.fixture
async def ana(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker.begin() as session:
        await make_ready_user(session, ANA, zone="Europe/Lisbon")


@pytest.mark.usefixtures("ana")
async def test_a_flow_and_its_update_id_commit_together_and_a_replay_acts_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    update = message_update(7)
    reply = await _run(context_for(sessionmaker), update, move_to("Europe/Berlin"))
    assert reply.screen.text == "Time zone set: Europe/Berlin"
    assert await zone_and_records(sessionmaker) == ("Europe/Berlin", 1)
    # Telegram sends it again (a webhook retry): its flow runs and is rolled back.
    with pytest.raises(Replayed):
        await _run(context_for(sessionmaker), update, move_to("Asia/Tokyo"))
    assert await zone_and_records(sessionmaker) == ("Europe/Berlin", 1)


@pytest.mark.usefixtures("ana")
async def test_a_crash_before_the_transaction_ends_loses_neither_the_update_nor_acts_twice(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    update = message_update(8)
    with pytest.raises(Crash):
        await _run(context_for(sessionmaker), update, move_to("Europe/Berlin", crash=True))
    # Neither the change nor the record was kept: the update is not lost...
    assert await zone_and_records(sessionmaker) == ("Europe/Lisbon", 0)
    # ...so when it comes again, it acts, once.
    await _run(context_for(sessionmaker), update, move_to("Europe/Berlin"))
    assert await zone_and_records(sessionmaker) == ("Europe/Berlin", 1)


@pytest.mark.usefixtures("ana")
async def test_later_flows_of_the_same_update_and_an_answer_without_a_flow_record_nothing_more(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    context, update = context_for(sessionmaker), message_update(9)
    await _run(context, update, move_to("Europe/Berlin"))
    await _run(context, update, move_to("Europe/Paris"))  # the same update, a second flow
    await once(update, context)
    assert await zone_and_records(sessionmaker) == ("Europe/Paris", 1)
    # An answer with no flow (/help) records its update itself, and acts once.
    help_update = message_update(10)
    await once(help_update, context_for(sessionmaker))
    with pytest.raises(Replayed):
        await once(help_update, context_for(sessionmaker))
    assert await zone_and_records(sessionmaker) == ("Europe/Paris", 2)
