"""Progress: chart and report render times, the bot's memory after 100 charts, start-up.

- In this process: the 7-day and 30-day chart (PNG) and the report (PDF), each drawn many
  times after a first, cold one (which pays matplotlib's or fpdf2's import).
- The real bot (`python -m bot run`, SQLite) against the Bot API stand-in of the tests:
  one person with a week of logs sends `/progress` 100 times, one after the other; each
  reply's time (command in, picture out) and the resident memory after all 100, of the bot
  and, apart, of the renderer's worker process that draws for it.
- Start-up, side by side in one run: the real bot from this tree and from `BENCH_BASE`
  (the previous commit by default) on the same 10k-person database, to polling and to the
  first nudge, with their memory (as `triage` does); and `import bot.app` in a fresh
  interpreter, with whether matplotlib or fpdf were imported (they must not be).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

from bench import population, report
from bench.process_bench import ROOT, Run, _status
from bench.side_by_side import base_worktree, head_revision
from bench.triage_bench import _process
from bot.wording.progress import chart_words
from bot.wording.report import report_page
from jobs.documents.chart import render_chart
from jobs.documents.report import render_report
from jobs.rules.person import Person
from jobs.rules.progress import DayProgress, Progress
from jobs.rules.report import CareSessionLine, Episode, Report
from jobs.rules.windows import MONDAY_TO_FRIDAY, TimeWindow
from storage.database import create_engine, create_sessionmaker
from storage.kinds import EventKind, Treatment
from storage.migrate import upgrade
from storage.models import Event
from tests.support.bot_process import bot_environment, running_bot
from tests.support.botapi_stub import BotApiStub
from tests.support.factories import make_ready_user

CHART_ROUNDS = 40
REPORT_ROUNDS = 30
CHARTS_IN_THE_BOT = 100
CHART_P95_TARGET_MS = 300.0
REPORT_P95_TARGET_MS = 1000.0
RSS_TARGET_MB = 200.0
IMPORT_ROUNDS = 5
STARTS = 2
PERSON = 4242
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2025, 6, 8, 16, 0, tzinfo=UTC)


def _days(count: int, *, flare: bool) -> Progress:
    start = NOW.date() - timedelta(days=count - 1)
    days = tuple(
        DayProgress(
            start + timedelta(days=i),
            water_ml=1200 + 97 * (i % 11),
            breaks_taken=i % 5,
            breaks_offered=6,
            stretches=i % 2,
            pain=max(0, 8 - i // 2) if flare else None,
            ice=int(flare and i < 4),
            heat=int(flare and i >= 3),
        )
        for i in range(count)
    )
    return Progress(days, 2000, water_streak=3, stretch_streak=1, flare=flare)


def _timed(draw: object, rounds: int) -> tuple[float, list[float]]:
    assert callable(draw)
    started = time.perf_counter()
    draw()
    cold = (time.perf_counter() - started) * 1000
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        draw()
        samples.append((time.perf_counter() - started) * 1000)
    return cold, samples


def _report() -> Report:
    start = NOW - timedelta(days=13)
    episode = Episode(
        started_at=start,
        ended_at=None,
        pain=tuple((start + timedelta(days=i), max(0, 8 - i // 2)) for i in range(12)),
        sessions=tuple(
            CareSessionLine(
                start + timedelta(hours=5 * i),
                Treatment.ICE if i < 10 else Treatment.HEAT,
                start + timedelta(hours=5 * i, minutes=15),
            )
            for i in range(20)
        ),
        warning_signs=False,
        seen_at=None,
        doctor_advised_at=None,
        doctor_reason=None,
        missed_checkins=(),
    )

    person = Person(
        id=1,
        chat_id=1,
        zone="Europe/Berlin",
        waking=TimeWindow(clock_time(7), clock_time(22)),
        work=TimeWindow(clock_time(9), clock_time(17)),
        work_days=MONDAY_TO_FRIDAY,
        water=True,
        water_goal_ml=2000,
        water_glass_ml=250,
        posture=True,
        posture_every_minutes=60,
        stretch=True,
        stretch_time=clock_time(19),
        paused_until=None,
        onboarding_step=None,
    )
    return Report(person, NOW, episode, _days(30, flare=True))


async def _database(path: Path) -> str:
    """Make a migrated SQLite database with one person set up and a week of logs."""
    url = f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    try:
        await upgrade(engine)
        async with create_sessionmaker(engine).begin() as session:
            user = await make_ready_user(session, PERSON)
            now = datetime.now(UTC)
            for day in range(7):
                for glass in range(4 + day):
                    at = now - timedelta(days=day, hours=glass)
                    session.add(Event(user_id=user.id, kind=EventKind.WATER, at=at, amount_ml=250))
                session.add(
                    Event(user_id=user.id, kind=EventKind.STRETCH, at=now - timedelta(days=day))
                )
    finally:
        await engine.dispose()
    return url


def _charts_in_the_bot(folder: Path) -> dict[str, float]:
    """Send /progress 100 times to the real bot; time each reply and read its memory."""
    url = asyncio.run(_database(folder / "charts.db"))
    with BotApiStub() as stub:
        env = bot_environment(stub, url, BACKCARE_LOGGING__LEVEL="WARNING")
        with running_bot(stub, env, folder / "charts.log") as process:
            rss_up = _status(process.pid).get("VmRSS", 0) / 2**20
            replies = []
            for _ in range(CHARTS_IN_THE_BOT):
                mark = stub.mark()
                started = time.perf_counter()
                stub.send_text(PERSON, "/progress")
                stub.wait_for(lambda m: "photo" in m, chat_id=PERSON, after=mark, timeout=30)
                replies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.5)
            status = _status(process.pid)
            helpers = _descendants(process.pid)
            helpers_mb = sum(_status(pid).get("VmRSS", 0) for pid in helpers) / 2**20
    pictures = sum(1 for chat, _, _ in stub.uploads if chat == PERSON)
    if pictures != CHARTS_IN_THE_BOT:
        raise RuntimeError(f"{pictures} charts came back for {CHARTS_IN_THE_BOT} asked")
    return {
        "bot_progress_reply_p50_ms": report.percentile(replies, 0.50),
        "bot_progress_reply_p95_ms": report.percentile(replies, 0.95),
        "bot_progress_first_reply_ms": replies[0],
        "bot_rss_before_charts_mb": rss_up,
        "bot_rss_after_100_charts_mb": status.get("VmRSS", 0) / 2**20,
        "bot_peak_after_100_charts_mb": status.get("VmHWM", 0) / 2**20,
        "renderer_rss_after_100_charts_mb": helpers_mb,
        "renderer_processes": float(len(helpers)),
    }


def _descendants(pid: int) -> list[int]:
    """Return the processes a process started (the renderer's worker and its helpers)."""
    found: list[int] = []
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            direct = [int(child) for child in children.read().split()]
    except OSError:
        return found
    for child in direct:
        found += [child, *_descendants(child)]
    return found


_IMPORT = (
    "import sys, time; t = time.perf_counter();"
    " import bot.app, bot.handlers, bot.telegram_io.sender;"
    " print(time.perf_counter() - t, int(any(m.split('.')[0] in ('matplotlib', 'fpdf')"
    " for m in sys.modules)))"
)


def _import_time(source: Path) -> tuple[float, int]:
    """Import the bot's modules in fresh interpreters; the fastest of a few, and whether
    matplotlib or fpdf came with them."""
    best, heavy = float("inf"), 0
    for _ in range(IMPORT_ROUNDS):
        done = subprocess.run(
            [sys.executable, "-c", _IMPORT],
            cwd=source,
            env={**os.environ, "PYTHONPATH": str(source)},
            capture_output=True,
            text=True,
            check=True,
        )
        seconds, loaded = done.stdout.split()
        best, heavy = min(best, float(seconds)), max(heavy, int(loaded))
    return best, heavy


def run() -> dict[str, float]:
    """Measure chart and report times, the bot after 100 charts, and start-up side by side."""
    figures: dict[str, float] = {}
    for label, shown in (
        ("chart7", _days(7, flare=False)),
        ("chart7_flare", _days(7, flare=True)),
        ("chart30", _days(30, flare=True)),
    ):
        cold, samples = _timed(
            lambda shown=shown: render_chart(shown, chart_words(shown)), CHART_ROUNDS
        )
        figures[f"{label}_cold_ms"] = cold
        figures[f"{label}_p50_ms"] = report.percentile(samples, 0.50)
        figures[f"{label}_p95_ms"] = report.percentile(samples, 0.95)
    made = _report()
    cold, samples = _timed(lambda: render_report(report_page(made)), REPORT_ROUNDS)
    figures["report_cold_ms"] = cold
    figures["report_p50_ms"] = report.percentile(samples, 0.50)
    figures["report_p95_ms"] = report.percentile(samples, 0.95)
    figures["report_bytes"] = float(len(render_report(report_page(made))))
    for key in ("chart7_p95_ms", "chart30_p95_ms", "report_p95_ms"):
        report.record(f"progress.{key}", figures[key])

    with tempfile.TemporaryDirectory(prefix="backcare-progress-") as folder:
        figures.update(_charts_in_the_bot(Path(folder)))
        report.record(
            "progress.bot_rss_after_100_charts_mb", figures["bot_rss_after_100_charts_mb"]
        )

        with base_worktree() as (base_commit, checkout):
            # In turn, twice each, keeping each tree's faster start: the first start on a
            # machine pays cold disk caches, whichever tree it is.
            revision = head_revision(base_commit)
            starts: dict[str, list[Run]] = {"here": [], "there": []}
            for _ in range(STARTS):
                starts["there"].append(_process(checkout, Path(folder), revision=revision))
                starts["here"].append(_process(ROOT, Path(folder)))
            here = min(starts["here"], key=lambda found: found.to_poll_s)
            there = min(starts["there"], key=lambda found: found.to_poll_s)
            figures["now_to_poll_all_s"] = max(found.to_poll_s for found in starts["here"])
            figures["base_to_poll_all_s"] = max(found.to_poll_s for found in starts["there"])
            import_here, heavy_here = _import_time(ROOT)
            import_there, heavy_there = _import_time(checkout)
    figures.update(
        now_to_poll_s=here.to_poll_s,
        base_to_poll_s=there.to_poll_s,
        now_to_first_send_s=here.to_first_send_s,
        base_to_first_send_s=there.to_first_send_s,
        now_rss_after_mb=here.rss_after_mb,
        base_rss_after_mb=there.rss_after_mb,
        now_import_bot_s=import_here,
        base_import_bot_s=import_there,
        now_imports_matplotlib_or_fpdf=float(heavy_here),
        base_imports_matplotlib_or_fpdf=float(heavy_there),
    )
    print(
        f"\n  chart p50/p95: 7 days {figures['chart7_p50_ms']:.0f}/{figures['chart7_p95_ms']:.0f}"
        f" ms, with pain {figures['chart7_flare_p50_ms']:.0f}/"
        f"{figures['chart7_flare_p95_ms']:.0f} ms, 30 days {figures['chart30_p50_ms']:.0f}/"
        f"{figures['chart30_p95_ms']:.0f} ms (target p95 <= {CHART_P95_TARGET_MS:.0f} ms);"
        f" first {figures['chart7_cold_ms']:.0f} ms with the import"
    )
    print(
        f"  report PDF p50/p95: {figures['report_p50_ms']:.0f}/{figures['report_p95_ms']:.0f}"
        f" ms (target p95 <= {REPORT_P95_TARGET_MS:.0f} ms),"
        f" first {figures['report_cold_ms']:.0f} ms,"
        f" {figures['report_bytes'] / 1024:.0f} KiB"
    )
    print(
        f"  the real bot, {CHARTS_IN_THE_BOT} x /progress: reply p50/p95"
        f" {figures['bot_progress_reply_p50_ms']:.0f}/{figures['bot_progress_reply_p95_ms']:.0f}"
        f" ms; bot RSS {figures['bot_rss_before_charts_mb']:.0f} MB before,"
        f" {figures['bot_rss_after_100_charts_mb']:.0f} MB after (target <= {RSS_TARGET_MB:.0f});"
        f" its renderer ({figures['renderer_processes']:.0f} processes)"
        f" {figures['renderer_rss_after_100_charts_mb']:.0f} MB"
    )
    rows = [
        [
            label,
            f"{found.to_poll_s:.2f}",
            f"{found.to_first_send_s:.2f}",
            f"{found.rss_after_mb:.0f}",
            f"{seconds * 1000:.0f}",
            "yes" if heavy else "no",
        ]
        for label, found, seconds, heavy in (
            ("this tree", here, import_here, heavy_here),
            (f"base {base_commit}", there, import_there, heavy_there),
        )
    ]
    print(
        "  start-up side by side (SQLite, 10k people, 2,000 due; the faster of two starts each,"
        f" slower: {figures['now_to_poll_all_s']:.2f} / {figures['base_to_poll_all_s']:.2f} s"
        " to polling):"
    )
    print(
        report.table(
            [
                "  code",
                "to polling s",
                "to 1st nudge s",
                "RSS after MB",
                "import bot ms",
                "matplotlib/fpdf at start",
            ],
            rows,
        )
    )
    return figures


if __name__ == "__main__":
    try:
        for name, value in run().items():
            print(f"{name:>36}: {value:.4f}")
    finally:
        population.cleanup()
