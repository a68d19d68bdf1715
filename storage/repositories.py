"""Queries the domain needs; they add and execute, and never commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ButtonPress, PictureFileId, ProcessedUpdate, User


class UserRepository:
    """People, looked up by their Telegram id."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_telegram_id(self, telegram_id: int) -> User | None:
        """Return the person with this Telegram id, if they have used the bot."""
        query = select(User).where(User.telegram_id == telegram_id)
        return (await self.session.scalars(query)).unique().one_or_none()

    def add(self, user: User) -> None:
        """Stage a new person for insertion."""
        self.session.add(user)

    async def add_if_absent(self, values: dict[str, Any]) -> bool:
        """Insert a person unless one with this Telegram id exists; True if inserted.

        An upsert, so two processes meeting the same newcomer at once both succeed.
        """
        statement = (
            _insert_for(self.session)(User)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["telegram_id"])
        )
        result = await self.session.execute(statement)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def delete(self, user: User) -> None:
        """Delete a person and, by cascade, everything stored about them."""
        await self.session.execute(delete(User).where(User.id == user.id))


def _insert_for(session: AsyncSession) -> Any:
    """Return the INSERT of the session's dialect, which knows ON CONFLICT."""
    dialect = session.bind.dialect.name if session.bind is not None else ""
    return postgresql_insert if dialect == "postgresql" else sqlite_insert


async def first_time(session: AsyncSession, update_id: int, *, now: datetime) -> bool:
    """Record an update as handled; False if it was handled before (a replay)."""
    statement = (
        _insert_for(session)(ProcessedUpdate)
        .values(update_id=update_id, seen_at=now)
        .on_conflict_do_nothing(index_elements=["update_id"])
    )
    result = await session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def forget_updates(session: AsyncSession, *, before: datetime) -> int:
    """Drop the record of updates handled before a moment; return how many."""
    result = await session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.seen_at < before))
    return int(result.rowcount)  # type: ignore[attr-defined]


async def first_press(
    session: AsyncSession, user_id: int, message_id: int, *, kind: str = "", now: datetime
) -> bool:
    """Record a press of one part's button in a nudge message; False if one was before.

    A message may hold several nudges (merged), each with its own buttons: each part acts
    once. A press with kind "" (kept from before parts existed) stands for the whole message.
    """
    legacy = await session.scalar(
        select(ButtonPress.user_id).where(
            ButtonPress.user_id == user_id,
            ButtonPress.message_id == message_id,
            ButtonPress.kind.in_(("", kind + ".missed")),
        )
    )
    if legacy is not None:  # the whole message before parts, or this part retired unanswered
        return False
    statement = (
        _insert_for(session)(ButtonPress)
        .values(user_id=user_id, message_id=message_id, kind=kind, pressed_at=now)
        .on_conflict_do_nothing(index_elements=["user_id", "message_id", "kind"])
    )
    result = await session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def mark_answered(
    session: AsyncSession, parts: list[tuple[int, int, str]], *, now: datetime
) -> None:
    """Record parts of messages (user, message id, kind) as done with: a nudge retired
    unanswered acts no more, and is not retired twice."""
    if not parts:
        return
    rows = [
        {"user_id": user_id, "message_id": message_id, "kind": kind, "pressed_at": now}
        for user_id, message_id, kind in parts
    ]
    statement = (
        _insert_for(session)(ButtonPress)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["user_id", "message_id", "kind"])
    )
    await session.execute(statement)


async def forget_presses(session: AsyncSession, *, before: datetime) -> None:
    """Drop the record of button presses before a moment."""
    await session.execute(delete(ButtonPress).where(ButtonPress.pressed_at < before))


async def picture_file_id(session: AsyncSession, name: str, digest: str) -> str | None:
    """Return the file id Telegram gave this picture, if it was sent as these bytes."""
    return await session.scalar(
        select(PictureFileId.file_id).where(
            PictureFileId.name == name, PictureFileId.digest == digest
        )
    )


async def keep_picture_file_id(
    session: AsyncSession, name: str, digest: str, file_id: str, *, now: datetime
) -> None:
    """Keep (or replace) the file id of a picture's bytes."""
    values = {"digest": digest, "file_id": file_id, "saved_at": now}
    statement = (
        _insert_for(session)(PictureFileId)
        .values(name=name, **values)
        .on_conflict_do_update(index_elements=["name"], set_=values)
    )
    await session.execute(statement)


async def drop_picture_file_id(session: AsyncSession, name: str) -> None:
    """Forget a picture's file id (Telegram no longer knows it)."""
    await session.execute(delete(PictureFileId).where(PictureFileId.name == name))


async def keep_burst_reply(
    session: AsyncSession,
    user_id: int,
    *,
    reply_id: int,
    message_id: int,
    said: str,
    now: datetime,
) -> None:
    """Keep the bot's reply to someone's typed message: the next message of a burst is
    answered in it (`bot.burst`)."""
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(
            burst_reply_id=reply_id, burst_message_id=message_id, burst_at=now, burst_said=said
        )
    )


async def join_burst_reply(
    session: AsyncSession,
    user_id: int,
    *,
    reply_id: int,
    after: int,
    message_id: int,
    said: str,
    now: datetime,
) -> bool:
    """Add the answer to a message to the burst's reply, if the reply is still as it was read
    (answering the message `after`); False if another process answered one first."""
    result = await session.execute(
        update(User)
        .where(User.id == user_id, User.burst_reply_id == reply_id, User.burst_message_id == after)
        .values(burst_message_id=message_id, burst_at=now, burst_said=said)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
