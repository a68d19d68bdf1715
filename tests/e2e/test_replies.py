"""End to end: answers typed to what the bot just asked, through the real bot (issue 27).

Eve, in Berlin, starts care mode and puts ice on. When the bot says to take it off she types
"its off" rather than tapping: the session ends, and no "is it off?" follows. The next
morning she answers the pain check-in in words ("ugh like a 6 today"): it is logged as her
score, and /today shows it. She asks the bot to remind her about her tablets: it says
plainly that it can't, and touches no nudge.

Finn types in bursts, a few messages within seconds that are one thought: "drank a glass",
"and went for a walk" get one reply that says both. When the next message of a burst tells
of a warning sign, that is answered at once in a message of its own, and the reply above is
left as it was; what he types after it is answered apart.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.botapi_stub import buttons, describe
from tests.support.driven import Nudge, Person, SharedBot, local

pytestmark = pytest.mark.e2e

EVE = 929292
FINN = 939393
TAKEN_OFF = "✅ Noted, it's off."


class Eve(Person):
    """Someone who reads her nudges and answers them in words, never with the buttons."""

    def react(self, nudge: Nudge) -> None:
        self.note(f"reads {nudge}")


def test_answers_in_words_do_what_the_buttons_do(shared: SharedBot) -> None:
    botapi = shared.botapi
    eve = Eve(EVE, botapi, shared.at(local("Mon 06:50")))
    try:
        with eve.running():
            eve.onboard()
            eve.run_until(local("Mon 09:00"))
            first = eve.say("/flare", "care mode")
            plan = eve.tap(first, "No, none of these")
            eve.tap(plan, "Start ice now")

            # "Take it off": she types that it is off.
            eve.run_until(local("Mon 09:16"))
            [ice_off] = eve.of_topic("session_end")
            reply = eve.say("its off", TAKEN_OFF)["text"]
            assert reply.startswith(TAKEN_OFF), reply
            eve.run_until(local("Mon 10:00"))
            later = [n for n in eve.of_topic("session_end") if n.at > ice_off.at]
            assert later == [], eve.timeline()

            # A reminder she asks for that BackCare does not give.
            cannot = eve.say("can u remind me to take my tablets at 9", "I can't do that")
            assert "water" in cannot["text"], cannot["text"]

            # Tuesday's check-in, answered in words.
            eve.run_until(local("Tue 09:00"))
            assert eve.of_topic("pain_check"), eve.timeline()
            noted = eve.say("ugh like a 6 today", "Pain 6/10 noted")["text"]
            assert noted.startswith("📝 Pain 6/10 noted."), noted
            today = eve.say("/today", "📅 Today")["text"]
            assert "Pain: 6" in today, today
    finally:
        eve.database.close()
    assert botapi.unknown_methods == []
    assert timedelta(0) <= eve.clock.now - local("Tue 09:00") < timedelta(minutes=5)


def test_a_burst_is_answered_once_and_a_warning_sign_in_it_at_once_apart(
    shared: SharedBot,
) -> None:
    botapi = shared.botapi
    finn = Eve(FINN, botapi, shared.at(local("Mon 06:50")))
    try:
        with finn.running():
            finn.onboard()
            finn.run_until(local("Mon 10:00"))
            first = finn.say("drank a glass", "💧 Logged")
            both = finn.say("and went for a walk", "🚶 Break logged")
            # One reply covers the burst: the first, now saying both.
            assert both["message_id"] == first["message_id"], (first, both)
            assert both["text"].startswith(first["text"]), both["text"]
            assert [label for label, _ in buttons(both)] == ["↩️ Undo"], describe(both)
            # A warning sign in the next message of the burst: answered at once, apart.
            urgent = finn.say("oh and now i cant feel my legs", "emergency")
            assert urgent["message_id"] != first["message_id"]
            shown = [m for m in botapi.sent(FINN) if m["message_id"] == first["message_id"]]
            assert shown[-1]["text"] == both["text"], describe(shown[-1])
            # What follows it is not added above the warning's answer.
            after = finn.say("thanks", "")
            assert after["message_id"] not in (first["message_id"], urgent["message_id"])
    finally:
        finn.database.close()
    assert botapi.unknown_methods == []
