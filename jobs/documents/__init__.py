"""Files made from plain values: the progress chart (PNG), the report (PDF), the export (zip).

`Renderer` makes them in a worker process of its own, so drawing never holds the bot's
event loop (nor its interpreter lock, nor its memory: matplotlib and its caches live in the
worker, which the bot starts on the first chart and replaces every `TASKS_PER_WORKER`).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Made = TypeVar("Made")

# The worker is replaced after this many files, bounding whatever its caches hold.
TASKS_PER_WORKER = 500


def _ignore_interrupts() -> None:
    """Leave Ctrl-C to the bot: it stops the worker when it stops."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Renderer:
    """Runs blocking drawing in one worker process, started on first use."""

    def __init__(self, *, tasks_per_worker: int = TASKS_PER_WORKER) -> None:
        self._tasks_per_worker = tasks_per_worker
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # A fresh interpreter, not a fork of one running an event loop and threads.
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_ignore_interrupts,
                max_tasks_per_child=self._tasks_per_worker,
            )
        return self._pool

    async def run(self, make: Callable[..., Made], *args: object) -> Made:
        """Run `make(*args)` (a module-level function; plain, picklable values) in the
        worker and return what it made, without blocking the event loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), make, *args)

    def worker_pids(self) -> list[int]:
        """Return the worker's process id, if it is running (for the bench's memory)."""
        processes = getattr(self._pool, "_processes", None) or {}
        return list(processes)

    def close(self) -> None:
        """Stop the worker (anything still queued is dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
