"""Queries the domain needs; they add and execute, and never commit."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import User


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

    async def delete(self, user: User) -> None:
        """Delete a person and, by cascade, everything stored about them."""
        await self.session.execute(delete(User).where(User.id == user.id))
