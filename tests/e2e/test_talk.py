"""End to end: plain words to the real bot on a driven clock, as a person would type them.

Dana, in Berlin, answers a water nudge with "done", logs "2 glasses", tells the bot she is
"in a meeting until 3" ten minutes before a posture break falls due after two, and says her
back just went. Each gets one reply that does what she asked; the meeting holds the break until
it ends.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.botapi_stub import buttons, describe
from tests.support.driven import Nudge, Person, SharedBot, local, part_buttons

pytestmark = pytest.mark.e2e


class Dana(Person):
    """Someone who takes her breaks (the Done button) and answers the rest in words."""

    leave_breaks = False

    def react(self, nudge: Nudge) -> None:
        if nudge.topic == "posture" and not self.leave_breaks:
            self.press(nudge, "Done")
        else:
            self.note(f"reads {nudge}")


def test_plain_words_do_what_they_say(shared: SharedBot) -> None:
    botapi = shared.botapi
    dana = Dana(919_191, botapi, shared.at(local("Mon 06:50")))
    try:
        with dana.running():
            dana.onboard()

            # "done" answers the water nudge waiting: a glass logged, its buttons gone.
            dana.run_until(dana.due("water"))
            [water] = dana.of_topic("water")
            mark = botapi.mark()
            reply = dana.say("done", "Logged")["text"]
            assert reply.startswith("💧 Logged: 1 of 8 glasses today."), reply
            edited = botapi.wait_for(
                lambda m: m["message_id"] == water.message["message_id"], after=mark
            )
            assert not part_buttons(edited, "water"), describe(edited)

            # Two nudges wait (water, then a break); "skip" as a reply to the older one
            # (Telegram's reply) skips that one, not the latest.
            dana.leave_breaks = True
            dana.run_until(dana.due("posture") + timedelta(minutes=1))
            [older] = [n for n in dana.of_topic("water") if n.ordinal == 2]
            [latest] = dana.of_topic("posture")
            assert latest.at > older.at, dana.timeline()
            mark = botapi.mark()
            botapi.send_text(dana.user_id, "skip", reply_to=older.message)
            skipped = botapi.wait_for(
                lambda m: str(m.get("text", "")).startswith("Skipped"),
                chat_id=dana.user_id,
                after=mark,
            )
            edited = botapi.wait_for(
                lambda m: m["message_id"] == older.message["message_id"], after=mark
            )
            assert not part_buttons(edited, "water"), describe(edited)
            assert skipped["text"].startswith("Skipped: next one today at "), skipped["text"]
            shown = {m["message_id"]: m for m in botapi.sent(dana.user_id)}
            assert part_buttons(shown[latest.message["message_id"]], "posture")
            dana.press(latest, "Done")
            dana.leave_breaks = False

            # "2 glasses" is two of her 250 ml glasses.
            reply = dana.say("2 glasses", "Logged")["text"]
            assert reply.startswith("💧 Logged: 3 of 8 glasses today."), reply

            # A break due at half past two; she is in a meeting until three.
            dana.run_until(local("Mon 14:00"))
            break_due = dana.due("posture")
            assert local("Mon 14:00") < break_due < local("Mon 15:00"), dana.database.schedule()
            meeting_at = break_due - timedelta(minutes=10)
            dana.run_until(meeting_at)
            held = dana.say("in a meeting until 3", "hold your nudges")["text"]
            assert "until today at 15:00" in held, held
            dana.run_until(local("Mon 16:05"))
            breaks = [n for n in dana.of_topic("posture") if n.at > meeting_at]
            assert breaks, dana.timeline()
            assert local("Mon 15:00") <= breaks[0].at < local("Mon 16:05"), dana.timeline()
            assert not [n for n in dana.nudges if meeting_at < n.at < local("Mon 15:00")]

            # Her back goes: first aid, and care mode one tap away.
            spasm = dana.say("my back just went into spasm", "Right now", with_buttons=True)
            assert [label for label, _ in buttons(spasm)] == ["🩹 Start care mode"]
            started = dana.tap(spasm, "Start care mode")
            assert "care mode" in started["text"], describe(started)
            assert "Do you have any of these?" in started["text"], describe(started)

            # Thanks gets a short line, not "I only know back care".
            thanks = dana.say("thanks!", "welcome")["text"]
            assert "only" not in thanks, thanks
    finally:
        dana.database.close()
    assert botapi.unknown_methods == []


def test_a_pause_in_words_holds_nudges_until_that_day(shared: SharedBot) -> None:
    """Pausing in words: "pause until friday" holds everything until Friday's wake-up."""
    dana = Dana(919_192, shared.botapi, shared.at(local("Mon 06:50")))
    try:
        with dana.running():
            dana.onboard()
            dana.run_until(local("Mon 09:00"))
            paused = dana.say("pause until friday", "Paused")["text"]
            assert f"Paused until {local('Fri 00:00'):%a %-d %b}" in paused, paused
            dana.run_until(local("Fri 07:00"))
            first_after = dana.database.next_due()
            assert first_after is not None
            dana.run_until(first_after.astimezone(dana.clock.zone))
    finally:
        dana.database.close()
    during = [n for n in dana.nudges if local("Mon 09:00") < n.at < local("Fri 07:00")]
    assert during == [], dana.timeline()
    assert [n for n in dana.nudges if n.at >= local("Fri 07:00")], dana.timeline()
