"""End to end: one person, one private chat. Groups, other people's buttons, blocking, edits.

The tests on a driven clock share one bot (tests/e2e/conftest.py), each as people of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from time import monotonic, sleep

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from storage.models import (
    CareSession,
    Delivery,
    DeliveryStatus,
    Event,
    Flare,
    PainCheckin,
    Question,
    User,
)
from tests.support.bot_process import running_bot
from tests.support.botapi_stub import BotApiStub, JsonDict, buttons, describe, find_button
from tests.support.driven import (
    ClockFile,
    DrivenBot,
    Nudge,
    Person,
    SharedBot,
    local,
    stopped_clock_environment,
)
from tests.support.seeding import due, sqlite_store

pytestmark = pytest.mark.e2e

ANA = 616161  # on a bot of her own
GROUP = -1001234567890
BOT = "backcare_test_bot"
REDIRECT = f"https://t.me/{BOT}?start=private"


class Quiet(Person):
    """Someone who lets every nudge be."""

    def react(self, nudge: Nudge) -> None:
        """Do nothing with it."""


def group_messages(botapi: BotApiStub) -> list[str]:
    """Return what the bot said in the group."""
    return [str(message.get("text", "")) for message in botapi.sent(GROUP)]


def answer_to(botapi: BotApiStub, query_id: str) -> JsonDict:
    """Wait for the bot's answer to one button press."""
    return botapi.wait_for_call(
        "answerCallbackQuery", lambda params: params["callback_query_id"] == query_id
    )


def counts(bot: DrivenBot, telegram_id: int) -> dict[str, int]:
    """Count someone's rows in the tables a button could change."""
    with Session(bot.database.engine) as session:
        user_id = session.scalar(select(User.id).where(User.telegram_id == telegram_id))
        return {
            model.__tablename__: session.scalar(
                select(func.count()).select_from(model).where(model.user_id == user_id)
            )
            or 0
            for model in (Event, Flare, CareSession, PainCheckin, Question)
        }


def test_a_person_in_a_group_is_sent_to_a_private_chat_and_nothing_of_theirs_leaks(
    shared: SharedBot,
) -> None:
    botapi, bot = shared.botapi, shared.at(local("Mon 08:50"))
    ana_id, bob_id = 616_101, 626_101
    ana = Quiet(ana_id, botapi, bot)
    bob = Quiet(bob_id, botapi, bot)
    try:
        with ana.running():
            with Session(bot.database.engine) as session:
                before_her = set(session.scalars(select(User.telegram_id)))
            ana.onboard()
            # The command menu is for private chats only, and the bot says what it is.
            [menu] = botapi.calls_to("setMyCommands")
            assert menu["scope"] == {"type": "all_private_chats"}, menu
            assert menu["commands"][0]["command"] == "flare"
            assert botapi.calls_to("deleteMyCommands"), "the default (group) menu was left"
            assert "not a doctor" in botapi.description()
            assert botapi.description("short_description")
            # In the group: a command and a mention get one redirect each; chatter nothing.
            mark = botapi.mark()
            botapi.send_text(ana_id, f"/today@{BOT}", chat_id=GROUP)
            botapi.send_text(bob_id, f"@{BOT} how long should I ice?", chat_id=GROUP)
            botapi.send_text(bob_id, "lunch anyone?", chat_id=GROUP)
            botapi.send_text(bob_id, "/help", chat_id=GROUP, is_bot=True)
            botapi.send_text(bob_id, "/today", chat_id=GROUP, sender_chat=GROUP)
            botapi.send_text(ana_id, f"@{BOT} my legs are numb", chat_id=GROUP)
            botapi.wait_for(chat_id=GROUP, text="warning sign", after=mark)
            said = group_messages(botapi)
            assert len(said) == 3, said
            assert all(REDIRECT in text for text in said), said
            assert all("Water" not in text and "glass" not in text for text in said), said

            # Her next nudge still comes to her private chat; Bob was never stored.
            ana.run_until(ana.due("water"))
            assert ana.of_topic("water"), ana.timeline()
            assert all(n.message["chat"]["id"] == ana_id for n in ana.nudges), ana.timeline()
            assert len(group_messages(botapi)) == 3
            with Session(bot.database.engine) as session:
                people = set(session.scalars(select(User.telegram_id))) - before_her
            assert people == {ana_id}

            # Bob pressing her nudge (a forged client could) changes nothing.
            nudge = ana.of_topic("water")[-1].message
            before = counts(bot, ana_id)
            mark = botapi.mark()
            query_id = botapi.press(bob_id, nudge, "nud:water:drink")
            answered = botapi.wait_for_call(
                "answerCallbackQuery", lambda p: p["callback_query_id"] == query_id
            )
            assert "isn't yours" in answered["text"], answered
            assert counts(bot, ana_id) == before
            assert botapi.history(ana_id)[mark:] == [], "Ana's message was edited"
            with Session(bot.database.engine) as session:
                assert session.scalar(select(User).where(User.telegram_id == bob_id)) is None

            # An edit acts on nothing and gets no reply; a warning sign edited in does.
            ana.say("/water goal 3000", "Water goal 3000 ml")
            mark = botapi.mark()
            botapi.edit_text(ana_id, 1, "/water goal 1500")
            ana.say("/today", "of 12 glasses")
            replies = [
                event
                for event in botapi.history()[mark:]
                if event.kind == "sent" and event.message["chat"]["id"] == ana_id
            ]
            assert len(replies) == 1, replies  # /today's
            botapi.edit_text(ana_id, 1, "my legs went numb")
            botapi.wait_for(chat_id=ana_id, text="medical help now", after=mark)
    finally:
        bot.database.close()
    assert not bob.nudges


