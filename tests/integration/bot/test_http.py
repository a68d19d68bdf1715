"""The bot's HTTP client: keep-alive, every way a response can end, timeouts, failures,
proxies, and never a second send of a request that may have arrived."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import socket
import ssl
import struct
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlsplit

import pytest
import trustme
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.app import make_bot
from bot.telegram_io.http import AiohttpRequest, NoAnswer, Timeouts
from bot.telegram_io.sender import BackCareBot, TelegramSender
from jobs.composer.content import Written
from jobs.composer.nudge import NudgeMessage
from jobs.delivery.sending import Ambiguous, Rejected, RetryLater, Unreachable
from storage.models import NudgeKind
from tests.support.factories import nudge_texts

TOKEN = "123:abc"
# Every exchange with the local servers below ends well within this.
BOUND: Final = 5.0


def _json(status: str, payload: object, *headers: str) -> bytes:
    body = json.dumps(payload).encode()
    head = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", *headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


OK_TRUE = _json("200 OK", {"ok": True, "result": True})
# What `RawServer.answer` may return instead of bytes.
SILENCE = None  # read the request, never answer: the client times out
CLOSE: Final = b"<close>"  # read the request, then close the connection without a word
RESET: Final = b"<reset>"  # read the request, then reset the connection (RST)


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
                if answer is SILENCE:
                    continue
                if answer == RESET:
                    sock = writer.get_extra_info("socket")
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    writer.transport.abort()
                    break
                if answer == CLOSE:
                    break
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
async def client() -> AsyncIterator[AiohttpRequest]:
    request = AiohttpRequest(timeouts=Timeouts(connect=1, read=0.5, write=1, pool=0.2))
    await request.initialize()
    yield request
    await request.shutdown()


def _form(**values: object) -> RequestData:
    return RequestData([RequestParameter.from_input(key, value) for key, value in values.items()])


async def test_requests_share_one_keep_alive_connection(
    server: RawServer, client: AiohttpRequest
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Done ✅", callback_data="d")]])
    for _ in range(3):
        sent = _form(chat_id=5, text="hé & co", reply_markup=keyboard)
        assert await client.post(f"{server.url}/sendMessage", sent) is True
    assert server.connections == 1
    head, _, body = server.requests[0].partition(b"\r\n\r\n")
    assert head.startswith(f"POST /bot{TOKEN}/sendMessage HTTP/1.1".encode())
    assert b"Content-Type: application/json" in head
    assert b"User-Agent: python-telegram-bot" in head
    assert json.loads(body) == {
        "chat_id": 5,
        "text": "hé & co",
        "reply_markup": {"inline_keyboard": [[{"text": "Done ✅", "callback_data": "d"}]]},
    }


async def test_a_chunked_answer_is_read_whole(server: RawServer, client: AiohttpRequest) -> None:
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
    server: RawServer, client: AiohttpRequest
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


async def test_a_connection_the_server_closed_while_idle_is_replaced(
    server: RawServer, client: AiohttpRequest
) -> None:
    assert await client.post(f"{server.url}/getMe") is True
    closing = list(server.writers)
    server.drop_idle()
    for writer in closing:
        await writer.wait_closed()
    await asyncio.sleep(0.05)  # the client's loop reads the close (EOF) of its idle connection
    assert await client.post(f"{server.url}/getMe") is True
    assert server.connections == 2
    assert len(server.requests) == 2


@pytest.mark.parametrize("ending", [CLOSE, RESET], ids=["closed", "reset"])
async def test_a_request_read_then_unanswered_on_a_reused_connection_is_never_sent_again(
    server: RawServer, client: AiohttpRequest, ending: bytes
) -> None:
    assert await client.post(f"{server.url}/getMe") is True  # the connection is now kept
    server.answer = lambda _request: ending
    with pytest.raises(NoAnswer):
        await client.post(f"{server.url}/sendMessage", _form(chat_id=1, text="once"))
    sends = [request for request in server.requests if b"/sendMessage " in request]
    assert len(sends) == 1  # the server saw it once: the client did not try again
    assert server.connections == 1


async def test_telegram_errors_keep_ptb_meaning(server: RawServer, client: AiohttpRequest) -> None:
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
    server: RawServer, client: AiohttpRequest
) -> None:
    server.answer = lambda _request: SILENCE
    # The request went out: it may have been carried out, and the error says so.
    with pytest.raises(NoAnswer):
        await client.post(f"{server.url}/getMe")
    server.answer = lambda _request: OK_TRUE
    assert await client.post(f"{server.url}/getMe") is True
    assert server.connections == 2


async def test_a_per_call_read_timeout_overrides_the_default(
    server: RawServer, client: AiohttpRequest
) -> None:
    server.answer = lambda _request: SILENCE
    started = asyncio.get_running_loop().time()
    with pytest.raises(NoAnswer):
        await client.post(f"{server.url}/getUpdates", read_timeout=0.05)
    assert asyncio.get_running_loop().time() - started < 0.4


async def test_a_full_pool_times_out_without_sending(server: RawServer) -> None:
    request = AiohttpRequest(pool_size=1, timeouts=Timeouts(read=2, pool=0.05))
    await request.initialize()
    server.answer = lambda _request: SILENCE
    busy = asyncio.create_task(request.post(f"{server.url}/getUpdates"))
    # Once the server has it, the busy request holds the pool's only connection.
    await asyncio.wait_for(server.request_arrived.wait(), timeout=BOUND)
    with pytest.raises(TimedOut, match="not sent") as raised:
        await request.post(f"{server.url}/sendMessage")
    assert not isinstance(raised.value, NoAnswer)
    busy.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await busy
    await request.shutdown()
    assert len(server.requests) == 1


async def test_no_server_is_a_network_error_safe_to_retry(client: AiohttpRequest) -> None:
    with socket_that_refuses() as port, pytest.raises(NetworkError, match="not sent") as raised:
        await client.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
    assert not isinstance(raised.value, NoAnswer)


async def test_a_garbled_answer_is_no_answer(server: RawServer, client: AiohttpRequest) -> None:
    server.answer = lambda _request: b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"
    with pytest.raises(NoAnswer) as raised:
        await client.post(f"{server.url}/getMe")
    assert TOKEN not in str(raised.value)


@pytest.mark.parametrize("ending", [SILENCE, CLOSE, RESET], ids=["silence", "closed", "reset"])
async def test_no_answer_never_shows_the_token(
    server: RawServer, client: AiohttpRequest, ending: bytes | None
) -> None:
    server.answer = lambda _request: ending
    with pytest.raises(NoAnswer) as raised:
        await client.post(f"{server.url}/getMe")
    assert TOKEN not in str(raised.value)
    assert TOKEN not in repr(raised.value)


async def test_uploads_go_as_multipart_over_the_same_connections(
    server: RawServer, client: AiohttpRequest
) -> None:
    assert await client.post(f"{server.url}/getMe") is True
    document = InputFile(b"hello", filename="note.txt")
    await client.post(
        f"{server.url}/sendDocument", _form(chat_id=1, caption="hé", document=document)
    )
    head, _, body = server.requests[-1].partition(b"\r\n\r\n")
    assert b"multipart/form-data" in head
    assert b"hello" in body
    assert b'filename="note.txt"' in body
    assert b'name="chat_id"\r\n' in body
    assert "hé".encode() in body
    assert server.connections == 1


def _bot_answers(request: bytes) -> bytes:
    answers = {
        b"getMe": {"id": 9, "is_bot": True, "first_name": "B", "username": "b_bot"},
        b"sendMessage": {"message_id": 41, "date": 0, "chat": {"id": 5, "type": "private"}},
    }
    method = request.split(b" ", 2)[1].rsplit(b"/", 1)[1]
    return _json("200 OK", {"ok": True, "result": answers[method]})


async def test_the_bot_sends_nudges_and_other_calls_through_it(
    server: RawServer, client: AiohttpRequest
) -> None:
    server.answer = _bot_answers
    bot = BackCareBot(TOKEN, base_url=f"http://127.0.0.1:{server.port}/bot", request=client)
    async with bot:
        assert bot.username == "b_bot"
        assert await bot.send_nudge(5, "Water?", {"inline_keyboard": []}) == 41
        message = await bot.send_message(5, "Hello")
    assert message.message_id == 41
    assert server.connections == 1


def _error(code: int, description: str, **parameters: object) -> bytes:
    answer: dict[str, object] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        answer["parameters"] = parameters
    return _json(f"{code} Whatever", answer)


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        (_error(429, "Too Many Requests", retry_after=3), RetryLater),
        (_error(403, "Forbidden: bot was blocked by the user"), Unreachable),
        (_error(400, "Bad Request: chat not found"), Unreachable),
        (_error(400, "Bad Request: message is too long"), Rejected),
        (SILENCE, Ambiguous),
        (RESET, Ambiguous),
    ],
    ids=["429", "403", "400-chat-not-found", "400", "silence", "reset"],
)
async def test_the_sender_turns_each_answer_into_the_outboxs_terms(
    server: RawServer, client: AiohttpRequest, answer: bytes | None, outcome: type[Exception]
) -> None:
    bot = BackCareBot(TOKEN, base_url=f"http://127.0.0.1:{server.port}/bot", request=client)
    server.answer = _bot_answers
    async with bot:
        server.answer = lambda _request: answer
        with pytest.raises(outcome):
            await TelegramSender(bot, nudge_texts()).send(
                5, NudgeMessage(NudgeKind.WATER, Written("Water?"), ())
            )
    assert len([request for request in server.requests if b"sendMessage" in request]) == 1


async def test_a_refused_connection_is_not_ambiguous_for_the_sender(
    server: RawServer, client: AiohttpRequest
) -> None:
    server.answer = _bot_answers
    bot = BackCareBot(TOKEN, base_url=f"http://127.0.0.1:{server.port}/bot", request=client)
    async with bot:
        with socket_that_refuses() as port:
            bot._base_url = f"http://127.0.0.1:{port}/bot{TOKEN}"
            with pytest.raises(NetworkError) as raised:
                await TelegramSender(bot, nudge_texts()).send(
                    5, NudgeMessage(NudgeKind.WATER, Written("Water?"), ())
                )
    # Not Ambiguous: the outbox counts it transient and tries again.
    assert not isinstance(raised.value, NoAnswer)


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
    request = AiohttpRequest(ssl_context=tls_server.trusting)
    await request.initialize()
    try:
        for _ in range(2):
            assert await request.post(f"https://127.0.0.1:{tls_server.port}/bot{TOKEN}/getMe")
    finally:
        await request.shutdown()
    assert tls_server.raw.connections == 1


async def test_a_certificate_no_known_authority_signed_is_refused(tls_server: TlsServer) -> None:
    request = AiohttpRequest()  # trusts certifi's authorities, not the test one
    await request.initialize()
    try:
        with pytest.raises(NetworkError, match="CERTIFICATE_VERIFY_FAILED") as raised:
            await request.post(f"https://127.0.0.1:{tls_server.port}/bot{TOKEN}/getMe")
    finally:
        await request.shutdown()
    assert not isinstance(raised.value, NoAnswer)
    assert tls_server.raw.requests == []


# -- proxies ---------------------------------------------------------------------------------


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()


@dataclass
class Proxy:
    """A tiny local proxy: HTTP (CONNECT tunnels and absolute-form forwarding) or SOCKS5."""

    heads: list[bytes] = field(default_factory=list)  # HTTP: what each connection began with
    targets: list[tuple[str, int]] = field(default_factory=list)  # where it was asked to go
    writers: list[asyncio.StreamWriter] = field(default_factory=list)
    port: int = 0

    async def _splice(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        host: str,
        port: int,
        first: bytes = b"",
    ) -> None:
        self.targets.append((host, port))
        upstream_reader, upstream_writer = await asyncio.open_connection(host, port)
        self.writers.append(upstream_writer)
        upstream_writer.write(first)
        await asyncio.gather(_pipe(reader, upstream_writer), _pipe(upstream_reader, writer))

    async def http(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.append(writer)
        head = await reader.readuntil(b"\r\n\r\n")
        self.heads.append(head)
        method, target, _ = head.split(b"\r\n", 1)[0].decode().split(" ")
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await self._splice(reader, writer, host, int(port))
        else:  # forwarded as it came: the stand-in reads an absolute-form target as well
            parts = urlsplit(target)
            await self._splice(reader, writer, parts.hostname or "", parts.port or 80, head)

    async def socks5(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.append(writer)
        _version, methods = await reader.readexactly(2)
        await reader.readexactly(methods)
        writer.write(b"\x05\x00")  # no authentication
        _version, _command, _reserved, kind = await reader.readexactly(4)
        if kind == 1:
            host = socket.inet_ntoa(await reader.readexactly(4))
        else:  # 3: a name, resolved here
            host = (await reader.readexactly((await reader.readexactly(1))[0])).decode()
        port = int.from_bytes(await reader.readexactly(2), "big")
        writer.write(b"\x05\x00\x00\x01" + bytes(6))
        await self._splice(reader, writer, host, port)

    def close(self) -> None:
        for writer in self.writers:
            writer.close()


@contextlib.asynccontextmanager
async def proxy_serving(kind: str) -> AsyncIterator[Proxy]:
    proxy = Proxy()
    listening = await asyncio.start_server(
        proxy.socks5 if kind == "socks5" else proxy.http, "127.0.0.1", 0
    )
    proxy.port = listening.sockets[0].getsockname()[1]
    async with listening:
        try:
            yield proxy
        finally:
            proxy.close()


async def test_an_http_proxy_forwards_the_calls_with_its_credentials(server: RawServer) -> None:
    async with proxy_serving("http") as proxy, asyncio.timeout(BOUND):
        request = AiohttpRequest(proxy=f"http://backcare:s3cret@127.0.0.1:{proxy.port}")
        await request.initialize()
        try:
            for _ in range(2):
                assert await request.post(f"{server.url}/getMe") is True
        finally:
            await request.shutdown()
    assert len(server.requests) == 2
    assert proxy.targets == [("127.0.0.1", server.port)]  # one kept connection
    assert proxy.heads[0].startswith(f"POST {server.url}/getMe HTTP/1.1".encode())
    credentials = base64.b64encode(b"backcare:s3cret").decode()
    assert f"Proxy-Authorization: Basic {credentials}".encode() in proxy.heads[0]


async def test_an_http_proxy_tunnels_https_with_connect(tls_server: TlsServer) -> None:
    async with proxy_serving("http") as proxy, asyncio.timeout(BOUND):
        request = AiohttpRequest(
            proxy=f"http://127.0.0.1:{proxy.port}", ssl_context=tls_server.trusting
        )
        await request.initialize()
        try:
            assert await request.post(f"https://127.0.0.1:{tls_server.port}/bot{TOKEN}/getMe")
        finally:
            await request.shutdown()
    assert proxy.heads[0].startswith(f"CONNECT 127.0.0.1:{tls_server.port} ".encode())
    assert len(tls_server.raw.requests) == 1


async def test_the_bot_reaches_telegram_through_a_socks5_proxy(server: RawServer) -> None:
    server.answer = _bot_answers
    async with proxy_serving("socks5") as proxy, asyncio.timeout(BOUND):
        bot = make_bot(
            TOKEN, f"http://127.0.0.1:{server.port}/bot", proxy=f"socks5://127.0.0.1:{proxy.port}"
        )
        async with bot:
            assert bot.username == "b_bot"
            assert await bot.send_nudge(5, "Water?", {"inline_keyboard": []}) == 41
    assert proxy.targets == [("127.0.0.1", server.port)]
    assert len(server.requests) == 2


async def test_a_socks5_proxy_that_is_not_there_is_a_network_error() -> None:
    with socket_that_refuses() as port:
        request = AiohttpRequest(proxy=f"socks5://127.0.0.1:{port}")
        await request.initialize()
        try:
            with pytest.raises(NetworkError, match="not sent") as raised:
                await request.post(f"http://127.0.0.1:9/bot{TOKEN}/getMe")
        finally:
            await request.shutdown()
    assert not isinstance(raised.value, NoAnswer)


async def test_a_bot_that_cannot_reach_telegram_closes_its_sessions() -> None:
    with socket_that_refuses() as port:
        bot = make_bot(TOKEN, f"http://127.0.0.1:{port}/bot")
        with pytest.raises(NetworkError, match="not sent"):
            await bot.initialize()
    # Left open, aiohttp would complain at exit ("Unclosed client session").
    assert all(request._session is None for request in bot._request)  # type: ignore[attr-defined]
