"""Dispatcher throughput to a local Bot API stand-in, through the real sending path.

Throughput goes through the real path: `Dispatcher` + `TelegramSender` + the PTB bot that
`build_application` builds, pointed at `tests.support.fast_botapi` in a process of its own, with
the rate limit off, among 100k people. To show where the time goes it also times each
phase of the ticks (they overlap: a batch is sent while the next is claimed), the database
side alone (a Sender that answers at once), the path before (PTB's `send_message` over
httpx), the Telegram side alone (the sender, PTB, bare httpx, a bare socket) and a few
settings.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import ExtBot

from bench import population, report
from bench.population import T0
from bot.app import build_application
from bot.settings import load_settings
from bot.telegram_io.sender import BackCareBot, TelegramSender, nudge_markup
from bot.wording.answers import ANSWER_WORDS
from bot.wording.nudges import NudgeTexts
from guidance import Guide
from jobs.composer.nudge import NudgeMessage
from jobs.delivery.clock import Clock
from jobs.delivery.contracts import OutboxSettings, TickReport
from jobs.delivery.outbox import Outbox
from jobs.delivery.sending import Sender
from jobs.rules import planning
from jobs.services.planner import NudgePlanner
from storage.database import create_engine, create_sessionmaker
from storage.models import Delivery, DeliveryStatus, NudgeKind, ScheduledNudge
from tests.support.fast_botapi import FastBotApi, load_test

TOKEN = "123456789:AAE-backcare-bench-token"
THROUGHPUT_USERS = 100_000
THROUGHPUT_DUE = 20_000
VARIANT_DUE = 2_000
DB_ONLY_DUE = 10_000
SEND_ONLY = 1_000
THROUGHPUT_TARGET = 2000.0
MAIN_RUNS = 3
UNLIMITED = OutboxSettings(messages_per_second=0)


class RunningClock:
    """Real time, moved to start at a chosen instant (so every zone is in its work hours)."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.origin = time.perf_counter()

    def now(self) -> datetime:
        """Return the shifted current time."""
        return self.start + timedelta(seconds=time.perf_counter() - self.origin)


class SteppedClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        """Return the time it was last set to."""
        return self.current


