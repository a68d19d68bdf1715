"""What a commit costs on this disk, SQLite in WAL mode, `synchronous=FULL` against `NORMAL`.

    python -m bench.commit_cost [--folder /tmp]

`FULL` (SQLite's default, and BackCare's) syncs the WAL on every commit; `NORMAL` only at a
checkpoint. Printed: the median and p90 of 200 one-row commits at each level, then a batch
of the outbox's commits while people talk (one claim, two marks of 32, one record of 50)
with every commit `FULL`, with only the marks `FULL`, and with none: what
`synchronous=NORMAL` could save a nudge on this disk (docs/decisions/sqlite-sync.md).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

COMMITS = 200
BATCH = 50
# A batch while people talk: the claim, two marks (32 and 18 sends), the record of 50.
PATTERNS = {
    "every commit FULL": ("FULL", "FULL", "FULL", "FULL"),
    "marks FULL, claim and record NORMAL": ("NORMAL", "FULL", "FULL", "NORMAL"),
    "every commit NORMAL": ("NORMAL", "NORMAL", "NORMAL", "NORMAL"),
}


def _commit(connection: sqlite3.Connection, level: str, first: int, rows: int) -> float:
    started = time.perf_counter()
    connection.execute(f"PRAGMA synchronous={level}")
    connection.execute("BEGIN")
    connection.executemany(
        "UPDATE deliveries SET attempts = attempts + 1 WHERE id = ?",
        [(first + offset,) for offset in range(rows)],
    )
    connection.execute("COMMIT")
    return time.perf_counter() - started


def measure(folder: Path) -> None:
    """Print the commit costs on a WAL database in `folder`."""
    connection = sqlite3.connect(folder / "commits.db", isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE deliveries (id INTEGER PRIMARY KEY, attempts INTEGER)")
    connection.executemany("INSERT INTO deliveries VALUES (?, 0)", [(n,) for n in range(20_000)])
    print(f"one-row commits, {COMMITS} each, on a WAL file in {folder}:")
    for level in ("FULL", "NORMAL", "FULL", "NORMAL"):
        times = sorted(_commit(connection, level, 1, 1) * 1000 for _ in range(COMMITS))
        print(
            f"  synchronous={level:<6}  median {statistics.median(times):.3f} ms, "
            f"p90 {times[int(COMMITS * 0.9)]:.3f} ms"
        )
    print(f"\na talking batch's four commits ({BATCH} nudges), 60 batches each:")
    for name, levels in [*PATTERNS.items(), *PATTERNS.items()]:
        started = time.perf_counter()
        for batch in range(60):
            first = batch * BATCH % 19_000
            for level, rows in zip(levels, (BATCH, 32, 18, BATCH), strict=True):
                _commit(connection, level, first, rows)
        each = (time.perf_counter() - started) / 60
        print(f"  {name:<36} {each * 1000:.2f} ms a batch, {each / BATCH * 1e6:.0f} µs a nudge")
    connection.close()


def main() -> None:
    """Measure in a fresh folder (under `--folder`: put it on the database's disk)."""
    parser = argparse.ArgumentParser(prog="python -m bench.commit_cost")
    parser.add_argument("--folder", default=None, help="where to write (default: the temp dir)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="backcare-commits-", dir=arguments.folder) as folder:
        measure(Path(folder))


if __name__ == "__main__":
    main()