def test_blocking_stops_nudges_at_once_and_coming_back_restores_the_plan(
    shared: SharedBot,
) -> None:
    botapi, bot = shared.botapi, shared.at(local("Mon 08:50"))
    ana_id = 616_102
    ana = Quiet(ana_id, botapi, bot)
    try:
        with ana.running():
            summary = ana.onboard()
            ana.run_until(local("Mon 10:00"))
            mark = len(botapi.calls_to("sendMessage"))
            botapi.block(ana_id)
            # Her schedule empties at once, before any nudge fails with 403.
            deadline = monotonic() + 10
            while bot.database.next_due() is not None:
                assert monotonic() < deadline, bot.database.schedule()
                sleep(0.02)
            ana.run_until(local("Mon 14:00"))
            tried = [
                call
                for call in botapi.calls_to("sendMessage")[mark:]
                if call.get("chat_id") == ana_id
            ]
            assert tried == [], tried

            history = botapi.mark()
            botapi.unblock(ana_id)
            back = botapi.wait_for(chat_id=ana_id, text="Welcome back", after=history)
            plan = botapi.wait_for(chat_id=ana_id, text="Awake 07:00-22:00", after=history)
            assert "Your nudges are on again" in back["text"], describe(back)
            for line in summary.split("\n")[1:]:
                if line.startswith(("💧", "🚶", "🧘")):  # the plan, minus its next times
                    assert line.split(" (next")[0] in plan["text"], (line, plan["text"])
            ana.run_until(local("Mon 17:00"))
            assert [n for n in ana.of_topic("water") if n.at > local("Mon 14:00")]
    finally:
        bot.database.close()


FORGED = [
    "nud:session_end:done.999999",
    "nud:session_end:done.99999999999",
    "nud:pain_check:7",
    "nud:care_offer:heat",
    "nud:care_offer:ice",
    "vote:up:2147483647",
    "vote:up:2147483648",
    "do:flare_pain:11",
    "do:seen",
    "do:better",
    "nud:water:explode",
    "menu:nowhere",
]


