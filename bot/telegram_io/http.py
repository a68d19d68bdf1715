"""PTB's `BaseRequest` over aiohttp: keep-alive connections, proxies, and no second send.

PTB's default client (httpx) costs about a millisecond of CPU per call here, which caps one
process near 700 nudges a second (see `bench/`). aiohttp is maintained, speaks HTTP and
SOCKS proxies (with aiohttp-socks), and costs a fraction of that. PTB still owns everything
above the wire: the Bot API's error codes become its `RetryAfter`, `Forbidden`,
`BadRequest` and so on, exactly as with httpx.

What this layer adds is the promise the outbox relies on: a request that may have reached
Telegram is never sent again. Every Bot API call is a POST, which aiohttp never retries
(it retries a reused connection's failure for idempotent methods only) and redirects are
not followed. An error that may come after the first byte went out is `NoAnswer`; only a
failure to get a connection at all (refused, unreachable, timed out, pool full, proxy
refused) is a plain `NetworkError` or `TimedOut`, safe to retry.
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

import aiohttp
import aiohttp_socks
import certifi
from aiohttp.payload import BytesPayload
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from yarl import URL

log = logging.getLogger(__name__)


class NoAnswer(TimedOut):
    """The request went out but no answer came back (in time): it may have been carried out."""


# An idle connection is dropped after this long, before a server would drop it under us.
_KEEP_IDLE_SECONDS: Final = 15.0
SOCKS_SCHEMES: Final = frozenset({"socks4", "socks5"})
HTTP_PROXY_SCHEMES: Final = frozenset({"http", "https"})


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds to wait for each stage of a request (None: no limit), as PTB names them."""

    connect: float | None = 5.0
    read: float | None = 5.0
    write: float | None = 5.0
    pool: float | None = 1.0


def certifi_context() -> ssl.SSLContext:
    """Return a TLS context trusting certifi's authorities, whatever the system has."""
    return ssl.create_default_context(cafile=certifi.where())


