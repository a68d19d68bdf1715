"""A local stand-in for the Telegram Bot API that the real bot can long-poll in tests.

The bot talks to it exactly as it talks to Telegram: python-telegram-bot is pointed at
``stub.base_url`` and sends ``POST /bot<TOKEN>/<method>`` requests. Tests play the users
(``send_text``, ``press``) and read what the bot sent (``sent``, ``wait_for``, ``calls``).

Run ``python -m tests.support.botapi_stub --port 8081`` to try the bot by hand against it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import email.parser
import email.policy
import hashlib
import json
import logging
import re
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from html.parser import HTMLParser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

JsonDict = dict[str, Any]
MessagePredicate = Callable[[JsonDict], bool]
ParamsPredicate = Callable[[JsonDict], bool]

_LOG = logging.getLogger(__name__)

_PATH = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[A-Za-z0-9_]+)/?")
_FIRST_UPDATE_ID = 100_000_001
_DEFAULT_BOT_ID = 1_000_000_001
_MAX_TEXT_LENGTH = 4096
_MAX_CAPTION_LENGTH = 1024
_PNG = b"\x89PNG\r\n\x1a\n"
_MAX_CALLBACK_DATA_BYTES = 64

# PTB sends a form-encoded body in which str values travel as they are and every other value
# is json.dumps'ed, so the wire cannot tell the text "123" from the number 123. Like the real
# server, decode by parameter name; anything not listed here stays a string.
_JSON_PARAMS = frozenset(
    {
        "allowed_updates",
        "button",
        "caption_entities",
        "commands",
        "entities",
        "explanation_entities",
        "link_preview_options",
        "media",
        "menu_button",
        "message_ids",
        "options",
        "permissions",
        "prices",
        "reaction",
        "reply_markup",
        "reply_parameters",
        "results",
        "rights",
        "scope",
    }
)
_CHAT_ID_PARAMS = frozenset({"chat_id", "from_chat_id", "sender_chat_id"})
_INT_PARAMS = frozenset(
    {
        "cache_time",
        "close_date",
        "duration",
        "height",
        "limit",
        "max_connections",
        "message_id",
        "message_thread_id",
        "offset",
        "open_period",
        "reply_to_message_id",
        "until_date",
        "user_id",
        "width",
    }
)
_NUMBER_PARAMS = frozenset({"horizontal_accuracy", "latitude", "longitude", "timeout"})
_BOOL_PARAMS = frozenset(
    {
        "allow_paid_broadcast",
        "allow_sending_without_reply",
        "disable_content_type_detection",
        "disable_notification",
        "disable_web_page_preview",
        "drop_pending_updates",
        "has_spoiler",
        "is_anonymous",
        "is_personal",
        "only_if_banned",
        "protect_content",
        "revoke_messages",
        "show_alert",
        "show_caption_above_media",
        "supports_streaming",
    }
)
# What Telegram delivers while allowed_updates is unset or empty.
_UPDATES_OFF_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_CHAT_ACTIONS = frozenset(
    {
        "choose_sticker",
        "find_location",
        "record_video",
        "record_video_note",
        "record_voice",
        "typing",
        "upload_document",
        "upload_photo",
        "upload_video",
        "upload_video_note",
        "upload_voice",
    }
)
_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "blockquote",
        "code",
        "del",
        "em",
        "i",
        "ins",
        "pre",
        "s",
        "span",
        "strike",
        "strong",
        "tg-emoji",
        "tg-spoiler",
        "u",
    }
)
_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_BUTTON_ACTIONS = frozenset(
    {
        "callback_data",
        "callback_game",
        "copy_text",
        "login_url",
        "pay",
        "switch_inline_query",
        "switch_inline_query_chosen_chat",
        "switch_inline_query_current_chat",
        "url",
        "web_app",
    }
)
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")


def _file(unique: str, **fields: Any) -> JsonDict:
    return {"file_id": f"AgAC{unique}-file", "file_unique_id": f"AQAD{unique}", **fields}


# What a message's media field holds, per kind, in the shapes Telegram sends.
_MEDIA: dict[str, Any] = {
    "sticker": _file(
        "stk",
        type="regular",
        width=512,
        height=512,
        is_animated=False,
        is_video=False,
        emoji="👍",
        set_name="HotCherry",
        file_size=23_000,
    ),
    "voice": _file("voc", duration=4, mime_type="audio/ogg", file_size=9_800),
    "photo": [
        _file("ph1", width=90, height=67, file_size=1_400),
        _file("ph2", width=1280, height=960, file_size=120_000),
    ],
    "video": _file("vid", width=720, height=1280, duration=7, mime_type="video/mp4"),
    "video_note": _file("vnt", length=384, duration=5, file_size=210_000),
    "animation": _file("gif", width=320, height=240, duration=2, file_name="wave.mp4"),
    "document": _file("doc", file_name="mri_report.pdf", mime_type="application/pdf"),
    "audio": _file("aud", duration=180, mime_type="audio/mpeg", title="Calm breathing"),
    "location": {"latitude": 52.520008, "longitude": 13.404954},
    "contact": {"phone_number": "+4915112345678", "first_name": "Dr Weber", "user_id": 5551},
}


@dataclass(frozen=True)
class ApiCall:
    """One request the bot made: the method as sent, its decoded parameters and our answer."""

    method: str
    params: JsonDict
    response: JsonDict

    @property
    def ok(self) -> bool:
        """Tell whether the stand-in answered the call successfully."""
        return bool(self.response.get("ok"))


@dataclass(frozen=True)
class MessageEvent:
    """A change to a message the bot sent: its state right after being sent, edited or deleted."""

    kind: Literal["sent", "edited", "deleted"]
    message: JsonDict


@dataclass
class _Fault:
    method: str
    error_code: int
    description: str
    retry_after: int | None
    chat_id: int | str | None
    remaining: int

    def matches(self, method: str, params: JsonDict) -> bool:
        if method != self.method:
            return False
        return self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)


@dataclass(frozen=True)
class _Call:
    token: str
    params: JsonDict


class _ApiError(Exception):
    """An error answer, shaped like Telegram's and sent with the same HTTP status."""

    def __init__(self, error_code: int, description: str, *, retry_after: int | None = None):
        super().__init__(description)
        self.error_code = int(error_code)
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> JsonDict:
        body: JsonDict = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def _bad_request(reason: str) -> _ApiError:
    return _ApiError(HTTPStatus.BAD_REQUEST, f"Bad Request: {reason}")


def buttons(message: Mapping[str, Any]) -> list[tuple[str, str]]:
    """List a message's inline buttons as (text, callback_data); URL buttons give their url."""
    markup = message.get("reply_markup") or {}
    return [
        (button["text"], button.get("callback_data") or button.get("url") or "")
        for row in markup.get("inline_keyboard", [])
        for button in row
    ]


