"""What people read: words that fit what happened."""

from __future__ import annotations

import pytest

from bot.wording.flare import flare_ended
from jobs.pure.flare import FlareSummary


@pytest.mark.parametrize(
    ("pain", "opening"),
    [
        ([7, 5, 3], "🌤 Glad it's easing."),
        ([9, 9], "Care mode is off. Your pain hasn't eased; if it stays, please see a doctor."),
        ([4, 6], "🩺 Care mode is off, but your pain has got worse: please see a doctor."),
        ([6], "🌤 Care mode is off."),
        ([], "🌤 Care mode is off."),
    ],
)
def test_better_says_what_the_pain_trend_says(pain: list[int], opening: str) -> None:
    said = flare_ended(FlareSummary(3, 2, 1, 0, pain))
    assert said.startswith(f"{opening} This episode: 3 days; sessions: 2 ice, 1 heat; pain: ")
    assert said.endswith("Your everyday nudges carry on; take it slowly.")
