"""A Bot API stand-in fast enough never to be what a benchmark measures.

It runs in a process of its own (`python -m tests.support.fast_botapi --port 0`), speaks HTTP/1.1
with keep-alive on a bare asyncio protocol, and answers at once: `sendMessage` with a valid
Message (a fresh message_id, the chat id, the text and keyboard sent), `getMe` with the
bot, `getUpdates` with nothing after holding the long poll, anything else with `true`.
`GET /stats` reports what it saw; `POST /reset` forgets it. `FastBotApi` starts and stops
it from a benchmark. Started with `--record`, it also keeps every sendMessage (when, from
which client port, to which chat, what text) for `GET /sends`. It answers any number of
getUpdates pollers at once (Telegram would answer all but one with 409 Conflict).

`POST /feed` (see `FastBotApi.feed`) makes it play people: it queues a command from a
few chats in turn at a given rate, hands them out through getUpdates, and times each from
the moment getUpdates hands it out to the moment the bot's reply (a sendMessage to that
chat without a nudge's buttons) arrives: `GET /stats` then lists those latencies.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl

BOT_ID = 1_000_000_001
_BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "BackCare", "username": "backcare_bot"}
_GET_ME = {
    **_BOT_USER,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
    "can_connect_to_business": False,
    "has_main_web_app": False,
}
_HEAD_END = b"\r\n\r\n"
_MAX_POLL_SECONDS = 5.0


@dataclass(slots=True)
class _Stats:
    """What the stand-in has seen since it started (or was reset)."""

    sent: int = 0
    first_sent_at: float | None = None
    last_sent_at: float | None = None
    polls: int = 0
    first_poll_at: float | None = None
    requests: int = 0
    next_message_id: int = 1
    first_call_at: dict[str, float] = field(default_factory=dict)
    # Every sendMessage as (time.time(), client port, chat id, text), when recording.
    sends: list[tuple[float, int, int, str]] | None = None

    def as_json(self) -> dict[str, Any]:
        """Return the counts and wall-clock times (time.time()) as JSON-able data."""
        return {
            "sent": self.sent,
            "first_sent_at": self.first_sent_at,
            "last_sent_at": self.last_sent_at,
            "polls": self.polls,
            "first_poll_at": self.first_poll_at,
            "requests": self.requests,
            "first_call_at": self.first_call_at,
        }


@dataclass(slots=True)
class _Feed:
    """People sending commands: updates queued, handed out, and the replies timed."""

    chats: tuple[int, ...] = ()
    pending: list[dict[str, Any]] = field(default_factory=list)
    next_update_id: int = 1
    fed: int = 0
    held: list[asyncio.Future[bytes]] = field(default_factory=list)
    handed_out: set[int] = field(default_factory=set)
    # Per chat, when each update still awaiting its reply was handed out.
    waiting: dict[int, deque[float]] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)

    def add(self, chat_id: int, text: str) -> None:
        """Queue a command from a person and answer any held poll with it."""
        now = time.time()
        self.pending.append(
            {
                "update_id": self.next_update_id,
                "message": {
                    "message_id": self.next_update_id,
                    "from": {"id": chat_id, "is_bot": False, "first_name": "User"},
                    "chat": {"id": chat_id, "type": "private", "first_name": "User"},
                    "date": int(now),
                    "text": text,
                    "entities": [
                        {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
                    ],
                },
            }
        )
        self.next_update_id += 1
        self.fed += 1
        held, self.held = self.held, []
        for future in held:
            if not future.done():
                future.set_result(self.hand_out())

    def hand_out(self) -> bytes:
        """Answer getUpdates with every unconfirmed update; start the clock of each new one."""
        now = time.time()
        for update in self.pending:
            if update["update_id"] not in self.handed_out:
                self.handed_out.add(update["update_id"])
                chat = update["message"]["chat"]["id"]
                self.waiting.setdefault(chat, deque()).append(now)
        return _ok(self.pending)

    def confirm(self, offset: int) -> None:
        """Forget the updates the bot confirmed (those before `offset`)."""
        self.pending = [update for update in self.pending if update["update_id"] >= offset]

    def replied(self, chat_id: int, markup: str | None) -> None:
        """Time a reply to a person's oldest update awaiting one (nudges are not replies)."""
        if markup is not None and '"nud:' in markup:
            return
        waiting = self.waiting.get(chat_id)
        if waiting:
            self.latencies.append(time.time() - waiting.popleft())

    async def run(self, chats: tuple[int, ...], text: str, rate: float, seconds: float) -> None:
        """Send `text` from each chat in turn, `rate` a second, for `seconds`."""
        self.chats = chats
        started = time.monotonic()
        count = int(rate * seconds)
        for index in range(count):
            delay = started + index / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self.add(chats[index % len(chats)], text)