def find_button(message: Mapping[str, Any], text: str) -> str:
    """Return the callback_data of the button whose text is, or else uniquely contains, text."""
    found = buttons(message)
    exact = [data for label, data in found if label == text]
    if exact:
        return exact[0]
    near = [data for label, data in found if text.casefold() in label.casefold()]
    if len(near) == 1:
        return near[0]
    problem = "matches several buttons" if near else "matches no button"
    raise AssertionError(f"{text!r} {problem} of {describe(message)}")


def describe(message: Mapping[str, Any]) -> str:
    """Summarise a message on one line for assertion messages."""
    chat = message.get("chat", {}).get("id")
    text = message.get("text", "")
    shown = text if len(text) <= 80 else text[:77] + "..."
    line = f"chat {chat} #{message.get('message_id')}: {shown!r}"
    if found := buttons(message):
        line += f" buttons={found}"
    return line


class _HtmlToText(HTMLParser):
    """Telegram's HTML parse mode: check the markup and keep the text a user would see."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self._source = source
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self._open: list[str] = []
        self._text: list[str] = []

    def render(self) -> str:
        self.feed(self._source)
        self.close()
        if self._open:
            raise _bad_request(
                "can't parse entities: Can't find end tag corresponding to start tag "
                f'"{self._open[-1]}"'
            )
        return "".join(self._text)

    def _byte_offset(self) -> int:
        line, column = self.getpos()
        return len(self._source[: self._line_starts[line - 1] + column].encode())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            raise _bad_request(
                f'can\'t parse entities: Unsupported start tag "{tag}" '
                f"at byte offset {self._byte_offset()}"
            )
        self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise _bad_request(
            f'can\'t parse entities: Unsupported start tag "{tag}/" '
            f"at byte offset {self._byte_offset()}"
        )

    def handle_endtag(self, tag: str) -> None:
        if not self._open or self._open[-1] != tag:
            expected = f'"</{self._open[-1]}>"' if self._open else "no end tag"
            raise _bad_request(
                f"can't parse entities: Unmatched end tag at byte offset "
                f'{self._byte_offset()}, expected {expected}, found "</{tag}>"'
            )
        self._open.pop()

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_entityref(self, name: str) -> None:
        self._text.append(_HTML_ENTITIES.get(name, f"&{name};"))

    def handle_charref(self, name: str) -> None:
        try:
            self._text.append(chr(int(name[1:], 16) if name[:1] in "xX" else int(name)))
        except (ValueError, OverflowError):
            reason = f"can't parse entities: Wrong character reference &#{name};"
            raise _bad_request(reason) from None

    def handle_comment(self, data: str) -> None:
        raise _bad_request(f"can't parse entities: Unsupported comment {data!r}")

    def handle_decl(self, decl: str) -> None:
        raise _bad_request(f"can't parse entities: Unsupported declaration {decl!r}")


def _render_text(text: str, parse_mode: str | None) -> str:
    """Turn a text as sent into the text Telegram stores; Markdown modes are kept as sent."""
    if not parse_mode:
        return text
    mode = parse_mode.casefold()
    if mode == "html":
        return _HtmlToText(text).render()
    if mode in {"markdown", "markdownv2"}:
        return text
    raise _bad_request(f"unsupported parse_mode {parse_mode!r}")


def _inline_markup(markup: Any) -> JsonDict | None:
    """Validate reply_markup and return what Telegram echoes: inline keyboards only."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad_request("can't parse inline keyboard markup JSON object")
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise _bad_request("can't parse inline keyboard button: Text must be non-empty")
            if len(_BUTTON_ACTIONS & button.keys()) != 1:
                raise _bad_request(
                    "can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= _MAX_CALLBACK_DATA_BYTES:
                raise _bad_request("BUTTON_DATA_INVALID")
    return copy.deepcopy(markup)


def _decode_value(name: str, value: str) -> Any:
    try:
        if name in _JSON_PARAMS:
            return json.loads(value)
        if name in _CHAT_ID_PARAMS:
            return int(value) if re.fullmatch(r"-?\d+", value) else value
        if name in _INT_PARAMS:
            return int(value)
        if name in _NUMBER_PARAMS:
            number = float(value)
            return int(number) if number.is_integer() else number
    except ValueError:
        raise _bad_request(f"can't parse parameter {name!r}") from None
    if name in _BOOL_PARAMS:
        return value.casefold() in {"true", "1"}
    return value


def _sized(value: object) -> str:
    """Log an uploaded file by its size, not its bytes."""
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    raise TypeError(f"{type(value).__name__} is not JSON")


def _decode_multipart(content_type: str, body: bytes) -> JsonDict:
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    envelope = parser.parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    params: JsonDict = {}
    if not isinstance(envelope, EmailMessage):
        return params
    for part in envelope.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        content = part.get_payload(decode=True)
        raw = content if isinstance(content, bytes) else b""
        filename = part.get_filename()
        if filename is None:
            params[name] = _decode_value(name, raw.decode())
        else:
            params[name] = {
                "filename": filename,
                "content_type": part.get_content_type(),
                "size": len(raw),
                "data": raw,
            }
    return params


def _decode_params(content_type: str, body: bytes, query: str) -> JsonDict:
    """Decode a request's parameters from its query string and body, whatever the encoding."""
    params: JsonDict = {name: _decode_value(name, v) for name, v in parse_qsl(query)}
    media_type = content_type.split(";")[0].strip().casefold()
    if media_type == "application/json" and body:
        try:
            loaded = json.loads(body)
        except ValueError:
            raise _bad_request("can't parse JSON body") from None
        if not isinstance(loaded, dict):
            raise _bad_request("JSON body must be an object")
        params.update(loaded)
    elif media_type == "multipart/form-data":
        params.update(_decode_multipart(content_type, body))
    elif body:
        pairs = parse_qsl(body.decode(), keep_blank_values=True)
        params.update({name: _decode_value(name, value) for name, value in pairs})
    return params


def _update_kind(update: Mapping[str, Any]) -> str:
    return next((key for key in update if key != "update_id"), "")


def _command_length(text: str) -> int:
    command = text.split(maxsplit=1)[0]
    return len(command.encode("utf-16-le")) // 2


class _Server(ThreadingHTTPServer):
    # Non-daemon handler threads are joined by server_close(), so none outlive the stub.
    daemon_threads = False
    block_on_close = True

    def __init__(self, stub: BotApiStub, host: str, port: int) -> None:
        self.stub = stub
        self._connections: set[socket.socket] = set()
        self._busy: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__((host, port), _Handler)

    def process_request(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        if isinstance(request, socket.socket):
            with self._connections_lock:
                self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket | tuple[bytes, socket.socket]) -> None:
        if isinstance(request, socket.socket):
            with self._connections_lock:
                self._connections.discard(request)
        super().shutdown_request(request)

    @contextlib.contextmanager
    def serving(self, connection: socket.socket) -> Iterator[None]:
        """Mark a connection busy answering a request, so closing leaves it to finish."""
        with self._connections_lock:
            self._busy.add(connection)
        try:
            yield
        finally:
            with self._connections_lock:
                self._busy.discard(connection)

    def drop_idle_connections(self) -> None:
        """Wake handler threads that wait for the next request on a keep-alive connection."""
        with self._connections_lock:
            idle = list(self._connections - self._busy)
        for connection in idle:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        _LOG.exception("Bot API stand-in failed to serve a request")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, the client's delayed
    # ACK would hold the body back ~40 ms on every keep-alive request.
    disable_nagle_algorithm = True
    server: _Server

    def do_POST(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the request line holds the bot token."""

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").casefold() == "chunked":
            chunks: list[bytes] = []
            while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline() not in {b"\r\n", b"\n", b""}:
                pass
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _serve(self) -> None:
        with self.server.serving(self.connection):
            body = self._read_body()
            stub = self.server.stub
            status, payload = stub._handle(self.path, self.headers.get("Content-Type", ""), body)
            data = json.dumps(payload, ensure_ascii=False).encode()
            # Idle connections are cut when the stub closes; busy ones end after their answer.
            if stub._closing.is_set():
                self.close_connection = True
            # A long poll may outlive its client (PTB cancels it when stopping).
            with contextlib.suppress(ConnectionError):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if self.close_connection:
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(data)
        # If the stub began closing while we answered, drop_idle_connections may have passed
        # this connection over as busy: end it here rather than wait for another request.
        if self.server.stub._closing.is_set():
            self.close_connection = True


class _Changes(threading.Condition):
    """The stub's lock: notify_all() wakes threads in wait() and coroutines in until()."""

    def __init__(self) -> None:
        super().__init__()
        self._async_waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    def notify_all(self) -> None:
        super().notify_all()
        for loop, changed in self._async_waiters:
            with contextlib.suppress(RuntimeError):  # that loop has closed
                loop.call_soon_threadsafe(changed.set)

    async def until(
        self, match: Callable[[], JsonDict | None], deadline: float, report: Callable[[], str]
    ) -> JsonDict:
        """Await match() under the lock after each change; raise report() at the deadline."""
        changed = asyncio.Event()
        waiter = (asyncio.get_running_loop(), changed)
        with self:
            self._async_waiters.add(waiter)
        try:
            while True:
                with self:
                    changed.clear()  # a change after this, even before the await, sets it
                    if (found := match()) is not None:
                        return found
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise AssertionError(report())
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(remaining):
                        await changed.wait()
        finally:
            with self:
                self._async_waiters.discard(waiter)


class BotApiStub:
    """A fake Telegram Bot API server on 127.0.0.1 with a thread-safe API for playing users."""

    def __init__(
        self,
        *,
        token: str | None = None,
        latency: float = 0.0,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "backcare_test_bot",
        bot_first_name: str = "BackCare",
    ) -> None:
        self.token = token
        """When set, any other token is answered with 401 Unauthorized."""
        self.latency = latency
        """Seconds to wait before answering each call."""
        self._host = host
        self._port = port
        self._bot_username = bot_username
        self._bot_first_name = bot_first_name
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._closing = threading.Event()
        self._cond = _Changes()

        self._tokens_seen: dict[str, None] = {}
        self._calls: list[ApiCall] = []
        self._unknown_methods: list[str] = []
        self._faults: list[_Fault] = []
        self._slow: list[list[Any]] = []  # [method, seconds, remaining]

        self._queue: list[JsonDict] = []
        self._next_update_id = _FIRST_UPDATE_ID
        self._allowed_updates: frozenset[str] | None = None
        self._poll_generation = 0
        self._polls_waiting = 0
        self._webhook_url = ""

        self._users: dict[int, JsonDict] = {}
        self._blocked: set[int] = set()
        self._next_message_ids: dict[int, int] = {}
        self._messages: dict[tuple[int, int], JsonDict] = {}
        self._user_messages: set[tuple[int, int]] = set()
        self._events: list[MessageEvent] = []
        self._keyboards: dict[int, JsonDict] = {}
        self._open_queries: set[str] = set()
        self._commands: dict[tuple[str, str], list[JsonDict]] = {}
        self._menu_buttons: dict[int | None, JsonDict] = {}

        self._methods: dict[str, Callable[[_Call], Any]] = {
            "getme": self._get_me,
            "logout": self._succeed,
            "close": self._succeed,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "senddocument": self._send_document,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "editmessagecaption": self._edit_message_caption,
            "editmessagemedia": self._edit_message_media,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "sendchataction": self._send_chat_action,
            "setmycommands": self._set_my_commands,
            "deletemycommands": self._delete_my_commands,
            "getmycommands": self._get_my_commands,
            "setchatmenubutton": self._set_chat_menu_button,
            "getchatmenubutton": self._get_chat_menu_button,
            "setmydescription": self._set_description("description", 512),
            "getmydescription": self._get_description("description"),
            "setmyshortdescription": self._set_description("short_description", 120),
            "getmyshortdescription": self._get_description("short_description"),
        }
        self._descriptions: dict[str, str] = {}
        # Pictures and files the bot sent: (chat, message id, the uploaded bytes).
        self.uploads: list[tuple[int, int, bytes]] = []
        # The photos Telegram would know by file id: the sizes each id stands for.
        self._photo_ids: dict[str, list[JsonDict]] = {}

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> BotApiStub:
        """Bind the port and serve in a background thread."""
        if self._server is not None:
            return self
        self._closing.clear()
        self._server = _Server(self, self._host, self._port)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="botapi-stub",
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving, end pending long polls and join every server thread."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._closing.set()
        with self._cond:
            self._cond.notify_all()
        server.shutdown()
        server.drop_idle_connections()
        server.server_close()
        thread.join()
        self._server = self._thread = None

    def __enter__(self) -> BotApiStub:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def port(self) -> int:
        """The TCP port the stand-in listens on."""
        if self._server is None:
            raise RuntimeError("The Bot API stand-in is not running; call start() first")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """The URL to give PTB's base_url: the token and method are appended to it."""
        return f"http://{self._host}:{self.port}/bot"

    # -- what the bot did -----------------------------------------------------------------------

    @property
    def tokens_seen(self) -> set[str]:
        """Every token that appeared in a request path."""
        with self._cond:
            return set(self._tokens_seen)

    @property
    def calls(self) -> list[ApiCall]:
        """Every call the bot made, in order, getUpdates included."""
        with self._cond:
            return list(self._calls)

    @property
    def unknown_methods(self) -> list[str]:
        """Methods the bot called that the stand-in does not implement, in order."""
        with self._cond:
            return list(self._unknown_methods)

    def calls_to(self, method: str) -> list[JsonDict]:
        """Return the parameters of every call to method (case-insensitive), in order."""
        wanted = method.casefold()
        return [call.params for call in self.calls if call.method.casefold() == wanted]

    def sent(self, chat_id: int | None = None) -> list[JsonDict]:
        """Return the messages the bot sent and has not deleted, as they stand after edits."""
        with self._cond:
            return [
                copy.deepcopy(message)
                for (chat, _), message in self._messages.items()
                if chat_id is None or chat == chat_id
            ]

    def history(self, chat_id: int | None = None) -> list[MessageEvent]:
        """Return every send, edit and delete of the bot's messages, in order."""
        with self._cond:
            return [
                event
                for event in self._events
                if chat_id is None or event.message["chat"]["id"] == chat_id
            ]

    def last(self, chat_id: int | None = None, *, with_buttons: bool = False) -> JsonDict:
        """Return the latest message the bot sent (with inline buttons, if asked) or fail."""
        for message in reversed(self.sent(chat_id)):
            if not with_buttons or buttons(message):
                return message
        raise AssertionError(
            f"the bot sent no message{' with buttons' if with_buttons else ''}"
            f"{'' if chat_id is None else f' to chat {chat_id}'}; {self._transcript()}"
        )

    def keyboard(self, chat_id: int) -> list[list[str]]:
        """Return the button texts of the reply keyboard the user currently sees."""
        with self._cond:
            markup = self._keyboards.get(chat_id)
        if markup is None:
            return []
        return [
            [button if isinstance(button, str) else button["text"] for button in row]
            for row in markup["keyboard"]
        ]

    def mark(self) -> int:
        """Return a position in the history, for wait_for(after=...) to look only past it."""
        with self._cond:
            return len(self._events)

    def wait_for(
        self,
        predicate: MessagePredicate | None = None,
        *,
        chat_id: int | None = None,
        text: str | None = None,
        with_buttons: bool = False,
        after: int = 0,
        timeout: float = 10.0,
    ) -> JsonDict:
        """Block until the bot sends or edits a matching message, and return it."""
        match = self._message_matcher(predicate, chat_id, text, with_buttons, after)
        deadline = time.monotonic() + timeout
        with self._cond:
            while (found := match()) is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(self._no_match_report(timeout))
                self._cond.wait(remaining)
            return found

    async def wait_for_async(
        self,
        predicate: MessagePredicate | None = None,
        *,
        chat_id: int | None = None,
        text: str | None = None,
        with_buttons: bool = False,
        after: int = 0,
        # Unlike asyncio.timeout, running out fails the test with a transcript of the chat.
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> JsonDict:
        """Await a matching sent or edited message without blocking the event loop."""
        match = self._message_matcher(predicate, chat_id, text, with_buttons, after)
        deadline = time.monotonic() + timeout
        return await self._cond.until(match, deadline, lambda: self._no_match_report(timeout))

    def wait_for_call(
        self, method: str, predicate: ParamsPredicate | None = None, *, timeout: float = 10.0
    ) -> JsonDict:
        """Block until the bot calls method with matching parameters, and return them."""
        match = self._call_matcher(method, predicate)
        deadline = time.monotonic() + timeout
        with self._cond:
            while (found := match()) is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(self._no_call_report(method, timeout))
                self._cond.wait(remaining)
            return found

    async def wait_for_call_async(
        self,
        method: str,
        predicate: ParamsPredicate | None = None,
        *,
        timeout: float = 10.0,  # noqa: ASYNC109 - running out fails with the calls made
    ) -> JsonDict:
        """Await a call to method with matching parameters without blocking the event loop."""
        match = self._call_matcher(method, predicate)
        deadline = time.monotonic() + timeout
        return await self._cond.until(
            match, deadline, lambda: self._no_call_report(method, timeout)
        )

    def wait_for_poll(self, *, timeout: float = 10.0) -> None:
        """Block until the bot is waiting in a getUpdates long poll, i.e. ready for updates."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._polls_waiting:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(self._no_call_report("long-polling getUpdates", timeout))
                self._cond.wait(remaining)

    def pending_updates(self) -> int:
        """Count the updates not yet confirmed by the bot's getUpdates offset."""
        with self._cond:
            return len(self._queue)

    # -- playing the users ------------------------------------------------------------------------

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = "Ana",
        language_code: str = "en",
        chat_id: int | None = None,
        is_bot: bool = False,
        sender_chat: int | None = None,
        reply_to: JsonDict | None = None,
    ) -> int:
        """Queue a message from the user (in their private chat unless `chat_id` is a group).

        A leading /command is marked as one, and so is an @mention of the bot. With
        `sender_chat`, the message is sent on behalf of that chat and has no `from`; with
        `reply_to`, it answers that message (Telegram's reply).
        """
        chat = user_id if chat_id is None else chat_id
        with self._cond:
            user = self._remember_user(user_id, first_name, language_code)
            user["is_bot"] = is_bot
            message: JsonDict = {
                "message_id": self._take_message_id(chat),
                "from": user,
                "chat": self._chat(chat),
                "date": int(time.time()),
                "text": text,
            }
            if sender_chat is not None:
                del message["from"]
                message["sender_chat"] = self._chat(sender_chat)
            if reply_to is not None:
                message["reply_to_message"] = reply_to
            entities = []
            if text.startswith("/") and len(text) > 1:
                entities.append(
                    {"offset": 0, "length": _command_length(text), "type": "bot_command"}
                )
            mention = f"@{self._bot_username}"
            if mention in text:
                entities.append(
                    {"offset": text.index(mention), "length": len(mention), "type": "mention"}
                )
            if entities:
                message["entities"] = entities
            self._user_messages.add((chat, message["message_id"]))
            keyboard = self._keyboards.get(chat)
            if keyboard is not None and keyboard.get("one_time_keyboard"):
                del self._keyboards[chat]
            return self._enqueue({"message": message})

    def send_media(
        self, user_id: int, kind: str, *, caption: str | None = None, chat_id: int | None = None
    ) -> int:
        """Queue a message with no text from the user: a sticker, voice note, photo, file...

        `kind` is the message field Telegram fills (`sticker`, `voice`, `photo`, `video`,
        `video_note`, `animation`, `document`, `audio`, `location`, `contact`); those that
        take one carry `caption`.
        """
        if kind not in _MEDIA:
            raise ValueError(f"no such kind of message: {kind!r} (one of {sorted(_MEDIA)})")
        chat = user_id if chat_id is None else chat_id
        with self._cond:
            user = self._remember_user(user_id, "Ana", "en")
            message: JsonDict = {
                "message_id": self._take_message_id(chat),
                "from": user,
                "chat": self._chat(chat),
                "date": int(time.time()),
                kind: copy.deepcopy(_MEDIA[kind]),
            }
            if kind == "animation":  # Telegram sends a GIF as a document too
                message["document"] = copy.deepcopy(_MEDIA["document"])
            if caption is not None:
                if kind in ("sticker", "video_note", "location", "contact"):
                    raise ValueError(f"a {kind} has no caption")
                message["caption"] = caption
            self._user_messages.add((chat, message["message_id"]))
            return self._enqueue({"message": message})

    def edit_text(self, user_id: int, message_id: int, text: str) -> int:
        """Queue an edit of one of the user's own private messages."""
        with self._cond:
            message: JsonDict = {
                "message_id": message_id,
                "from": self._users.get(user_id) or self._remember_user(user_id, "Ana", "en"),
                "chat": self._chat(user_id),
                "date": int(time.time()) - 5,
                "edit_date": int(time.time()),
                "text": text,
            }
            if text.startswith("/") and len(text) > 1:
                message["entities"] = [
                    {"offset": 0, "length": _command_length(text), "type": "bot_command"}
                ]
            return self._enqueue({"edited_message": message})

    def clear_faults(self) -> None:
        """End every queued failure and slowness: the outage is over."""
        with self._cond:
            self._faults.clear()
            self._slow.clear()

    def slow_next(self, method: str, *, seconds: float, count: int = 1) -> None:
        """Carry out the next `count` calls to method, but answer each only after `seconds`."""
        with self._cond:
            self._slow.append([method.casefold(), seconds, count])

    def description(self, kind: str = "description") -> str:
        """Return the bot's description (or "short_description") as last set."""
        with self._cond:
            return self._descriptions.get(kind, "")

    def press(
        self, user_id: int, message: Mapping[str, Any], data: str, *, check: bool = True
    ) -> str:
        """Queue a button press on a bot message (which must show it) and return the query id."""
        key = (int(message["chat"]["id"]), int(message["message_id"]))
        with self._cond:
            current = self._messages.get(key)
            if check:
                if current is None:
                    raise AssertionError(
                        f"cannot press {data!r}: the bot has no message {key}; "
                        f"{self._transcript()}"
                    )
                if data not in [value for _, value in buttons(current)]:
                    raise AssertionError(
                        f"cannot press {data!r}: it is not on {describe(current)}"
                    )
            user = self._users.get(user_id) or self._remember_user(user_id, "Ana", "en")
            query_id = str(4_000_000_000_000_000_000 + self._next_update_id)
            self._open_queries.add(query_id)
            self._enqueue(
                {
                    "callback_query": {
                        "id": query_id,
                        "from": user,
                        "message": copy.deepcopy(current or dict(message)),
                        "chat_instance": str(-(10**18) - abs(key[0])),
                        "data": data,
                    }
                }
            )
            return query_id

    def block(self, user_id: int) -> int:
        """Make the user block the bot: sends then fail with 403 and my_chat_member is queued."""
        with self._cond:
            self._blocked.add(user_id)
            return self._enqueue(self._membership_change(user_id, "member", "kicked"))

    def unblock(self, user_id: int) -> int:
        """Make the user restart a blocked bot, queueing the my_chat_member update."""
        with self._cond:
            self._blocked.discard(user_id)
            return self._enqueue(self._membership_change(user_id, "kicked", "member"))

    def enqueue(self, update: Mapping[str, Any]) -> int:
        """Queue any update body (e.g. {"my_chat_member": {...}}) and return its update_id."""
        with self._cond:
            return self._enqueue(copy.deepcopy(dict(update)))

    def fail_next(
        self,
        method: str,
        *,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        chat_id: int | str | None = None,
        count: int = 1,
    ) -> None:
        """Answer the next count calls to method (for chat_id, if given) with an error."""
        with self._cond:
            self._faults.append(
                _Fault(method.casefold(), error_code, description, retry_after, chat_id, count)
            )

    # -- internals: bookkeeping (callers hold self._cond) --------------------------------------

    def _enqueue(self, body: JsonDict) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        self._queue.append({"update_id": update_id, **body})
        self._cond.notify_all()
        return update_id

    def _remember_user(self, user_id: int, first_name: str, language_code: str) -> JsonDict:
        user = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language_code,
        }
        self._users[user_id] = user
        return dict(user)

    def _take_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_ids.get(chat_id, 1)
        self._next_message_ids[chat_id] = message_id + 1
        return message_id

    def _chat(self, chat_id: int) -> JsonDict:
        if chat_id > 0:
            user = self._users.get(chat_id, {})
            return {"id": chat_id, "first_name": user.get("first_name", "User"), "type": "private"}
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "title": "Group", "type": kind}

    def _bot_user(self, token: str) -> JsonDict:
        prefix = token.split(":", 1)[0]
        return {
            "id": int(prefix) if prefix.isdigit() else _DEFAULT_BOT_ID,
            "is_bot": True,
            "first_name": self._bot_first_name,
            "username": self._bot_username,
        }

    def _membership_change(self, user_id: int, old: str, new: str) -> JsonDict:
        bot = self._bot_user(next(iter(self._tokens_seen), self.token or ""))
        user = self._users.get(user_id) or self._remember_user(user_id, "Ana", "en")
        new_member: JsonDict = {"user": bot, "status": new}
        if new == "kicked":
            new_member["until_date"] = 0
        old_member: JsonDict = {"user": bot, "status": old}
        if old == "kicked":
            old_member["until_date"] = 0
        return {
            "my_chat_member": {
                "chat": self._chat(user_id),
                "from": user,
                "date": int(time.time()),
                "old_chat_member": old_member,
                "new_chat_member": new_member,
            }
        }

    def _record_event(self, kind: Literal["sent", "edited", "deleted"], message: JsonDict) -> None:
        self._events.append(MessageEvent(kind, copy.deepcopy(message)))
        self._cond.notify_all()

    def _message_matcher(
        self,
        predicate: MessagePredicate | None,
        chat_id: int | None,
        text: str | None,
        with_buttons: bool,
        after: int,
    ) -> Callable[[], JsonDict | None]:
        def matches(message: JsonDict) -> bool:
            return (
                (chat_id is None or message["chat"]["id"] == chat_id)
                and (text is None or text in message.get("text", ""))
                and (not with_buttons or bool(buttons(message)))
                and (predicate is None or predicate(message))
            )

        def match() -> JsonDict | None:
            for event in self._events[after:]:
                if event.kind != "deleted" and matches(event.message):
                    return copy.deepcopy(event.message)
            return None

        return match

    def _call_matcher(
        self, method: str, predicate: ParamsPredicate | None
    ) -> Callable[[], JsonDict | None]:
        wanted = method.casefold()

        def match() -> JsonDict | None:
            for call in self._calls:
                if call.method.casefold() == wanted and (
                    predicate is None or predicate(call.params)
                ):
                    return copy.deepcopy(call.params)
            return None

        return match

    def _transcript(self) -> str:
        if not self._events:
            return "the bot sent nothing"
        lines = [f"[{event.kind}] {describe(event.message)}" for event in self._events]
        return "the bot's messages:\n  " + "\n  ".join(lines)

    def _no_match_report(self, timeout: float) -> str:
        return f"no matching message within {timeout:g} s; {self._transcript()}"

    def _no_call_report(self, method: str, timeout: float) -> str:
        methods = [call.method for call in self._calls if call.method != "getUpdates"]
        return f"no matching {method} call within {timeout:g} s; calls were {methods}"

    # -- internals: serving ----------------------------------------------------------------------

    def _handle(self, path: str, content_type: str, body: bytes) -> tuple[int, JsonDict]:
        """Answer one HTTP request with (status, JSON body)."""
        parts = urlsplit(path)
        route = _PATH.fullmatch(parts.path)
        if route is None:
            return HTTPStatus.NOT_FOUND, {
                "ok": False,
                "error_code": 404,
                "description": "Not Found",
            }
        token, method = route["token"], route["method"]
        params: JsonDict = {}
        try:
            with self._cond:
                self._tokens_seen.setdefault(token, None)
            if self.token is not None and token != self.token:
                raise _ApiError(HTTPStatus.UNAUTHORIZED, "Unauthorized")
            params = _decode_params(content_type, body, parts.query)
            if self.latency > 0:
                self._closing.wait(self.latency)
            response: JsonDict = {
                "ok": True,
                "result": self._dispatch(method, _Call(token, params)),
            }
        except _ApiError as error:
            response = error.payload()
        except Exception as error:
            _LOG.exception("Bot API stand-in failed on %s", method)
            response = _ApiError(500, f"Internal Server Error: {error!r}").payload()
        with self._cond:
            self._calls.append(ApiCall(method, params, response))
            self._cond.notify_all()
        self._log_call(method, params, response)
        status = HTTPStatus.OK if response["ok"] else int(response["error_code"])
        return status, response

    def _log_call(self, method: str, params: JsonDict, response: JsonDict) -> None:
        if method.casefold() == "getupdates" and response.get("result") == []:
            return
        outcome = "ok" if response["ok"] else f"{response['error_code']} {response['description']}"
        _LOG.info(
            "%s %s -> %s", method, json.dumps(params, ensure_ascii=False, default=_sized), outcome
        )

    def _dispatch(self, method: str, call: _Call) -> Any:
        name = method.casefold()
        with self._cond:
            fault = next((f for f in self._faults if f.matches(name, call.params)), None)
            if fault is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                raise _ApiError(fault.error_code, fault.description, retry_after=fault.retry_after)
            handler = self._methods.get(name)
            if handler is None:
                self._unknown_methods.append(method)
        if handler is None:
            raise _ApiError(HTTPStatus.NOT_FOUND, "Not Found: method not found")
        result = handler(call)
        with self._cond:
            slow = next((entry for entry in self._slow if entry[0] == name), None)
            if slow is not None:
                slow[2] -= 1
                if slow[2] <= 0:
                    self._slow.remove(slow)
        if slow is not None:
            time.sleep(slow[1])  # done, but the answer comes late (after a read timeout)
        return result

    @staticmethod
    def _chat_id(params: JsonDict) -> int:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _bad_request("chat_id is empty")
        if not isinstance(chat_id, int):
            raise _bad_request("chat not found")
        return chat_id

    @staticmethod
    def _message_id(params: JsonDict) -> int:
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise _bad_request("message identifier is not specified")
        return message_id

    # -- internals: Bot API methods --------------------------------------------------------------

    def _succeed(self, call: _Call) -> bool:
        return True

    def _get_me(self, call: _Call) -> JsonDict:
        return {
            **self._bot_user(call.token),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _get_updates(self, call: _Call) -> list[JsonDict]:
        params = call.params
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        deadline = time.monotonic() + max(float(params.get("timeout") or 0), 0.0)
        with self._cond:
            if self._webhook_url:
                raise _ApiError(
                    HTTPStatus.CONFLICT,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            if "allowed_updates" in params:
                self._allowed_updates = frozenset(params["allowed_updates"] or ()) or None
            self._poll_generation += 1
            generation = self._poll_generation
            self._confirm(offset)
            while True:
                if generation != self._poll_generation:
                    raise _ApiError(
                        HTTPStatus.CONFLICT,
                        "Conflict: terminated by other getUpdates request; "
                        "make sure that only one bot instance is running",
                    )
                ready = self._deliverable()[:limit]
                remaining = deadline - time.monotonic()
                if ready or remaining <= 0 or self._closing.is_set():
                    return copy.deepcopy(ready)
                self._polls_waiting += 1
                self._cond.notify_all()
                try:
                    self._cond.wait(remaining)
                finally:
                    self._polls_waiting -= 1

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._queue = [u for u in self._queue if u["update_id"] >= offset]
        elif offset < 0:
            self._queue = self._queue[offset:]

    def _deliverable(self) -> list[JsonDict]:
        """Drop queued updates of kinds the bot did not ask for and return the rest."""
        allowed = self._allowed_updates
        self._queue = [
            update
            for update in self._queue
            if (
                _update_kind(update) in allowed
                if allowed is not None
                else _update_kind(update) not in _UPDATES_OFF_BY_DEFAULT
            )
        ]
        return self._queue

    def _set_webhook(self, call: _Call) -> bool:
        url = str(call.params.get("url") or "")
        if url and not url.startswith("https://"):
            raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        with self._cond:
            self._webhook_url = url
            if call.params.get("drop_pending_updates"):
                self._queue.clear()
            self._poll_generation += 1
            self._cond.notify_all()
        return True

    def _delete_webhook(self, call: _Call) -> bool:
        with self._cond:
            self._webhook_url = ""
            if call.params.get("drop_pending_updates"):
                self._queue.clear()
        return True

    def _get_webhook_info(self, call: _Call) -> JsonDict:
        with self._cond:
            info: JsonDict = {
                "url": self._webhook_url,
                "has_custom_certificate": False,
                "pending_update_count": len(self._queue),
            }
            if self._allowed_updates is not None:
                info["allowed_updates"] = sorted(self._allowed_updates)
            return info

    def _message_text(self, params: JsonDict) -> str:
        text = _render_text(str(params.get("text", "")), params.get("parse_mode"))
        if not text.strip():
            raise _bad_request("message text is empty")
        if len(text.encode("utf-16-le")) // 2 > _MAX_TEXT_LENGTH:
            raise _bad_request("message is too long")
        return text

    def _send_message(self, call: _Call) -> JsonDict:
        params = call.params
        chat_id = self._chat_id(params)
        text = self._message_text(params)
        markup = params.get("reply_markup")
        inline = _inline_markup(markup)
        with self._cond:
            if chat_id in self._blocked:
                raise _ApiError(HTTPStatus.FORBIDDEN, "Forbidden: bot was blocked by the user")
            message: JsonDict = {
                "message_id": self._take_message_id(chat_id),
                "from": self._bot_user(call.token),
                "chat": self._chat(chat_id),
                "date": int(time.time()),
                "text": text,
            }
            if inline is not None:
                message["reply_markup"] = inline
            if isinstance(markup, dict) and "keyboard" in markup:
                self._keyboards[chat_id] = copy.deepcopy(markup)
            elif isinstance(markup, dict) and markup.get("remove_keyboard"):
                self._keyboards.pop(chat_id, None)
            self._messages[(chat_id, message["message_id"])] = message
            self._record_event("sent", message)
            return copy.deepcopy(message)

    def _photo_sizes(self, upload: Any) -> list[JsonDict]:
        """Read a photo given by upload (a PNG) or by a file id issued before; keep its id."""
        if isinstance(upload, str):
            with self._cond:
                known = self._photo_ids.get(upload)
            if known is None:
                raise _bad_request("wrong file identifier/HTTP URL specified")
            return copy.deepcopy(known)
        if not isinstance(upload, dict) or not upload.get("data", b"").startswith(_PNG):
            raise _bad_request("wrong type of the web page content")  # not an uploaded image
        data: bytes = upload["data"]
        width, height = struct.unpack(">II", data[16:24])
        digest = hashlib.sha256(data).hexdigest()[:16]
        sizes = [
            {
                "file_id": f"photo-{digest}",
                "file_unique_id": f"p{digest}",
                "width": width,
                "height": height,
                "file_size": len(data),
            }
        ]
        with self._cond:
            self._photo_ids[sizes[0]["file_id"]] = copy.deepcopy(sizes)
        return sizes

    def forget_file_ids(self) -> None:
        """Forget every file id issued, as Telegram may: sending one is then refused."""
        with self._cond:
            self._photo_ids.clear()

    def photos_sent(self, chat_id: int | None = None) -> list[tuple[str, str]]:
        """List each sendPhoto and editMessageMedia call: how the photo came ("upload" or
        "file_id") and the file id it stands for, in order."""
        found = []
        for call in self.calls:
            if call.method.lower() not in ("sendphoto", "editmessagemedia") or not call.ok:
                continue
            if chat_id is not None and str(call.params.get("chat_id")) != str(chat_id):
                continue
            photo = call.params.get("photo")
            media = call.params.get("media")
            if isinstance(media, dict):
                given = str(media.get("media", ""))
                photo = call.params.get(given.removeprefix("attach://"), given)
            result = call.response.get("result")
            shown = result.get("photo", [{}])[-1] if isinstance(result, dict) else {}
            how = "file_id" if isinstance(photo, str) else "upload"
            found.append((how, str(shown.get("file_id", ""))))
        return found

    def _send_photo(self, call: _Call) -> JsonDict:
        sizes = self._photo_sizes(call.params.get("photo"))
        return self._send_file(call, "photo", sizes)

    def _send_document(self, call: _Call) -> JsonDict:
        upload = call.params.get("document")
        if not isinstance(upload, dict) or "data" not in upload:
            raise _bad_request("there is no document in the request")
        data: bytes = upload["data"]
        return self._send_file(
            call,
            "document",
            {
                "file_id": f"doc-{len(data)}",
                "file_unique_id": f"d{len(data)}",
                "file_name": upload["filename"],
                "mime_type": upload["content_type"],
                "file_size": len(data),
            },
        )

    def _send_file(self, call: _Call, field: str, described: Any) -> JsonDict:
        """Keep a sent picture or file as a message, with its caption and buttons."""
        params = call.params
        chat_id = self._chat_id(params)
        caption = _render_text(str(params.get("caption", "")), params.get("parse_mode"))
        if len(caption.encode("utf-16-le")) // 2 > _MAX_CAPTION_LENGTH:
            raise _bad_request("message caption is too long")
        inline = _inline_markup(params.get("reply_markup"))
        with self._cond:
            if chat_id in self._blocked:
                raise _ApiError(HTTPStatus.FORBIDDEN, "Forbidden: bot was blocked by the user")
            message: JsonDict = {
                "message_id": self._take_message_id(chat_id),
                "from": self._bot_user(call.token),
                "chat": self._chat(chat_id),
                "date": int(time.time()),
                field: described,
            }
            if caption:
                message["caption"] = caption
            if inline is not None:
                message["reply_markup"] = inline
            self._messages[(chat_id, message["message_id"])] = message
            self._record_event("sent", message)
            if isinstance(params[field], dict):  # an upload, not a file id
                self.uploads.append((chat_id, message["message_id"], params[field]["data"]))
            return copy.deepcopy(message)

    def _edit(self, params: JsonDict, change: Callable[[JsonDict], None]) -> JsonDict | bool:
        if params.get("inline_message_id"):
            return True
        key = (self._chat_id(params), self._message_id(params))
        with self._cond:
            current = self._messages.get(key)
            if current is None and key in self._user_messages:
                raise _bad_request("message can't be edited")
            if current is None:
                raise _bad_request("message to edit not found")
            edited = copy.deepcopy(current)
            change(edited)
            edited.pop("edit_date", None)
            if edited == {k: v for k, v in current.items() if k != "edit_date"}:
                raise _bad_request(
                    "message is not modified: specified new message content and reply markup "
                    "are exactly the same as a current content and reply markup of the message"
                )
            edited["edit_date"] = int(time.time())
            self._messages[key] = edited
            self._record_event("edited", edited)
            return copy.deepcopy(edited)

    @staticmethod
    def _set_markup(message: JsonDict, markup: JsonDict | None) -> None:
        # Telegram drops the inline keyboard when an edit does not repeat it.
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup

    @staticmethod
    def _edit_markup(params: JsonDict) -> JsonDict | None:
        markup = params.get("reply_markup")
        inline = _inline_markup(markup)
        if inline is None and markup is not None:
            raise _bad_request("inline keyboard expected")
        return inline

    def _edit_message_text(self, call: _Call) -> JsonDict | bool:
        text = self._message_text(call.params)
        markup = self._edit_markup(call.params)

        def change(message: JsonDict) -> None:
            message["text"] = text
            self._set_markup(message, markup)

        return self._edit(call.params, change)

    def _edit_message_reply_markup(self, call: _Call) -> JsonDict | bool:
        markup = self._edit_markup(call.params)
        return self._edit(call.params, lambda message: self._set_markup(message, markup))

    def _caption(self, params: JsonDict) -> str:
        caption = _render_text(str(params.get("caption", "")), params.get("parse_mode"))
        if len(caption.encode("utf-16-le")) // 2 > _MAX_CAPTION_LENGTH:
            raise _bad_request("message caption is too long")
        return caption

    def _edit_message_caption(self, call: _Call) -> JsonDict | bool:
        caption = self._caption(call.params)
        markup = self._edit_markup(call.params)

        def change(message: JsonDict) -> None:
            if not any(kind in message for kind in ("photo", "document")):
                raise _bad_request("there is no caption in the message to edit")
            if caption:
                message["caption"] = caption
            else:
                message.pop("caption", None)
            self._set_markup(message, markup)

        return self._edit(call.params, change)

    def _edit_message_media(self, call: _Call) -> JsonDict | bool:
        media = call.params.get("media")
        if not isinstance(media, dict) or media.get("type") != "photo":
            raise _bad_request("can't parse InputMedia: photo expected")
        given = str(media.get("media", ""))
        upload = (
            call.params.get(given.removeprefix("attach://"))
            if given.startswith("attach://")
            else given
        )
        sizes = self._photo_sizes(upload)
        caption = self._caption(media)
        markup = self._edit_markup(call.params)

        def change(message: JsonDict) -> None:
            if "photo" not in message:
                raise _bad_request("message is not a photo: media can't be changed here")
            message["photo"] = sizes
            if caption:
                message["caption"] = caption
            else:
                message.pop("caption", None)
            self._set_markup(message, markup)

        edited = self._edit(call.params, change)
        if isinstance(upload, dict) and isinstance(edited, dict):
            with self._cond:
                self.uploads.append((edited["chat"]["id"], edited["message_id"], upload["data"]))
        return edited

    def _delete_message(self, call: _Call) -> bool:
        key = (self._chat_id(call.params), self._message_id(call.params))
        with self._cond:
            if key in self._user_messages:
                self._user_messages.discard(key)
                return True
            message = self._messages.pop(key, None)
            if message is None:
                raise _bad_request("message to delete not found")
            self._record_event("deleted", message)
            return True

    def _answer_callback_query(self, call: _Call) -> bool:
        query_id = str(call.params.get("callback_query_id", ""))
        with self._cond:
            if query_id not in self._open_queries:
                raise _bad_request(
                    "query is too old and response timeout expired or query ID is invalid"
                )
            self._open_queries.discard(query_id)
            return True

    def _send_chat_action(self, call: _Call) -> bool:
        self._chat_id(call.params)
        if call.params.get("action") not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        return True

    @staticmethod
    def _commands_key(params: JsonDict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    def _set_my_commands(self, call: _Call) -> bool:
        commands = call.params.get("commands")
        if not isinstance(commands, list):
            raise _bad_request("can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND_NAME.fullmatch(
                str(command.get("command", ""))
            ):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        with self._cond:
            self._commands[self._commands_key(call.params)] = copy.deepcopy(commands)
        return True

    def _delete_my_commands(self, call: _Call) -> bool:
        with self._cond:
            self._commands.pop(self._commands_key(call.params), None)
        return True

    def _get_my_commands(self, call: _Call) -> list[JsonDict]:
        with self._cond:
            return copy.deepcopy(self._commands.get(self._commands_key(call.params), []))

    def _set_description(self, kind: str, limit: int) -> Callable[[_Call], bool]:
        def handle(call: _Call) -> bool:
            text = str(call.params.get(kind) or "")
            if len(text) > limit:
                raise _bad_request(f"{kind.upper()}_INVALID")
            with self._cond:
                self._descriptions[kind] = text
            return True

        return handle

    def _get_description(self, kind: str) -> Callable[[_Call], JsonDict]:
        def handle(_call: _Call) -> JsonDict:
            with self._cond:
                return {kind: self._descriptions.get(kind, "")}

        return handle

    def _set_chat_menu_button(self, call: _Call) -> bool:
        chat_id = call.params.get("chat_id")
        button = call.params.get("menu_button") or {"type": "default"}
        with self._cond:
            self._menu_buttons[chat_id if isinstance(chat_id, int) else None] = button
        return True

    def _get_chat_menu_button(self, call: _Call) -> JsonDict:
        chat_id = call.params.get("chat_id")
        with self._cond:
            button = self._menu_buttons.get(chat_id if isinstance(chat_id, int) else None)
            if button is None:
                button = self._menu_buttons.get(None, {"type": "default"})
            return copy.deepcopy(button)


def _run_console_line(stub: BotApiStub, line: str) -> None:
    """Act on '<user_id> <text>' (send text) or '<user_id> !<button text>' (press a button)."""
    user, _, rest = line.strip().partition(" ")
    if not user.lstrip("-").isdigit() or not rest:
        _LOG.warning("type '<user_id> <text>' or '<user_id> !<button text>'")
        return
    user_id = int(user)
    try:
        if rest.startswith("!"):
            message = stub.last(user_id, with_buttons=True)
            stub.press(user_id, message, find_button(message, rest[1:].strip()))
        else:
            stub.send_text(user_id, rest)
    except AssertionError as error:
        _LOG.warning("%s", error)


def _console_lines() -> Iterator[str]:
    yield from sys.stdin
    # stdin closed (e.g. run in the background): keep serving until interrupted.
    threading.Event().wait()


def main(argv: list[str] | None = None) -> None:
    """Serve the stand-in until interrupted, playing users from lines typed on stdin."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.support.botapi_stub", description="Serve a fake Telegram Bot API."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", help="answer 401 Unauthorized to any other token")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    with BotApiStub(
        token=args.token, latency=args.latency, host=args.host, port=args.port
    ) as stub:
        sys.stdout.write(
            f"{stub.base_url}\n"
            "Type '<user_id> <text>' to send a message or '<user_id> !<button text>' to press.\n"
        )
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            for line in _console_lines():
                _run_console_line(stub, line)


if __name__ == "__main__":
    main()