class AiohttpRequest(BaseRequest):
    """PTB's `BaseRequest` over one aiohttp session with a pool of keep-alive connections."""

    def __init__(
        self,
        *,
        pool_size: int = 256,
        timeouts: Timeouts | None = None,
        proxy: str = "",
        ssl_context: Callable[[], ssl.SSLContext] = certifi_context,
    ) -> None:
        scheme = urlsplit(proxy).scheme
        if proxy and scheme not in SOCKS_SCHEMES | HTTP_PROXY_SCHEMES:
            raise ValueError(f"unsupported proxy scheme {scheme!r}")
        self.timeouts = timeouts or Timeouts()
        self._pool_size = pool_size
        self._proxy = proxy
        self._ssl_context = ssl_context
        self._session: aiohttp.ClientSession | None = None
        self._slots = asyncio.Semaphore(pool_size)
        self._client_timeouts: dict[tuple[float | None, ...], aiohttp.ClientTimeout] = {}
        self._urls: dict[str, URL] = {}

    @property
    def read_timeout(self) -> float | None:
        """See `BaseRequest.read_timeout`."""
        return self.timeouts.read

    async def initialize(self) -> None:
        """Open the session (connections are made on first use)."""
        if self._session is not None and not self._session.closed:
            return
        # Reading the CA bundle is file I/O: off the event loop.
        tls = await asyncio.to_thread(self._ssl_context)
        self._slots = asyncio.Semaphore(self._pool_size)
        connector: aiohttp.TCPConnector
        if urlsplit(self._proxy).scheme in SOCKS_SCHEMES:
            # socks5 names are resolved by the proxy: a local resolver may hide Telegram.
            connector = aiohttp_socks.ProxyConnector.from_url(
                self._proxy,
                rdns=True if self._proxy.startswith("socks5") else None,
                limit=self._pool_size,
                keepalive_timeout=_KEEP_IDLE_SECONDS,
                ssl=tls,
            )
            http_proxy = None
        else:
            connector = aiohttp.TCPConnector(
                limit=self._pool_size, keepalive_timeout=_KEEP_IDLE_SECONDS, ssl=tls
            )
            http_proxy = self._proxy or None
        self._session = aiohttp.ClientSession(
            connector=connector,
            proxy=http_proxy,
            headers={"User-Agent": self.USER_AGENT},
            # Nothing here needs cookies, or compressed answers of a few hundred bytes.
            cookie_jar=aiohttp.DummyCookieJar(),
            skip_auto_headers=("Accept-Encoding",),
            timeout=aiohttp.ClientTimeout(total=None),
        )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None

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
        session = self._session
        if session is None:
            raise RuntimeError("this AiohttpRequest is not initialized")
        uploading = request_data is not None and request_data.contains_files
        timeout = self._client_timeout(
            _chosen(connect_timeout, self.timeouts.connect),
            # A JSON call has no separate write limit (see `_client_timeout`).
            _chosen(write_timeout, self.timeouts.write) if uploading else None,
            _chosen(read_timeout, self.timeouts.read),
        )
        data: BytesPayload | aiohttp.FormData | None = None
        if request_data is not None:
            if uploading:
                data = _form(request_data)
            else:
                # JSON, one of the Bot API's request forms: json.dumps is C, urlencode is not.
                body = json.dumps(request_data.parameters).encode()
                data = BytesPayload(body, content_type="application/json")
        await self._take_slot(_chosen(pool_timeout, self.timeouts.pool))
        try:
            async with session.request(
                method, self._url(url), data=data, timeout=timeout, allow_redirects=False
            ) as response:
                payload = await response.read()
                status = response.status
        except (aiohttp.ConnectionTimeoutError, aiohttp_socks.ProxyTimeoutError) as error:
            raise TimedOut("Timed out connecting; the request was not sent") from error
        except (
            aiohttp.ClientConnectorError,  # refused, unreachable, DNS, TLS handshake
            aiohttp.ClientHttpProxyError,  # the proxy refused the CONNECT
            aiohttp_socks.ProxyConnectionError,
            aiohttp_socks.ProxyError,
            aiohttp.InvalidURL,
        ) as error:
            raise NetworkError(
                f"cannot connect ({_reason(error, url)}); the request was not sent"
            ) from error
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            # The request may have been written, read and carried out: never send it again.
            raise NoAnswer(f"no answer ({_reason(error, url)})") from error
        finally:
            self._slots.release()
        if log.isEnabledFor(logging.DEBUG):
            log.debug("HTTP request: %s %s %d", method, url, status)  # the token is redacted
        return status, payload

    async def _take_slot(self, pool: float | None) -> None:
        """Wait up to `pool` seconds for one of the pool's connections."""
        if not self._slots.locked():
            await self._slots.acquire()  # free: no timer to set up
            return
        try:
            async with asyncio.timeout(pool):
                await self._slots.acquire()
        except TimeoutError as error:
            raise TimedOut(
                "Pool timeout: every connection is busy; the request was not sent."
            ) from error

    def _url(self, url: str) -> URL:
        """Return `url` parsed, once per endpoint (a few dozen Bot API methods)."""
        parsed = self._urls.get(url)
        if parsed is None:
            parsed = URL(url)
            if len(self._urls) < 1024:  # never grows unbounded
                self._urls[url] = parsed
        return parsed

    def _client_timeout(
        self, connect: float | None, write: float | None, read: float | None
    ) -> aiohttp.ClientTimeout:
        """Return aiohttp's timeouts for PTB's, made once per set (nearly always the defaults).

        aiohttp times connecting and each wait for the answer's bytes, but not the writing.
        A JSON call's few hundred bytes go into the socket's buffer at once, and the wait
        for the answer begins then; an upload's writing is bounded by the whole request's
        limit, connect + write + read.
        """
        key = (connect, write, read)
        timeout = self._client_timeouts.get(key)
        if timeout is None:
            total = None
            if connect is not None and write is not None and read is not None:
                total = connect + write + read
            timeout = aiohttp.ClientTimeout(
                total=total, connect=connect, sock_connect=connect, sock_read=read
            )
            if len(self._client_timeouts) < 64:  # a handful of sets; never grows unbounded
                self._client_timeouts[key] = timeout
        return timeout


def _form(request_data: RequestData) -> aiohttp.FormData:
    """Return an upload as multipart form data: its files, and its other values as text."""
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form


def _reason(error: BaseException, url: str) -> str:
    """Describe an error without the request's URL, which holds the bot token."""
    if isinstance(error, aiohttp.ClientResponseError):
        text = error.message  # its str() shows the URL
    elif isinstance(error, aiohttp.InvalidURL):
        text = "not a valid URL"
    else:
        text = str(error)
    for secret in (url, urlsplit(url).path):
        text = text.replace(secret, "[url]")
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _chosen(given: object, default: float | None) -> float | None:
    """Return a timeout PTB passed, or ours when it passed its DEFAULT_NONE marker."""
    if given is None or isinstance(given, int | float):
        return given
    return default
