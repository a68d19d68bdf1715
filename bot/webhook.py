"""The webhook's door: the secret and the size are checked before a body is read.

python-telegram-bot's webhook handler reads a whole body (tornado allows 100 MB) before it
looks at the secret, and logs a malformed body whole at CRITICAL. This handler takes its
place: a request without the right secret, or announcing more than `MAX_BODY_BYTES`, is
refused from its headers; a body that grows past the limit is cut off; a malformed one is
logged by size and reason only, never by content (it may hold someone's messages).
"""

from __future__ import annotations

import hmac
import json
import logging
from http import HTTPStatus

import tornado.web
from telegram import Update
from telegram.ext import ExtBot
from telegram.ext._utils import webhookhandler

log = logging.getLogger(__name__)

# Telegram's updates are a few kilobytes; a megabyte leaves room for any of them.
MAX_BODY_BYTES = 1024 * 1024


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
            update = Update.de_json(json.loads(body), self.bot)
        except (ValueError, TypeError, KeyError) as error:
            log.warning(
                "webhook: a malformed update of %d bytes was refused (%s)",
                len(body),
                type(error).__name__,
            )
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        self.set_status(HTTPStatus.OK)
        if isinstance(self.bot, ExtBot):
            self.bot.insert_callback_data(update)
        await self.update_queue.put(update)


def install() -> None:
    """Make python-telegram-bot's webhook server use the guarded handler."""
    webhookhandler.TelegramHandler = GuardedTelegramHandler  # type: ignore[misc]
