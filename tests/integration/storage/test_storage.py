"""Storage on SQLite and PostgreSQL: migrations, people, preferences, cascading deletes."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError, StatementError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from jobs.rules.changes import SetWaking, SetZone
from jobs.rules.windows import TimeWindow
from jobs.services.profile import apply_change, find_or_create_user
from storage.database import _sqlite_pragmas, create_engine, create_sessionmaker
from storage.migrate import alembic_config, downgrade, upgrade
from storage.models import (
    Base,
    ButtonPress,
    CareSession,
    Delivery,
    Event,
    EventKind,
    Flare,
    NudgeKind,
    NudgePreferences,
    PainCheckin,
    Question,
    ScheduledNudge,
    Treatment,
    User,
)
from storage.repositories import UserRepository
from tests.support.factories import DEFAULTS, make_user

NOW = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)


async def test_migrations_create_every_table(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    assert {
        "users",
        "nudge_preferences",
        "scheduled_nudges",
        "deliveries",
        "events",
        "alembic_version",
    } <= set(tables)


async def test_migrating_twice_leaves_one_head_revision(engine: AsyncEngine) -> None:
    await upgrade(engine)
    async with engine.connect() as connection:
        versions = (
            await connection.execute(text("SELECT version_num FROM alembic_version"))
        ).all()
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert [row[0] for row in versions] == heads


async def test_a_new_person_gets_the_defaults_and_starts_onboarding(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)
    assert user.timezone is None
    assert user.onboarding_step == "timezone"
    assert (user.wake_time, user.sleep_time) == (time(8), time(22))
    assert user.preferences.water_goal_ml == 2000
    assert user.preferences.water_glass_ml == 250
    assert user.preferences.stretch_time == time(19)


async def test_settings_survive_a_restart(database_url: str) -> None:
    first = create_engine(database_url)
    await upgrade(first)
    async with create_sessionmaker(first).begin() as session:
        user = await make_user(session, telegram_id=42)
        apply_change(user, SetZone("Europe/Berlin"), now=NOW)
        apply_change(user, SetWaking(TimeWindow(time(22), time(6))), now=NOW)
    await first.dispose()

    second = create_engine(database_url)
    async with create_sessionmaker(second)() as session:
        again = await UserRepository(session).by_telegram_id(42)
    await second.dispose()
    assert again is not None
    assert again.timezone == "Europe/Berlin"
    assert (again.wake_time, again.sleep_time) == (time(22), time(6))


async def test_a_failed_update_leaves_nothing_behind(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    with pytest.raises(RuntimeError):
        async with sessionmaker.begin() as session:
            await make_user(session, telegram_id=7)
            raise RuntimeError("handler failed")
    async with sessionmaker() as session:
        assert await UserRepository(session).by_telegram_id(7) is None


async def test_timestamps_come_back_aware_in_utc(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    berlin_noon = datetime(2025, 6, 2, 12, 0, tzinfo=UTC).astimezone(ZoneInfo("Europe/Berlin"))
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        session.add(ScheduledNudge(user_id=user.id, kind=NudgeKind.WATER, due_at=berlin_noon))
    async with sessionmaker() as session:
        nudge = (await session.scalars(select(ScheduledNudge))).one()
        person = (await session.scalars(select(User))).unique().one()
    assert nudge.due_at == datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
    assert nudge.due_at.tzinfo is UTC
    assert person.created_at.tzinfo is UTC


async def test_naive_timestamps_are_refused(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        async with sessionmaker.begin() as session:
            user = await make_user(session)
            session.add(
                ScheduledNudge(
                    user_id=user.id,
                    kind=NudgeKind.WATER,
                    due_at=datetime(2025, 6, 2, 12, 0),  # noqa: DTZ001 - the point of the test
                )
            )


async def test_forgetting_a_person_deletes_everything_about_them(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session, telegram_id=1)
        keep = await make_user(session, telegram_id=2)
        for person in (user, keep):
            session.add_all(
                [
                    ScheduledNudge(user_id=person.id, kind=NudgeKind.STRETCH, due_at=NOW),
                    Delivery(user_id=person.id, kind=NudgeKind.STRETCH, due_at=NOW),
                    Event(user_id=person.id, kind=EventKind.WATER, at=NOW, amount_ml=250),
                    Question(
                        user_id=person.id,
                        asked_at=NOW,
                        text="my legs are numb",
                        entry_id="red-flags",
                        matched=True,
                        level="urgent",
                        vote=1,
                    ),
                ]
            )
            episode = Flare(user_id=person.id, started_at=NOW, red_flags=True)
            session.add(episode)
            await session.flush()
            session.add_all(
                [
                    CareSession(
                        user_id=person.id,
                        flare_id=episode.id,
                        treatment=Treatment.ICE,
                        started_at=NOW,
                        step=0,
                        step_ends_at=NOW,
                        checks_sent=0,
                    ),
                    PainCheckin(user_id=person.id, flare_id=episode.id, at=NOW, score=7),
                    ButtonPress(user_id=person.id, message_id=42, pressed_at=NOW),
                ]
            )
    async with sessionmaker.begin() as session:
        found = await UserRepository(session).by_telegram_id(1)
        assert found is not None
        await UserRepository(session).delete(found)
    personal = (
        User,
        NudgePreferences,
        ScheduledNudge,
        Delivery,
        Event,
        Question,
        Flare,
        CareSession,
        PainCheckin,
        ButtonPress,
    )
    async with sessionmaker() as session:
        for model in personal:
            count = await session.scalar(select(func.count()).select_from(model))
            assert count == 1, model.__name__
    # Every table that holds anything about a person is in the list above.
    holding = {
        table.name
        for table in Base.metadata.sorted_tables
        if any(column.name == "user_id" for column in table.columns) or table.name == "users"
    }
    assert holding == {model.__tablename__ for model in personal}


async def test_one_scheduled_nudge_per_person_and_kind(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    with pytest.raises(Exception, match=r"(?i)unique"):
        async with sessionmaker.begin() as session:
            user = await make_user(session)
            session.add_all(
                [
                    ScheduledNudge(user_id=user.id, kind=NudgeKind.WATER, due_at=NOW),
                    ScheduledNudge(
                        user_id=user.id, kind=NudgeKind.WATER, due_at=NOW + timedelta(hours=1)
                    ),
                ]
            )


async def test_first_contact_is_an_upsert_two_processes_can_race(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async def meet(telegram_id: int) -> bool:
        async with sessionmaker.begin() as session:
            user, new = await find_or_create_user(
                session, telegram_id=telegram_id, chat_id=telegram_id, defaults=DEFAULTS
            )
            await asyncio.sleep(0.01)  # hold the transaction open while the other arrives
            assert user.preferences is not None
            return new

    outcomes = await asyncio.gather(*(meet(5000 + n % 20) for n in range(40)))
    assert sum(outcomes) == 20
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 20
        assert await session.scalar(select(func.count()).select_from(NudgePreferences)) == 20


async def test_the_migrations_build_what_the_models_say_and_go_back_a_step(
    engine: AsyncEngine,
) -> None:
    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        return list(compare_metadata(context, Base.metadata))

    await upgrade(engine)
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    previous = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(head)
    assert isinstance(previous.down_revision, str)
    await downgrade(engine, previous.down_revision)
    await upgrade(engine)
    async with engine.connect() as connection:
        assert await connection.run_sync(differences) == []


async def test_people_set_up_before_the_weekly_summary_get_theirs_scheduled(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await upgrade(engine)
    async with sessionmaker.begin() as session:
        ready = await make_user(session, 1)
        ready.timezone, ready.onboarding_step = "America/New_York", None
        await make_user(session, 2)  # still setting up: nothing scheduled
    await downgrade(engine, "0011")
    await upgrade(engine)
    async with sessionmaker() as session:
        rows = (await session.scalars(select(ScheduledNudge))).all()
    assert [(row.user_id, row.kind) for row in rows] == [(ready.id, NudgeKind.WEEKLY_SUMMARY)]
    local = rows[0].due_at.astimezone(ZoneInfo("America/New_York"))
    assert (local.strftime("%a %H:%M"), local > datetime.now(UTC)) == ("Sun 18:00", True)


async def test_a_size_limit_stops_the_embedded_database_growing(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'small.db'}"
    engine = create_engine(url, sqlite_max_mb=1)
    try:
        await upgrade(engine)
        sessions = create_sessionmaker(engine)
        async with sessions.begin() as session:
            user = await make_user(session)
        with pytest.raises(OperationalError, match="database or disk is full"):
            for _ in range(100):  # 100 x 500 rows is far past 1 MiB
                async with sessions.begin() as session:
                    session.add_all(
                        Event(user_id=user.id, kind=EventKind.WATER, at=NOW, amount_ml=250)
                        for _ in range(500)
                    )
        async with engine.connect() as connection:
            pages = (await connection.exec_driver_sql("PRAGMA page_count")).scalar_one()
            size = (await connection.exec_driver_sql("PRAGMA page_size")).scalar_one()
    finally:
        await engine.dispose()
    assert pages * size <= 1024 * 1024


def test_sqlite_never_maps_the_database_file_into_memory(tmp_path: Path) -> None:
    # An I/O error on a mapped page is a SIGBUS that kills the bot without a word; read()
    # returns an error. Some builds map by default: ours turns it off whatever the build.
    with closing(sqlite3.connect(tmp_path / "mapped.db")) as connection:
        connection.execute("PRAGMA mmap_size=268435456")  # as such a build would
        _sqlite_pragmas(connection, None)
        assert connection.execute("PRAGMA mmap_size").fetchone() == (0,)