class InstantSender:
    """A Sender that answers at once, noting when each (chat, kind) was first sent."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.sent: dict[tuple[int, NudgeKind], datetime] = {}
        self.message_id = 0
        self.edits = 0

    async def send(self, chat_id: int, message: NudgeMessage) -> int:
        """Note the send and return a fresh message id."""
        for part in message.parts:  # nudges due together go out as one message
            self.sent.setdefault((chat_id, part.kind), self.clock.now())
        self.message_id += 1
        return self.message_id

    async def edit(
        self, chat_id: int, message_id: int, message: NudgeMessage, with_text: bool
    ) -> None:
        """Count an edit of an earlier nudge (the bench sends each person one nudge)."""
        del chat_id, message_id, message, with_text
        self.edits += 1


_TEXTS: list[NudgeTexts] = []


def texts() -> NudgeTexts:
    """Return the nudge texts from the knowledge base (loaded once)."""
    if not _TEXTS:
        _TEXTS.append(NudgeTexts(Guide.load(words=ANSWER_WORDS)))
    return _TEXTS[0]


def outbox(
    sessionmaker: async_sessionmaker[AsyncSession],
    sender: Sender,
    clock: Clock,
    settings: OutboxSettings,
) -> Outbox:
    """Build the real outbox with the real nudge planner (its ticks report their phases)."""
    return Outbox(sessionmaker, sender, clock, NudgePlanner(texts().choices), settings)


@asynccontextmanager
async def plain_bot(base_url: str) -> AsyncIterator[ExtBot[None]]:
    """Give a bot as PTB builds it by default (httpx), initialised against the stand-in."""
    bot: ExtBot[None] = ExtBot(TOKEN, base_url=base_url)
    await bot.initialize()
    try:
        yield bot
    finally:
        await bot.shutdown()


@asynccontextmanager
async def real_bot(base_url: str) -> AsyncIterator[BackCareBot]:
    """Give the bot the application builds, initialised against the stand-in."""
    settings = load_settings(telegram={"token": TOKEN, "api_base_url": base_url})
    bot = build_application(settings).bot
    await bot.initialize()
    try:
        yield bot
    finally:
        await bot.shutdown()


# -- throughput ---------------------------------------------------------------------------


@dataclass(slots=True)
class Throughput:
    """What one throughput run measured."""

    label: str
    sent: int
    seconds: float
    phases: TickReport
    own_cpu: float
    api_cpu: float

    @property
    def rate(self) -> float:
        """Return nudges sent per second."""
        return self.sent / self.seconds

    def per_nudge_us(self, seconds: float) -> float:
        """Return a duration per nudge sent, in microseconds."""
        return seconds / max(self.sent, 1) * 1e6


async def _count_sent(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        found = await session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.status == DeliveryStatus.SENT)
        )
    return int(found or 0)


async def throughput(
    backend: str,
    api: FastBotApi,
    *,
    label: str,
    due: int,
    sender: Callable[[Clock], Sender],
    settings: OutboxSettings = UNLIMITED,
) -> Throughput:
    """Make `due` rows due at once among 100k people and time the ticks that send them all."""
    url = await population.copy_of(backend, THROUGHPUT_USERS)
    engine = create_engine(url)
    try:
        await population.make_due(url, population.due_now(THROUGHPUT_USERS, due), at=T0)
        sessionmaker = create_sessionmaker(engine)
        clock = RunningClock(T0)
        worker = outbox(sessionmaker, sender(clock), clock, settings)
        api.reset()
        api_cpu, own_cpu = api.cpu_seconds(), time.process_time()
        total = TickReport()
        started = time.perf_counter()
        # People whose own nudges come due meanwhile (the clock runs) are sent and counted too.
        while total.sent + total.failed < due:
            tick = await worker.tick()
            total.add(tick)
            if tick.sent + tick.failed + tick.retried == 0:
                break
        seconds = time.perf_counter() - started
        if total.failed or total.retried:
            raise AssertionError(f"{backend} {label}: {total}")
        recorded = await _count_sent(sessionmaker)
        if recorded != total.sent:
            raise AssertionError(f"{backend} {label}: {total.sent} sent, {recorded} recorded")
        return Throughput(
            label=label,
            sent=total.sent,
            seconds=seconds,
            phases=total,
            own_cpu=time.process_time() - own_cpu,
            api_cpu=api.cpu_seconds() - api_cpu,
        )
    finally:
        await engine.dispose()
        await population.discard(url)


def _print_throughput(backend: str, runs: Sequence[Throughput]) -> None:
    rows = []
    for run in runs:
        phases = run.phases
        rows.append(
            [
                run.label,
                f"{run.sent:,}",
                f"{run.seconds:.1f}",
                f"{run.rate:,.0f}",
                f"{run.per_nudge_us(phases.claim_s):.0f}",
                f"{run.per_nudge_us(phases.send_s):.0f}",
                f"{run.per_nudge_us(phases.record_s):.0f}",
                f"{run.per_nudge_us(phases.leftovers_s):.0f}",
                f"{run.own_cpu / run.seconds:.0%}",
                f"{run.api_cpu / run.seconds:.0%}",
            ]
        )
    print(
        f"\n  dispatch throughput on {backend}, 100k people, rate limit off "
        "(phases overlap: a batch is sent while the next is claimed):"
    )
    print(
        report.table(
            [
                "  run",
                "sent",
                "s",
                "nudges/s",
                "claim µs/n",
                "send µs/n",
                "record µs/n",
                "sweep µs/n",
                "bench CPU",
                "stand-in CPU",
            ],
            rows,
        )
    )


def _real(bot: BackCareBot) -> Callable[[Clock], Sender]:
    return lambda _clock: TelegramSender(bot, texts())


class PlainPtbSender:
    """The path before: PTB's `send_message` (a full Message back) over its default httpx."""

    def __init__(self, bot: ExtBot[None]) -> None:
        self.bot = bot

    async def send(self, chat_id: int, message: NudgeMessage) -> int:
        """Send with send_message and return the message id."""
        sent = await self.bot.send_message(
            chat_id, texts().say(message), reply_markup=nudge_markup(texts().labelled(message))
        )
        return sent.message_id

    async def edit(
        self, chat_id: int, message_id: int, message: NudgeMessage, with_text: bool
    ) -> None:
        """Not measured: the bench sends each person one nudge, so nothing is retired."""
        del chat_id, message_id, message, with_text


