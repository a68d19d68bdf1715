"""The webhook's door: the secret and the size are checked before a body is read.

python-telegram-bot's webhook handler reads a whole body (tornado allows 100 MB) before it
looks at the secret, and logs a malformed body whole at CRITICAL. This handler takes its
place: a request without the right secret, or announcing more than `MAX_BODY_BYTES`, is
refused from its headers; a body that grows past the limit is cut off. A body with the right
secret that is not an update (not JSON, an array, `null`, no `update_id`, nested past any
update's depth) gets 400 and one line by size and reason, never by content (it may hold
someone's messages).
"""

from __future__ import annotations

import hmac
import json
import logging
from http import HTTPStatus
from types import TracebackType
from typing import Any

import tornado.web
from telegram import Bot, Update
from telegram.ext import ExtBot
from telegram.ext._utils import webhookhandler

log = logging.getLogger(__name__)

# Telegram's updates are a few kilobytes; a megabyte leaves room for any of them.
MAX_BODY_BYTES = 1024 * 1024
# Telegram's updates nest about ten levels (a reply's quoted message's entities); one
# deeper than this is not an update, and reading it would only recurse.
MAX_DEPTH = 64


class NotAnUpdate(ValueError):
    """A body that is not a Telegram update; the message says why in a few words."""


def update_object(body: bytes) -> dict[str, Any]:
    """Return the body's JSON object if it can be an update, else raise NotAnUpdate."""
    try:
        data = json.loads(body)
    except RecursionError:
        raise NotAnUpdate("nested too deeply") from None
    except ValueError as error:  # not JSON, or not UTF-8
        raise NotAnUpdate(f"not JSON: {type(error).__name__}") from None
    if not isinstance(data, dict):
        raise NotAnUpdate(f"{_json_kind(data)}, not an update")
    update_id = data.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        raise NotAnUpdate("no update_id")
    if _deeper_than(data, MAX_DEPTH):
        raise NotAnUpdate(f"nested too deeply (over {MAX_DEPTH} levels)")
    return data


def read_update(body: bytes, bot: Bot) -> Update:
    """Return the update a body holds, or raise NotAnUpdate saying why it holds none."""
    data = update_object(body)
    try:
        return Update.de_json(data, bot)
    except Exception as error:  # whatever python-telegram-bot cannot read is no update
        raise NotAnUpdate(f"not an update: {type(error).__name__}") from None


def _json_kind(value: object) -> str:
    match value:
        case None:
            return "null"
        case bool():
            return "a JSON boolean"
        case int() | float():
            return "a JSON number"
        case str():
            return "a JSON string"
        case list():
            return "a JSON array"
        case _:
            return type(value).__name__


def _deeper_than(value: object, limit: int) -> bool:
    """Tell whether JSON nests deeper than `limit` levels (walked without recursion)."""
    level: list[object] = [value]
    for _ in range(limit):
        level = [
            inner
            for outer in level
            if isinstance(outer, dict | list)
            for inner in (outer.values() if isinstance(outer, dict) else outer)
        ]
        if not level:
            return False
    return any(isinstance(outer, dict | list) for outer in level)


@tornado.web.stream_request_body
class GuardedTelegramHandler(webhookhandler.TelegramHandler):
    """Check the secret and size from the headers; read, parse and queue the update."""

    __slots__ = ("_body", "_size")

    def prepare(self) -> None:
        """Refuse a request before its body, on its headers alone."""
        self._body: list[bytes] = []
        self._size = 0
        if self.request.headers.get("Content-Type", "").split(";")[0] != "application/json":
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        if self.secret_token is not None:
            given = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            if not hmac.compare_digest(given.encode(), self.secret_token.encode()):
                log.info("webhook: refused a request without the right secret")
                raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        length = self.request.headers.get("Content-Length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            log.info("webhook: refused a body announced as %s bytes", length[:20])
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    def data_received(self, chunk: bytes) -> None:
        """Take the body in pieces, and stop one that grows past the limit."""
        self._size += len(chunk)
        if self._size > MAX_BODY_BYTES:
            log.info("webhook: cut off a body past %d bytes", MAX_BODY_BYTES)
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        self._body.append(chunk)

    async def post(self) -> None:
        """Parse the update and hand it to the application; log a bad one by size only."""
        body = b"".join(self._body)
        try:
            update = read_update(body, self.bot)
        except NotAnUpdate as error:
            log.warning(
                "webhook: a malformed update of %d bytes was refused (%s)", len(body), error
            )
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        self.set_status(HTTPStatus.OK)
        if isinstance(self.bot, ExtBot):
            self.bot.insert_callback_data(update)
        await self.update_queue.put(update)

    def log_exception(
        self,
        typ: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Log a failed request once: a refusal was told in its own line; else it is a bug."""
        if isinstance(value, tornado.web.HTTPError):
            return  # python-telegram-bot's own logged each with a traceback, at DEBUG
        trace = (typ, value, tb) if typ and value and tb else value
        log.error("webhook: a request failed (HTTP 500)", exc_info=trace)


def install() -> None:
    """Make python-telegram-bot's webhook server use the guarded handler."""
    webhookhandler.TelegramHandler = GuardedTelegramHandler  # type: ignore[misc]
