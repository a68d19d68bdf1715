"""How long saying a nudge takes at send: its words and its labelled buttons, per nudge.

    python -m tools.nudge_cost

Each case is timed many times over (the best of five rounds); the figures are microseconds
of one process's time, on whatever machine runs it.
"""

from __future__ import annotations

import timeit
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.wording.answers import ANSWER_WORDS
from bot.wording.nudges import NudgeTexts
from guidance import Guide
from jobs.composer.nudge import NudgeMessage
from jobs.rules import flare
from jobs.rules.progress import DayProgress, Progress
from storage.kinds import Treatment

ROUNDS = 20_000


def cases(texts: NudgeTexts) -> dict[str, NudgeMessage]:
    """One nudge of each common shape."""
    make = texts.choices
    at, zone = datetime(2025, 6, 2, 8, tzinfo=UTC), ZoneInfo("Europe/Berlin")
    days = tuple(
        DayProgress(date(2025, 6, 2) + timedelta(days=i), water_ml=1500, breaks_taken=3)
        for i in range(7)
    )
    water = make.water(glasses=2, goal=8, due_at=at, zone=zone)
    posture = make.posture(due_at=at, zone=zone)
    stretch = make.stretch(due_at=at, zone=zone)
    return {
        "water": water,
        "posture": posture,
        "stretch": stretch,
        "ice offer": make.care_offer(flare.CarePlan(started_at=at), Treatment.ICE),
        "check-in with a doctor's advice": make.pain_check(see_doctor="two-weeks"),
        "three parts in one message": water.with_part(posture).with_part(stretch),
        "weekly summary": make.weekly_summary(Progress(days, 2000, 2, 1)),
    }


def main() -> None:
    texts = NudgeTexts(Guide.load(words=ANSWER_WORDS))
    for name, message in cases(texts).items():
        rounds = ROUNDS // 10 if message.chart is not None else ROUNDS
        best = min(
            timeit.repeat(lambda m=message: (texts.say(m), texts.labelled(m)), number=rounds)
        )
        print(f"{name:32} {best / rounds * 1e6:6.1f} µs")


if __name__ == "__main__":
    main()