def test_forged_buttons_change_nothing_and_get_a_polite_answer(shared: SharedBot) -> None:
    botapi, bot = shared.botapi, shared.at(local("Mon 08:50"))
    ana_id = 616_103
    ana = Quiet(ana_id, botapi, bot)
    try:
        with ana.running():
            summary_message = ana.say("/start", "time zone", with_buttons=True)
            before = counts(bot, ana_id)
            for data in FORGED:
                answer = answer_to(
                    botapi, botapi.press(ana_id, summary_message, data, check=False)
                )
                assert answer.get("text"), (data, answer)
                assert "went wrong" not in str(answer.get("text")), (data, answer)
            assert counts(bot, ana_id) == before
            # A button press with no message (too old to edit) is answered, not acted on.
            ana_user = {"id": ana_id, "is_bot": False, "first_name": "Ana"}
            query = {"id": "77", "from": ana_user, "chat_instance": "1", "data": "nud:water:drink"}
            botapi.enqueue({"callback_query": query})
            expired = botapi.wait_for_call(
                "answerCallbackQuery", lambda p: p["callback_query_id"] == "77"
            )
            assert "no longer valid" in expired["text"], expired
            assert counts(bot, ana_id) == before
            assert not [m for m in botapi.sent(ana_id) if "went wrong" in m.get("text", "")]
            # The message the buttons were pressed on is as it was.
            assert not [e for e in botapi.history(ana_id) if e.kind == "edited"]
    finally:
        bot.database.close()


def test_forget_then_any_message_starts_afresh(shared: SharedBot) -> None:
    botapi, bot = shared.botapi, shared.at(local("Mon 08:50"))
    ana_id = 616_104
    ana = Quiet(ana_id, botapi, bot)
    try:
        with ana.running():
            ana.onboard()
            question = ana.say("/forget", "Delete everything", with_buttons=True)
            ana.tap(question, "Yes, delete it all")
            today = ana.say("/today", "set you up first")
            assert "time zone" in today["text"], describe(today)
            assert "not scheduled" not in today["text"]
    finally:
        bot.database.close()


def test_a_nudge_button_acts_once_however_often_it_is_pressed(shared: SharedBot) -> None:
    botapi, bot = shared.botapi, shared.at(local("Mon 08:50"))
    ana_id = 616_105
    ana = Quiet(ana_id, botapi, bot)
    try:
        with ana.running():
            ana.onboard()
            ana.run_until(ana.due("water"))
            nudge = ana.of_topic("water")[0].message
            answers = [
                answer_to(botapi, botapi.press(ana_id, nudge, "nud:water:drink", check=False))
                for _ in range(20)
            ]
            assert sum(a.get("text") == "+1 glass" for a in answers) == 1, answers
            assert sum(a.get("text") == "Already noted ✓" for a in answers) == 19, answers
            ana.say("/today", "1 of 8 glasses")
    finally:
        bot.database.close()


T0 = datetime(2025, 6, 4, 13, 0, tzinfo=UTC)  # 15:00 in Berlin, a Wednesday
# Eight people whose nudges go out just before Ana's: one for each of the outbox's senders.
OTHERS = tuple(range(630_001, 630_009))


def _water_due_for_all(path: Path) -> str:
    """Make a database where the others' water nudges are due at T0 - 30 s and Ana's at T0."""
    return sqlite_store(path, {**due(OTHERS, T0 - timedelta(seconds=30)), ANA: T0})


