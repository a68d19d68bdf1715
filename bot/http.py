"""A lean HTTP/1.1 client for python-telegram-bot: keep-alive connections, nothing more.

PTB's default client (httpx) costs about a millisecond of CPU per call here, which caps one
process near 700 nudges a second (see `bench/`). Every Bot API call the bot makes is a small
JSON POST with a small JSON answer, so this client speaks just that much HTTP/1.1
over a pool of keep-alive connections (TLS for https): Content-Length, chunked or
until-close bodies, and each of PTB's four timeouts. Uploads (multipart) go to PTB's own
httpx client. PTB still owns everything above the wire: the Bot API's error codes become
its `RetryAfter`, `Forbidden`, `BadRequest` and so on, exactly as with httpx.
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

import certifi
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

log = logging.getLogger(__name__)


class NoAnswer(TimedOut):
    """The request went out but no answer came back (in time): it may have been carried out."""


_HEAD_END: Final = b"\r\n\r\n"
_MAX_HEAD: Final = 64 * 1024
# An idle connection is dropped after this long, before a server would drop it under us.
_KEEP_IDLE_SECONDS: Final = 15.0


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds to wait for each stage of a request (None: no limit), as PTB names them."""

    connect: float | None = 5.0
    read: float | None = 5.0
    write: float | None = 5.0
    pool: float | None = 1.0


@dataclass(frozen=True, slots=True)
class _Origin:
    scheme: str
    host: str
    port: int

    @property
    def tls(self) -> bool:
        return self.scheme == "https"