async def _throughput_runs(
    backend: str, api: FastBotApi, bot: BackCareBot, plain: ExtBot[None]
) -> list[Throughput]:
    real = _real(bot)
    # This VM's figures vary by ±20 % from run to run: the main figure is a median of three.
    runs = [
        await throughput(
            backend,
            api,
            label=f"real path, default settings, run {number}",
            due=THROUGHPUT_DUE,
            sender=real,
        )
        for number in range(1, MAIN_RUNS + 1)
    ]
    variants = (
        ("  concurrency 4", OutboxSettings(messages_per_second=0, concurrency=4)),
        ("  concurrency 32", OutboxSettings(messages_per_second=0, concurrency=32)),
    )
    for label, settings in variants:
        runs.append(
            await throughput(
                backend, api, label=label, due=VARIANT_DUE, sender=real, settings=settings
            )
        )
    runs.append(
        await throughput(
            backend,
            api,
            label="  before: send_message over httpx",
            due=VARIANT_DUE,
            sender=lambda _clock: PlainPtbSender(plain),
        )
    )
    runs.append(
        await throughput(
            backend, api, label="database side only", due=DB_ONLY_DUE, sender=InstantSender
        )
    )
    return runs


# -- the Telegram side alone ----------------------------------------------------------------


async def _gathered(count: int, concurrency: int, one: Callable[[int], Awaitable[None]]) -> float:
    gate = asyncio.Semaphore(concurrency)

    async def run(index: int) -> None:
        async with gate:
            await one(index)

    started = time.perf_counter()
    await asyncio.gather(*(run(index) for index in range(count)))
    return count / (time.perf_counter() - started)


async def send_side(
    api: FastBotApi, bot: BackCareBot, plain: ExtBot[None]
) -> list[tuple[str, float, float]]:
    """Time the Telegram side alone: the sender, PTB's send_message, bare clients."""
    message = texts().choices.posture(due_at=T0, zone=ZoneInfo("Europe/Berlin"))
    markup = nudge_markup(texts().labelled(message))
    body = {"text": texts().say(message), "reply_markup": '{"inline_keyboard":[]}'}
    rows: list[tuple[str, float, float]] = []

    async def measure(label: str, concurrency: int, one: Callable[[int], Awaitable[None]]) -> None:
        cpu = time.process_time()
        rate = await _gathered(SEND_ONLY, concurrency, one)
        rows.append((label, rate, (time.process_time() - cpu) / SEND_ONLY * 1e6))

    def by_sender(sender: Sender) -> Callable[[int], Awaitable[None]]:
        async def one(index: int) -> None:
            await sender.send(population.chat_id(index + 1), message)

        return one

    def by_send_message(ptb: ExtBot[Any]) -> Callable[[int], Awaitable[None]]:
        async def one(index: int) -> None:
            await ptb.send_message(
                population.chat_id(index + 1), body["text"], reply_markup=markup
            )

        return one

    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=256)) as client:
        url = f"{api.base_url}{TOKEN}/sendMessage"

        async def by_httpx(index: int) -> None:
            answer = await client.post(url, data={"chat_id": str(index), **body})
            answer.json()

        for concurrency in (8, 32):
            at_once = f", {concurrency} at once"
            await measure(
                f"TelegramSender (the bot's){at_once}",
                concurrency,
                by_sender(TelegramSender(bot, texts())),
            )
            await measure(
                f"PTB send_message, lean client{at_once}", concurrency, by_send_message(bot)
            )
            await measure(
                f"PTB send_message, httpx (PTB's default){at_once}",
                concurrency,
                by_send_message(plain),
            )
            await measure(f"bare httpx POST{at_once}", concurrency, by_httpx)
    cpu = time.process_time()
    rate = await load_test(api.port, requests=SEND_ONLY * 4, connections=1)
    rows.append(
        (
            "bare asyncio socket, 1 connection",
            rate,
            (time.process_time() - cpu) / (SEND_ONLY * 4) * 1e6,
        )
    )
    api.reset()
    return rows


# -- what a claim costs in the database -----------------------------------------------------


