"""Say the same things at two commits: nudges, answers, refusals and the report, word for word.

    python -m tools.wording_parity [BEFORE]     (BEFORE: 253e3f1, the commit before issue
                                                  25's wording moved to the edge)

Each commit is checked out (git archive) into a temporary folder and asked, in a process of
its own, to say the same things: 111 nudges (every kind and variant, merged messages, a line
said once, slowed-down parts, retired parts) with their buttons, the answers to every
question of tests/guidance/questions.toml and a few warning signs, refusals of typed
settings, and the report's text. Prints how many of each differ; exits 1 if any does.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run inside each tree: works with the words in jobs/ (before) and in bot/wording (after).
SAY = r"""
import dataclasses, io, json, sys, tomllib
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from guidance import Guide
from jobs.composer import nudge as N
from jobs.rules import flare
from jobs.rules.flare import Alarm, FlareSummary
from jobs.rules.progress import DayProgress, Progress
from storage.kinds import NudgeKind, Treatment

try:
    from bot.wording.answers import ANSWER_WORDS
    from bot.wording.nudges import NudgeTexts
    guide = Guide.load(words=ANSWER_WORDS)
    texts = NudgeTexts(guide)
    make = texts.choices
    def said(m): return texts.say(m), [list(map(list, texts.buttons(p))) for p in m.parts]
except ImportError:
    from jobs.composer.texts import NudgeTexts
    guide = Guide.load()
    make = NudgeTexts(guide)
    def said(m): return m.full_text, [list(map(list, p.buttons)) for p in m.parts]

zone = ZoneInfo("Europe/Berlin")
at = datetime(2025, 6, 2, 8, tzinfo=UTC)
plan = flare.CarePlan(started_at=datetime(2025, 6, 2, tzinfo=UTC))

def week(water=2000, stretches=1, pain=None):
    days = tuple(
        DayProgress(date(2025, 6, 8) - timedelta(days=6 - i), water_ml=water, breaks_taken=3,
                    breaks_offered=6, stretches=stretches, pain=pain) for i in range(7))
    return Progress(days, 2000, water_streak=3, stretch_streak=0, flare=pain is not None)

nudges = []
for hours in range(0, 48, 5):
    moment = datetime(2025, 6, 2, tzinfo=UTC) + timedelta(hours=hours)
    nudges += [make.water(glasses=hours % 9, goal=8, due_at=moment, zone=zone),
               make.posture(due_at=moment, zone=zone), make.stretch(due_at=moment, zone=zone)]
nudges += [make.gentle_posture(), make.gentle_stretch()]
nudges += [make.care_offer(plan, treatment) for treatment in Treatment]
for treatment in Treatment:
    session = flare.start_session(plan, treatment, at)
    for says in ("switch", "take_off", "check_heat"):
        for step in range(len(plan.steps(treatment))):
            nudges.append(make.session_alarm(
                Alarm(says, dataclasses.replace(session, step=step), None), plan, 12))
reasons = (None, "this episode has lasted more than two weeks",
           "your pain has got worse three days running")
nudges += [make.pain_check(see_doctor=r, ask_if_better=b) for r in reasons for b in (False, True)]
nudges += [make.flare_closed(FlareSummary(d, 4, 1, d % 2, [7, 5, 3][:d])) for d in (1, 5)]
for shape in ({}, {"stretches": 0}, {"water": 500, "pain": 5}, {"water": 500}):
    for phase in N.WeekPhase:
        nudges.append(make.weekly_summary(week(**shape), phase=phase,
                      doctor_reason=reasons[2] if phase is N.WeekPhase.DOCTOR else None))
        nudges.append(make.weekly_summary(week(**shape), phase=phase, water=False, posture=False))
offer = N.offering_rest(make.care_offer(plan, Treatment.HEAT), NudgeKind.CARE_OFFER)
water = N.offering_rest(make.water(glasses=1, goal=8, due_at=at, zone=zone), NudgeKind.WATER)
posture = N.offering_rest(make.posture(due_at=at, zone=zone), NudgeKind.POSTURE)
alarm = make.session_alarm(Alarm("take_off", flare.start_session(plan, Treatment.ICE, at), None),
                           plan, 3)