def _response(body: bytes, status: bytes = b"200 OK") -> bytes:
    return (
        b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )


def _ok(result: Any) -> bytes:
    return _response(json.dumps({"ok": True, "result": result}).encode())


_TRUE = _ok(True)
_EMPTY = _ok([])
_ME = _ok(_GET_ME)
_FROM = json.dumps(_BOT_USER)


def _params(body: bytes) -> dict[str, Any]:
    """Read a request's parameters, sent as JSON or as a form."""
    if body.startswith(b"{"):
        loaded: dict[str, Any] = json.loads(body)
        return loaded
    return dict(parse_qsl(body.decode()))


def _answer_once(held: asyncio.Future[bytes], answer: bytes) -> None:
    if not held.done():
        held.set_result(answer)


class _Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection: parse requests as they come, answer in order."""

    def __init__(self, stats: _Stats, feed: _Feed) -> None:
        self.stats = stats
        self.feed = feed
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        # Answers go out in request order even when a long poll is held.
        self.queue: asyncio.Queue[bytes | asyncio.Future[bytes]] = asyncio.Queue()
        self.writer: asyncio.Task[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Remember the transport."""
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop any held answer."""
        if self.writer is not None:
            self.writer.cancel()

    def data_received(self, data: bytes) -> None:
        """Answer every complete request in the buffer."""
        self.buffer += data
        while True:
            head_end = self.buffer.find(_HEAD_END)
            if head_end < 0:
                return
            head = self.buffer[:head_end]
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            end = head_end + 4 + length
            if len(self.buffer) < end:
                return
            body = self.buffer[head_end + 4 : end]
            self.buffer = self.buffer[end:]
            request_line = head.split(b"\r\n", 1)[0]
            verb, path = request_line.split(b" ", 2)[:2]
            self._answer(verb, path, body)

    def _answer(self, verb: bytes, path: bytes, body: bytes) -> None:
        stats = self.stats
        stats.requests += 1
        method = path.rstrip(b"/").rsplit(b"/", 1)[-1].split(b"?", 1)[0]
        stats.first_call_at.setdefault(method.decode(errors="replace"), time.time())
        if method == b"sendMessage":
            self._write(self._message(body))
        elif method == b"getUpdates":
            stats.polls += 1
            if stats.first_poll_at is None:
                stats.first_poll_at = time.time()
            params = _params(body)
            feed = self.feed
            feed.confirm(int(params.get("offset") or 0))
            if feed.pending:
                self._write(feed.hand_out())
                return
            wait = min(float(params.get("timeout") or 0), _MAX_POLL_SECONDS)
            held: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
            asyncio.get_running_loop().call_later(wait, _answer_once, held, _EMPTY)
            feed.held.append(held)
            self._write(held)
        elif method == b"getMe":
            self._write(_ME)
        elif method == b"getMyDescription":
            self._write(_ok({"description": ""}))
        elif method == b"getMyShortDescription":
            self._write(_ok({"short_description": ""}))
        elif method == b"sends" and verb == b"GET":
            self._write(_ok(stats.sends or []))
        elif method == b"stats" and verb == b"GET":
            feed = self.feed
            unanswered = sum(len(times) for times in feed.waiting.values())
            seen = {"fed": feed.fed, "latencies": feed.latencies, "unanswered": unanswered}
            self._write(_ok({**stats.as_json(), **seen}))
        elif method == b"feed" and verb == b"POST":
            params = _params(body)
            chats = tuple(int(chat) for chat in params["chats"])
            rate, seconds = float(params["rate"]), float(params["seconds"])
            asyncio.get_running_loop().create_task(
                self.feed.run(chats, str(params["text"]), rate, seconds)
            )
            self._write(_TRUE)
        elif method == b"reset" and verb == b"POST":
            stats.sent, stats.polls, stats.requests = 0, 0, 0
            stats.first_sent_at = stats.last_sent_at = stats.first_poll_at = None
            stats.first_call_at.clear()
            if stats.sends is not None:
                stats.sends.clear()
            self._write(_TRUE)
        else:
            self._write(_TRUE)

    def _message(self, body: bytes) -> bytes:
        stats = self.stats
        params = _params(body)
        chat_id = int(params.get("chat_id", "0"))
        now = time.time()
        stats.sent += 1
        stats.last_sent_at = now
        if stats.first_sent_at is None:
            stats.first_sent_at = now
        if stats.sends is not None and self.transport is not None:
            port = self.transport.get_extra_info("peername")[1]
            stats.sends.append((now, port, chat_id, str(params.get("text", ""))))
        message_id = stats.next_message_id
        stats.next_message_id += 1
        markup = params.get("reply_markup")
        if markup is not None and not isinstance(markup, str):
            markup = json.dumps(markup)
        if chat_id in self.feed.chats:
            self.feed.replied(chat_id, markup)
        chat = f'{{"id":{chat_id},"type":"private","first_name":"User"}}'
        result = (
            f'{{"message_id":{message_id},"from":{_FROM},"chat":{chat},"date":{int(now)},'
            f'"text":{json.dumps(params.get("text", ""))}'
            + (f',"reply_markup":{markup}' if markup else "")
            + "}"
        )
        return _response(b'{"ok":true,"result":' + result.encode() + b"}")

    def _write(self, answer: bytes | asyncio.Future[bytes]) -> None:
        transport = self.transport
        if transport is None:
            return
        if isinstance(answer, bytes) and self.queue.empty() and self.writer is None:
            transport.write(answer)
            return
        self.queue.put_nowait(answer)
        if self.writer is None:
            self.writer = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        try:
            while not self.queue.empty():
                answer = self.queue.get_nowait()
                data = answer if isinstance(answer, bytes) else await answer
                if self.transport is not None and not self.transport.is_closing():
                    self.transport.write(data)
        finally:
            self.writer = None


async def serve(port: int, *, record: bool = False) -> None:
    """Serve until SIGTERM or SIGINT, printing the bound port on the first line of stdout."""
    stats, feed = _Stats(sends=[] if record else None), _Feed()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: _Connection(stats, feed), "127.0.0.1", port, backlog=1024, reuse_address=True
    )
    bound = server.sockets[0].getsockname()[1]
    print(bound, flush=True)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with server:
        await stop.wait()


class FastBotApi:
    """Start the stand-in in its own process; read its stats; stop it."""

    def __init__(self, *, record: bool = False) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.port = 0
        self.record = record

    def __enter__(self) -> FastBotApi:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.fast_botapi",
                "--port",
                "0",
                *(["--record"] if self.record else []),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.port = int(self.process.stdout.readline())
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()  # its pipe, left open, warns under pytest

    @property
    def base_url(self) -> str:
        """Return the base URL to give PTB (the token is appended to it)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def pid(self) -> int:
        """Return the stand-in's process id."""
        assert self.process is not None
        return self.process.pid

    def _call(self, verb: str, name: str, body: dict[str, Any] | None = None) -> Any:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/{name}",
            method=verb,
            data=None if body is None else json.dumps(body).encode(),
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)["result"]

    def feed(self, chats: list[int], *, text: str, rate: float, seconds: float) -> None:
        """Play people: `text` from each chat in turn, `rate` a second, for `seconds`."""
        plan = {"chats": chats, "text": text, "rate": rate, "seconds": seconds}
        self._call("POST", "feed", plan)

    def stats(self) -> dict[str, Any]:
        """Return what the stand-in has seen: counts and first/last times (time.time())."""
        seen: dict[str, Any] = self._call("GET", "stats")
        return seen

    def sends(self) -> list[tuple[float, int, int, str]]:
        """Return every sendMessage as (time.time(), client port, chat id, text): `--record`."""
        return [
            (float(at), int(port), int(chat), str(text))
            for at, port, chat, text in self._call("GET", "sends")
        ]

    def reset(self) -> None:
        """Forget what the stand-in has seen."""
        self._call("POST", "reset")

    def cpu_seconds(self) -> float:
        """Return the CPU time the stand-in has used so far."""
        return process_cpu_seconds(self.pid)


def process_cpu_seconds(pid: int) -> float:
    """Return a process's user + system CPU time in seconds, from /proc."""
    with open(f"/proc/{pid}/stat") as file:
        fields = file.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


async def load_test(port: int, *, requests: int, connections: int) -> float:
    """Send sendMessage requests over keep-alive connections and return requests/second."""
    body = b"chat_id=42&text=Time+to+get+up&reply_markup=%7B%22inline_keyboard%22%3A%5B%5D%7D"
    request = (
        b"POST /bot1:x/sendMessage HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )
    per_connection = requests // connections

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for _ in range(per_connection):
                writer.write(request)
                head = await reader.readuntil(_HEAD_END)
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                await reader.readexactly(length)
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    return per_connection * connections / (time.perf_counter() - started)


def main() -> None:
    """Run the stand-in on the given port (0: any free port)."""
    parser = argparse.ArgumentParser(prog="python -m tests.support.fast_botapi")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--record", action="store_true", help="keep every sendMessage")
    arguments = parser.parse_args()
    asyncio.run(serve(arguments.port, record=arguments.record))


if __name__ == "__main__":
    main()