async def claim_costs(backend: str) -> dict[str, float]:
    """Time two parts of a claim: the outbox insert (ORM or Core) and the urgent-rows query."""
    url = await population.copy_of(backend, THROUGHPUT_USERS)
    engine = create_engine(url)
    figures: dict[str, float] = {}
    try:
        await population.make_due(url, population.due_now(THROUGHPUT_USERS, THROUGHPUT_DUE), at=T0)
        sessionmaker = create_sessionmaker(engine)
        rows = [
            {
                "user_id": user_id,
                "kind": NudgeKind.WATER,
                "due_at": T0,
                "status": DeliveryStatus.PENDING,
                "attempts": 0,
                "lease_until": T0,
                "payload": texts()
                .choices.water(glasses=2, goal=8, due_at=T0, zone=ZoneInfo("UTC"))
                .to_payload(),
            }
            for user_id in range(1, 501)
        ]
        for attempt in range(2):  # the first of each warms the statement caches
            async with sessionmaker.begin() as session:
                started = time.perf_counter()
                session.add_all([Delivery(**row) for row in rows])
                await session.flush()
                figures["orm_flush_500_ms"] = (time.perf_counter() - started) * 1000
            async with sessionmaker.begin() as session:
                started = time.perf_counter()
                result = await session.execute(
                    insert(Delivery).returning(Delivery.id, Delivery.user_id), rows
                )
                ids = dict((user_id, delivery_id) for delivery_id, user_id in result)
                figures["core_insert_500_ms"] = (time.perf_counter() - started) * 1000
            if len(ids) != len(rows):
                raise AssertionError(f"attempt {attempt}: {len(ids)} ids for {len(rows)} rows")
        critical = getattr(planning, "TIME_CRITICAL", None)
        if critical:
            is_critical = ScheduledNudge.kind.in_(critical)
            for name, condition in (("urgent", is_critical), ("regular", ~is_critical)):
                query = (
                    select(ScheduledNudge)
                    .where(ScheduledNudge.due_at <= T0, condition)
                    .order_by(ScheduledNudge.due_at)
                    .limit(500)
                    .with_for_update(skip_locked=True)
                )
                timings = []
                for _ in range(3):
                    async with sessionmaker.begin() as session:
                        started = time.perf_counter()
                        (await session.scalars(query)).all()
                        timings.append((time.perf_counter() - started) * 1000)
                figures[f"{name}_claim_query_ms"] = min(timings)
    finally:
        await engine.dispose()
        await population.discard(url)
    return figures


# -- the suite ------------------------------------------------------------------------------


async def _run() -> dict[str, float]:
    figures: dict[str, float] = {}
    backends = await population.backends()
    with FastBotApi() as api:
        capacity = await load_test(api.port, requests=20_000, connections=32)
        api.reset()
        figures["stand_in_sendMessage_per_s"] = capacity
        report.record("stand_in_capacity", capacity)
        print(f"  stand-in alone: {capacity:,.0f} sendMessage/s (32 keep-alive clients)")
        async with real_bot(api.base_url) as bot, plain_bot(api.base_url) as plain:
            print("\n  the Telegram side alone (no database), to the stand-in:")
            sides = await send_side(api, bot, plain)
            print(
                report.table(
                    ["  client", "requests/s", "CPU µs/request"],
                    [[label, f"{rate:,.0f}", f"{cpu:,.0f}"] for label, rate, cpu in sides],
                )
            )
            for label, rate, _cpu in sides:
                report.record(f"send_side[{label}]", rate)
            for backend in backends:
                started = time.perf_counter()
                await population.template(backend, THROUGHPUT_USERS)
                print(
                    f"\n  {backend}: 100k people ready in {time.perf_counter() - started:.1f} s",
                    flush=True,
                )
                runs = await _throughput_runs(backend, api, bot, plain)
                _print_throughput(backend, runs)
                rates = sorted(run.rate for run in runs[:MAIN_RUNS])
                median = statistics.median(rates)
                print(
                    f"  real path on {backend}: median {median:,.0f} nudges/s "
                    f"(runs from {rates[0]:,.0f} to {rates[-1]:,.0f})"
                )
                figures[f"{backend}_nudges_per_s"] = median
                figures[f"{backend}_nudges_per_s_lowest"] = rates[0]
                report.record(f"{backend}.throughput", median)
                report.record(f"{backend}.throughput_lowest", rates[0])
                for run in runs[MAIN_RUNS:]:
                    key = run.label.strip()
                    figures[f"{backend}_nudges_per_s[{key}]"] = run.rate
                    report.record(f"{backend}.throughput[{key}]", run.rate)
                costs = await claim_costs(backend)
                print(
                    f"  claim costs on {backend}: 500 deliveries by ORM add+flush "
                    f"{costs['orm_flush_500_ms']:.0f} ms, by one Core INSERT…RETURNING "
                    f"{costs['core_insert_500_ms']:.0f} ms; with {THROUGHPUT_DUE:,} rows due, "
                    f"the urgent-rows query takes {costs.get('urgent_claim_query_ms', 0):.1f} ms "
                    f"and the regular one {costs.get('regular_claim_query_ms', 0):.1f} ms"
                )
                for name, value in costs.items():
                    figures[f"{backend}_{name}"] = value
                    report.record(f"{backend}.{name}", value)
    return figures


def run() -> dict[str, float]:
    """Measure dispatch throughput (rate limit off) per backend, and where its time goes."""
    return asyncio.run(_run())


if __name__ == "__main__":
    try:
        for key, value in run().items():
            print(f"{key:>48}: {value:.4f}")
    finally:
        population.cleanup()