merged = [alarm.with_part(make.care_offer(plan, Treatment.ICE)).with_part(water)
          .with_part(posture).with_part(make.stretch(due_at=at, zone=zone)),
          offer.with_part(water)]
nudges += merged
for message in merged:
    for kinds in ({NudgeKind.WATER}, {NudgeKind.CARE_OFFER, NudgeKind.POSTURE}):
        for answered in (frozenset(), frozenset({"water"}), frozenset({"posture.missed"})):
            nudges.append(N.retire(N.OpenNudge(5, message, answered), frozenset(kinds)).message)

questions = [item["q"] for items in tomllib.load(open("tests/guidance/questions.toml", "rb"))
             .values() if isinstance(items, list) for item in items if "q" in item]
questions += ["my legs are numb and I can't control my bladder", "my husband can't feel his legs",
              "is it my periods or a back spasm", "my legs feel a bit funny", "capital of France",
              "my back hurts so much", "it's been 3 weeks and still hurts", "numb legs"]
answers = [guide.answer(q).answer for q in questions]

from bot.arguments import parse_command
from guidance.reading.times import InputError
try:
    from bot.wording.inputs import refusal
except ImportError:
    refusal = str
typed = [("hours", "7am-13pm"), ("hours", "0700"), ("hours", "07:00-07:00"), ("hours", "9-10"),
         ("water", "goal 90000"), ("water", "glass 5"), ("water", "unit cups"), ("water", "goal"),
         ("posture", "every 5m"), ("posture", "every -45m"), ("posture", "work 9-5 funday"),
         ("pause", "100 days"), ("pause", "2 minutes"), ("pause", "-5h"), ("pause", "pigs fly"),
         ("stretch", "25:00"), ("summary", "funday 18:00"), ("timezone", "Mars/Olympus"),
         ("timezone", "UTC+15"), ("timezone", "usa"), ("water", "x" * 120)]
refusals = []
for command, text in typed:
    try:
        parse_command(command, text)
        refusals.append(None)
    except InputError as error:
        refusals.append(refusal(error))

from pypdf import PdfReader
from jobs.documents.report import render_report
from jobs.rules.report import CareSessionLine, Episode, Report
from tests.support.factories import a_person
try:
    from bot.wording.report import report_page
    def pdf(report): return render_report(report_page(report))
except ImportError:
    def pdf(report): return render_report(report)
t0 = datetime(2025, 6, 2, 8, tzinfo=UTC)
episode = Episode(t0, None, tuple((t0 + timedelta(days=i), 7 - i) for i in range(4)),
    tuple(CareSessionLine(t0 + timedelta(hours=5 * i), list(Treatment)[i % 3],
          None if i % 2 else t0 + timedelta(hours=5 * i, minutes=17)) for i in range(14)),
    True, None, t0 + timedelta(days=3), None, (date(2025, 6, 4),))
habits = Progress(tuple(DayProgress(date(2025, 6, 1) + timedelta(days=i), water_ml=1800 + 100 * i,
    breaks_taken=2, breaks_offered=5, stretches=i % 2, ice=1, heat=i % 2) for i in range(6)),
    2000, 1, 0, True, period=30, joined=date(2025, 6, 1))
reports = [
    "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf(Report(a_person(),
        t0 + timedelta(days=5), e, habits)))).pages) for e in (episode, None)]

assert None not in refusals, "each typed setting here is refused"
json.dump({"nudges": [said(m) for m in nudges], "answers": answers, "refusals": refusals,
           "report": reports}, sys.stdout, ensure_ascii=False)
"""


def said_at(tree: Path) -> dict[str, list[object]]:
    """Run the script in a tree and return what it said."""
    environment = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    run = subprocess.run(
        [sys.executable, "-c", SAY],
        cwd=tree,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    said: dict[str, list[object]] = json.loads(run.stdout)
    return said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", nargs="?", default="253e3f1")
    before = parser.parse_args().before
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(
            ["git", "archive", before], cwd=ROOT, capture_output=True, check=True
        ).stdout
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        then, now = said_at(Path(folder)), said_at(ROOT)
    differ = 0
    for what, said in then.items():
        changed = sum(a != b for a, b in zip(said, now[what], strict=True))
        differ += changed
        print(f"{what}: {len(said)} said at {before}, {changed} said differently now")
    raise SystemExit(1 if differ else 0)


if __name__ == "__main__":
    main()
