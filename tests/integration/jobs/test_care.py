"""Flare care on SQLite and PostgreSQL: episodes, session timers, check-ins, a doctor's advice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio
from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.wording.nudges import NudgeTexts, trend, why_a_doctor
from guidance.reading.times import InputError
from jobs.composer.budget import Budget
from jobs.delivery.contracts import OutboxSettings
from jobs.delivery.outbox import Outbox
from jobs.rules import flare
from jobs.rules.flare import FlareSummary
from jobs.services import care, facts, schedule
from jobs.services.planner import NudgePlanner
from storage.database import create_engine, create_sessionmaker
from storage.models import (
    Base,
    CareSession,
    Flare,
    NudgeKind,
    ScheduledNudge,
    Treatment,
    User,
)
from tests.support.databases import (
    create_postgres_database,
    drop_postgres_database,
    migrated_sqlite,
)
from tests.support.factories import (
    DrivenClock,
    RecordingSender,
    SaidNudge,
    make_ready_user,
    said,
)
from tests.support.refusals import refused

Sessions = async_sessionmaker[AsyncSession]
BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2025, 6, 2)
PERSON = 1001


def local(day: date, hour: int, minute: int = 0, *, days: int = 0) -> datetime:
    """Return the UTC instant of a wall-clock time in Berlin, some days after a date."""
    wall = datetime.combine(day + timedelta(days=days), time(hour, minute), tzinfo=BERLIN)
    return wall.astimezone(UTC)


# The person (awake 08:00-22:00 in Berlin) goes into spasm on Monday 2 June 2025 at 10:00.
STARTED = local(MONDAY, 10)


@pytest_asyncio.fixture(
    scope="module",
    loop_scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
async def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """Give a database migrated once for this module, SQLite then PostgreSQL.

    Overrides the shared per-test database: migrating one costs most of a test's time on
    PostgreSQL, so this module migrates once per backend and `engine` empties the tables.
    """
    if request.param == "sqlite":
        url = migrated_sqlite(tmp_path_factory.mktemp("db") / "backcare.db")
    else:
        url = await create_postgres_database()  # a clone of the migrated template
    try:
        yield url
    finally:
        if request.param == "postgresql":
            await drop_postgres_database(url)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """Give an engine on the module's database, emptied of what the last test left."""
    engine = create_engine(database_url)
    tables = Base.metadata.sorted_tables
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                await connection.execute(table.delete())
    try:
        yield engine
    finally:
        await engine.dispose()


class DrivenDispatcher:
    """A dispatcher on a clock the test drives, with the rate limit off unless given."""

    def __init__(
        self,
        sessions: Sessions,
        texts: NudgeTexts,
        *,
        start: datetime,
        messages_per_second: float = 0,
        clock: DrivenClock | None = None,
        sender: RecordingSender | None = None,
        budget: Budget | None = None,
    ) -> None:
        self.texts = texts
        self.clock = clock or DrivenClock(start)
        self.sender = sender or RecordingSender()
        settings = OutboxSettings(messages_per_second=messages_per_second)
        planner = NudgePlanner(texts.choices, budget)
        self.outbox = Outbox(sessions, self.sender, self.clock, planner, settings)

    def restarted(self, sessions: Sessions) -> DrivenDispatcher:
        """Return a new process's dispatcher on the same clock and chat."""
        return DrivenDispatcher(
            sessions, self.texts, start=self.clock.now(), clock=self.clock, sender=self.sender
        )

    async def tick_at(self, moment: datetime) -> list[tuple[int, SaidNudge]]:
        """Move the clock to a moment, tick once, and return what was sent to which chat."""
        self.clock.set(moment)
        await self.outbox.tick()
        return self.sender.take()

    async def alarms_at(self, moment: datetime) -> list[str]:
        """Move the clock to a moment, tick once, and return the session alarms sent."""
        sent = await self.tick_at(moment)
        return [message.text for _, message in sent if message.kind is NudgeKind.SESSION_END]


async def scheduled(sessions: Sessions, telegram_id: int = PERSON) -> dict[NudgeKind, datetime]:
    """Return someone's scheduled nudges by kind."""
    async with sessions() as session:
        found = await session.execute(
            select(ScheduledNudge.kind, ScheduledNudge.due_at)
            .join(User, User.id == ScheduledNudge.user_id)
            .where(User.telegram_id == telegram_id)
        )
        return {kind: due_at for kind, due_at in found}


