"""The reading of every development message is what it was at the recorded revision, whole:
level, signs, opinion, answers, intent and times (bench/reading_snapshot.py).

Recorded at 5872724 (main with the fourth round's rules, first recorded at 253e3f1), before the
speed-ups of issue 23's fourth round, which must change
nothing. A change meant to change what is read (a triage rule, a new intent) is recorded
again at that change, before any speed-up on top of it:
`python -m bench.reading_snapshot --at <commit>`.
"""

from __future__ import annotations

from bench.reading_snapshot import describe, load


def test_every_development_message_reads_as_it_did_at_the_recorded_revision() -> None:
    recorded = load()
    now = describe(recorded["inputs"])
    differ = [
        (item["text"], before, after)
        for item, before, after in zip(recorded["inputs"], recorded["read"], now, strict=True)
        if before != after
    ]
    assert differ == [], f"{len(differ)} messages read otherwise than at {recorded['revision']}"
    assert len(now) > 3000
