"""Run the real bot (`python -m bot run`) as a separate process against the Bot API stand-in."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Protocol

from tests.support.botapi_stub import BotApiStub

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAE-backcare-e2e-SECRET-token_x9"


class BotApi(Protocol):
    """A Bot API stand-in: all the bot needs of it is its address."""

    @property
    def base_url(self) -> str:
        """Return the address to give the bot as its api_base_url."""
        ...


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def get(url: str) -> tuple[int, str]:
    """GET a URL; return the status and the body, whatever the status."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()


def samples(page: str, name: str) -> dict[str, float]:
    """Return a metric's samples by their label text (`kind="water"`), from a /metrics page."""
    found = re.findall(rf"^{name}\{{(.*?)\}} (\S+)$", page, flags=re.MULTILINE)
    return {labels: float(value) for labels, value in found}


def bot_environment(stub: BotApi, database_url: str, **extra: str) -> dict[str, str]:
    """Return the environment for a bot process pointed at a stand-in and a database."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("BACKCARE_")}
    env.update(
        BACKCARE_SETTINGS_FILE=str(ROOT / "settings.toml"),
        BACKCARE_TELEGRAM__TOKEN=TOKEN,
        BACKCARE_TELEGRAM__API_BASE_URL=stub.base_url,
        BACKCARE_TELEGRAM__POLL_TIMEOUT="1",
        BACKCARE_DATABASE__URL=database_url,
        BACKCARE_LOGGING__LEVEL="DEBUG",
        # Off unless a test asks for it: several bots may run at once, and 8844 is one port.
        BACKCARE_OPS__PORT="0",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def on_sqlite(stub: BotApi, folder: Path, **extra: str) -> dict[str, str]:
    """Return the environment for a bot on a fresh SQLite file in `folder` (the bot migrates
    it at start-up), logging at INFO."""
    return bot_environment(
        stub,
        f"sqlite+aiosqlite:///{folder / 'db.sqlite'}",
        **{"BACKCARE_LOGGING__LEVEL": "INFO", **extra},
    )


def run_to_exit(env: Mapping[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot run` until it ends by itself; return its exit status and output."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def spawn_bot(
    env: Mapping[str, str],
    output: IO[bytes],
    *,
    source: Path = ROOT,
    wrapper: Sequence[str] = (),
) -> subprocess.Popen[bytes]:
    """Start `python -m bot run` from a source tree (this one by default), output to a file;
    `wrapper` runs it through another command (`setpriv ...`)."""
    if source != ROOT:  # another tree's code and settings (a benchmark's base revision)
        env = {
            **env,
            "PYTHONPATH": str(source),
            "BACKCARE_SETTINGS_FILE": str(source / "settings.toml"),
        }
    return subprocess.Popen(
        [*wrapper, sys.executable, "-m", "bot", "run"],
        cwd=source,
        env=dict(env),
        stdout=output,
        stderr=subprocess.STDOUT,
    )


def stop_bot(process: subprocess.Popen[bytes]) -> None:
    """Stop the bot with SIGINT, as a supervisor would; kill it if it hangs for 20 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running_bot(
    stub: BotApiStub,
    env: Mapping[str, str],
    log: Path,
    *,
    ready_timeout: float = 90.0,
    ready: Callable[[float], object] | None = None,
    wrapper: Sequence[str] = (),
) -> Iterator[subprocess.Popen[bytes]]:
    """Start the bot, wait until it is ready (polling, by default), and stop it with SIGINT."""
    with log.open("ab") as output:
        process = spawn_bot(env, output, wrapper=wrapper)
    try:
        try:
            (ready or (lambda timeout: stub.wait_for_poll(timeout=timeout)))(ready_timeout)
        except AssertionError:
            raise AssertionError(
                f"the bot did not get ready; its log:\n{log.read_text()[-3000:]}"
            ) from None
        yield process
    finally:
        stop_bot(process)
