"""The bot's HTTP client: keep-alive, every way a response can end, timeouts, failures."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import ssl
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field

import pytest
import trustme
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.http import KeepAliveRequest, NoAnswer, Timeouts
from bot.sender import BackCareBot

TOKEN = "123:abc"


def _json(status: str, payload: object, *headers: str) -> bytes:
    body = json.dumps(payload).encode()
    head = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", *headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


OK_TRUE = _json("200 OK", {"ok": True, "result": True})


@dataclass
class RawServer:
    """A Bot API stand-in that answers each request with bytes a test chooses."""

    answer: Callable[[bytes], bytes | None] = lambda _request: OK_TRUE
    close_after_answer: bool = False
    connections: int = 0
    requests: list[bytes] = field(default_factory=list)
    port: int = 0
    writers: list[asyncio.StreamWriter] = field(default_factory=list)
    request_arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.writers.append(writer)
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.lower() == b"content-length":
                        length = int(value)
                request = head + await reader.readexactly(length)
                self.requests.append(request)
                self.request_arrived.set()
                answer = self.answer(request)
                if answer is None:
                    continue  # never answer: the client times out
                writer.write(answer)
                await writer.drain()
                if self.close_after_answer:
                    break
        writer.close()

    def drop_idle(self) -> None:
        """Close every connection from the server's side, as an idle timeout would."""
        for writer in self.writers:
            writer.close()
        self.writers.clear()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot{TOKEN}"


@pytest.fixture
async def server() -> AsyncIterator[RawServer]:
    raw = RawServer()
    listening = await asyncio.start_server(raw.serve, "127.0.0.1", 0)
    raw.port = listening.sockets[0].getsockname()[1]
    async with listening:
        yield raw
        raw.drop_idle()


@pytest.fixture
async def client() -> AsyncIterator[KeepAliveRequest]:
    request = KeepAliveRequest(timeouts=Timeouts(connect=1, read=0.5, write=1, pool=0.2))
    await request.initialize()
    yield request
    await request.shutdown()


def _form(**values: object) -> RequestData:
    return RequestData([RequestParameter.from_input(key, value) for key, value in values.items()])