async def care_sessions(sessions: Sessions, telegram_id: int = PERSON) -> list[CareSession]:
    """Return someone's care sessions, oldest first."""
    async with sessions() as session:
        found = await session.scalars(
            select(CareSession)
            .join(User, User.id == CareSession.user_id)
            .where(User.telegram_id == telegram_id)
            .order_by(CareSession.started_at)
        )
        return list(found.all())


async def timer_of(sessions: Sessions, telegram_id: int = PERSON) -> ScheduledNudge | None:
    """Return someone's session timer, if one is set."""
    async with sessions() as session:
        return await session.scalar(
            select(ScheduledNudge)
            .join(User, User.id == ScheduledNudge.user_id)
            .where(User.telegram_id == telegram_id, ScheduledNudge.kind == NudgeKind.SESSION_END)
        )


async def start_flare(
    sessions: Sessions, *, now: datetime = STARTED, telegram_id: int = PERSON
) -> Flare:
    """Start a flare for someone (creating them, ready, in Berlin)."""
    async with sessions.begin() as session:
        user = await make_ready_user(session, telegram_id)
        episode, _ = await care.start_flare(session, user, now=now)
        return episode


async def start_session(
    sessions: Sessions, treatment: Treatment, *, now: datetime, telegram_id: int = PERSON
) -> care.SessionStarted:
    """Start ice or heat for someone, as the /ice or /heat command does."""
    async with sessions.begin() as session:
        user = await make_ready_user(session, telegram_id)
        return await care.start_session(session, user, treatment, now=now)


def is_morning_check_in(moment: datetime, *, day: date) -> bool:
    """Tell whether a moment is half an hour after waking at 08:00 (plus the per-user spread)."""
    wall = moment.astimezone(BERLIN)
    return wall.date() == day and time(8, 30) <= wall.time() < time(8, 40)


# -- episodes ------------------------------------------------------------------------------------


async def test_a_flare_schedules_a_care_offer_and_a_morning_check_in(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, PERSON)
        episode, created = await care.start_flare(session, user, now=STARTED)
    assert created
    assert episode.started_at == STARTED
    due = await scheduled(sessionmaker)
    assert set(due) == {NudgeKind.CARE_OFFER, NudgeKind.PAIN_CHECK}
    assert due[NudgeKind.CARE_OFFER] == local(MONDAY, 12)  # two hours after the start
    assert is_morning_check_in(due[NudgeKind.PAIN_CHECK], day=MONDAY + timedelta(days=1))


async def test_a_yes_to_a_warning_sign_holds_self_care_until_they_are_seen(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, PERSON)
        await schedule.reschedule(session, user, now=STARTED)
        await care.answer_red_flags(session, user, present=True, now=STARTED)
    running = DrivenDispatcher(sessionmaker, texts, start=STARTED)
    kinds: list[NudgeKind] = []
    moment = STARTED
    while moment < local(MONDAY, 18):
        moment += timedelta(minutes=5)
        kinds += [message.kind for _, message in await running.tick_at(moment)]
    held = {NudgeKind.CARE_OFFER, NudgeKind.STRETCH, NudgeKind.POSTURE}
    assert not held & set(kinds), kinds
    assert NudgeKind.WATER in kinds
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, PERSON)
        seen = await care.seen(session, user, now=moment)
    assert seen.released
    assert seen.episode is not None
    assert seen.episode.seen_at == moment
    offer_at = (await scheduled(sessionmaker))[NudgeKind.CARE_OFFER]
    after: list[NudgeKind] = []
    for seconds in range(0, 10, 2):  # one message a second per chat: others may go first
        sent = await running.tick_at(offer_at + timedelta(seconds=seconds))
        after += [message.kind for _, message in sent]
    assert NudgeKind.CARE_OFFER in after


