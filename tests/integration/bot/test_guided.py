"""The guided stretch session without Telegram (the flows), and the stretch pictures sent
through the Bot API stand-in by their file id once uploaded."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import wording
from bot.app import make_bot
from bot.callbacks import GuidedPress, NudgeButton, decode, encode
from bot.flows import conversation, guided
from bot.flows.reply import Reply, Shown, StaleButton, Visit
from bot.telegram_io.pictures import Pictures
from bot.telegram_io.sender import MAX_ROW, BackCareBot
from bot.wording.nudges import NudgeTexts
from guidance import Guide
from guidance.pictures import picture_for
from jobs.rules.guided import Move
from jobs.services import care
from storage.models import ButtonPress, Event, EventKind, NudgeKind, PictureFileId
from tests.support.botapi_stub import BotApiStub
from tests.support.factories import DrivenClock, make_ready_user

NOW = datetime(2025, 6, 3, 17, 0, tzinfo=UTC)  # Tuesday 19:00 in Berlin
BERLIN = ZoneInfo("Europe/Berlin")
PROMPT = 501  # the stretch prompt's message id
SESSION = 502  # the session's own picture message

Sessions = async_sessionmaker[AsyncSession]


async def press(
    session: AsyncSession,
    texts: NudgeTexts,
    guide: Guide,
    button: GuidedPress | NudgeButton,
    *,
    message_id: int,
    now: datetime = NOW,
) -> Reply:
    """Press a button as the handler does: through its payload, for the user 1001."""
    user = await make_ready_user(session)
    decoded = decode(encode(button))
    return await conversation.pressed(
        Visit(session, user, now), decoded, texts, message_id=message_id, guide=guide, per_minute=6
    )


def session_buttons(reply: Reply) -> list[GuidedPress]:
    [row] = reply.screen.rows
    assert [label for label, _ in row] == [label for label, _ in wording.guided.BUTTONS]
    assert len(row) <= MAX_ROW
    found = [button for _, button in row]
    assert all(isinstance(button, GuidedPress) for button in found)
    return found  # type: ignore[return-value]


def pressing(reply: Reply, move: Move) -> GuidedPress:
    return next(button for button in session_buttons(reply) if button.move is move)


async def test_start_next_to_the_last_then_logged_as_done_is(
    sessionmaker: Sessions, texts: NudgeTexts, guide: Guide
) -> None:
    routine = list(texts.choices.routine(due_at=NOW, zone=BERLIN))
    async with sessionmaker.begin() as session:
        reply = await press(session, texts, guide, GuidedPress(Move.START), message_id=PROMPT)
        shown: list[str | None] = []
        while reply.shown is not Shown.CAPTION:
            assert reply.photo is not None
            assert picture_for(reply.photo) is not None
            exercise = texts.exercises[reply.photo]
            title = reply.screen.headings[0]
            assert reply.screen.text.startswith(title)
            assert exercise.title in title
            assert "1. " in reply.screen.text
            assert exercise.steps[0] in reply.screen.text
            assert exercise.feel in reply.screen.text
            assert reply.shown is (Shown.NEW if not shown else Shown.REPLACED)
            shown.append(reply.photo)
            next_button = pressing(reply, Move.NEXT)
            reply = await press(session, texts, guide, next_button, message_id=SESSION)
        assert shown == routine
        assert reply.notice == wording.today.LOGGED
        assert "Session done and logged" in reply.screen.text
        assert reply.screen.rows == []  # the buttons go
        user = await make_ready_user(session)
        stretches = await session.scalar(
            select(func.count()).where(Event.user_id == user.id, Event.kind == EventKind.STRETCH)
        )
        assert stretches == 1
        # The prompt counts as answered: its Done now says so, and logs nothing more.
        with pytest.raises(StaleButton):
            await press(
                session, texts, guide, NudgeButton(NudgeKind.STRETCH, "done"), message_id=PROMPT
            )
        # And the last Next pressed again logs nothing more either.
        again = await press(session, texts, guide, next_button, message_id=SESSION)
        assert wording.guided.ALREADY_LOGGED in again.screen.text
        presses = await session.scalars(
            select(ButtonPress.kind).where(ButtonPress.user_id == user.id)
        )
        assert sorted(presses) == ["guided", "stretch"]


async def test_stop_ends_with_a_short_line_and_logs_nothing(
    sessionmaker: Sessions, texts: NudgeTexts, guide: Guide
) -> None:
    async with sessionmaker.begin() as session:
        reply = await press(session, texts, guide, GuidedPress(Move.START), message_id=PROMPT)
        stopped = await press(
            session, texts, guide, pressing(reply, Move.STOP), message_id=SESSION
        )
        assert stopped.shown is Shown.CAPTION
        assert stopped.screen.rows == []
        assert wording.guided.STOPPED in stopped.screen.text
        assert await session.scalar(select(func.count()).select_from(Event)) == 0


async def test_easier_is_the_sources_caution_then_a_resting_position_labelled_as_such(
    sessionmaker: Sessions, texts: NudgeTexts, guide: Guide
) -> None:
    async with sessionmaker.begin() as session:
        reply = await press(session, texts, guide, GuidedPress(Move.START), message_id=PROMPT)
        first = reply.photo
        easier = await press(
            session, texts, guide, pressing(reply, Move.EASIER), message_id=SESSION
        )
        assert easier.photo == first
        assert easier.shown is Shown.REPLACED
        assert texts.exercises.easier_line in easier.screen.text
        assert "(from my sources)" in easier.screen.text
        swapped = await press(
            session, texts, guide, pressing(easier, Move.EASIER), message_id=SESSION
        )
        assert swapped.photo in texts.exercises.gentle_ids
        assert wording.guided.SWAPPED in swapped.screen.text
        gentlest = await press(
            session, texts, guide, pressing(swapped, Move.EASIER), message_id=SESSION
        )
        assert gentlest.refused
        assert gentlest.screen.text == wording.guided.GENTLEST


async def test_a_timed_hold_counts_down_at_most_every_five_seconds_and_a_shorter_one_is_ours(
    texts: NudgeTexts, guide: Guide
) -> None:
    from jobs.rules.guided import Session

    hamstring = Session(("stretch-hamstring", "stretch-cat-cow"))
    reply = guided.card(hamstring, texts, guide, shown=Shown.NEW)
    assert "The timer starts in" in reply.screen.text
    times = [after for after, _ in reply.ticks]
    assert times == sorted(times)
    assert times[0] >= guided.LEAD_SECONDS
    assert min(b - a for a, b in itertools.pairwise(times)) >= 5
    said = [screen.text for _, screen in reply.ticks]
    assert any("20 s left (side 1 of 2)" in text for text in said)
    assert any("side 2 of 2" in text for text in said)
    assert "Both sides held" in said[-1]
    assert all(screen.rows == reply.screen.rows for _, screen in reply.ticks)
    easier = guided.card(Session(hamstring.plan, easier=True), texts, guide, shown=Shown.REPLACED)
    assert "Hold 15 seconds instead of 30: a shorter hold is my own caution" in easier.screen.text
    no_timer = guided.card(Session(("stretch-cat-cow",)), texts, guide, shown=Shown.NEW)
    assert no_timer.ticks == ()
    assert "⏱ 10 times" in no_timer.screen.text


async def test_care_mode_shows_only_the_gentle_set_and_never_on_the_first_day(
    sessionmaker: Sessions, texts: NudgeTexts, guide: Guide
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await care.start_flare(session, user, now=NOW - timedelta(hours=3))
        first_day = await press(session, texts, guide, GuidedPress(Move.START), message_id=PROMPT)
        assert first_day.photo is None
        assert first_day.shown is Shown.NEW
        assert first_day.screen.text.startswith("🛌 Not today")
        later = NOW + timedelta(days=1)
        reply = await press(
            session, texts, guide, GuidedPress(Move.START), message_id=PROMPT, now=later
        )
        seen = []
        while reply.photo is not None:
            seen.append(reply.photo)
            reply = await press(
                session, texts, guide, pressing(reply, Move.NEXT), message_id=SESSION, now=later
            )
        assert seen == list(texts.exercises.gentle_ids)
        assert texts.walk in reply.screen.text  # the short walk closes the gentle session


async def test_a_forged_session_is_a_stale_button(
    sessionmaker: Sessions, texts: NudgeTexts, guide: Guide
) -> None:
    async with sessionmaker.begin() as session:
        with pytest.raises(StaleButton, match="That session is over"):
            await press(
                session, texts, guide, GuidedPress(Move.NEXT, "0.zz.0.0.0"), message_id=SESSION
            )


async def test_show_me_a_stretch_answers_with_its_picture(
    sessionmaker: Sessions, texts: NudgeTexts, guide: Guide
) -> None:
    from bot.flows.questions import ask

    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        visit = Visit(session, user, NOW)
        pose = await ask(visit, "show me child's pose", guide, per_minute=6)
        cat = await ask(visit, "how do I do cat cow", guide, per_minute=6)
        water = await ask(visit, "how much water should I drink", guide, per_minute=6)
        shown = await guided.stretch_command(visit, "pelvic tilt", texts, guide)
        unknown = await guided.stretch_command(visit, "headstand", texts, guide)
    assert pose.photo == "stretch-childs-pose"
    assert "Child's pose" in pose.screen.text
    assert pose.screen.rows  # the 👍/👎 stay, under the picture
    assert cat.photo == "stretch-cat-cow"
    assert water.photo is None
    assert shown.photo == "stretch-pelvic-tilt"
    assert "1. Lie on your back" in shown.screen.text
    assert unknown.photo is None
    assert "Child's pose" in unknown.screen.text


# -- the pictures, through the stand-in ------------------------------------------------------


@pytest.fixture
async def bot(botapi: BotApiStub) -> AsyncIterator[BackCareBot]:
    made = make_bot("123:abc", botapi.base_url)
    async with made:
        yield made


async def test_a_picture_is_uploaded_once_then_sent_by_its_file_id_even_after_a_restart(
    botapi: BotApiStub, bot: BackCareBot, sessionmaker: Sessions
) -> None:
    clock = DrivenClock(NOW)
    pictures = Pictures(sessionmaker, clock)
    first = await pictures.send(bot, 1001, "stretch-cat-cow", "<b>Cat-cow</b>", None)
    await pictures.send(bot, 1001, "stretch-cat-cow", "<b>Cat-cow</b> again", None)
    await pictures.edit(bot, 1001, first.message_id, "stretch-childs-pose", "Child's pose", None)
    await pictures.edit(bot, 1001, first.message_id, "stretch-cat-cow", "Cat-cow", None)
    restarted = Pictures(sessionmaker, clock)  # a new process: only the database is shared
    await restarted.send(bot, 1001, "stretch-childs-pose", "Child's pose", None)
    ways = [how for how, _ in botapi.photos_sent(1001)]
    assert ways == ["upload", "file_id", "upload", "file_id", "file_id"]
    assert len(botapi.uploads) == 2
    async with sessionmaker() as session:
        kept = await session.scalar(select(func.count()).select_from(PictureFileId))
    assert kept == 2
    assert botapi.last(1001)["caption"] == "Child's pose"


async def test_a_file_id_telegram_no_longer_knows_is_uploaded_again(
    botapi: BotApiStub, bot: BackCareBot, sessionmaker: Sessions
) -> None:
    pictures = Pictures(sessionmaker, DrivenClock(NOW))
    sent = await pictures.send(bot, 1001, "stretch-hamstring", "Hamstring", None)
    botapi.forget_file_ids()
    await pictures.send(bot, 1001, "stretch-hamstring", "Hamstring", None)
    botapi.forget_file_ids()
    await pictures.edit(bot, 1001, sent.message_id, "stretch-hamstring", "Hamstring 2", None)
    assert [how for how, _ in botapi.photos_sent(1001)] == ["upload", "upload", "upload"]
    refused = [call for call in botapi.calls if not call.ok]
    assert len(refused) == 2
    assert all("wrong file identifier" in call.response["description"] for call in refused)


# -- the countdown ---------------------------------------------------------------------------


class FakeJob:
    def __init__(self, callback: Any, when: float, name: str, data: object) -> None:
        self.callback, self.when, self.name, self.data = callback, when, name, data
        self.removed = False

    def schedule_removal(self) -> None:
        self.removed = True


class FakeQueue:
    def __init__(self) -> None:
        self.jobs: list[FakeJob] = []

    def run_once(
        self, callback: Any, *, when: float, name: str, data: object, chat_id: int
    ) -> None:
        self.jobs.append(FakeJob(callback, when, name, data))

    def get_jobs_by_name(self, name: str) -> list[FakeJob]:
        return [job for job in self.jobs if job.name == name and not job.removed]


class FakeBot:
    def __init__(self) -> None:
        self.captions: list[str] = []

    async def edit_message_caption(self, **params: Any) -> None:
        self.captions.append(params["caption"])


class FakeContext:
    def __init__(self) -> None:
        self.job_queue = FakeQueue()
        self.bot = FakeBot()
        self.job: FakeJob | None = None

    async def run(self, job: FakeJob) -> None:
        self.job = job
        await job.callback(self)


async def test_the_hold_counts_down_by_editing_the_caption_and_stops_at_a_press(
    texts: NudgeTexts, guide: Guide
) -> None:
    from bot import countdown
    from jobs.rules.guided import Session

    reply = guided.card(Session(("stretch-hamstring",)), texts, guide, shown=Shown.NEW)
    context = FakeContext()
    countdown.start(context, 1001, 77, reply)  # type: ignore[arg-type]
    jobs = list(context.job_queue.jobs)
    assert [job.when for job in jobs] == [after for after, _ in reply.ticks]
    await context.run(jobs[0])
    await context.run(jobs[1])
    assert len(context.bot.captions) == 2
    assert "20 s left (side 1 of 2)" in context.bot.captions[1]
    countdown.stop(context, 1001, 77)  # type: ignore[arg-type]  # a button was pressed
    assert all(job.removed for job in jobs)
    await context.run(jobs[2])  # one already running when the press came: edits nothing
    assert len(context.bot.captions) == 2
    assert not countdown.running(1001, 77)


async def test_after_a_yes_to_a_warning_sign_start_says_to_get_checked_first(
    sessionmaker: Sessions, texts: NudgeTexts, guide: Guide
) -> None:
    from bot.wording.nudges import GET_CHECKED

    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        user.held_for_help_since = NOW - timedelta(days=2)
        reply = await press(session, texts, guide, GuidedPress(Move.START), message_id=PROMPT)
    assert reply.photo is None
    assert reply.screen.text == GET_CHECKED


def test_an_easier_card_names_each_source_once(texts: NudgeTexts, guide: Guide) -> None:
    from jobs.rules.guided import Session

    reply = guided.card(
        Session(("stretch-hamstring",), easier=True), texts, guide, shown=Shown.REPLACED
    )
    [sources] = [line for line in reply.screen.text.splitlines() if line.startswith("Sources:")]
    named = sources.removeprefix("Sources: ").split("; ")
    assert len(named) == len(set(named)), sources
