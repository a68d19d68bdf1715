"""End to end: one whole working day in Berlin on a driven clock, with a restart at lunch.

The real bot process reads the time from a file that this test moves from 05:00 to 23:59
local on Monday 2 June 2025 (Berlin is UTC+2), on a five-minute grid that also stops at each
time the bot's own schedule names, and after each move waits until the bot has sent
everything due (see `tests/support/driven.py`), so a whole day runs in a few seconds.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from time import monotonic

import pytest

from bot.wording.nudges import MISSED
from jobs.composer.decisions import MERGE_WINDOW
from storage.models import DeliveryStatus
from tests.support.botapi_stub import BotApiStub, describe
from tests.support.driven import STEP, DrivenBot, Nudge, Person, local, part_buttons

pytestmark = pytest.mark.e2e

log = logging.getLogger(__name__)

ANA = 606060
GOAL = 8  # 2000 ml in 250 ml glasses
SNOOZE = timedelta(minutes=10)

NUDGE_BUTTONS = {
    "water": ["+1 glass", "Snooze 30 min", "Skip"],
    "posture": ["Done", "Snooze 10 min", "Skip"],
    "stretch": ["▶️ Start", "Done", "Skip today"],
}
# What Ana presses on the n-th nudge of each kind that day; she lets the others be.
PLAN = {
    ("water", 1): "+1 glass",
    ("water", 2): "+1 glass",
    ("water", 3): "+1 glass",
    ("water", 4): "+1 glass",
    ("water", 6): "+1 glass",
    ("water", 7): "+1 glass",
    ("posture", 1): "Done",
    ("posture", 2): "Snooze 10 min",
    ("posture", 3): "Done",
    ("posture", 5): "Done",
    ("posture", 6): "Skip",
    ("posture", 7): "Done",
    ("posture", 8): "Done",
    ("stretch", 1): "Done",
}
CONGRATULATION = f"🎉 That's {GOAL} of {GOAL} glasses: today's goal is reached."
PROMISE = re.compile(r"[Nn]ext (?:one|reminder) (?P<when>(?:today|tomorrow) at \d\d:\d\d)")

DAY_START = local("05:00")
DAY_END = local("23:59")
DRANK_AT = local("16:00")
STOP_AT = local("14:10")  # the bot goes down here...
RESTART_AT = local("14:24")  # ...and comes back here, after a posture break fell due


@dataclass(frozen=True)
class Promise:
    """A reply's "next one at ..." for a kind, and when it was made."""

    kind: str
    made_at: datetime
    when: str


class Day(Person):
    """Ana's Monday: presses what the plan says, and keeps her glasses, breaks and promises."""

    def __init__(self, botapi: BotApiStub, bot: DrivenBot) -> None:
        super().__init__(ANA, botapi, bot)
        self.promises: list[Promise] = []
        self.glasses = 0
        self.goal_met_at: datetime | None = None
        self.breaks = 0

    def react(self, nudge: Nudge) -> None:
        """Check a nudge's text and buttons, then press what the plan says, if anything."""
        labels = [label for label, _ in part_buttons(nudge.message, nudge.kind)]
        assert labels == NUDGE_BUTTONS[nudge.topic], describe(nudge.message)
        if nudge.topic == "water":
            standing = (
                f"{self.glasses} of {GOAL} glasses so far today ({GOAL - self.glasses} to go)"
            )
            assert standing in nudge.text, describe(nudge.message)
        label = PLAN.get((nudge.topic, nudge.ordinal))
        if label is None:
            self.note(f"lets {nudge} be")
            return
        self.check_reply(nudge.topic, label, self.press(nudge, label))

    def check_reply(self, kind: str, label: str, reply: str) -> None:
        """Check what the bot said to a press, and keep the time it promised."""
        now = self.clock.now
        if label == "+1 glass":
            self.glasses += 1
            if self.glasses == GOAL:
                self.goal_met_at = now
                assert reply == f"{CONGRATULATION} No more water reminders today.", reply
                return
            assert reply.startswith(f"💧 Logged: {self.glasses} of {GOAL} glasses today."), reply
        elif kind == "stretch":
            assert reply.startswith("🧘 Stretch done, well done! Next one tomorrow at 19:0"), reply
        elif label == "Done":
            self.breaks += 1
            assert reply.startswith("🚶 Break logged. Next one "), reply
            following = now + timedelta(minutes=60)
            if following < local("17:00"):
                assert f"Next one today at {following:%H:%M}." in reply, reply
            else:
                assert "Next one tomorrow" in reply, f"no break after work hours: {reply}"
        elif label.startswith("Snooze"):
            assert reply == f"⏰ Snoozed: next one today at {now + SNOOZE:%H:%M}.", reply
        else:
            assert reply.startswith("Skipped: next one today at "), reply
        self.keep_promise(kind, reply)

    def keep_promise(self, kind: str, reply: str) -> None:
        """Remember the "next one at" a reply names, to check the bot keeps its word."""
        found = PROMISE.search(reply)
        assert found is not None, f"the reply names no next time: {reply}"
        self.promises.append(Promise(kind, self.clock.now, found["when"]))

    def onboard(self) -> str:
        """Set Ana up through /start: Berlin, awake 07:00-22:00, every nudge on, Done."""
        summary = super().onboard()
        for line in (
            "Time zone: Europe/Berlin",
            "Awake 07:00-22:00",
            "On: Water: 2000 ml a day in 250 ml glasses (8 glasses)",
            "On: Posture breaks: every 60 min, mon-fri 09:00-17:00",
            "On: Daily stretch at 19:00",
        ):
            assert line in summary, summary
        return summary


