"""What the end-to-end tests on a driven clock share: the clock file, the bot's database, a person.

The real bot process reads the time from a file (`BACKCARE_CLOCK__FILE`) that a test moves,
and ticks every 50 ms. A `Person` is someone the test plays: they move the clock on a
five-minute grid that also stops at each time the bot's own schedule names, so every nudge is
seen at the moment it falls due. After each move the test waits until the bot has caught up:
nothing in its schedule is due any more and nothing in its outbox is still pending. That
barrier is read from the bot's database, so no test sleeps for a guessed tick latency.

A test that needs no bot of its own (no restart, no settings of its own) runs on a
`SharedBot`: one process for all such tests of a module, each test in a week of its own (its
`local("Mon 08:50")` is that week's Monday) with people of its own, whom the bot is told
have blocked it once the test ends, so that nothing of theirs is due in the next test's week.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from time import monotonic, sleep
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.orm import Session

from bot.telegram_io.sender import PART_MARK
from storage.models import Delivery, DeliveryStatus, NudgeKind, ScheduledNudge, User
from tests.support.bot_process import bot_environment, running_bot
from tests.support.botapi_stub import BotApiStub, JsonDict, buttons, describe, find_button
from tests.support.databases import migrated_sqlite

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2025, 6, 2)  # the simulated week starts on Monday 2 June 2025
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
STEP = timedelta(minutes=5)
SETTLE_TIMEOUT = 10.0
FAILED = "Sorry, something went wrong on my side."


class _Week:
    """The simulated week `local` reads times in: weeks after the one of MONDAY (on a
    `SharedBot`, each test has a week of its own)."""

    offset = 0


def local(when: str) -> datetime:
    """Return a wall-clock time in Berlin in the simulated week: `local("Tue 07:30")`.

    Without a weekday the time is on Monday: `local("07:30")`.
    """
    day, _, hh_mm = when.rpartition(" ")
    return datetime.combine(
        MONDAY + timedelta(weeks=_Week.offset, days=DAYS.index(day or "Mon")),
        time.fromisoformat(hh_mm),
        tzinfo=BERLIN,
    )


def when_said(said: str, *, now: datetime) -> datetime:
    """Read back a time as the bot says it at `now`: `today at 15:00`, `tomorrow at 07:00`,
    `Wed 4 Jun at 08:00` (a local time in `now`'s zone).
    """
    day, _, hh_mm = said.rpartition(" at ")
    today = now.date()
    if day == "today":
        on = today
    elif day == "tomorrow":
        on = today + timedelta(days=1)
    else:
        on = datetime.strptime(f"{day} {today.year} +0000", "%a %d %b %Y %z").date()
        if on < today - timedelta(days=180):  # said in late December of a date in January
            on = on.replace(year=on.year + 1)
    return datetime.combine(on, time.fromisoformat(hh_mm), tzinfo=now.tzinfo)


class ClockFile:
    """The file the bot reads the time from: each move replaces it whole, with a newer mtime."""

    def __init__(self, path: Path, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError(f"the clock needs an aware start, not {start}")
        self.path = path
        self.zone: tzinfo = start.tzinfo
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
        self.now = moment.astimezone(self.zone)


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

    def stored(self, telegram_id: int) -> bool:
        """Tell whether the bot keeps anyone with this Telegram id."""
        with Session(self.engine) as session:
            found = session.scalar(select(User.id).where(User.telegram_id == telegram_id))
            return found is not None

    def any_active(self, telegram_ids: Iterable[int]) -> bool:
        """Tell whether any of these people is stored and not marked as having left."""
        with Session(self.engine) as session:
            found = session.scalar(
                select(func.count())
                .select_from(User)
                .where(User.telegram_id.in_(list(telegram_ids)), User.active)
            )
            return bool(found)

    def close(self) -> None:
        """Close the connections."""
        self.engine.dispose()


@dataclass(frozen=True)
class DrivenBot:
    """One test's bot: its clock file, database, environment and log, under `tmp_path`;
    the process, when a `SharedBot` runs it for several tests."""

    clock: ClockFile
    database: BotDatabase
    env: dict[str, str]
    log_file: Path
    process: subprocess.Popen[bytes] | None = None

    @classmethod
    def prepare(cls, botapi: BotApiStub, tmp_path: Path, start: datetime) -> DrivenBot:
        """Put the clock at `start` and point a bot's environment at it and a fresh database."""
        clock = ClockFile(tmp_path / "clock.txt", start)
        database_path = tmp_path / "backcare.db"
        env = bot_environment(
            botapi,
            # Already at the newest schema: the bot's own migration at start-up finds nothing
            # to do (tests/e2e that start on an empty file keep that path tested).
            migrated_sqlite(database_path),
            BACKCARE_CLOCK__FILE=str(clock.path),
            BACKCARE_DELIVERY__TICK_SECONDS="0.05",
            BACKCARE_LOGGING__LEVEL="INFO",
        )
        return cls(clock, BotDatabase(database_path), env, tmp_path / "bot.log")


def nudge_kinds(message: JsonDict) -> list[str]:
    """Return the nudge kinds a bot message's buttons act on (`water`...), in order.

    Nudges due together go out as one message, each part with its own buttons.
    """
    kinds = [data.split(":")[1] for _, data in buttons(message) if data.startswith("nud:")]
    return list(dict.fromkeys(kinds))


def part_buttons(message: JsonDict, kind: str) -> list[tuple[str, str]]:
    """Return the buttons of one nudge in a message (the part acting on `kind`), their
    labels without the part's mark; in a message of several parts each word button must
    carry it ("💧 Skip"), the 0-10 scale's numbers need none."""
    mark = PART_MARK.get(NudgeKind(kind), "")
    merged = len(nudge_kinds(message)) > 1
    found = []
    for text, data in buttons(message):
        if not data.startswith(f"nud:{kind}:"):
            continue
        if merged and not text.isdigit():
            assert text.startswith(f"{mark} "), f"{text!r} lacks its part's mark {mark}"
        text = text.removeprefix(f"{mark} ")
        found.append((text, data))
    return found


def nudge_kind(message: JsonDict) -> str | None:
    """Return the one nudge kind a single-part message acts on, if it is a nudge."""
    kinds = nudge_kinds(message)
    if not kinds:
        return None
    assert len(kinds) == 1, describe(message)
    return kinds[0]


@dataclass(frozen=True)
class Nudge:
    """A nudge as the person saw it: what it is, the n-th of its topic, and when it came."""

    topic: str
    ordinal: int
    at: datetime
    message: JsonDict
    # The part of the message this nudge is: the kind its buttons act on.
    kind: str = ""

    @property
    def text(self) -> str:
        """Return the nudge's text as sent."""
        return str(self.message.get("text", self.message.get("caption", "")))

    def __str__(self) -> str:
        return f"{self.at:%a %H:%M:%S} {self.topic} #{self.ordinal}"


class Person:
    """Someone the test plays while it drives the clock: keeps what they saw and did.

    A subclass says what a nudge is (`topic_of`) and what the person does with one (`react`).
    """

    def __init__(self, user_id: int, botapi: BotApiStub, bot: DrivenBot) -> None:
        self.user_id = user_id
        self.botapi = botapi
        self.bot = bot
        self.clock = bot.clock
        self.database = bot.database
        self.log_file = bot.log_file
        self.nudges: list[Nudge] = []
        self.actions: list[str] = []
        self._seen = 0
        # Each message's text as last shown (a press adds its reply to it).
        self._texts: dict[int, str] = {}
        self.pressed: list[Nudge] = []

    def running(self) -> AbstractContextManager[subprocess.Popen[bytes]]:
        """Run the bot process (until the `with` block ends), or use the shared one."""
        if self.bot.process is not None:
            return nullcontext(self.bot.process)
        return running_bot(self.botapi, self.bot.env, self.log_file)

    def topic_of(self, message: JsonDict, kind: str) -> str | None:
        """Name one nudge in a bot message (the part whose buttons act on `kind`)."""
        return kind

    def react(self, nudge: Nudge) -> None:
        """Check a nudge that just came and do what the person does with it."""
        raise NotImplementedError

    # -- time ----------------------------------------------------------------------------------

    def run_until(self, until: datetime) -> None:
        """Move the clock on to `until`, stopping on the grid and whenever something is due."""
        while self.clock.now < until:
            now = self.clock.now
            midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
            grid = midnight + ((now - midnight) // STEP + 1) * STEP
            stop = min(grid, until)
            due = self.database.next_due()
            if due is not None and now < due < stop:
                stop = due.astimezone(self.clock.zone)
            self.clock.move_to(stop)
            self.catch_up()

    def due(self, kind: str) -> datetime:
        """Return when the bot's schedule next has a nudge of a kind due, on the clock's zone."""
        [when] = [when for name, when in self.database.schedule() if name == kind]
        return when.astimezone(self.clock.zone)

    def catch_up(self) -> None:
        """Let the bot send what is due now, and react to it (and to what that makes due)."""
        self.settle()
        while fresh := self.arrived():
            for nudge in fresh:
                self.react(nudge)
            self.settle()

    def settle(self) -> None:
        """Wait until the bot has sent everything due at the clock's time."""
        deadline = monotonic() + SETTLE_TIMEOUT
        while not self.database.caught_up(self.clock.now):
            if monotonic() > deadline:
                raise AssertionError(
                    f"at {self.clock.now:%a %H:%M:%S} the bot still has due or pending nudges: "
                    f"{self.database.schedule()}\n{self.timeline()}\n"
                    f"its log:\n{self.log_file.read_text()[-3000:]}"
                )
            sleep(0.01)

    # -- what the person sees and does ---------------------------------------------------------

    def arrived(self) -> list[Nudge]:
        """Return the nudges sent since the last look, as seen at the clock's time."""
        events = self.botapi.history(self.user_id)
        fresh, self._seen = events[self._seen :], len(events)
        found = []
        for event in fresh:
            if event.kind != "sent":
                continue
            shown = event.message.get("text", event.message.get("caption", ""))
            self._texts[event.message["message_id"]] = str(shown)
            for kind in nudge_kinds(event.message):
                topic = self.topic_of(event.message, kind)
                if topic is None:
                    continue
                ordinal = 1 + sum(nudge.topic == topic for nudge in self.nudges)
                nudge = Nudge(topic, ordinal, self.clock.now, event.message, kind)
                self.nudges.append(nudge)
                found.append(nudge)
        return found

    def note(self, action: str) -> None:
        """Keep something the person did, at the clock's time, for the timeline."""
        self.actions.append(f"{self.clock.now:%a %H:%M:%S} {action}")

    def press(self, nudge: Nudge, label: str) -> str:
        """Press a button of one nudge in a message; the bot keeps the text, adds its reply
        and drops that nudge's buttons (a merged message keeps the others'): return the reply.
        """
        message_id = nudge.message["message_id"]
        shown = self._texts[message_id]
        mark = self.botapi.mark()
        ours = [
            data
            for text, data in buttons(nudge.message)
            if data.startswith(f"nud:{nudge.kind}:") and text in _labelled(label)
        ]
        assert len(ours) == 1, f"{label!r} on the {nudge.kind} part of {describe(nudge.message)}"
        self.botapi.press(self.user_id, nudge.message, ours[0])
        edited = self.answer(lambda m: m["message_id"] == message_id, after=mark)
        assert edited["text"].startswith(shown), describe(edited)
        left = [data for _, data in buttons(edited) if data.startswith(f"nud:{nudge.kind}:")]
        assert not left, f"the buttons stay on a handled nudge: {describe(edited)}"
        self._texts[message_id] = str(edited["text"])
        self.pressed.append(nudge)
        reply = str(edited["text"]).removeprefix(shown).strip()
        self.note(f"presses {label!r} on {nudge}: {reply}")
        return reply

    def tap(self, message: JsonDict, label: str) -> JsonDict:
        """Press a button on a bot message and return the message as the bot edited it."""
        mark = self.botapi.mark()
        self.botapi.press(self.user_id, message, find_button(message, label))
        return self.answer(lambda m: m["message_id"] == message["message_id"], after=mark)

    def say(self, text: str, expected: str, *, with_buttons: bool = False) -> JsonDict:
        """Send a message and return the bot's reply, which must contain `expected`."""
        mark = self.botapi.mark()
        self.botapi.send_text(self.user_id, text)
        reply = self.answer(
            lambda m: expected in m.get("text", "") and (bool(buttons(m)) or not with_buttons),
            after=mark,
        )
        self.note(f"sends {text}: {reply['text']}")
        return reply

    def answer(self, wanted: Callable[[JsonDict], bool], *, after: int) -> JsonDict:
        """Wait for the bot's answer; fail at once, with its log, if it says it went wrong."""
        found = self.botapi.wait_for(
            lambda m: wanted(m) or m.get("text", "").startswith(FAILED),
            chat_id=self.user_id,
            after=after,
        )
        if not wanted(found):
            raise AssertionError(
                f"the bot failed on an update; its log:\n{self.log_file.read_text()[-4000:]}"
            )
        return found

    def onboard(self) -> str:
        """Set up through /start: Berlin, awake 07:00-22:00, every nudge on; return the summary.

        What the bot said before is not looked at again: `arrived` starts after it.
        """
        zones = self.say("/start", "time zone", with_buttons=True)
        hours = self.tap(zones, "Berlin")
        assert "awake" in hours["text"], describe(hours)
        choice = self.tap(hours, "07:00–22:00")
        assert "Which nudges" in choice["text"], describe(choice)
        assert [label[:1] for label, _ in buttons(choice)[:3]] == ["✅"] * 3, describe(choice)
        summary = self.tap(choice, "Done")
        assert "You're all set" in summary["text"], describe(summary)
        assert "Awake 07:00-22:00" in summary["text"], describe(summary)
        self._seen = len(self.botapi.history(self.user_id))
        return str(summary["text"])

    # -- reading it back -----------------------------------------------------------------------

    def of_topic(self, *topics: str) -> list[Nudge]:
        """Return the nudges of some topics, in order."""
        return [nudge for nudge in self.nudges if nudge.topic in topics]

    def timeline(self) -> str:
        """Describe what happened so far: each nudge and each thing the person did."""
        return "\n".join(["nudges:", *map(str, self.nudges), "actions:", *self.actions])

    def schedule_by_topic(self, topics: Iterable[str]) -> Iterator[str]:
        """Yield one line per topic: the local times its nudges came."""
        for topic in topics:
            times = ", ".join(f"{n.at:%a %H:%M:%S}" for n in self.of_topic(topic))
            yield f"{topic}: {times or '-'}"

    def story(self, topics: Iterable[str]) -> str:
        """Tell, for the log, when each topic's nudges came, then the whole timeline."""
        return "\n".join([*self.schedule_by_topic(topics), self.timeline()])


class SharedBot:
    """One bot process on a driven clock for several tests, each in a week of its own."""

    def __init__(self, botapi: BotApiStub, bot: DrivenBot) -> None:
        self.botapi = botapi
        self.bot = bot

    @classmethod
    @contextmanager
    def running(cls, botapi: BotApiStub, folder: Path) -> Iterator[SharedBot]:
        """Start a bot on a fresh database, its clock at the Sunday before MONDAY."""
        bot = DrivenBot.prepare(botapi, folder, local("Mon 00:00") - timedelta(days=1))
        try:
            with running_bot(botapi, bot.env, bot.log_file) as process:
                yield cls(botapi, replace(bot, process=process))
        finally:
            bot.database.close()

    @contextmanager
    def week(self) -> Iterator[SharedBot]:
        """Give a test the first whole week after the clock's time (`local` reads in it);
        when it ends, the people the bot sent to in it block the bot."""
        _Week.offset = 0
        _Week.offset = (self.bot.clock.now - local("Mon 00:00")).days // 7 + 1
        mark = self.botapi.mark()
        try:
            yield self
        finally:
            _Week.offset = 0
            self._let_go(mark)

    def at(self, start: datetime) -> DrivenBot:
        """Move the clock on to where a test starts (its time in its own week)."""
        if start < self.bot.clock.now:
            raise AssertionError(f"{start} is before the shared clock's {self.bot.clock.now}")
        self.bot.clock.move_to(start)
        return self.bot

    def _let_go(self, mark: int) -> None:
        """Have everyone the bot sent to since `mark` block it, and wait until it knows."""
        self.botapi.clear_faults()
        people = {
            int(event.message["chat"]["id"])
            for event in self.botapi.history()[mark:]
            if int(event.message["chat"]["id"]) > 0
        }
        for person in people:
            self.botapi.block(person)
        deadline = monotonic() + SETTLE_TIMEOUT
        while self.bot.database.any_active(people):
            if monotonic() > deadline:
                raise AssertionError(f"the bot did not take in that {people} left it")
            sleep(0.02)


def stopped_clock_environment(
    botapi: BotApiStub, database_url: str, clock: ClockFile, **extra: str
) -> dict[str, str]:
    """Return a bot's environment on a clock that moves only when the test moves it.

    The rate limit is paced on that clock, so it is off; ticks come every 0.2 s.
    """
    settings = {
        "BACKCARE_CLOCK__FILE": str(clock.path),
        "BACKCARE_DELIVERY__MESSAGES_PER_SECOND": "0",
        "BACKCARE_DELIVERY__TICK_SECONDS": "0.2",
        "BACKCARE_LOGGING__LEVEL": "INFO",
    }
    return bot_environment(botapi, database_url, **{**settings, **extra})


def _labelled(label: str) -> set[str]:
    """A button's label alone, and as a merged message shows it, after its part's mark."""
    return {label, *(f"{mark} {label}" for mark in PART_MARK.values())}