def _deliveries_of(path: Path) -> dict[int, DeliveryStatus]:
    """Return each person's delivery status, by Telegram id."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        with Session(engine) as session:
            rows = session.execute(
                select(User.telegram_id, Delivery.status).join(
                    Delivery, Delivery.user_id == User.id
                )
            )
            return {telegram_id: status for telegram_id, status in rows}
    finally:
        engine.dispose()


def _wait_until(done: Callable[[], bool], what: str, *, timeout: float = 15.0) -> None:
    """Poll `done()` until it is true, or fail naming what did not happen."""
    deadline = monotonic() + timeout
    while not done():
        assert monotonic() < deadline, what
        sleep(0.02)


def test_a_nudge_claimed_when_forget_is_confirmed_never_leaves(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    database = tmp_path / "due.db"
    clock = ClockFile(tmp_path / "clock.txt", T0 - timedelta(minutes=5))
    env = stopped_clock_environment(botapi, _water_due_for_all(database), clock)
    log = tmp_path / "bot.log"
    with running_bot(botapi, env, log):
        mark = botapi.mark()
        botapi.send_text(ANA, "/forget")
        question = botapi.wait_for(
            chat_id=ANA, text="Delete everything", with_buttons=True, after=mark
        )
        # The others' nudges are answered only after 4 s each: every sender is busy, and
        # Ana's nudge, claimed with theirs, waits its turn in memory.
        botapi.slow_next("sendMessage", seconds=4, count=len(OTHERS))
        clock.move_to(T0)
        _wait_until(
            lambda: all(botapi.sent(other) for other in OTHERS),
            f"the others' nudges did not go out; its log:\n{log.read_text()[-3000:]}",
        )
        assert _deliveries_of(database).get(ANA) is DeliveryStatus.PENDING, "not claimed"
        mark = botapi.mark()
        botapi.press(ANA, question, "do:forget")
        botapi.wait_for(chat_id=ANA, text="everything I stored about you is deleted", after=mark)
        # The slow answers come in; a sender is free for Ana's nudge, were it still going.
        _wait_until(
            lambda: set(_deliveries_of(database).values()) == {DeliveryStatus.SENT},
            f"the others' sends were not recorded; its log:\n{log.read_text()[-3000:]}",
        )
        sleep(1)
    nudges = [describe(message) for message in botapi.sent(ANA) if buttons(message)]
    assert nudges == [], nudges
    statuses = _deliveries_of(database)
    assert ANA not in statuses
    assert statuses == dict.fromkeys(OTHERS, DeliveryStatus.SENT)


def test_buttons_from_before_forget_act_on_nothing_and_say_so(shared: SharedBot) -> None:
    botapi, bot = shared.botapi, shared.at(local("Mon 08:50"))
    ana_id, bob_id = 616_106, 626_106
    ana = Quiet(ana_id, botapi, bot)
    try:
        with ana.running():
            ana.onboard()
            summary = botapi.last(ana_id, with_buttons=True)
            ana.run_until(ana.due("water"))
            nudge = ana.of_topic("water")[0].message
            question = ana.say("/forget", "Delete everything", with_buttons=True)
            ana.tap(question, "Yes, delete it all")
            assert not bot.database.stored(ana_id)

            # Her old nudge, her old plan and the question itself: each says why it does
            # nothing, and nobody is made again.
            for message, data in (
                (nudge, find_button(nudge, "+1 glass")),
                (summary, find_button(summary, "⚙️ Change settings")),
                (question, "do:forget"),
            ):
                mark = botapi.mark()
                answer = answer_to(botapi, botapi.press(ana_id, message, data, check=False))
                assert "before you deleted your data" in answer["text"], (data, answer)
                assert answer.get("show_alert") is True, answer
                assert len(answer["text"]) <= 200
                assert botapi.history(ana_id)[mark:] == [], "an old message changed"
                assert not bot.database.stored(ana_id), f"{data} made her again"
            # Nor does an edit, even one that tells of a warning sign (it is answered).
            mark = botapi.mark()
            botapi.edit_text(ana_id, 1, "my legs went numb")
            botapi.wait_for(chat_id=ana_id, text="medical help now", after=mark)
            assert not bot.database.stored(ana_id)

            # Someone never stored, with the buttons of /help: help is given, nothing kept.
            mark = botapi.mark()
            botapi.send_text(bob_id, "/help")
            help_message = botapi.wait_for(chat_id=bob_id, with_buttons=True, after=mark)
            botapi.press(bob_id, help_message, find_button(help_message, "📖 All commands"))
            botapi.wait_for(chat_id=bob_id, text="/export", after=mark)
            spasm = find_button(help_message, "🆘 My back just went into spasm")
            answer = answer_to(botapi, botapi.press(bob_id, help_message, spasm, check=False))
            assert "/flare" in answer["text"], answer
            assert not bot.database.stored(bob_id)

            # Only a message makes a person: she starts afresh.
            today = ana.say("/today", "set you up first")
            assert "time zone" in today["text"], describe(today)
    finally:
        bot.database.close()
