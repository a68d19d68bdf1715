"""A TCP forwarder on 127.0.0.1 that fakes database outages for the fault tests.

It passes bytes between clients and a target (PostgreSQL) until told otherwise:
- `silence()`: every open connection stops passing bytes, both ways, without closing
  (a database or network that has gone silent); new connections are refused meanwhile
  unless `accept_new=True`.
- `refuse()`: new connections are closed at once (the database is down).
- `restore()`: new connections are forwarded again (silenced ones stay silent for good).
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from urllib.parse import urlsplit


class Forwarder:
    """Forward 127.0.0.1:<port> to a target address, with outages on demand."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket, threading.Event]] = []
        self._refusing = False
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> Forwarder:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._closed.set()
        self._listener.close()
        with self._lock:
            for client, upstream, stopped in self._pairs:
                stopped.set()
                for end in (client, upstream):
                    with contextlib.suppress(OSError):
                        end.close()

    def silence(self, *, accept_new: bool = False) -> None:
        """Stop every open connection passing bytes; refuse new ones unless told to accept."""
        with self._lock:
            for _, _, stopped in self._pairs:
                stopped.set()
            self._refusing = not accept_new

    def refuse(self) -> None:
        """Close new connections at once."""
        with self._lock:
            self._refusing = True

    def restore(self) -> None:
        """Forward new connections again."""
        with self._lock:
            self._refusing = False

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                refusing = self._refusing
            if refusing:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            stopped = threading.Event()
            with self._lock:
                self._pairs.append((client, upstream, stopped))
            threading.Thread(
                target=self._pump, args=(client, upstream, stopped), daemon=True
            ).start()

    def _pump(
        self, client: socket.socket, upstream: socket.socket, stopped: threading.Event
    ) -> None:
        selector = selectors.DefaultSelector()
        selector.register(client, selectors.EVENT_READ, upstream)
        selector.register(upstream, selectors.EVENT_READ, client)
        try:
            while not self._closed.is_set():
                if stopped.is_set():
                    # Silent: hold the sockets open, pass nothing, until the test ends.
                    self._closed.wait(0.1)
                    continue
                for key, _ in selector.select(timeout=0.1):
                    if stopped.is_set():
                        break
                    source = key.fileobj
                    assert isinstance(source, socket.socket)
                    try:
                        data = source.recv(65536)
                    except OSError:
                        data = b""
                    if not data:
                        return
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            selector.close()
            if not stopped.is_set():
                for end in (client, upstream):
                    with contextlib.suppress(OSError):
                        end.close()


@contextmanager
def in_front_of(url: str) -> Iterator[tuple[Forwarder, str]]:
    """Put a forwarder in front of a PostgreSQL URL; yield it and the URL that goes through it."""
    target = urlsplit(url.replace("postgresql+asyncpg", "postgresql"))
    host, port = target.hostname or "127.0.0.1", target.port or 5432
    with Forwarder((host, port)) as forwarder:
        yield (
            forwarder,
            url.replace(f"{target.hostname}:{target.port}", f"127.0.0.1:{forwarder.port}"),
        )
