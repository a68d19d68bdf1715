"""End to end: an ordinary week in Berlin on a driven clock, Monday 05:00 to Sunday midnight.

Ben has no flare. He works Monday to Friday 09:00-17:00, is awake 07:00-22:00, and answers
the way people do: some glasses logged, some breaks taken, a stretch every other day. On
Wednesday he is swamped and lets every water nudge pass until the bot offers to pause them
for the day, which he takes. The week measures what the calm plan promises on an ordinary
week: messages per day within the daily budget, nothing at night, no line twice in one
message, no live buttons left on a nudge that has passed, water wordings that change, and a
slower rhythm for a kind left unanswered that an answer brings back. The per-day figures
are in the test's log (`pytest tests/e2e/test_week.py -s --log-cli-level=INFO`).
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter, defaultdict
from datetime import datetime, time, timedelta
from pathlib import Path
from time import monotonic

import pytest

from bot.wording.nudges import MISSED, REST_TODAY_LABEL
from storage.models import DeliveryStatus, NudgeKind
from tests.support.botapi_stub import BotApiStub, describe
from tests.support.driven import DAYS, DrivenBot, Nudge, Person, local, part_buttons

pytestmark = pytest.mark.e2e

log = logging.getLogger(__name__)

BEN = 808080
DAILY_BUDGET = 16
SLOWER_GAP = timedelta(hours=2)
WEEK_START = local("Mon 05:00")
WEEK_END = local("Sun 23:59")
BUSY_DAY = "Wed"
WORK_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
STRETCH_DAYS = ("Mon", "Wed", "Fri", "Sun")
GLASSES_LOGGED = 5  # of each day's water nudges, Ben answers the first five


class Week(Person):
    """Ben's week: answers by day and by the n-th nudge of a kind that day."""

    def __init__(self, botapi: BotApiStub, bot: DrivenBot) -> None:
        super().__init__(BEN, botapi, bot)
        self.today: Counter[tuple[str, str]] = Counter()
        self.offers: Counter[tuple[str, str]] = Counter()
        self.rested_at: datetime | None = None

    def react(self, nudge: Nudge) -> None:
        """Count the nudge in its day, then press what Ben presses on it, if anything."""
        day = f"{nudge.at:%a}"
        self.today[day, nudge.topic] += 1
        nth = self.today[day, nudge.topic]
        labels = [label for label, _ in part_buttons(nudge.message, nudge.kind)]
        label: str | None = None
        if day == BUSY_DAY:
            # Swamped: lets everything pass, until water's second offer of a pause.
            offers = self.offers[day, nudge.topic] = self.offers[day, nudge.topic] + (
                REST_TODAY_LABEL in labels
            )
            label = REST_TODAY_LABEL if nudge.topic == "water" and offers == 2 else None
        elif nudge.topic == "water":
            label = "+1 glass" if nth <= GLASSES_LOGGED else None
        elif nudge.topic == "posture":
            label = "Done" if nth % 2 else None
        elif nudge.topic == "stretch" and day in STRETCH_DAYS:
            label = "Done"
        if label is None:
            self.note(f"lets {nudge} be")
            return
        reply = self.press(nudge, label)
        if label == REST_TODAY_LABEL:
            assert "tomorrow" in reply or "Thu" in reply, reply
            self.rested_at = nudge.at