async def test_a_second_flare_returns_the_episode_already_running(sessionmaker: Sessions) -> None:
    first = await start_flare(sessionmaker)
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, PERSON)
        again, created = await care.start_flare(session, user, now=STARTED + timedelta(hours=3))
        answered = await care.answer_red_flags(
            session, user, present=False, now=STARTED + timedelta(hours=3)
        )
    assert not created
    assert again.id == answered.id == first.id
    assert again.started_at == STARTED
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Flare)) == 1
        stored = await session.get(Flare, first.id)
    assert stored is not None
    assert stored.red_flags is False


async def test_ending_a_flare_removes_its_nudges_and_sums_it_up(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, PERSON)
        await schedule.reschedule(session, user, now=STARTED)
    await start_flare(sessionmaker)
    for treatment, moment in [
        (Treatment.ICE, local(MONDAY, 10, 5)),
        (Treatment.ICE, local(MONDAY, 12)),
        (Treatment.ALTERNATE, local(MONDAY, 14)),
        (Treatment.HEAT, local(MONDAY, 11, days=2)),
    ]:
        await start_session(sessionmaker, treatment, now=moment)
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, PERSON)
        for days, score in [(1, 7), (2, 5), (3, 3)]:
            await care.log_pain(session, user, score, now=local(MONDAY, 8, 35, days=days))
    assert {NudgeKind.CARE_OFFER, NudgeKind.PAIN_CHECK} <= set(await scheduled(sessionmaker))

    ended = local(MONDAY, 9, days=3)  # Thursday morning
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, PERSON)
        summary = await care.end_flare(session, user, now=ended)
        assert await care.open_flare(session, user) is None
        assert await care.end_flare(session, user, now=ended) is None

    assert summary == FlareSummary(
        days=3, ice_sessions=2, heat_sessions=1, alternating_sessions=1, pain=[7, 5, 3]
    )
    assert trend(summary.pain) == "7 → 5 → 3 (easing)"
    left = set(await scheduled(sessionmaker))
    assert not left & {NudgeKind.CARE_OFFER, NudgeKind.PAIN_CHECK}
    assert {NudgeKind.WATER, NudgeKind.POSTURE, NudgeKind.STRETCH} <= left


def test_flare_options_are_read_from_what_people_type() -> None:
    assert care.parse_flare_option("acute 72h") == ("acute", 72)
    assert care.parse_flare_option("  Acute   36 h ") == ("acute", 36)
    assert care.parse_flare_option("alternate on") == ("alternate", True)
    assert care.parse_flare_option("alternate off") == ("alternate", False)
    for wrong in ("acute 12h", "acute 4d", "acute", "alternate maybe", "sideways"):
        with pytest.raises(InputError):
            care.parse_flare_option(wrong)


async def test_flare_options_change_the_plan_and_the_offers_that_follow(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    await start_flare(sessionmaker)
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, PERSON)
        for option, value in (
            care.parse_flare_option(typed) for typed in ["acute 72h", "alternate on"]
        ):
            episode = await care.set_flare_option(session, user, option, value, now=STARTED)
        plan = facts.plan_of(episode)
    assert (plan.acute_hours, plan.alternate) == (72, True)
    assert plan.offered(local(MONDAY, 12, days=2)) is Treatment.ALTERNATE

    noon = local(MONDAY, 12)
    assert (await scheduled(sessionmaker))[NudgeKind.CARE_OFFER] == noon
    [(_, offer)] = await DrivenDispatcher(sessionmaker, texts, start=STARTED).tick_at(noon)
    assert offer.kind is NudgeKind.CARE_OFFER
    assert "ice and heat in turn" in offer.text
    assert [action for _, action in offer.buttons] == ["alternate", "skip"]


# -- sessions ------------------------------------------------------------------------------------


async def test_a_session_is_stored_with_a_timer_due_when_its_first_step_ends(
    sessionmaker: Sessions,
) -> None:
    begun = local(MONDAY, 11)
    people = {1: (Treatment.ICE, 15), 2: (Treatment.HEAT, 15), 3: (Treatment.ALTERNATE, 30)}
    for telegram_id, (treatment, whole) in people.items():
        await start_flare(sessionmaker, telegram_id=telegram_id)
        started = await start_session(sessionmaker, treatment, now=begun, telegram_id=telegram_id)
        assert started.ends_at == begun + timedelta(minutes=whole)

        [running] = await care_sessions(sessionmaker, telegram_id)
        assert (running.treatment, running.started_at, running.step) == (treatment, begun, 0)
        assert running.step_ends_at == begun + timedelta(minutes=15)  # the ice, if alternating
        assert running.taken_off_at is None
        timer = await timer_of(sessionmaker, telegram_id)
        assert timer is not None
        assert timer.due_at == running.step_ends_at
        assert timer.payload == {"session": running.id}
        # The next offer counts from this session.
        offer = (await scheduled(sessionmaker, telegram_id))[NudgeKind.CARE_OFFER]
        assert offer == begun + timedelta(hours=2)


