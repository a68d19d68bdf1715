"""Where a dispatch's time goes: one throughput run under cProfile, top functions printed.

`python -m bench.profile_bench --backend sqlite --due 5000` runs the dispatch bench's
throughput once (the real path to the stand-in, rate limit off, among `--users` people)
with cProfile on, and prints the rate and the top functions by cumulative time. cProfile
sees the event loop's thread only, and slows it about fivefold; `--profiler py-spy` samples
every thread of this process instead (SQLite's own work in aiosqlite's thread included; not
PostgreSQL's server process), at almost no cost, attaching only for the profiled run, and
prints the functions found in the most samples (inclusive) and their own share (self).
`--svg PATH` with py-spy also keeps a flame graph.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import event
from sqlalchemy.engine import Engine

from bench import dispatch_bench, population
from tests.support.fast_botapi import FastBotApi


async def _run(arguments: argparse.Namespace) -> tuple[dispatch_bench.Throughput, float]:
    # The dispatch bench's throughput runs among its own 100,000 people, whatever `--users`.
    await population.template(arguments.backend, dispatch_bench.THROUGHPUT_USERS)
    with FastBotApi() as api:
        async with dispatch_bench.real_bot(api.base_url) as bot:
            sender = (
                dispatch_bench.InstantSender
                if arguments.sender == "instant"
                else dispatch_bench._real(bot)
            )
            # One small warm-up run: statement caches, the connection pool, imports.
            await dispatch_bench.throughput(
                arguments.backend, api, label="warm-up", due=200, sender=sender
            )
            profiler = cProfile.Profile() if arguments.profiler == "cprofile" else None
            cpu = time.process_time()
            with _sampled(arguments), _statements(arguments) as timed:
                if profiler is not None:
                    profiler.enable()
                try:
                    found = await dispatch_bench.throughput(
                        arguments.backend,
                        api,
                        label="profiled",
                        due=arguments.due,
                        sender=sender,
                        settings=replace(dispatch_bench.UNLIMITED, batch_size=arguments.batch),
                    )
                finally:
                    if profiler is not None:
                        profiler.disable()
            cpu = time.process_time() - cpu
    _print_statements(timed, found.sent)
    if profiler is not None:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(arguments.top)
        print(_shorter(out.getvalue()))
        if arguments.save:
            stats.dump_stats(arguments.save)
    return found, cpu


@contextmanager
def _statements(arguments: argparse.Namespace) -> Iterator[dict[str, list[float]]]:
    """Time every SQL statement the run executes (wall time, the database's and the wait)."""
    timed: dict[str, list[float]] = {}
    if not arguments.statements:
        yield timed
        return
    started: dict[int, float] = {}

    def before(*args: Any) -> None:
        started[id(args[1])] = time.perf_counter()  # (connection, cursor, statement, ...)

    def after(_connection: Any, cursor: Any, statement: str, *_rest: Any) -> None:
        began = started.pop(id(cursor), None)
        if began is not None:
            key = " ".join(statement.split())[:110]
            timed.setdefault(key, []).append(time.perf_counter() - began)

    event.listen(Engine, "before_cursor_execute", before)
    event.listen(Engine, "after_cursor_execute", after)
    try:
        yield timed
    finally:
        event.remove(Engine, "before_cursor_execute", before)
        event.remove(Engine, "after_cursor_execute", after)


def _print_statements(timed: dict[str, list[float]], sent: int) -> None:
    if not timed:
        return
    total = sum(sum(times) for times in timed.values())
    print(f"\nSQL statements, {total:.2f} s in all, by total time:\n")
    print("| statement | calls | ms a call | µs a nudge sent |\n|---|---|---|---|")
    for key, times in sorted(timed.items(), key=lambda item: -sum(item[1]))[:15]:
        spent = sum(times)
        print(
            f"| `{key}` | {len(times):,} | {spent / len(times) * 1000:.2f} | "
            f"{spent / max(sent, 1) * 1e6:.0f} |"
        )


@contextmanager
def _sampled(arguments: argparse.Namespace) -> Iterator[None]:
    """Sample this process with py-spy while the block runs, then print the hottest."""
    if arguments.profiler != "py-spy":
        yield
        return
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    with tempfile.TemporaryDirectory(prefix="backcare-spy-") as folder:
        raw = Path(folder) / "stacks.txt"
        command = [spy, "record", "--pid", str(os.getpid()), "--rate", str(arguments.rate)]
        spying = subprocess.Popen(
            [*command, "--format", "raw", "--function", "--output", str(raw)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        svg = None
        if arguments.svg:
            svg = subprocess.Popen(
                [*command, "--output", arguments.svg],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        time.sleep(1.0)  # py-spy attaches
        try:
            yield
        finally:
            for process in (spying, svg):
                if process is not None:
                    process.send_signal(signal.SIGINT)
                    process.wait(timeout=60)
        if not raw.exists():
            said = spying.stderr.read().decode() if spying.stderr is not None else ""
            raise RuntimeError(f"py-spy wrote nothing: {said[-500:]}")
        print(_table(raw.read_text(), arguments.top))


# Frames every sample of a thread passes through (the interpreter, the event loop, threads'
# own start, this script): left out of the table unless their own share is notable.
_PLUMBING = (
    "<frozen runpy>",
    "runners.py",
    "base_events.py",
    "events.py",
    "threading.py",
    "profile_bench.py",
    "dispatch_bench.py",
)
_SETUP = (":copy_of", ":make_due", ":discard", ":_count_sent", ":copyfile")


def _table(raw: str, top: int) -> str:
    """Tabulate py-spy's raw stacks: each function's share of samples, inclusive and self."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [_frame(frame) for frame in stack.split(";")]
        if any(frame.endswith(_SETUP) for frame in frames):
            continue  # the bench's own copying and counting around the run
        total += int(count)
        for frame in set(frames):
            inclusive[frame] += int(count)
        own[frames[-1]] += int(count)
    rows = [
        f"| {frame} | {count / total:.1%} | {own[frame] / total:.1%} |"
        for frame, count in inclusive.most_common()
        if not frame.startswith(_PLUMBING) or own[frame] >= total / 50
    ][:top]
    head = (
        f"{total:,} samples (busy threads only)\n\n| function | inclusive | self |\n|---|---|---|"
    )
    return "\n".join([head, *rows])


def _frame(frame: str) -> str:
    """Name a py-spy frame `function (module.py:line)` as `module.py:function`."""
    match = re.match(r"(.*) \((.*?)(?::\d+)?\)$", frame.strip())
    if not match:
        return frame.strip()
    return f"{match[2].rsplit('/', 1)[-1]}:{match[1]}"


COMPOSED = 2_000


def _composer() -> tuple[float, float]:
    """Time `compose` alone for fresh people (each batch new, as in dispatch), with three
    messages sent today and one row due each; return the min and median µs a person of
    nine batches."""
    from bench.dispatch_bench import texts
    from jobs.composer import core
    from jobs.composer.budget import Budget
    from jobs.composer.decisions import Due
    from jobs.rules import planning
    from jobs.rules.person import person_of

    words = texts()
    timings = []
    for batch in range(9):
        ids = range(batch * COMPOSED + 1, (batch + 1) * COMPOSED + 1)
        people = [person_of(population._person(user_id)) for user_id in ids]
        sent = [
            (population.T0 - timedelta(hours=hours), population.KINDS[hours % 3])
            for hours in (1, 2, 3)
        ]
        known = [planning.facts(person, [], now=population.T0, sent=sent) for person in people]
        started = time.process_time()
        for index, person in enumerate(people):
            due = population.T0 - timedelta(seconds=index % 60)
            core.compose(
                person,
                known[index],
                [Due(index, population.KINDS[person.id % 3], due)],
                now=population.T0,
                choices=words.choices,
                budget=Budget(),
            )
        timings.append((time.process_time() - started) / COMPOSED * 1e6)
    return min(timings), sorted(timings)[len(timings) // 2]


WAITING_PEOPLE = 1_000
WAITING_SENT = 24  # a day and a half of an ordinary day's 16 messages
WAITING_CALLS = 500


async def _waiting(backend: str, users: int) -> tuple[float, int]:
    """Time `facts.waiting_nudges` (asked for every typed message) with a realistic history:
    24 messages sent in the last day and a half to each of 1,000 people, a third of them
    answered; return the mean µs a call and how many messages the last call found."""
    from sqlalchemy import Table, insert, select

    from bench.dispatch_bench import texts
    from jobs.services.facts import waiting_nudges
    from storage.database import create_engine, create_sessionmaker
    from storage.models import ButtonPress, Delivery, DeliveryStatus, NudgeKind, User

    url = await population.copy_of(backend, users)
    engine = create_engine(url)
    try:
        sessionmaker = create_sessionmaker(engine)
        payload = texts().choices.posture(due_at=population.T0, zone=ZoneInfo("UTC"))
        sent, pressed = [], []
        for user_id in range(1, WAITING_PEOPLE + 1):
            for number in range(WAITING_SENT):
                at = population.T0 - timedelta(hours=1.5 * number)
                message_id = user_id * 100 + number
                sent.append(
                    {
                        "user_id": user_id,
                        "kind": NudgeKind.POSTURE,
                        "due_at": at,
                        "created_at": at,
                        "sent_at": at,
                        "status": DeliveryStatus.SENT,
                        "attempts": 1,
                        "message_id": message_id,
                        "payload": payload.to_payload(),
                    }
                )
                if number % 3 == 0:
                    pressed.append(
                        {
                            "user_id": user_id,
                            "message_id": message_id,
                            "kind": NudgeKind.POSTURE.value,
                            "pressed_at": at,
                        }
                    )
        async with sessionmaker.begin() as session:
            for start in range(0, len(sent), 5_000):
                await session.execute(
                    insert(cast(Table, Delivery.__table__)), sent[start : start + 5_000]
                )
            for start in range(0, len(pressed), 5_000):
                await session.execute(
                    insert(cast(Table, ButtonPress.__table__)), pressed[start : start + 5_000]
                )
        found = 0
        spent = 0.0
        for call in range(WAITING_CALLS + 50):
            async with sessionmaker() as session:
                user = await session.get(User, call % WAITING_PEOPLE + 1)
                assert user is not None
                await session.execute(select(1))  # the visit's transaction has begun
                started = time.perf_counter()
                found = len(await waiting_nudges(session, user, now=population.T0))
                if call >= 50:  # the first warm the statement caches
                    spent += time.perf_counter() - started
        return spent / WAITING_CALLS * 1e6, found
    finally:
        await engine.dispose()
        await population.discard(url)


def _shorter(text: str) -> str:
    """Drop the folders from the printed paths: only the module's own name matters."""
    root = str(Path(__file__).resolve().parent.parent) + "/"
    return re.sub(r"\S*site-packages/", "", text.replace(root, ""))


def main() -> None:
    """Profile one dispatch run and print its rate and hottest functions."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile_bench")
    parser.add_argument("--backend", choices=population.BACKENDS, default="sqlite")
    parser.add_argument(
        "--users", type=int, default=10_000, help="--waiting only: the population's size"
    )
    parser.add_argument("--due", type=int, default=5_000)
    parser.add_argument(
        "--batch", type=int, default=500, help="rows claimed at a time (50: while people talk)"
    )
    parser.add_argument("--sender", choices=("real", "instant"), default="real")
    parser.add_argument("--profiler", choices=("cprofile", "py-spy", "none"), default="cprofile")
    parser.add_argument("--statements", action="store_true", help="time each SQL statement too")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--save", metavar="PATH", help="keep cProfile's raw pstats there")
    parser.add_argument("--rate", type=int, default=250, help="py-spy's samples a second")
    parser.add_argument("--svg", metavar="PATH", help="py-spy's flame graph there too")
    parser.add_argument(
        "--waiting", action="store_true", help="time facts.waiting_nudges instead of dispatch"
    )
    parser.add_argument("--composer", action="store_true", help="time the composer alone")
    arguments = parser.parse_args()
    if arguments.composer:
        least, median = _composer()
        print(f"compose: {least:.0f} µs a person at least, median {median:.0f} (9 x {COMPOSED:,})")
        return
    if arguments.waiting:
        try:
            mean, found_now = asyncio.run(_waiting(arguments.backend, arguments.users))
        finally:
            population.cleanup()
        print(
            f"{arguments.backend}: waiting_nudges {mean:,.0f} µs a call "
            f"({found_now} messages waiting)"
        )
        return
    try:
        found, cpu = asyncio.run(_run(arguments))
    finally:
        population.cleanup()
    print(
        f"{arguments.backend}, {dispatch_bench.THROUGHPUT_USERS:,} people, {arguments.due:,} due, "
        f"batches of {arguments.batch}, {arguments.sender} sender, {arguments.profiler}: "
        f"{found.sent:,} sent in "
        f"{found.seconds:.2f} s = {found.rate:,.0f}/s; process CPU "
        f"{cpu / max(found.sent, 1) * 1e6:.0f} µs a nudge"
    )


if __name__ == "__main__":
    main()