def test_an_ordinary_week_stays_within_budget_calm_and_varied(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    started = monotonic()
    ben = Week(botapi, DrivenBot.prepare(botapi, tmp_path, WEEK_START))
    database = ben.database
    try:
        with ben.running():
            ben.onboard()
            ben.run_until(WEEK_END)
        deliveries = database.deliveries()
    finally:
        database.close()
    elapsed = monotonic() - started
    timeline = ben.timeline()
    messages = {n.message["message_id"]: n for n in ben.nudges}
    final = {message["message_id"]: message for message in botapi.sent(BEN)}

    # Per day: messages, the nudges in them by kind, and what became of them.
    per_day: Counter[str] = Counter(f"{n.at:%a}" for n in messages.values())
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for nudge in ben.nudges:
        kinds[f"{nudge.at:%a}"][nudge.topic] += 1
    pressed = {(n.message["message_id"], n.kind) for n in ben.pressed}
    live: list[Nudge] = []
    duplicate_lines = 0
    for nudge in ben.nudges:
        passed = any(n.kind == nudge.kind and n.at > nudge.at for n in ben.nudges)
        key = (nudge.message["message_id"], nudge.kind)
        if passed and key not in pressed and part_buttons(final[key[0]], nudge.kind):
            live.append(nudge)
    for first in messages.values():
        lines = [line for line in str(first.message["text"]).splitlines() if line]
        duplicate_lines += len(lines) - len(set(lines))
    rows = [
        f"{day}: {per_day[day]} messages "
        f"({kinds[day]['water']} water, {kinds[day]['posture']} breaks, "
        f"{kinds[day]['stretch']} stretch)"
        for day in DAYS
    ]
    log.info(
        "Ben's week (%.1f s): live buttons on missed nudges %d, duplicate lines %d\n%s\n%s",
        elapsed,
        len(live),
        duplicate_lines,
        "\n".join(rows),
        ben.story(("water", "posture", "stretch")),
    )

    # Every day is within the budget, and every day has its nudges.
    assert all(0 < per_day[day] <= DAILY_BUDGET for day in DAYS), rows
    # Nothing at night; breaks only on work days in work hours.
    assert all(time(7) <= n.at.time() < time(22) for n in ben.nudges), timeline
    for nudge in ben.of_topic("posture"):
        assert f"{nudge.at:%a}" in WORK_DAYS, timeline
        assert time(9) <= nudge.at.time() < time(17), timeline
    # One stretch a day, every day.
    assert all(kinds[day]["stretch"] == 1 for day in DAYS), rows
    # No line twice in a message; nothing that has passed keeps its buttons.
    assert duplicate_lines == 0, timeline
    assert not live, [describe(final[n.message["message_id"]]) for n in live]
    missed = [
        n for n in ben.nudges if MISSED in str(final[n.message["message_id"]].get("text", ""))
    ]
    assert missed, timeline

    # Water's wording changes through the week: no one reads the same words all day.
    water_texts = Counter(n.text.split("\n", 1)[1] for n in ben.of_topic("water"))
    assert len(water_texts) >= 4, water_texts
    assert max(water_texts.values()) <= len(ben.of_topic("water")) // 2, water_texts

    # Wednesday: after three left in a row, a kind comes at most every two hours and offers a
    # pause for the day; Ben takes it for water at the second offer, and no water comes until
    # Thursday, which starts afresh: nothing from Wednesday counts against a new day.
    def on(day: str, topic: str) -> list[Nudge]:
        return [n for n in ben.of_topic(topic) if f"{n.at:%a}" == day]

    for topic in ("water", "posture"):
        busy = on(BUSY_DAY, topic)
        offering = [i for i, n in enumerate(busy) if REST_TODAY_LABEL in str(n.message)]
        assert offering[0] == 3, timeline  # the fourth, after three left in a row
        assert offering == list(range(3, len(busy))), timeline
        for earlier, later in itertools.pairwise(busy[3:]):
            assert later.at - earlier.at >= SLOWER_GAP, timeline
    water = on(BUSY_DAY, "water")
    assert ben.rested_at == water[4].at == water[-1].at, timeline
    for topic in ("water", "posture"):
        thursday = on("Thu", topic)
        assert REST_TODAY_LABEL not in str(thursday[0].message), describe(thursday[0].message)
        gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(thursday)]
        assert max(gaps) < SLOWER_GAP, timeline  # the usual rhythm again
    assert on("Thu", "water")[0].at < local("Thu 09:00"), timeline
    # Evenings left to pass on other days do not slow the next morning down either.
    assert not [
        n for n in ben.nudges if REST_TODAY_LABEL in str(n.message) and f"{n.at:%a}" != BUSY_DAY
    ], timeline

    # Once each: every nudge Ben saw is one sent delivery, and no slot was sent twice.
    sent = [d for d in deliveries if d.status is DeliveryStatus.SENT]
    assert [d for d in deliveries if d.status is not DeliveryStatus.SENT] == []
    # The week ends with its summary: one, Sunday at 18:00, a chart with no buttons.
    [summary] = [d for d in sent if d.kind is NudgeKind.WEEKLY_SUMMARY]
    assert local("Sun 18:00") <= summary.created_at.astimezone(local("Sun 18:00").tzinfo)
    assert summary.created_at.astimezone(local("Sun 18:00").tzinfo) < local("Sun 18:15")
    sent = [d for d in sent if d is not summary]
    assert sorted(d.message_id or 0 for d in sent) == sorted(messages)
    slots = [(d.kind, d.due_at) for d in sent]
    assert len(set(slots)) == len(slots), slots
    assert botapi.unknown_methods == []
    assert elapsed < 240, f"the week took {elapsed:.0f} s"