async def test_a_second_session_replaces_the_first_ones_timer(sessionmaker: Sessions) -> None:
    await start_flare(sessionmaker)
    await start_session(sessionmaker, Treatment.ICE, now=local(MONDAY, 10, 30))
    await start_session(sessionmaker, Treatment.HEAT, now=local(MONDAY, 10, 40))
    first, second = await care_sessions(sessionmaker)
    assert first.taken_off_at == local(MONDAY, 10, 40)
    assert second.taken_off_at is None
    async with sessionmaker() as session:
        timers = (
            await session.scalars(
                select(ScheduledNudge).where(ScheduledNudge.kind == NudgeKind.SESSION_END)
            )
        ).all()
    assert [(timer.due_at, timer.payload) for timer in timers] == [
        (local(MONDAY, 10, 55), {"session": second.id})
    ]


async def test_heat_close_to_bedtime_is_refused_and_nothing_is_stored(
    sessionmaker: Sessions,
) -> None:
    await start_flare(sessionmaker)
    before = await scheduled(sessionmaker)
    late = local(MONDAY, 21, 15)  # asleep at 22:00
    for treatment in (Treatment.HEAT, Treatment.ALTERNATE):
        async with sessionmaker() as session:
            user = await make_ready_user(session, PERSON)
            with refused("sleep"):
                await care.start_session(session, user, treatment, now=late)
            await session.commit()
    assert await care_sessions(sessionmaker) == []
    assert await scheduled(sessionmaker) == before
    # Ice is fine.
    await start_session(sessionmaker, Treatment.ICE, now=late)
    assert len(await care_sessions(sessionmaker)) == 1


# -- timers through the dispatcher ---------------------------------------------------------------


async def test_an_ice_session_still_ends_on_time_after_a_restart(
    sessionmaker: Sessions, database_url: str, texts: NudgeTexts
) -> None:
    await start_flare(sessionmaker)
    await start_session(sessionmaker, Treatment.ICE, now=STARTED)
    before = DrivenDispatcher(sessionmaker, texts, start=STARTED)
    assert await before.alarms_at(STARTED + timedelta(minutes=5)) == []

    # The process stops; a new one starts on the same database.
    engine = create_engine(database_url)
    try:
        after = before.restarted(create_sessionmaker(engine))
        await after.outbox.sweep()
        assert await after.alarms_at(STARTED + timedelta(minutes=14, seconds=59)) == []
        [alarm] = await after.alarms_at(STARTED + timedelta(minutes=15))
        assert "take the ice off" in alarm
        assert await after.alarms_at(STARTED + timedelta(minutes=20)) == []
        assert await after.alarms_at(STARTED + timedelta(minutes=40)) == []
    finally:
        await engine.dispose()
    assert NudgeKind.SESSION_END not in await scheduled(sessionmaker)


