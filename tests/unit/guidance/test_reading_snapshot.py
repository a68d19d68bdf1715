"""The reading of every development message is what it was before the speed-ups (253e3f1),
whole: level, signs, opinion, answers, intent and times (bench/reading_snapshot.py)."""

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
    assert differ == []
    assert len(now) > 3000
