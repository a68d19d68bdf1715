"""Typed answers to the nudge still waiting: they press what its buttons would (issue 27)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot import pending, wording
from bot.callbacks import Do, NudgeButton
from bot.wording.nudges import NudgeTexts
from guidance import Guide
from jobs.composer.nudge import ACTIONS, NudgeMessage, OpenNudge
from jobs.services import care
from storage.kinds import Treatment
from storage.models import CareSession, NudgeKind, PainCheckin
from tests.support.factories import make_ready_user
from tests.support.replies import MESSAGE_ID, NOW, Sessions, events, part, say, sent


async def test_did_the_stretch_on_a_merged_message_logs_only_the_stretch(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await sent(session, user, part(NudgeKind.STRETCH), part(NudgeKind.WATER))
        reply = await say(session, user, "did the stretch, water in a bit", guide, texts)
        assert reply.edit is not None
        kept = {p.kind: p.buttons for p in reply.edit.message.parts}
        assert kept[NudgeKind.STRETCH] == ()
        assert kept[NudgeKind.WATER] == ACTIONS[NudgeKind.WATER]
        assert await events(session, user, NudgeKind.WATER) == []


async def test_drank_two_glasses_typed_to_a_water_nudge_logs_two(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await sent(session, user, part(NudgeKind.WATER))
        reply = await say(session, user, "drank 2 glases", guide, texts)
        logged = await events(session, user, NudgeKind.WATER)
        assert sum(e.amount_ml or 0 for e in logged) == 500, reply.screen.text
        assert reply.edit is not None
        assert reply.edit.message.parts[0].buttons == ()


async def test_a_pain_score_in_words_is_logged_as_the_check_in(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await care.start_flare(session, user, now=NOW - timedelta(hours=1))
        await sent(session, user, part(NudgeKind.PAIN_CHECK))
        await say(session, user, "ugh about a six today", guide, texts)
        scores = (await session.scalars(select(PainCheckin.score))).all()
        assert list(scores) == [6]


async def test_a_score_said_in_distress_is_logged_and_first_aid_follows(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await care.start_flare(session, user, now=NOW - timedelta(hours=1))
        await sent(session, user, part(NudgeKind.PAIN_CHECK))
        reply = await say(session, user, "6 and its killing me", guide, texts)
        scores = (await session.scalars(select(PainCheckin.score))).all()
        assert list(scores) == [6]
        assert len(reply.then) == 1
        assert user.first_aid_at == NOW  # the first aid was given, not only the score logged


async def test_its_off_typed_to_the_take_it_off_reminder_ends_the_session(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await care.start_flare(session, user, now=NOW - timedelta(hours=1))
        await care.start_session(session, user, Treatment.ICE, now=NOW - timedelta(minutes=20))
        await sent(session, user, part(NudgeKind.SESSION_END))
        await say(session, user, "its off", guide, texts)
        off = await session.scalar(
            select(func.count()).where(CareSession.taken_off_at.is_not(None))
        )
        assert off == 1


async def test_not_yet_to_the_take_it_off_reminder_logs_nothing(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await care.start_flare(session, user, now=NOW - timedelta(hours=1))
        await care.start_session(session, user, Treatment.ICE, now=NOW - timedelta(minutes=20))
        await sent(session, user, part(NudgeKind.SESSION_END))
        reply = await say(session, user, "not yet", guide, texts)
        off = await session.scalar(
            select(func.count()).where(CareSession.taken_off_at.is_not(None))
        )
    assert reply.screen.text == wording.talk.NOT_OFF_YET
    assert off == 0


async def test_a_request_it_cannot_do_is_said_plainly_and_touches_no_nudge(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await sent(session, user, part(NudgeKind.POSTURE))
        reply = await say(session, user, "can you remind me to take my meds at 9pm", guide, texts)
        assert reply.screen.text == wording.talk.CANNOT
        assert reply.edit is None
        assert await events(session, user, NudgeKind.POSTURE) == []


async def test_a_wrong_looking_setting_is_read_as_the_person_meant_it(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        user.awaiting = "tz"
        await say(session, user, "new yrok", guide, texts)
        assert user.timezone == "America/New_York"
        user.awaiting = "hours"
        await say(session, user, "8am to 11pm", guide, texts)
        assert (user.wake_time.hour, user.sleep_time.hour) == (8, 23)


def open_nudge(*parts: NudgeMessage, answered: frozenset[str] = frozenset()) -> OpenNudge:
    return OpenNudge(MESSAGE_ID, NudgeMessage.of_parts(parts), answered)


@pytest.mark.parametrize(
    ("parts", "asked"),
    [
        ((NudgeKind.STRETCH, NudgeKind.WATER), "stretch+water"),
        ((NudgeKind.WATER, NudgeKind.SESSION_END), "taken_off"),
        ((NudgeKind.POSTURE,), "posture"),
        ((NudgeKind.CARE_OFFER,), "ice_offer"),
        ((NudgeKind.PAIN_CHECK,), "pain_check"),
    ],
)
def test_what_a_waiting_message_asked(parts: tuple[NudgeKind, ...], asked: str) -> None:
    assert pending.asked_by(open_nudge(*(part(kind) for kind in parts))) == asked


def test_an_answered_part_is_no_longer_asked() -> None:
    message = open_nudge(
        part(NudgeKind.STRETCH), part(NudgeKind.WATER), answered=frozenset({"stretch"})
    )
    assert pending.asked_by(message) == "water"
    assert pending.asked_by(None) == "none"


def test_start_presses_the_treatment_named_or_the_first_offered() -> None:
    offer = open_nudge(part(NudgeKind.CARE_OFFER))
    heat = pending.buttons_for("start", offer, text="ok heat please")
    first = pending.buttons_for("start", offer, text="go on then")
    assert heat is not None
    assert heat.buttons == (NudgeButton(NudgeKind.CARE_OFFER, "heat"),)
    assert first is not None
    assert first.buttons == (NudgeButton(NudgeKind.CARE_OFFER, "ice"),)


def test_a_meaning_with_no_button_to_press_is_not_an_answer() -> None:
    assert pending.buttons_for("score:7", open_nudge(part(NudgeKind.WATER))) is None
    assert pending.buttons_for("done:3", open_nudge(part(NudgeKind.WATER))) == pending.Presses(
        (NudgeButton(NudgeKind.WATER, "drink"),), more_glasses=2
    )


async def test_a_nudge_from_hours_ago_is_not_what_a_score_answers(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await sent(session, user, part(NudgeKind.WATER), ago=7 * 60)
        reply = await say(session, user, "drank 3 glasses", guide, texts)
        assert reply.edit is None


async def test_a_score_answers_the_check_in_under_a_newer_offer(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await care.start_flare(session, user, now=NOW - timedelta(hours=3))
        await sent(session, user, part(NudgeKind.PAIN_CHECK), ago=60)
        await sent(session, user, part(NudgeKind.WATER), ago=20, message_id=MESSAGE_ID + 2)
        await sent(session, user, part(NudgeKind.CARE_OFFER), ago=5, message_id=MESSAGE_ID + 1)
        reply = await say(session, user, "ugh like a 6 today", guide, texts)
        scores = (await session.scalars(select(PainCheckin.score))).all()
        assert list(scores) == [6], reply.screen.text
        assert reply.edit is not None
        assert reply.edit.message_id == MESSAGE_ID


async def test_two_glasses_answers_the_water_nudge_under_a_pain_check(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        await care.start_flare(session, user, now=NOW - timedelta(hours=3))
        await sent(session, user, part(NudgeKind.WATER), ago=60)
        await sent(session, user, part(NudgeKind.PAIN_CHECK), ago=5, message_id=MESSAGE_ID + 1)
        reply = await say(session, user, "drank 2 glasses", guide, texts)
        assert (await session.scalars(select(PainCheckin.score))).all() == []
        assert reply.edit is not None
        assert reply.edit.message_id == MESSAGE_ID


async def test_a_question_on_a_settings_screen_is_not_read_as_a_value(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        zone = user.timezone
        user.awaiting = "tz"
        await say(session, user, "what is the capital of France", guide, texts)
        assert user.timezone == zone


async def test_undo_in_words_takes_back_the_glasses_just_logged(
    sessionmaker: Sessions, guide: Guide, texts: NudgeTexts
) -> None:
    async with sessionmaker.begin() as session:
        user = await make_ready_user(session)
        logged = await say(session, user, "drank 2 glasses", guide, texts)
        assert [data for row in logged.screen.rows for _, data in row] == [Do.UNDO]
        undone = await say(session, user, "oops didnt mean that", guide, texts)
        assert undone.screen.text == "↩️ Taken back: 500 ml of water."
        assert await events(session, user, NudgeKind.WATER) == []
        again = await say(session, user, "undo", guide, texts)
        assert again.screen.text == wording.today.NOTHING_TO_UNDO
