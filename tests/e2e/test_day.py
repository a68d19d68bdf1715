"""End to end: one whole working day in Berlin on a driven clock, with a restart at lunch.

The real bot process reads the time from a file (`BACKCARE_CLOCK__FILE`) that this test
moves from 05:00 to 23:59 local on Monday 2 June 2025 (Berlin is UTC+2), and ticks every
50 ms. The clock moves on a five-minute grid and also stops at each time the bot's own
schedule names, so every nudge is seen at the moment it falls due. After each move the
test waits until the bot has caught up: nothing in its schedule is due any more and
nothing in its outbox is still pending. That barrier is read from the bot's database, so
the test never sleeps for a guessed tick latency and a whole day runs in a few seconds.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import monotonic, sleep
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.orm import Session

from storage.models import Delivery, DeliveryStatus, ScheduledNudge
from tests.botapi_stub import BotApiStub, JsonDict, buttons, describe, find_button
from tests.e2e.bot_process import bot_environment, running_bot

pytestmark = pytest.mark.e2e

log = logging.getLogger(__name__)

ANA = 606060
BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2025, 6, 2)
STEP = timedelta(minutes=5)
GOAL = 8  # 2000 ml in 250 ml glasses
SNOOZE = timedelta(minutes=10)
SETTLE_TIMEOUT = 10.0

NUDGE_BUTTONS = {
    "water": ["+1 glass", "Snooze 30 min", "Skip"],
    "posture": ["Done", "Snooze 10 min", "Skip"],
    "stretch": ["Done", "Skip today"],
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
PROMISE = re.compile(r"[Nn]ext (?:one|reminder) (?P<when>(?:Mon|Tue) \d\d:\d\d)")


def local(hh_mm: str) -> datetime:
    """Return a wall-clock time on the simulated Monday in Berlin."""
    return datetime.combine(MONDAY, time.fromisoformat(hh_mm), tzinfo=BERLIN)


DAY_START = local("05:00")
DAY_END = local("23:59")
DRANK_AT = local("16:00")
STOP_AT = local("14:10")  # the bot goes down here...
RESTART_AT = local("14:24")  # ...and comes back here, after a posture break fell due


class ClockFile:
    """The file the bot reads the time from: each move replaces it whole, with a newer mtime."""

    def __init__(self, path: Path, start: datetime) -> None:
        self.path = path
        self.now = start
        self._stamp = 0
        self.move_to(start)

    def move_to(self, moment: datetime) -> None:
        """Make `moment` (an aware datetime) the bot's current time."""
        partial = self.path.with_name(f"{self.path.name}.partial")
        partial.write_text(moment.isoformat())
        # The bot re-reads the file when its mtime_ns changes: never let two moves share one.
        stamp = max(partial.stat().st_mtime_ns, self._stamp + 1)
        os.utime(partial, ns=(stamp, stamp))
        os.replace(partial, self.path)
        self._stamp = stamp
        self.now = moment.astimezone(BERLIN)


class BotDatabase:
    """Read-only views of the bot's schedule and outbox, for the barrier and the final audit."""

    def __init__(self, path: Path) -> None:
        self.engine: Engine = create_engine(f"sqlite:///{path}")

    def caught_up(self, now: datetime) -> bool:
        """Tell whether the bot has sent everything due by now and recorded the sends."""
        with Session(self.engine) as session:
            due = session.scalar(select(func.min(ScheduledNudge.due_at)))
            pending = session.scalar(
                select(func.count())
                .select_from(Delivery)
                .where(Delivery.status == DeliveryStatus.PENDING)
            )
        return (due is None or due > now) and pending == 0

    def next_due(self) -> datetime | None:
        """Return when the bot's schedule next has something due."""
        with Session(self.engine) as session:
            return session.scalar(select(func.min(ScheduledNudge.due_at)))

    def schedule(self) -> list[tuple[str, datetime]]:
        """Return each scheduled nudge's kind and due time."""
        with Session(self.engine) as session:
            rows = session.scalars(select(ScheduledNudge).order_by(ScheduledNudge.due_at))
            return [(row.kind.value, row.due_at) for row in rows]

    def deliveries(self) -> list[Delivery]:
        """Return the whole outbox."""
        with Session(self.engine) as session:
            return list(session.scalars(select(Delivery).order_by(Delivery.id)))

    def close(self) -> None:
        """Close the connections."""
        self.engine.dispose()