def test_a_working_day_in_berlin_is_nudged_on_time_and_survives_a_restart(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    started = monotonic()
    day = Day(botapi, DrivenBot.prepare(botapi, tmp_path, DAY_START))
    database = day.database
    try:
        with day.running():
            day.onboard()
            day.run_until(STOP_AT)

        # Down over lunch; a posture break falls due meanwhile, within its five-minute grace.
        due_while_down = [when for kind, when in database.schedule() if kind == "posture"]
        assert len(due_while_down) == 1
        assert STOP_AT < due_while_down[0] < RESTART_AT, database.schedule()
        before_restart = len(day.nudges)
        day.clock.move_to(RESTART_AT)

        with day.running():
            day.settle()
            after_restart = day.arrived()
            # The break due while the bot was down comes once, and nothing sent before repeats.
            assert [(n.topic, n.at) for n in after_restart] == [("posture", RESTART_AT)], (
                day.timeline()
            )
            assert len(day.nudges) == before_restart + 1
            for nudge in after_restart:
                day.react(nudge)

            day.run_until(DRANK_AT)
            reply = day.say("/drank 500", "Logged")["text"]
            day.glasses += 2  # 500 ml is two 250 ml glasses
            assert reply.startswith(f"💧 Logged: {day.glasses} of {GOAL} glasses today."), reply
            day.keep_promise("water", reply)

            day.run_until(DAY_END)
            summary = day.say("/today", "📅 Today")["text"]
        deliveries = database.deliveries()
    finally:
        database.close()
    elapsed = monotonic() - started
    log.info("Ana's Monday (%.1f s):\n%s", elapsed, day.story(NUDGE_BUTTONS))
    timeline = day.timeline()

    # Quiet hours: nothing before 07:00 or from 22:00 on.
    assert day.nudges, "the bot sent no nudge all day"
    assert all(local("07:00") <= nudge.at < local("22:00") for nudge in day.nudges), timeline

    # Posture breaks: only in work hours, about hourly, and a snoozed one ten minutes on.
    breaks = day.of_topic("posture")
    assert len(breaks) >= 6, timeline
    assert all(local("09:00") <= nudge.at < local("17:00") for nudge in breaks), timeline
    snoozed = [n for n in breaks if PLAN.get(("posture", n.ordinal), "").startswith("Snooze")]
    for earlier, later in itertools.pairwise(breaks):
        gap = later.at - earlier.at
        if earlier in snoozed:
            assert SNOOZE <= gap < SNOOZE + timedelta(minutes=1), (
                f"the snoozed break came back after {gap}\n{timeline}"
            )
        else:
            assert timedelta(minutes=50) <= gap <= timedelta(minutes=70), timeline

    # The stretch: once, within its per-user spread after 19:00.
    stretches = day.of_topic("stretch")
    assert len(stretches) == 1, timeline
    assert local("19:00") <= stretches[0].at <= local("19:10") + STEP, timeline

    # Water: spread over the day, never twice within an hour, none once the goal is met.
    water = day.of_topic("water")
    assert 6 <= len(water) <= 9, timeline
    assert water[0].at < local("09:00"), "the first glass waits too long after waking"
    for earlier, later in itertools.pairwise(water):
        assert later.at - earlier.at >= timedelta(hours=1), timeline
    assert day.goal_met_at is not None, timeline
    assert all(nudge.at <= day.goal_met_at for nudge in water), timeline
    said = [message.get("text", "") for message in botapi.sent(ANA)]
    assert sum(text.count(CONGRATULATION) for text in said) == 1, timeline

    # The bot keeps its word: each "next one at" is when the next nudge of that kind came
    # (or, for the break due during the restart, as soon as the bot was back), or up to a
    # quarter of an hour sooner, riding along with another nudge in one message.
    for promise in day.promises:
        following = [n for n in day.of_topic(promise.kind) if n.at > promise.made_at]
        if promise.when.startswith("tomorrow"):
            assert not following, f"{promise} yet {following[0]} came\n{timeline}"
            continue
        assert following, f"{promise} but nothing came\n{timeline}"
        promised = local(promise.when.removeprefix("today at "))
        came = following[0].at
        if STOP_AT <= promised < RESTART_AT:
            assert came == RESTART_AT, f"{promise}, came at {came}\n{timeline}"
        elif came < promised:
            early = [n for n in day.nudges if n.at == came and n.kind != following[0].kind]
            assert early, f"{promise}, came alone at {came:%H:%M:%S}\n{timeline}"
            assert promised - MERGE_WINDOW <= came, f"{promise}, came at {came:%H:%M:%S}"
        else:
            assert promised <= came < promised + timedelta(minutes=1), (
                f"{promise}, came at {came:%H:%M:%S}\n{timeline}"
            )

    # A nudge left unanswered is retired when the next of its kind comes: its buttons go,
    # so no live buttons are left on old nudges, and it says it was missed (unless another
    # part of its message was answered: that reply is in the text, which then stays).
    final = {message["message_id"]: message for message in botapi.sent(ANA)}
    pressed = {(n.message["message_id"], n.kind) for n in day.pressed}
    answered = {message_id for message_id, _ in pressed}
    retired = said_missed = 0
    for nudge in day.nudges:
        if (nudge.message["message_id"], nudge.kind) in pressed:
            continue
        if not any(n.kind == nudge.kind and n.at > nudge.at for n in day.nudges):
            continue
        now_shows = final[nudge.message["message_id"]]
        assert not part_buttons(now_shows, nudge.kind), f"{nudge} still has buttons\n{timeline}"
        if nudge.message["message_id"] not in answered:
            assert MISSED in now_shows["text"], f"{nudge} not marked missed\n{timeline}"
            said_missed += 1
        retired += 1
    assert retired, timeline
    assert said_missed, timeline

    # Nudges due together came as one message, and each part's buttons worked on their own.
    presses = Counter(n.message["message_id"] for n in day.pressed)
    assert any(count >= 2 for count in presses.values()), timeline

    # Once each: every nudge Ana saw is one sent delivery, and no slot was sent twice.
    sent = [d for d in deliveries if d.status is DeliveryStatus.SENT]
    assert [d for d in deliveries if d.status is not DeliveryStatus.SENT] == []
    assert sorted(d.message_id or 0 for d in sent) == sorted(
        {n.message["message_id"] for n in day.nudges}
    )  # parts share a message
    slots = [(d.kind, d.due_at) for d in sent]
    assert len(set(slots)) == len(slots), slots

    # /today at the end of the day sums it up, and every next nudge is tomorrow's.
    for line in (
        f"💧 Water: {GOAL} of {GOAL} glasses",
        f"🚶 Breaks taken: {day.breaks}",
        "🧘 Stretch: done ✅",
        "💧 Water: tomorrow at 07:",
        "🚶 Break: tomorrow at ",
        "🧘 Stretch: tomorrow at 19:0",
    ):
        assert line in summary, summary
    assert day.breaks == 5

    assert day.log_file.read_text().count("BackCare is up") == 2
    assert botapi.unknown_methods == []
    assert elapsed < 90, f"the day took {elapsed:.0f} s"
