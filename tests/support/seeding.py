"""Databases for the bot processes of tests/e2e and tests/chaos: people set up, nudges due.

The bot under test finds them as if they had set up through /start: in Berlin, every nudge
on, and, where asked, one nudge due at a given time. SQLite stores are copies of the
migrated template (tests/support/databases.py); PostgreSQL ones are clones of it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.database import create_engine, create_sessionmaker
from storage.models import Delivery, DeliveryStatus, NudgeKind, ScheduledNudge, User
from tests.support.databases import (
    create_postgres_database,
    drop_postgres_database,
    migrated_sqlite,
)
from tests.support.factories import make_ready_user


def due(people: Iterable[int], at: datetime) -> dict[int, datetime | None]:
    """Each of `people` with a nudge due at `at`."""
    return dict.fromkeys(people, at)


async def _set_up(url: str, people: Mapping[int, datetime | None], kind: NudgeKind) -> None:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine).begin() as session:
            for telegram_id, due_at in people.items():
                user = await make_ready_user(session, telegram_id)
                if due_at is not None:
                    session.add(ScheduledNudge(user_id=user.id, kind=kind, due_at=due_at))
    finally:
        await engine.dispose()


def set_up(
    url: str, people: Mapping[int, datetime | None], kind: NudgeKind = NudgeKind.WATER
) -> str:
    """Set people up in a migrated database, each with a `kind` nudge due at their time
    (None: nothing due); return the URL."""
    asyncio.run(_set_up(url, people, kind))
    return url


def sqlite_store(
    path: Path, people: Mapping[int, datetime | None], kind: NudgeKind = NudgeKind.WATER
) -> str:
    """Make a SQLite store at `path` with these people (see `set_up`); return its URL."""
    return set_up(migrated_sqlite(path), people, kind)


@contextmanager
def postgres_store(
    people: Mapping[int, datetime | None], kind: NudgeKind = NudgeKind.WATER
) -> Iterator[str]:
    """A PostgreSQL database with these people (see `set_up`), dropped afterwards."""
    url = asyncio.run(create_postgres_database())
    try:
        yield set_up(url, people, kind)
    finally:
        asyncio.run(drop_postgres_database(url))


async def ambiguous_chats(session: AsyncSession) -> set[int]:
    """Return the chats whose delivery was attempted before a crash and so not sent again."""
    chats = await session.scalars(
        select(User.chat_id)
        .join(Delivery, Delivery.user_id == User.id)
        .where(
            Delivery.status == DeliveryStatus.FAILED,
            Delivery.error.like("ambiguous after a crash%"),
        )
    )
    return set(chats)


def dropped_as_ambiguous(url: str) -> set[int]:
    """Return the chats of a database whose delivery was dropped as ambiguous (see above)."""

    async def read() -> set[int]:
        engine = create_engine(url)
        try:
            async with create_sessionmaker(engine)() as session:
                return await ambiguous_chats(session)
        finally:
            await engine.dispose()

    return asyncio.run(read())
