"""Onboarding and settings flows, on a real database, without Telegram."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import render, wording
from bot.callbacks import AskFor, Callback, Do, OpenMenu, SetValue, Toggle, decode, encode
from bot.flows import conversation, onboarding, records, settings
from bot.flows import reply as flows_reply
from bot.wording.answers import ANSWER_WORDS
from bot.wording.common import Screen
from bot.wording.nudges import NudgeTexts
from guidance import Answer, Finding, Guide
from guidance.reading import Reading, Situation
from guidance.reading.times import InputError
from jobs.rules.changes import Pause, SetStretchTime, SetWaterGlass
from jobs.rules.person import person_of
from storage.models import NudgeKind, Question
from storage.repositories import UserRepository
from tests.support.factories import make_user
from tests.support.refusals import refused

NOW = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)

Sessions = async_sessionmaker[AsyncSession]


def labels(screen: Screen) -> list[str]:
    """Return every button label on a screen."""
    return [label for row in screen.rows for label, _ in row]


def reading(guide: Guide, text: str) -> Reading:
    """Read a message as the bot does before any flow sees it."""
    return guide.reader.read(text, Situation(now=NOW))


async def test_onboarding_walks_zone_then_hours_then_nudges_then_summary(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        first = onboarding.onboarding_screen(user)
        assert "time zone" in first.text
        assert any("Berlin" in label for label in labels(first))

        picked = decode(encode(SetValue("tz", "Europe/Berlin")))
        assert isinstance(picked, SetValue)
        hours = settings.press(user, picked, now=NOW)
        assert "awake" in hours.screen.text
        assert user.onboarding_step == "hours"

        nudges = settings.change_setting(user, user.awaiting or "", "07:30-22:30", now=NOW)
        assert "Which nudges" in nudges.screen.text
        assert user.onboarding_step == "nudges"

        toggled = settings.press(user, Toggle(NudgeKind.POSTURE), now=NOW)
        assert any(
            label.startswith("⬜") and "Posture" in label for label in labels(toggled.screen)
        )

        done = settings.press(user, Do.FINISH, now=NOW)
    assert "You're all set" in done.screen.text
    # Monday 11:30 in Berlin: the first water nudge comes within the hour; no breaks (off).
    assert "Your first nudge: 💧 a glass of water, today at 1" in done.screen.text
    assert "Europe/Berlin" in done.screen.text
    assert "07:30-22:30" in done.screen.text

    async with sessionmaker() as session:
        stored = await UserRepository(session).by_telegram_id(user.telegram_id)
    assert stored is not None
    assert stored.onboarding_step is None
    assert stored.awaiting is None
    assert stored.timezone == "Europe/Berlin"
    assert (stored.wake_time, stored.sleep_time) == (time(7, 30), time(22, 30))
    assert stored.preferences.posture_enabled is False
    assert stored.preferences.water_enabled is True


async def test_a_typed_zone_during_onboarding_is_matched_forgivingly(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        onboarding.onboarding_screen(user)
        settings.change_setting(user, user.awaiting or "", "new york", now=NOW)
    assert user.timezone == "America/New_York"
    assert user.awaiting == "hours"


async def test_a_bad_typed_answer_changes_nothing_and_keeps_waiting(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        onboarding.onboarding_screen(await make_user(session, telegram_id=5))
    with pytest.raises(InputError):
        async with sessionmaker.begin() as session:
            user = await make_user(session, telegram_id=5)
            settings.change_setting(user, "tz", "Mars/Olympus", now=NOW)
    async with sessionmaker() as session:
        stored = await UserRepository(session).by_telegram_id(5)
    assert stored is not None
    assert stored.timezone is None
    assert stored.awaiting == "tz"
    assert stored.onboarding_step == "timezone"


async def test_a_12_hour_time_is_saved_and_a_wrong_one_changes_nothing(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session, telegram_id=6)
        settings.change_setting(user, "hours", "6:30am - 10pm", now=NOW)
    with refused("12-hour clock"):
        async with sessionmaker.begin() as session:
            user = await make_user(session, telegram_id=6)
            settings.change_setting(user, "hours", "7am-13pm", now=NOW)
    async with sessionmaker() as session:
        stored = await UserRepository(session).by_telegram_id(6)
    assert stored is not None
    assert (stored.wake_time, stored.sleep_time) == (time(6, 30), time(22))


async def test_a_glass_bigger_than_the_goal_is_refused_and_nothing_changes(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        await make_user(session, telegram_id=6)
    with refused("glasses a day"):
        async with sessionmaker.begin() as session:
            user = await make_user(session, telegram_id=6)
            settings.apply_command(user, SetWaterGlass(50), now=NOW)
    async with sessionmaker() as session:
        stored = await UserRepository(session).by_telegram_id(6)
    assert stored is not None
    assert stored.preferences.water_glass_ml == 250


async def test_the_settings_menu_offers_every_setting(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        screen = settings.press(user, OpenMenu("main"), now=NOW).screen
    menus = {action for row in screen.rows for _, action in row}
    for name in ("tz", "hours", "goal", "glass", "every", "work", "stretch", "pause"):
        assert OpenMenu(name) in menus, name
    for kind in (NudgeKind.WATER, NudgeKind.POSTURE, NudgeKind.STRETCH):
        assert Toggle(kind) in menus


async def test_asking_to_type_a_value_waits_for_it_in_the_database(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        settings.press(user, Do.FINISH, now=NOW)
        prompt = settings.press(user, AskFor("goal"), now=NOW)
    assert "2500" in prompt.screen.text
    async with sessionmaker.begin() as session:
        stored = await UserRepository(session).by_telegram_id(user.telegram_id)
        assert stored is not None
        assert stored.awaiting == "goal"
        settings.change_setting(stored, stored.awaiting, "3000", now=NOW)
        assert stored.preferences.water_goal_ml == 3000
        assert stored.awaiting is None


async def test_pausing_then_resuming_shows_in_the_menu(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        settings.press(user, SetValue("tz", "Europe/Berlin"), now=NOW)
        text = settings.apply_command(user, Pause("today"), now=NOW)
        assert "paused until" in text
        menu = settings.press(user, OpenMenu("main"), now=NOW).screen
        assert "▶️ Resume nudges" in labels(menu)
        resumed = settings.press(user, Do.RESUME, now=NOW)
    assert person_of(user).paused_until is None
    assert "⏸ Pause nudges" in labels(resumed.screen)


async def test_pause_today_lasts_until_the_next_wake_up_in_their_zone(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        settings.press(user, SetValue("tz", "America/New_York"), now=NOW)
        settings.apply_command(user, Pause("today"), now=NOW)
        today = user.paused_until
        settings.apply_command(user, Pause("tomorrow"), now=NOW)
        tomorrow = user.paused_until
    # 09:30 UTC is 05:30 in New York (EDT): "today" ends at this morning's 08:00 wake-up.
    assert today == datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
    assert tomorrow == datetime(2025, 6, 3, 12, 0, tzinfo=UTC)


async def test_a_stretch_time_typed_in_quiet_hours_says_it_comes_at_the_wake_up(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)  # awake 08:00-22:00
        settings.press(user, SetValue("tz", "Europe/Berlin"), now=NOW)
        user.onboarding_step = None
        settings.press(user, AskFor("stretch"), now=NOW)
        saved = settings.change_setting(user, "stretch", "00:00", now=NOW)
        typed = settings.apply_command(user, SetStretchTime(time(23, 30)), now=NOW)
    assert saved.screen.text.startswith(
        "Your daily stretch at 00:00 is in your quiet hours (22:00-08:00): it comes when "
        "you wake up, at 08:00.\n\n⚙️ Settings"
    )
    assert typed == (
        "Daily stretch at 23:30, which is in your quiet hours (22:00-08:00): it comes when "
        "you wake up, at 08:00."
    )


async def test_forgetting_removes_only_the_sender(sessionmaker: Sessions) -> None:
    async with sessionmaker.begin() as session:
        me = await make_user(session, telegram_id=1)
        await make_user(session, telegram_id=2)
    async with sessionmaker.begin() as session:
        me_again = await UserRepository(session).by_telegram_id(me.telegram_id)
        assert me_again is not None
        await records.forget(flows_reply.Visit(session, me_again, NOW))
    async with sessionmaker() as session:
        users = UserRepository(session)
        assert await users.by_telegram_id(1) is None
        assert await users.by_telegram_id(2) is not None


@pytest.mark.parametrize(
    ("button", "says"),
    [
        (Do.FLARE, "/flare"),
        (Do.FINISH, "before you deleted your data"),
        (SetValue("goal", "2000"), "before you deleted your data"),
        (decode("nud:water:drink"), "before you deleted your data"),
    ],
)
def test_a_button_pressed_by_a_stranger_says_why_it_does_nothing(
    button: Callback, says: str
) -> None:
    reply = conversation.pressed_by_stranger(button)
    assert reply.refused  # an alert, and nothing done
    assert says in reply.screen.text
    assert len(reply.screen.text) <= render.MAX_ALERT_LENGTH


def test_help_needs_nobody_and_is_given_to_a_stranger() -> None:
    assert conversation.pressed_by_stranger(Do.COMMANDS).screen == wording.help.all_commands()
    assert conversation.pressed_by_stranger(Do.HELP).screen == wording.help.help_screen()


async def test_pause_today_for_a_night_worker_lasts_until_their_next_evening(
    sessionmaker: Sessions,
) -> None:
    late = datetime(2025, 6, 2, 21, 0, tzinfo=UTC)  # 23:00 in Berlin, awake 22:00-06:00
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        settings.press(user, SetValue("tz", "Europe/Berlin"), now=late)
        settings.press(user, SetValue("hours", "22:00-06:00"), now=late)
        settings.apply_command(user, Pause("today"), now=late)
    assert user.paused_until == datetime(2025, 6, 3, 20, 0, tzinfo=UTC)


class CountingGuide(Guide):
    """The packaged guide, counting how often it is asked for an answer."""

    answers = 0

    def answer(self, question: str, *, finding: Finding | None = None) -> Answer:
        """Answer as the guide does, and count it."""
        self.answers += 1
        return super().answer(question, finding=finding)


@pytest.fixture(scope="module")
def guide() -> CountingGuide:
    """Load the packaged knowledge base once."""
    loaded = CountingGuide.load(words=ANSWER_WORDS)
    assert isinstance(loaded, CountingGuide)
    return loaded


@pytest.fixture(scope="module")
def texts(guide: CountingGuide) -> NudgeTexts:
    """The nudges' texts, from the same knowledge base."""
    return NudgeTexts(guide)