async def test_a_session_end_missed_while_down_is_sent_at_once_if_recent_and_dropped_if_old(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    back = local(MONDAY, 14)  # the bot comes back up
    grace = flare.SESSION_END_GRACE
    ended_before = {
        1: timedelta(minutes=1),
        2: grace - timedelta(minutes=1),
        3: grace + timedelta(minutes=1),
        4: timedelta(hours=3),
    }
    for telegram_id, ago in ended_before.items():
        begun = back - ago - timedelta(minutes=15)
        await start_session(sessionmaker, Treatment.ICE, now=begun, telegram_id=telegram_id)
    restarted = DrivenDispatcher(sessionmaker, texts, start=back)
    await restarted.outbox.sweep()
    sent = {chat: message.text for chat, message in await restarted.tick_at(back)}
    assert sorted(sent) == [1, 2]
    assert all("take the ice off" in text for text in sent.values())
    for telegram_id in ended_before:
        assert await timer_of(sessionmaker, telegram_id) is None
    assert await restarted.alarms_at(back + timedelta(minutes=5)) == []


async def test_a_session_end_goes_out_even_at_night_or_in_a_pause(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        paused = await make_ready_user(session, 2)
        paused.paused_until = STARTED + timedelta(hours=3)
        await care.start_session(session, paused, Treatment.ICE, now=STARTED)
    await start_session(sessionmaker, Treatment.ICE, now=local(MONDAY, 21, 55), telegram_id=1)
    running = DrivenDispatcher(sessionmaker, texts, start=STARTED)

    [in_pause] = await running.alarms_at(STARTED + timedelta(minutes=15))
    [at_night] = await running.alarms_at(local(MONDAY, 22, 10))  # asleep from 22:00
    assert "take the ice off" in in_pause
    assert "take the ice off" in at_night


async def test_a_session_end_goes_out_ahead_of_other_due_nudges_when_only_one_may_be_sent(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    now = local(MONDAY, 10, 1)
    async with sessionmaker.begin() as session:
        thirsty = await make_ready_user(session, 1)
        session.add(
            ScheduledNudge(
                user_id=thirsty.id, kind=NudgeKind.WATER, due_at=now - timedelta(minutes=2)
            )
        )
        for kind in (NudgeKind.POSTURE, NudgeKind.STRETCH):
            session.add(ScheduledNudge(user_id=thirsty.id, kind=kind, due_at=now))
    await start_session(
        sessionmaker, Treatment.ICE, now=now - timedelta(minutes=15), telegram_id=2
    )
    paced = DrivenDispatcher(sessionmaker, texts, start=now, messages_per_second=1)
    first = await paced.tick_at(now)
    assert [(chat, message.kind) for chat, message in first] == [(2, NudgeKind.SESSION_END)]
    then = await paced.tick_at(now + timedelta(seconds=1))
    assert [(chat, message.kind) for chat, message in then] == [(1, NudgeKind.WATER)]


async def test_heat_is_asked_about_every_five_minutes_at_most_three_times(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    await start_flare(sessionmaker)
    await start_session(sessionmaker, Treatment.HEAT, now=STARTED)
    running = DrivenDispatcher(sessionmaker, texts, start=STARTED)
    end = STARTED + timedelta(minutes=15)
    [first] = await running.alarms_at(end)
    assert "take the heat off" in first
    assert await running.alarms_at(end + timedelta(minutes=4)) == []
    for check in range(1, 4):
        [asked] = await running.alarms_at(end + check * flare.HEAT_CHECK_EVERY)
        assert "Is the heating pad off?" in asked
    for later in (20, 25, 60):
        assert await running.alarms_at(end + timedelta(minutes=later)) == []
    assert NudgeKind.SESSION_END not in await scheduled(sessionmaker)


async def test_taking_the_heat_off_stops_the_questions(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    early, late = 1, 2  # take it off before the timer rings, and after "take it off now"
    for telegram_id in (early, late):
        await start_session(sessionmaker, Treatment.HEAT, now=STARTED, telegram_id=telegram_id)
    running = DrivenDispatcher(sessionmaker, texts, start=STARTED)
    end = STARTED + timedelta(minutes=15)

    async def take_off(telegram_id: int, now: datetime) -> None:
        async with sessionmaker.begin() as session:
            user = await make_ready_user(session, telegram_id)
            stopped = await care.take_off(session, user, now=now)
        assert stopped is not None
        assert stopped.taken_off_at == now

    await take_off(early, end - timedelta(minutes=5))
    assert [chat for chat, _ in await running.tick_at(end)] == [late]
    await take_off(late, end + timedelta(minutes=1))
    for later in (5, 10, 15, 20):
        assert await running.alarms_at(end + timedelta(minutes=later)) == []
    assert await timer_of(sessionmaker, early) is None
    assert await timer_of(sessionmaker, late) is None


async def test_an_alternating_session_says_switch_then_take_the_heat_off(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    await start_flare(sessionmaker)
    await start_session(sessionmaker, Treatment.ALTERNATE, now=STARTED)
    running = DrivenDispatcher(sessionmaker, texts, start=STARTED)
    switch = STARTED + timedelta(minutes=15)
    [first] = await running.alarms_at(switch)
    assert first.startswith("🔁 Switch now")
    assert await running.alarms_at(switch + timedelta(minutes=14)) == []
    [second] = await running.alarms_at(switch + timedelta(minutes=15))
    assert "take the heat off" in second
    [third] = await running.alarms_at(switch + timedelta(minutes=20))
    assert "Is the heating pad off?" in third


# -- pain and the doctor -------------------------------------------------------------------------


async def test_a_doctor_is_advised_with_its_reason_again_each_day_it_holds(
    sessionmaker: Sessions,
) -> None:
    high, rising = flare.DoctorReason.HIGH_PAIN, flare.DoctorReason.WORSE
    assert why_a_doctor(high) == "your pain has stayed at 8 or more (a cautious rule of my own)"
    assert why_a_doctor(rising) == "your pain has got worse three days running"
    people = {
        1: ([6, 8, 8, 8], [None, None, high, high]),
        2: ([4, 6, 7, 5], [None, None, rising, None]),
    }
    for telegram_id, (scores, expected) in people.items():
        await start_flare(sessionmaker, telegram_id=telegram_id)
        advice: list[str | None] = []
        noted: list[int] = []
        async with sessionmaker.begin() as session:
            user = await make_ready_user(session, telegram_id)
            for day, score in enumerate(scores, start=1):
                now = local(MONDAY, 8, 40, days=day)
                logged = await care.log_pain(session, user, score, now=now)
                assert logged is not None
                advice.append(logged.see_doctor)
                noted = logged.scores
        assert noted == scores
        assert advice == expected
        async with sessionmaker() as session:
            episode = await session.scalar(
                select(Flare).join(User).where(User.telegram_id == telegram_id)
            )
        assert episode is not None
        assert episode.doctor_reason == expected[2]


async def test_the_doctor_is_advised_at_most_once_a_day(sessionmaker: Sessions) -> None:
    await start_flare(sessionmaker, telegram_id=3)
    advice = []
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, 3)
        for hour, score in ((8, 8), (9, 8), (10, 8), (20, 8)):
            logged = await care.log_pain(session, user, score, now=local(MONDAY, hour, 0))
            assert logged is not None
            advice.append(logged.see_doctor is not None)
    assert advice == [False, True, False, False]


async def test_a_pain_of_nine_or_ten_calls_for_help_now(sessionmaker: Sessions) -> None:
    await start_flare(sessionmaker, telegram_id=4)
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, 4)
        eight = await care.log_pain(session, user, 8, now=local(MONDAY, 8, 0))
        nine = await care.log_pain(session, user, 9, now=local(MONDAY, 9, 0))
    assert eight is not None
    assert nine is not None
    assert (eight.urgent, nine.urgent) == (False, True)


async def test_pain_outside_care_mode_is_not_noted_unless_care_mode_starts(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, 5)
        assert await care.log_pain(session, user, 6, now=local(MONDAY, 8, 0)) is None
        assert await care.open_flare(session, user) is None
        started = await care.log_pain(session, user, 6, now=local(MONDAY, 8, 0), start=True)
        assert started is not None
        assert started.scores == [6]
        assert await care.open_flare(session, user) is not None


async def test_a_pain_score_outside_0_to_10_is_refused(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, PERSON)
        for wrong in (-1, 11):
            with pytest.raises(InputError):
                await care.log_pain(session, user, wrong, now=STARTED)
        assert await care.open_flare(session, user) is None


async def test_the_two_week_rule_comes_with_each_morning_check_in_without_a_new_score(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    await start_flare(sessionmaker)
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, PERSON)
        await care.log_pain(session, user, 5, now=local(MONDAY, 8, 40, days=1))
    running = DrivenDispatcher(sessionmaker, texts, start=STARTED)

    async def morning_question(day: int) -> tuple[datetime, str]:
        due = (await scheduled(sessionmaker))[NudgeKind.PAIN_CHECK]
        assert is_morning_check_in(due, day=MONDAY + timedelta(days=day))
        sent = await running.tick_at(due)
        [text] = [message.text for _, message in sent if message.kind is NudgeKind.PAIN_CHECK]
        async with sessionmaker.begin() as session:
            # They answer (so the episode does not go quiet and close).
            user = await make_ready_user(session, PERSON)
            await care.log_pain(session, user, 5, now=due + timedelta(minutes=1))
        return due, text

    # The last morning before two weeks are up (the check-in moved there): no advice yet.
    async with sessionmaker.begin() as session:
        row = (
            await session.scalars(
                select(ScheduledNudge).where(ScheduledNudge.kind == NudgeKind.PAIN_CHECK)
            )
        ).one()
        row.due_at += MONDAY + timedelta(days=14) - row.due_at.astimezone(BERLIN).date()
        user = await make_ready_user(session, PERSON)
        await care.log_pain(session, user, 5, now=local(MONDAY, 20, days=13))
    _, before = await morning_question(14)
    # The next morning two weeks have passed: the question carries the advice, and again
    # each morning while the episode lasts (at most once a day).
    _, advised = await morning_question(15)
    again_at, again = await morning_question(16)
    assert "doctor" not in before
    assert "Please see a doctor: this episode has lasted more than two weeks" in advised
    assert "Please see a doctor: this episode has lasted more than two weeks" in again
    async with sessionmaker() as session:
        episode = (await session.scalars(select(Flare))).one()
    assert episode.doctor_advised_at == again_at
    assert episode.doctor_reason is not None
    assert episode.doctor_reason == flare.DoctorReason.LASTING
    # After a week the check-in also offers to end care mode.
    assert "if your back is better, you can end care mode" in again


async def test_care_mode_closes_itself_after_three_days_without_a_check_in(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    await start_flare(sessionmaker)
    await start_session(sessionmaker, Treatment.ICE, now=STARTED)
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, PERSON)
        await care.log_pain(session, user, 6, now=local(MONDAY, 8, 40, days=1))
    running = DrivenDispatcher(sessionmaker, texts, start=STARTED)
    quiet = []
    for day in (2, 3, 4, 5):  # Wednesday to Saturday mornings, no answer
        due = (await scheduled(sessionmaker))[NudgeKind.PAIN_CHECK]
        assert is_morning_check_in(due, day=MONDAY + timedelta(days=day))
        quiet += [
            part.text
            for _, message in await running.tick_at(due)
            for part in message.parts
            if part.kind is NudgeKind.PAIN_CHECK
        ]
    assert all(text.startswith("🌅 How is your back today?") for text in quiet[:3])
    assert quiet[3] == (
        "🌤 No check-in for three days, so I've closed care mode; I hope your back is better."
        " This episode: 5 days; sessions: 1 ice, 0 heat; pain: 6.\nIf it still hurts, /flare"
        " starts care mode again; pain that lasts more than two weeks needs a doctor."
    )
    async with sessionmaker() as session:
        episode = (await session.scalars(select(Flare))).one()
        left = set((await scheduled(sessionmaker)).keys())
    assert episode.ended_at is not None
    assert not left & {NudgeKind.CARE_OFFER, NudgeKind.PAIN_CHECK}


# -- everyday nudges during a flare --------------------------------------------------------------


async def test_rest_first_then_gentle_movement_and_stretches_come_back_when_the_pain_eases(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    await start_flare(sessionmaker)
    # A budget that holds everything: this is about what the nudges say, not how many.
    roomy = Budget(ordinary=100, flare_day=100)
    running = DrivenDispatcher(sessionmaker, texts, start=STARTED, budget=roomy)

    async def daily_nudges_at(moment: datetime) -> dict[NudgeKind, str]:
        async with sessionmaker.begin() as session:
            user = await make_ready_user(session, PERSON)
            for kind in (NudgeKind.POSTURE, NudgeKind.STRETCH):
                row = await session.scalar(
                    select(ScheduledNudge).where(
                        ScheduledNudge.user_id == user.id, ScheduledNudge.kind == kind
                    )
                )
                if row is None:
                    session.add(ScheduledNudge(user_id=user.id, kind=kind, due_at=moment))
                else:
                    row.due_at = moment
        sent: list[SaidNudge] = []
        for second in range(3):  # one message per chat per second
            sent += [
                message for _, message in await running.tick_at(moment + timedelta(seconds=second))
            ]
        return {
            part.kind: part.text
            for message in sent
            for part in message.parts
            if part.kind in (NudgeKind.POSTURE, NudgeKind.STRETCH)
        }

    # The first day: rest comes first, so nothing asks them to move.
    assert await daily_nudges_at(local(MONDAY, 10, 30)) == {}
    acute = await daily_nudges_at(local(MONDAY, 10, 30, days=1))
    assert acute == {
        NudgeKind.POSTURE: said(texts.choices.gentle_posture()).text,
        NudgeKind.STRETCH: said(texts.choices.gentle_stretch()).text,
    }
    # The acute phase is over, but the pain has not eased: walks as usual, stretches gentle.
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, PERSON)
        await care.log_pain(session, user, 6, now=local(MONDAY, 8, 35, days=2))
    recovering = await daily_nudges_at(local(MONDAY, 11, days=2))
    assert recovering[NudgeKind.POSTURE].startswith("🚶 Time to get up from your desk.")
    assert recovering[NudgeKind.STRETCH] == said(texts.choices.gentle_stretch()).text
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, PERSON)
        await care.log_pain(session, user, 3, now=local(MONDAY, 8, 35, days=3))
    eased = await daily_nudges_at(local(MONDAY, 11, days=3))
    assert eased[NudgeKind.STRETCH].startswith("🧘 Time for your daily stretch:")


async def test_nothing_asks_to_move_while_ice_is_on(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    await start_flare(sessionmaker)
    running = DrivenDispatcher(sessionmaker, texts, start=STARTED)
    on = local(MONDAY, 11, days=1)  # after the day of rest
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, PERSON)
        await care.start_session(session, user, Treatment.ICE, now=on)
        await session.execute(
            delete(ScheduledNudge).where(ScheduledNudge.kind == NudgeKind.POSTURE)
        )
        due = on + timedelta(minutes=5)
        session.add(ScheduledNudge(user_id=user.id, kind=NudgeKind.POSTURE, due_at=due))
    during = await running.tick_at(on + timedelta(minutes=5))
    assert [message.kind for _, message in during] == []
    async with sessionmaker() as session:
        held = await session.scalar(
            select(ScheduledNudge.due_at).where(ScheduledNudge.kind == NudgeKind.POSTURE)
        )
    assert held is not None
    assert held >= on + timedelta(minutes=15)  # not before the ice comes off


async def test_an_ice_and_heat_offer_never_comes_when_heat_would_be_refused(
    sessionmaker: Sessions, texts: NudgeTexts
) -> None:
    # Started at 11:00 with alternating on: offers at 13:00, 15:00, ... 21:00, and 21:00
    # is inside the hour before sleep (22:00), when /heat and "ice + heat" are refused.
    begun = local(MONDAY, 11)
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, PERSON)
        await care.set_flare_option(session, user, "alternate", value=True, now=begun)
    running = DrivenDispatcher(sessionmaker, texts, start=begun)
    refused: list[tuple[time, str]] = []
    tomorrow = local(MONDAY, 8, days=1)
    while (due := (await scheduled(sessionmaker))[NudgeKind.CARE_OFFER]) < tomorrow:
        for _, offer in await running.tick_at(due):
            for _, action in offer.buttons:
                if action in ("skip", "rest"):
                    continue
                async with sessionmaker() as session:  # tap the button, then roll back
                    user = await make_ready_user(session, PERSON)
                    try:
                        await care.start_session(session, user, Treatment(action), now=due)
                    except InputError:
                        refused.append((due.astimezone(BERLIN).time(), action))
    assert refused == []


def test_a_bare_number_for_the_acute_phase_means_hours() -> None:
    assert care.parse_flare_option("acute 72") == ("acute", 72)


async def test_heat_in_the_ice_phase_is_marked_so_the_reply_can_say_ice_comes_first(
    sessionmaker: Sessions,
) -> None:
    await start_flare(sessionmaker)
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session, PERSON)
        early = await care.start_session(session, user, Treatment.HEAT, now=STARTED)
        later = await care.start_session(
            session, user, Treatment.HEAT, now=STARTED + timedelta(days=3)
        )
    assert early.heat_in_ice_phase
    assert not later.heat_in_ice_phase
