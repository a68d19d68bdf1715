"""End to end: the guided stretch session, through the real bot process (issue 28).

Sam, in Berlin, gets the daily stretch prompt at 19:00 and taps ▶️ Start: the first
exercise comes as one picture message, its caption the exercise's name and numbered steps;
each ⏭ Next changes that same message's picture and caption in place (no new message),
and the last one logs the stretch as the prompt's Done would, so /today counts it and the
prompt's Done says it is noted already. The bot then restarts: `/stretch show` sends the
first picture again by the file id Telegram gave it, not uploaded a second time.

On Tuesday the hamstring stretch's hold counts down in its caption, and Next stops it: that
takes half a minute of real time (the countdown's lead-in, then past its next edit), so it
runs in `make slow`; tests/integration/bot/test_guided.py checks the countdown's jobs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from time import sleep

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Event, EventKind, PictureFileId
from tests.support.botapi_stub import BotApiStub, JsonDict, buttons, describe, find_button
from tests.support.driven import DrivenBot, Nudge, Person, local, part_buttons

pytestmark = pytest.mark.e2e

SAM = 515151
STEPS_IN_ORDER = ("1. ", "2. ")


class Sam(Person):
    """Someone who lets every nudge but the stretch be."""

    def react(self, nudge: Nudge) -> None:
        self.note(f"sees {nudge}")


def is_card(message: JsonDict) -> bool:
    """Tell whether a message is a session's picture with its four buttons."""
    labels = [label for label, _ in buttons(message)]
    return "photo" in message and labels == ["⏭ Next", "🪶 Easier", "↷ Skip", "⏹ Stop"]


def same_message(message_id: int) -> Callable[[JsonDict], bool]:
    """Match the bot's message with this id, as sent or as edited."""
    return lambda message: message["message_id"] == message_id


def check_card(card: JsonDict) -> str:
    """Check one exercise's message and return its picture's file id."""
    assert is_card(card), describe(card)
    caption = str(card.get("caption", ""))
    assert all(step in caption for step in STEPS_IN_ORDER), caption
    assert "Sources:" in caption, caption
    return str(card["photo"][-1]["file_id"])


def test_start_a_picture_per_exercise_then_the_stretch_logged_and_a_restart_reuses_file_ids(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    sam = Sam(SAM, botapi, DrivenBot.prepare(botapi, tmp_path, local("Mon 18:40")))
    try:
        with sam.running():
            sam.onboard()
            sam.run_until(local("Mon 19:20"))
            [prompt] = sam.of_topic("stretch")
            # A merged message marks each part's buttons ("🧘 ▶️ Start"): read without it.
            assert "▶️ Start" in [label for label, _ in part_buttons(prompt.message, "stretch")]

            mark = botapi.mark()
            botapi.press(SAM, prompt.message, find_button(prompt.message, "▶️ Start"))
            card = sam.answer(is_card, after=mark)
            seen = [check_card(card)]
            titles = [str(card["caption"]).splitlines()[0]]
            assert titles[0].endswith("(1 of 3)"), titles
            while True:
                mark = botapi.mark()
                botapi.press(SAM, card, find_button(card, "Next"))
                card = sam.answer(same_message(card["message_id"]), after=mark)
                if not is_card(card):
                    break
                seen.append(check_card(card))
                titles.append(str(card["caption"]).splitlines()[0])
            done = str(card.get("caption", ""))
            assert "Session done and logged" in done, describe(card)
            assert buttons(card) == [], describe(card)
            assert len(set(seen)) == 3, titles
            assert [title.rpartition(" (")[2] for title in titles] == [
                "1 of 3)",
                "2 of 3)",
                "3 of 3)",
            ]
            # One message for the whole session: the pictures changed in place.
            sent_photos = [
                e for e in botapi.history(SAM) if e.kind == "sent" and "photo" in e.message
            ]
            assert len(sent_photos) == 1, [describe(e.message) for e in sent_photos]
            assert [how for how, _ in botapi.photos_sent(SAM)] == ["upload"] * 3

            today = sam.say("/today", "📅 Today")["text"]
            assert "🧘 Stretch: done ✅" in today, today
            botapi.press(SAM, prompt.message, find_button(prompt.message, "Done"))
            botapi.wait_for_call(
                "answerCallbackQuery", lambda params: params.get("text") == "Already noted ✓"
            )

        with Session(sam.database.engine) as session:
            stretches = session.scalar(select(func.count()).where(Event.kind == EventKind.STRETCH))
            kept = session.scalar(select(func.count()).select_from(PictureFileId))
        assert stretches == 1  # the session's, and not again for the prompt's Done
        assert kept == 3

        # A restart: the first picture goes by the file id kept in the database.
        with sam.running():
            card = sam.answer(is_card, after=_send(botapi, "/stretch show"))
            assert check_card(card) == seen[0]
            assert botapi.photos_sent(SAM)[-1] == ("file_id", seen[0])

    finally:
        sam.database.close()
    assert botapi.unknown_methods == []
    assert len(botapi.uploads) == 3, sam.timeline()  # Monday's three, nothing uploaded twice


@pytest.mark.slow
def test_a_hold_counts_down_in_its_caption_and_next_stops_it(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    sam = Sam(SAM, botapi, DrivenBot.prepare(botapi, tmp_path, local("Tue 18:40")))
    try:
        with sam.running():
            sam.onboard()
            # Tuesday's second stretch is held 30 seconds a side: the caption counts down.
            sam.run_until(local("Tue 19:30"))
            card = sam.answer(is_card, after=_send(botapi, "/stretch show"))
            mark = botapi.mark()
            botapi.press(SAM, card, find_button(card, "Next"))
            hamstring = sam.answer(same_message(card["message_id"]), after=mark)
            assert "Hamstring stretch (2 of 3)" in hamstring["caption"], describe(hamstring)
            assert "The timer starts in 15 s" in hamstring["caption"], hamstring["caption"]
            counting = botapi.wait_for(
                lambda m: "s left (side 1 of 2)" in str(m.get("caption", "")),
                chat_id=SAM,
                after=botapi.mark(),
                timeout=60,
            )
            assert is_card(counting), describe(counting)  # the buttons stay while it counts
            # Next stops it: the following edit is the next exercise, and stays so.
            mark = botapi.mark()
            botapi.press(SAM, counting, find_button(counting, "Next"))
            tilt = sam.answer(same_message(card["message_id"]), after=mark)
            assert "Pelvic tilt (3 of 3)" in tilt["caption"], describe(tilt)
            sleep(12)  # past the countdown's next edit, had it not stopped
            [latest] = [m for m in botapi.sent(SAM) if m["message_id"] == card["message_id"]]
            assert "Pelvic tilt (3 of 3)" in latest["caption"], describe(latest)
            assert "s left" not in latest["caption"], describe(latest)
    finally:
        sam.database.close()
    assert botapi.unknown_methods == []


def _send(botapi: BotApiStub, text: str) -> int:
    mark = botapi.mark()
    botapi.send_text(SAM, text)
    return mark