class _Connection:
    """One keep-alive connection: a request, then its response, then maybe another."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.idle_since = time.monotonic()
        self.reusable = True

    def usable(self) -> bool:
        """Tell whether an idle connection can take another request."""
        fresh = time.monotonic() - self.idle_since < _KEEP_IDLE_SECONDS
        # A server that closed its end meanwhile has left EOF behind.
        return fresh and not self.reader.at_eof() and not self.writer.is_closing()

    async def send(self, request: bytes, drain_timeout: float | None) -> None:
        self.writer.write(request)
        if self.writer.transport.get_write_buffer_size():  # the socket did not take it all
            async with asyncio.timeout(drain_timeout):
                await self.writer.drain()

    async def receive(self) -> tuple[int, bytes]:
        """Read one response: status code and body."""
        head = await self.reader.readuntil(_HEAD_END)
        if len(head) > _MAX_HEAD:
            raise ValueError("response head too large")
        lines = head[:-4].split(b"\r\n")
        version, _, rest = lines[0].partition(b" ")
        status = int(rest[:3])
        length: int | None = None
        chunked = False
        connection = b""
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                connection = value.strip().lower()
        if version == b"HTTP/1.0":
            self.reusable = connection == b"keep-alive"
        else:
            self.reusable = connection != b"close"
        if chunked:
            return status, await self._chunks()
        if 100 <= status < 200:
            # Never asked for (no Expect: 100-continue); what follows cannot be trusted.
            self.reusable = False
            return status, b""
        if status in (204, 304):
            return status, b""
        if length is None:
            self.reusable = False
            return status, await self.reader.read()
        return status, await self.reader.readexactly(length)

    async def _chunks(self) -> bytes:
        parts: list[bytes] = []
        while size := int(await self._line_before(b";"), 16):
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)
        while await self.reader.readline() not in (b"\r\n", b"\n", b""):
            pass  # trailers
        return b"".join(parts)

    async def _line_before(self, separator: bytes) -> bytes:
        return (await self.reader.readline()).split(separator, 1)[0].strip() or b"0"

    def close(self) -> None:
        self.writer.close()


class KeepAliveRequest(BaseRequest):
    """PTB's `BaseRequest` over a small pool of keep-alive HTTP/1.1 connections."""

    def __init__(
        self,
        *,
        pool_size: int = 256,
        timeouts: Timeouts | None = None,
        ssl_context: Callable[[], ssl.SSLContext] = lambda: ssl.create_default_context(
            cafile=certifi.where()  # the CA bundle httpx trusts, whatever the system has
        ),
    ) -> None:
        self.timeouts = timeouts or Timeouts()
        self._pool_size = pool_size
        self._ssl_context = ssl_context
        self._tls: ssl.SSLContext | None = None
        self._slots: asyncio.Semaphore | None = None
        self._idle: dict[_Origin, list[_Connection]] = {}
        self._origins: dict[str, tuple[_Origin, bytes]] = {}
        self._uploads = HTTPXRequest(
            connection_pool_size=4,
            read_timeout=self.timeouts.read,
            write_timeout=self.timeouts.write,
            connect_timeout=self.timeouts.connect,
            pool_timeout=self.timeouts.pool,
        )

    @property
    def read_timeout(self) -> float | None:
        """See `BaseRequest.read_timeout`."""
        return self.timeouts.read

    async def initialize(self) -> None:
        """Nothing to open ahead: connections are made on first use."""
        self._slots = self._slots or asyncio.Semaphore(self._pool_size)
        await self._uploads.initialize()

    async def shutdown(self) -> None:
        """Close every idle connection (busy ones close when their request ends)."""
        for connections in self._idle.values():
            for connection in connections:
                connection.close()
        self._idle.clear()
        await self._uploads.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """See `BaseRequest.do_request`."""
        read = _chosen(read_timeout, self.timeouts.read)
        write = _chosen(write_timeout, self.timeouts.write)
        connect = _chosen(connect_timeout, self.timeouts.connect)
        pool = _chosen(pool_timeout, self.timeouts.pool)
        if request_data is not None and request_data.contains_files:
            return await self._uploads.do_request(
                url, method, request_data, read, write, connect, pool
            )
        origin, target = self._origin(url)
        # JSON, one of the Bot API's request forms: json.dumps is C, urlencode is not (it
        # cost a third of this client's time on a nudge's text).
        body = b"" if request_data is None else json.dumps(request_data.parameters).encode()
        request = b"%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\n" % (
            method.encode(),
            target,
            origin.host.encode("idna"),
            self.USER_AGENT.encode(),
        )
        if body or method != "GET":
            request += b"Content-Type: application/json\r\n"
            request += b"Content-Length: %d\r\n" % len(body)
        request += b"\r\n" + body
        if self._slots is None:
            raise RuntimeError("this KeepAliveRequest is not initialized")
        try:
            if self._slots.locked():
                async with asyncio.timeout(pool):
                    await self._slots.acquire()
            else:
                await self._slots.acquire()
        except TimeoutError as error:
            raise TimedOut(
                "Pool timeout: every connection is busy; the request was not sent."
            ) from error
        try:
            status, payload = await self._exchange(
                origin, request, connect=connect, write=write, read=read
            )
        finally:
            self._slots.release()
        if log.isEnabledFor(logging.DEBUG):
            log.debug("HTTP request: %s %s %d", method, url, status)  # the token is redacted
        return status, payload

    async def _exchange(
        self,
        origin: _Origin,
        request: bytes,
        *,
        connect: float | None,
        write: float | None,
        read: float | None,
        fresh: bool = False,
    ) -> tuple[int, bytes]:
        connection, reused = await self._connection(origin, connect, fresh=fresh)
        written = False
        try:
            await connection.send(request, write)
            written = True
            async with asyncio.timeout(read):
                status, payload = await connection.receive()
        except (ConnectionResetError, asyncio.IncompleteReadError) as error:
            connection.close()
            unanswered = not isinstance(error, asyncio.IncompleteReadError) or not error.partial
            if reused and unanswered:
                # The server closed an idle connection as we reused it; it never read this
                # request (it answers what it reads), so send it once more on a new one.
                return await self._exchange(
                    origin, request, connect=connect, write=write, read=read, fresh=True
                )
            if written:
                raise NoAnswer(f"{type(error).__name__} after the request went out") from error
            raise NetworkError(f"{type(error).__name__}: {error}") from error
        except TimeoutError as error:
            connection.close()
            if written:
                raise NoAnswer("no answer within the read timeout") from error
            raise TimedOut from error
        except (OSError, EOFError, ValueError) as error:
            connection.close()
            raise NetworkError(f"{type(error).__name__}: {error}") from error
        except BaseException:
            connection.close()  # cancelled halfway: the connection is in an unknown state
            raise
        if connection.reusable:
            connection.idle_since = time.monotonic()
            self._idle.setdefault(origin, []).append(connection)
        else:
            connection.close()
        return status, payload

    async def _connection(
        self, origin: _Origin, connect: float | None, *, fresh: bool
    ) -> tuple[_Connection, bool]:
        """Return an idle connection to reuse (and True), or a new one (and False)."""
        idle = [] if fresh else self._idle.get(origin, [])
        while idle:
            connection = idle.pop()
            if connection.usable():
                return connection, True
            connection.close()
        if origin.tls and self._tls is None:
            self._tls = self._ssl_context()
        try:
            async with asyncio.timeout(connect):
                reader, writer = await asyncio.open_connection(
                    origin.host,
                    origin.port,
                    ssl=self._tls if origin.tls else None,
                    limit=_MAX_HEAD,
                )
        except TimeoutError as error:
            raise TimedOut("Timed out connecting to the Bot API") from error
        except OSError as error:
            raise NetworkError(f"cannot connect to the Bot API: {error}") from error
        return _Connection(reader, writer), False

    def _origin(self, url: str) -> tuple[_Origin, bytes]:
        known = self._origins.get(url)
        if known is None:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise NetworkError(f"not an http(s) URL: {parts.scheme}://{parts.hostname}")
            port = parts.port or (443 if parts.scheme == "https" else 80)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            known = (_Origin(parts.scheme, parts.hostname, port), target.encode())
            if len(self._origins) < 1024:  # a handful of endpoints; never grows unbounded
                self._origins[url] = known
        return known


def _chosen(given: object, default: float | None) -> float | None:
    """Return a timeout PTB passed, or ours when it passed its DEFAULT_NONE marker."""
    if given is None or isinstance(given, int | float):
        return given
    return default