async def test_requests_share_one_keep_alive_connection(
    server: RawServer, client: KeepAliveRequest
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Done ✅", callback_data="d")]])
    for _ in range(3):
        sent = _form(chat_id=5, text="hé & co", reply_markup=keyboard)
        assert await client.post(f"{server.url}/sendMessage", sent) is True
    assert server.connections == 1
    head, _, body = server.requests[0].partition(b"\r\n\r\n")
    assert head.startswith(f"POST /bot{TOKEN}/sendMessage HTTP/1.1".encode())
    assert b"Content-Type: application/json" in head
    assert json.loads(body) == {
        "chat_id": 5,
        "text": "hé & co",
        "reply_markup": {"inline_keyboard": [[{"text": "Done ✅", "callback_data": "d"}]]},
    }


async def test_a_chunked_answer_is_read_whole(server: RawServer, client: KeepAliveRequest) -> None:
    body = json.dumps({"ok": True, "result": {"message_id": 7}}).encode()
    server.answer = lambda _request: (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + b"%x;ext=1\r\n%s\r\n" % (10, body[:10])
        + b"%x\r\n%s\r\n" % (len(body) - 10, body[10:])
        + b"0\r\nX-Trailer: yes\r\n\r\n"
    )
    for _ in range(2):  # and the connection is still good afterwards
        assert await client.post(f"{server.url}/sendMessage", _form(chat_id=1)) == {
            "message_id": 7
        }
    assert server.connections == 1


async def test_connection_close_and_http_1_0_are_not_reused(
    server: RawServer, client: KeepAliveRequest
) -> None:
    server.answer = lambda _request: _json(
        "200 OK", {"ok": True, "result": 1}, "Connection: close"
    )
    server.close_after_answer = True
    assert await client.post(f"{server.url}/getMe") == 1
    assert await client.post(f"{server.url}/getMe") == 1
    assert server.connections == 2
    body = json.dumps({"ok": True, "result": 2}).encode()
    server.answer = lambda _request: b"HTTP/1.0 200 OK\r\n\r\n" + body  # ends when it closes
    assert await client.post(f"{server.url}/getMe") == 2
    assert server.connections == 3


@pytest.mark.parametrize(
    "noticed",
    [
        pytest.param(True, id="client-saw-the-close"),  # dropped while idle, found out on reuse
        pytest.param(False, id="closed-as-reused"),  # the request meets the close: sent anew
    ],
)
async def test_a_connection_the_server_dropped_is_replaced_and_the_request_sent_once(
    server: RawServer, client: KeepAliveRequest, noticed: bool
) -> None:
    assert await client.post(f"{server.url}/getMe") is True
    server.drop_idle()
    if noticed:
        # Before the next call, the client's idle connection reads the server's close (EOF).
        (idle,) = [connection for kept in client._idle.values() for connection in kept]
        assert await asyncio.wait_for(idle.reader.read(), timeout=1) == b""
    assert await client.post(f"{server.url}/getMe") is True
    assert server.connections == 2
    assert len(server.requests) == 2


async def test_telegram_errors_keep_ptb_meaning(
    server: RawServer, client: KeepAliveRequest
) -> None:
    server.answer = lambda _request: _json(
        "429 Too Many Requests",
        {"ok": False, "error_code": 429, "description": "Too Many Requests",
         "parameters": {"retry_after": 3}},
    )  # fmt: skip
    with pytest.raises(RetryAfter):
        await client.post(f"{server.url}/sendMessage", _form(chat_id=1))
    server.answer = lambda _request: _json(
        "400 Bad Request",
        {"ok": False, "error_code": 400, "description": "Bad Request: chat is odd"},
    )
    with pytest.raises(BadRequest, match=r"(?i)chat is odd"):
        await client.post(f"{server.url}/sendMessage", _form(chat_id=1))
    assert server.connections == 1


async def test_a_silent_server_times_out_and_its_connection_is_dropped(
    server: RawServer, client: KeepAliveRequest
) -> None:
    server.answer = lambda _request: None
    # The request went out: it may have been carried out, and the error says so.
    with pytest.raises(NoAnswer):
        await client.post(f"{server.url}/getMe")
    server.answer = lambda _request: OK_TRUE
    assert await client.post(f"{server.url}/getMe") is True
    assert server.connections == 2


async def test_a_per_call_read_timeout_overrides_the_default(
    server: RawServer, client: KeepAliveRequest
) -> None:
    server.answer = lambda _request: None
    started = asyncio.get_running_loop().time()
    with pytest.raises(TimedOut):
        await client.post(f"{server.url}/getUpdates", read_timeout=0.05)
    assert asyncio.get_running_loop().time() - started < 0.4


async def test_a_full_pool_times_out_without_sending(server: RawServer) -> None:
    request = KeepAliveRequest(pool_size=1, timeouts=Timeouts(read=2, pool=0.05))
    await request.initialize()
    server.answer = lambda _request: None
    busy = asyncio.create_task(request.post(f"{server.url}/getUpdates"))
    # Once the server has it, the busy request holds the pool's only connection.
    await asyncio.wait_for(server.request_arrived.wait(), timeout=1)
    with pytest.raises(TimedOut, match="not sent"):
        await request.post(f"{server.url}/sendMessage")
    busy.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await busy
    await request.shutdown()
    assert len(server.requests) == 1


async def test_no_server_is_a_network_error(client: KeepAliveRequest) -> None:
    with socket_that_refuses() as port, pytest.raises(NetworkError, match="cannot connect"):
        await client.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")


async def test_a_garbled_answer_is_a_network_error(
    server: RawServer, client: KeepAliveRequest
) -> None:
    server.answer = lambda _request: b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"
    with pytest.raises(NetworkError):
        await client.post(f"{server.url}/getMe")


async def test_uploads_go_through_ptbs_own_client(
    server: RawServer, client: KeepAliveRequest
) -> None:
    document = InputFile(b"hello", filename="note.txt")
    await client.post(f"{server.url}/sendDocument", _form(chat_id=1, document=document))
    head, _, body = server.requests[-1].partition(b"\r\n\r\n")
    assert b"multipart/form-data" in head
    assert b"hello" in body


async def test_the_bot_sends_nudges_and_other_calls_through_it(
    server: RawServer, client: KeepAliveRequest
) -> None:
    answers = {
        b"getMe": {"id": 9, "is_bot": True, "first_name": "B", "username": "b_bot"},
        b"sendMessage": {"message_id": 41, "date": 0, "chat": {"id": 5, "type": "private"}},
    }

    def answer(request: bytes) -> bytes:
        method = request.split(b" ", 2)[1].rsplit(b"/", 1)[1]
        return _json("200 OK", {"ok": True, "result": answers[method]})

    server.answer = answer
    bot = BackCareBot(TOKEN, base_url=f"http://127.0.0.1:{server.port}/bot", request=client)
    async with bot:
        assert bot.username == "b_bot"
        assert await bot.send_nudge(5, "Water?", {"inline_keyboard": []}) == 41
        message = await bot.send_message(5, "Hello")
    assert message.message_id == 41
    assert server.connections == 1


@contextlib.contextmanager
def socket_that_refuses() -> Iterator[int]:
    """Yield a local port nobody listens on."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    yield port


@dataclass
class TlsServer:
    """The raw server behind TLS, with a certificate from a test authority."""

    raw: RawServer
    authority: trustme.CA
    port: int

    def trusting(self) -> ssl.SSLContext:
        """Return a client context that trusts the test authority."""
        context = ssl.create_default_context()
        self.authority.configure_trust(context)
        return context


@pytest.fixture
async def tls_server(server: RawServer) -> AsyncIterator[TlsServer]:
    authority = trustme.CA()
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(served)
    listening = await asyncio.start_server(server.serve, "127.0.0.1", 0, ssl=served)
    async with listening:
        yield TlsServer(server, authority, listening.sockets[0].getsockname()[1])
        server.drop_idle()


async def test_https_is_spoken_over_tls(tls_server: TlsServer) -> None:
    request = KeepAliveRequest(ssl_context=tls_server.trusting)
    await request.initialize()
    try:
        for _ in range(2):
            assert await request.post(f"https://127.0.0.1:{tls_server.port}/bot{TOKEN}/getMe")
    finally:
        await request.shutdown()
    assert tls_server.raw.connections == 1


async def test_a_certificate_no_known_authority_signed_is_refused(tls_server: TlsServer) -> None:
    request = KeepAliveRequest()  # trusts certifi's authorities, not the test one
    await request.initialize()
    try:
        with pytest.raises(NetworkError, match="CERTIFICATE_VERIFY_FAILED"):
            await request.post(f"https://127.0.0.1:{tls_server.port}/bot{TOKEN}/getMe")
    finally:
        await request.shutdown()
    assert tls_server.raw.requests == []