@dataclass(frozen=True)
class Nudge:
    """A nudge as Ana saw it: its kind, the n-th of that kind today, and when it came."""

    kind: str
    ordinal: int
    at: datetime
    message: JsonDict

    def __str__(self) -> str:
        return f"{self.at:%H:%M:%S} {self.kind} #{self.ordinal}"


@dataclass(frozen=True)
class Promise:
    """A reply's "next one at ..." for a kind, and when it was made."""

    kind: str
    made_at: datetime
    when: str


class Day:
    """Ana's Monday: drives the clock, plays Ana, and keeps what she saw."""

    def __init__(
        self, botapi: BotApiStub, clock: ClockFile, database: BotDatabase, log_file: Path
    ) -> None:
        self.botapi = botapi
        self.clock = clock
        self.database = database
        self.log_file = log_file
        self.nudges: list[Nudge] = []
        self.promises: list[Promise] = []
        self.actions: list[str] = []
        self.glasses = 0
        self.goal_met_at: datetime | None = None
        self.breaks = 0
        self._seen = 0

    # -- time ----------------------------------------------------------------------------------

    def run_until(self, until: datetime) -> None:
        """Move the clock on to `until`, stopping on the grid and whenever something is due."""
        while self.clock.now < until:
            grid = DAY_START + ((self.clock.now - DAY_START) // STEP + 1) * STEP
            stop = min(grid, until)
            due = self.database.next_due()
            if due is not None and self.clock.now < due < stop:
                stop = due.astimezone(BERLIN)
            self.clock.move_to(stop)
            self.settle()
            for nudge in self.arrived():
                self.react(nudge)

    def settle(self) -> None:
        """Wait until the bot has sent everything due at the clock's time."""
        deadline = monotonic() + SETTLE_TIMEOUT
        while not self.database.caught_up(self.clock.now):
            if monotonic() > deadline:
                raise AssertionError(
                    f"at {self.clock.now:%H:%M:%S} the bot still has due or pending nudges: "
                    f"{self.database.schedule()}\n{self.timeline()}\n"
                    f"its log:\n{self.log_file.read_text()[-3000:]}"
                )
            sleep(0.01)

    # -- what Ana sees and does ----------------------------------------------------------------

    def arrived(self) -> list[Nudge]:
        """Return the nudges sent since the last look, as seen at the clock's time."""
        events = self.botapi.history(ANA)
        fresh, self._seen = events[self._seen :], len(events)
        found = []
        for event in fresh:
            kinds = {data.split(":")[1] for _, data in buttons(event.message) if "nud:" in data}
            if event.kind != "sent" or not kinds:
                continue
            assert len(kinds) == 1, describe(event.message)
            kind = kinds.pop()
            ordinal = 1 + sum(nudge.kind == kind for nudge in self.nudges)
            nudge = Nudge(kind, ordinal, self.clock.now, event.message)
            self.nudges.append(nudge)
            found.append(nudge)
        return found

    def react(self, nudge: Nudge) -> None:
        """Check a nudge's text and buttons, then press what the plan says, if anything."""
        labels = [label for label, _ in buttons(nudge.message)]
        assert labels == NUDGE_BUTTONS[nudge.kind], describe(nudge.message)
        if nudge.kind == "water":
            standing = (
                f"{self.glasses} of {GOAL} glasses so far today ({GOAL - self.glasses} to go)"
            )
            assert standing in nudge.message["text"], describe(nudge.message)
        label = PLAN.get((nudge.kind, nudge.ordinal))
        if label is None:
            self.actions.append(f"{self.clock.now:%H:%M:%S} lets {nudge} be")
            return
        mark = self.botapi.mark()
        self.botapi.press(ANA, nudge.message, find_button(nudge.message, label))
        edited = self.botapi.wait_for(
            lambda m: m["message_id"] == nudge.message["message_id"], chat_id=ANA, after=mark
        )
        assert edited["text"].startswith(nudge.message["text"]), describe(edited)
        assert not buttons(edited), f"the buttons stay on a handled nudge: {describe(edited)}"
        reply = edited["text"].removeprefix(nudge.message["text"]).strip()
        self.actions.append(f"{self.clock.now:%H:%M:%S} presses {label!r} on {nudge}: {reply}")
        self.check_reply(nudge.kind, label, reply)

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
            assert reply.startswith("🧘 Stretch done, well done! Next one Tue 19:0"), reply
        elif label == "Done":
            self.breaks += 1
            assert reply.startswith("🚶 Break logged. Next one "), reply
            following = now + timedelta(minutes=60)
            if following < local("17:00"):
                assert f"Next one {following:%a %H:%M}." in reply, reply
            else:
                assert "Next one Tue" in reply, f"no break after work hours: {reply}"
        elif label.startswith("Snooze"):
            assert reply == f"⏰ Snoozed: next one {now + SNOOZE:%a %H:%M}.", reply
        else:
            assert reply.startswith("Skipped: next one Mon "), reply
        self.keep_promise(kind, reply)

    def keep_promise(self, kind: str, reply: str) -> None:
        """Remember the "next one at" a reply names, to check the bot keeps its word."""
        found = PROMISE.search(reply)
        assert found is not None, f"the reply names no next time: {reply}"
        self.promises.append(Promise(kind, self.clock.now, found["when"]))

    def command(self, text: str, expected: str) -> str:
        """Send a command as Ana and return the bot's reply, which must contain `expected`."""
        mark = self.botapi.mark()
        self.botapi.send_text(ANA, text)
        reply = self.botapi.wait_for(chat_id=ANA, text=expected, after=mark)["text"]
        self.actions.append(f"{self.clock.now:%H:%M:%S} sends {text}: {reply}")
        return str(reply)

    def onboard(self) -> None:
        """Set Ana up through /start: Berlin, awake 07:00-22:00, every nudge on, Done."""
        mark = self.botapi.mark()
        self.botapi.send_text(ANA, "/start")
        zones = self.botapi.wait_for(chat_id=ANA, text="time zone", with_buttons=True, after=mark)
        mark = self.botapi.mark()
        self.botapi.press(ANA, zones, find_button(zones, "Berlin"))
        hours = self.botapi.wait_for(chat_id=ANA, text="awake", with_buttons=True, after=mark)
        mark = self.botapi.mark()
        self.botapi.press(ANA, hours, find_button(hours, "07:00–22:00"))
        choice = self.botapi.wait_for(chat_id=ANA, text="Which nudges", after=mark)
        assert [label[:1] for label, _ in buttons(choice)[:3]] == ["✅"] * 3, describe(choice)
        mark = self.botapi.mark()
        self.botapi.press(ANA, choice, find_button(choice, "Done"))
        summary = self.botapi.wait_for(chat_id=ANA, text="You're all set", after=mark)
        for line in (
            "Time zone: Europe/Berlin",
            "Awake 07:00-22:00",
            "On: Water: 2000 ml a day in 250 ml glasses (8 glasses)",
            "On: Posture breaks: every 60 min, mon-fri 09:00-17:00",
            "On: Daily stretch at 19:00",
        ):
            assert line in summary["text"], summary["text"]
        self._seen = len(self.botapi.history(ANA))

    # -- reading the day back ------------------------------------------------------------------

    def of_kind(self, kind: str) -> list[Nudge]:
        """Return the day's nudges of one kind, in order."""
        return [nudge for nudge in self.nudges if nudge.kind == kind]

    def timeline(self) -> str:
        """Describe the day so far: each nudge and each thing Ana did."""
        return "\n".join(["nudges:", *map(str, self.nudges), "Ana:", *self.actions])

    def schedule_by_kind(self) -> Iterator[str]:
        """Yield one line per kind: the local times its nudges came."""
        for kind in NUDGE_BUTTONS:
            yield f"{kind}: " + ", ".join(f"{n.at:%H:%M:%S}" for n in self.of_kind(kind))


def test_a_working_day_in_berlin_is_nudged_on_time_and_survives_a_restart(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    started = monotonic()
    clock = ClockFile(tmp_path / "clock.txt", DAY_START)
    database_path = tmp_path / "backcare.db"
    env = bot_environment(
        botapi,
        f"sqlite+aiosqlite:///{database_path}",
        BACKCARE_CLOCK__FILE=str(clock.path),
        BACKCARE_DELIVERY__TICK_SECONDS="0.05",
        BACKCARE_LOGGING__LEVEL="INFO",
    )
    log_file = tmp_path / "bot.log"
    database = BotDatabase(database_path)
    day = Day(botapi, clock, database, log_file)
    try:
        with running_bot(botapi, env, log_file):
            day.onboard()
            day.run_until(STOP_AT)

        # Down over lunch; a posture break falls due meanwhile, within its five-minute grace.
        due_while_down = [when for kind, when in database.schedule() if kind == "posture"]
        assert len(due_while_down) == 1
        assert STOP_AT < due_while_down[0] < RESTART_AT, database.schedule()
        before_restart = len(day.nudges)
        clock.move_to(RESTART_AT)

        with running_bot(botapi, env, log_file):
            day.settle()
            after_restart = day.arrived()
            # The break due while the bot was down comes once, and nothing sent before repeats.
            assert [(n.kind, n.at) for n in after_restart] == [("posture", RESTART_AT)], (
                day.timeline()
            )
            assert len(day.nudges) == before_restart + 1
            for nudge in after_restart:
                day.react(nudge)

            day.run_until(DRANK_AT)
            reply = day.command("/drank 500", "Logged")
            day.glasses += 2  # 500 ml is two 250 ml glasses
            assert reply.startswith(f"💧 Logged: {day.glasses} of {GOAL} glasses today."), reply
            day.keep_promise("water", reply)

            day.run_until(DAY_END)
            summary = day.command("/today", "📅 Today")
        deliveries = database.deliveries()
    finally:
        database.close()
    elapsed = monotonic() - started
    log.info(
        "Ana's Monday (%.1f s):\n%s\n%s",
        elapsed,
        "\n".join(day.schedule_by_kind()),
        day.timeline(),
    )
    timeline = day.timeline()

    # Quiet hours: nothing before 07:00 or from 22:00 on.
    assert day.nudges, "the bot sent no nudge all day"
    assert all(local("07:00") <= nudge.at < local("22:00") for nudge in day.nudges), timeline

    # Posture breaks: only in work hours, about hourly, and a snoozed one ten minutes on.
    breaks = day.of_kind("posture")
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
    stretches = day.of_kind("stretch")
    assert len(stretches) == 1, timeline
    assert local("19:00") <= stretches[0].at <= local("19:10") + STEP, timeline

    # Water: spread over the day, never twice within an hour, none once the goal is met.
    water = day.of_kind("water")
    assert 6 <= len(water) <= 9, timeline
    assert water[0].at < local("09:00"), "the first glass waits too long after waking"
    for earlier, later in itertools.pairwise(water):
        assert later.at - earlier.at >= timedelta(hours=1), timeline
    assert day.goal_met_at is not None, timeline
    assert all(nudge.at <= day.goal_met_at for nudge in water), timeline
    said = [message.get("text", "") for message in botapi.sent(ANA)]
    assert sum(text.count(CONGRATULATION) for text in said) == 1, timeline

    # The bot keeps its word: each "next one at" is when the next nudge of that kind came
    # (or, for the break due during the restart, as soon as the bot was back).
    for promise in day.promises:
        following = [n for n in day.of_kind(promise.kind) if n.at > promise.made_at]
        if promise.when.startswith("Tue"):
            assert not following, f"{promise} yet {following[0]} came\n{timeline}"
            continue
        assert following, f"{promise} but nothing came\n{timeline}"
        promised = local(promise.when.removeprefix("Mon "))
        came = following[0].at
        if STOP_AT <= promised < RESTART_AT:
            assert came == RESTART_AT, f"{promise}, came at {came}\n{timeline}"
        else:
            assert promised <= came < promised + timedelta(minutes=1), (
                f"{promise}, came at {came:%H:%M:%S}\n{timeline}"
            )

    # Once each: every nudge Ana saw is one sent delivery, and no slot was sent twice.
    sent = [d for d in deliveries if d.status is DeliveryStatus.SENT]
    assert [d for d in deliveries if d.status is not DeliveryStatus.SENT] == []
    assert sorted(d.message_id or 0 for d in sent) == sorted(
        n.message["message_id"] for n in day.nudges
    )
    slots = [(d.kind, d.due_at) for d in sent]
    assert len(set(slots)) == len(slots), slots

    # /today at the end of the day sums it up, and every next nudge is tomorrow's.
    for line in (
        f"💧 Water: {GOAL} of {GOAL} glasses",
        f"🚶 Breaks taken: {day.breaks}",
        "🧘 Stretch: done ✅",
        "💧 Water: Tue 07:",
        "🚶 Break: Tue ",
        "🧘 Stretch: Tue 19:0",
    ):
        assert line in summary, summary
    assert day.breaks == 5

    assert log_file.read_text().count("BackCare is up") == 2
    assert botapi.unknown_methods == []
    assert elapsed < 90, f"the day took {elapsed:.0f} s"