async def questions_kept(session: AsyncSession) -> int:
    """Count the questions stored."""
    return await session.scalar(select(func.count()).select_from(Question)) or 0


async def test_a_question_instead_of_an_awaited_setting_is_answered_once(
    sessionmaker: Sessions, guide: CountingGuide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        onboarding.onboarding_screen(user)
        before = guide.answers
        visit = flows_reply.Visit(session, user, NOW)
        reply = await conversation.typed(
            visit, reading(guide, "ice or heat"), guide, texts, per_minute=6
        )
        assert guide.answers - before == 1
        assert "Sources:" in reply.screen.text
        assert any(label.startswith("👍") for label in labels(reply.screen))
        assert not reply.reschedule
        assert user.awaiting == "tz"
        assert await questions_kept(session) == 1


async def test_a_short_slip_gets_the_error_and_is_not_kept_as_a_question(
    sessionmaker: Sessions, guide: CountingGuide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        onboarding.onboarding_screen(user)
        before = guide.answers
        reply = await conversation.typed(
            flows_reply.Visit(session, user, NOW),
            reading(guide, "Mars"),
            guide,
            texts,
            per_minute=6,
        )
        assert guide.answers - before == 1
        assert "For example" in reply.screen.text
        assert user.awaiting == "tz"
        assert await questions_kept(session) == 0


async def test_a_plain_question_is_answered_once(
    sessionmaker: Sessions, guide: CountingGuide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        settings.press(user, Do.FINISH, now=NOW)
        before = guide.answers
        reply = await conversation.typed(
            flows_reply.Visit(session, user, NOW),
            reading(guide, "ice or heat"),
            guide,
            texts,
            per_minute=6,
        )
        assert guide.answers - before == 1
        assert "Sources:" in reply.screen.text
        assert reply.then == ()


async def test_a_first_message_is_answered_then_welcomed_into_setting_up(
    sessionmaker: Sessions, guide: CountingGuide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        visit = flows_reply.Visit(session, user, NOW, flows_reply.Arrival.NEW)
        reply = await conversation.typed(
            visit, reading(guide, "ice or heat"), guide, texts, per_minute=6
        )
    assert "Sources:" in reply.screen.text
    welcome, first_step = reply.then
    assert welcome.text == wording.common.WELCOME
    assert "time zone" in first_step.text
    assert user.awaiting == "tz"


async def test_a_typed_answer_is_saved_and_reschedules(
    sessionmaker: Sessions, guide: CountingGuide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        onboarding.onboarding_screen(user)
        before = guide.answers
        visit = flows_reply.Visit(session, user, NOW)
        reply = await conversation.typed(
            visit, reading(guide, "Europe/Berlin"), guide, texts, per_minute=6
        )
    assert guide.answers == before
    assert reply.screen.text.startswith(f"{wording.settings.SAVED}\n\n")
    assert reply.reschedule
    assert user.timezone == "Europe/Berlin"


async def test_a_night_waking_preset_asks_for_work_hours_or_no_breaks(
    sessionmaker: Sessions,
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_user(session)
        settings.press(user, SetValue("tz", "Europe/Berlin"), now=NOW)
        asked = settings.press(user, SetValue("hours", "22:00-06:00"), now=NOW)
        # Awake at night, work 09:00-17:00 by default: no break would ever come.
        assert user.onboarding_step == "work"
        assert "would never get a posture break" in asked.screen.text
        assert "No posture breaks" in labels(asked.screen)
        nudges = settings.press(user, Do.NO_BREAKS, now=NOW)
        assert user.onboarding_step == "nudges"
        assert "Which nudges" in nudges.screen.text
        assert user.preferences.posture_enabled is False

        other = await make_user(session, telegram_id=2)
        settings.press(other, SetValue("tz", "Europe/Berlin"), now=NOW)
        settings.press(other, SetValue("hours", "22:00-06:00"), now=NOW)
        typed = settings.change_setting(other, other.awaiting or "", "23:00-05:00", now=NOW)
        assert other.onboarding_step == "nudges"
        assert "Which nudges" in typed.screen.text
        assert other.preferences.posture_enabled is True

        day = await make_user(session, telegram_id=3)
        settings.press(day, SetValue("tz", "Europe/Berlin"), now=NOW)
        settings.press(day, SetValue("hours", "07:00-22:00"), now=NOW)
        assert day.onboarding_step == "nudges"  # work fits: no extra question
