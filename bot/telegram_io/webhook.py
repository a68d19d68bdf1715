"""The webhook: a route on the bot's aiohttp server, as PTB's custom-webhook example has it.

The application is built without an `Updater` (`ApplicationBuilder().updater(None)`); this
module serves the route Telegram posts to, puts each update on the application's queue, and
runs the application around it (`run_webhook`). The route is on the ops server when it
listens on the same address (`ops.listen:ops.port`), else on a site of its own
(`telegram.listen:telegram.port`), with the same aiohttp machinery.

A request without the right secret, or announcing more than `MAX_BODY_BYTES`, is refused
from its headers; a body that grows past the limit is cut off. A body with the right secret
that is not an update (not JSON, an array, `null`, no `update_id`, nested past any update's
depth) gets 400 and one line by size and reason, never by content (it may hold someone's
messages).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Bot, Update

from bot.ops.server import serve

if TYPE_CHECKING:
    from bot.context import BackCareApp

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


class Webhook:
    """The route Telegram posts updates to: secret and size checked, then read and queued."""

    def __init__(self, bot: Bot, queue: asyncio.Queue[object], secret: str | None) -> None:
        self.bot = bot
        self.queue = queue
        self.secret = secret

    async def handle(self, request: web.Request) -> web.Response:
        """Take one update, or refuse the request with a status and at most one line."""
        if request.content_type != "application/json":
            return _status(HTTPStatus.FORBIDDEN)
        if self.secret is not None:
            given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            if not hmac.compare_digest(given.encode(), self.secret.encode()):
                log.info("webhook: refused a request without the right secret")
                return _status(HTTPStatus.FORBIDDEN)
        length = request.content_length
        if length is not None and length > MAX_BODY_BYTES:
            log.info("webhook: refused a body announced as %d bytes", length)
            return _status(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.content.iter_any():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                log.info("webhook: cut off a body past %d bytes", MAX_BODY_BYTES)
                return _status(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            chunks.append(chunk)
        body = b"".join(chunks)
        try:
            update = read_update(body, self.bot)
        except NotAnUpdate as error:
            log.warning(
                "webhook: a malformed update of %d bytes was refused (%s)", len(body), error
            )
            return _status(HTTPStatus.BAD_REQUEST)
        await self.queue.put(update)
        return _status(HTTPStatus.OK)

    def application(self, path: str) -> web.Application:
        """Return a web application with this route alone, at `path`."""
        app = web.Application()
        app.router.add_post(path, self.handle)
        return app


def _status(status: HTTPStatus) -> web.Response:
    return web.Response(status=status, text=f"{status.phrase}\n")


def route_path(url: str) -> str:
    """Return the path Telegram posts to: the webhook address's own."""
    return urlsplit(url).path or "/"


def run_webhook(
    app: BackCareApp,
    webhook: Webhook,
    *,
    listen: str,
    port: int,
    url: str,
    allowed_updates: Sequence[str],
) -> None:
    """Run the application on the webhook until it is stopped, as PTB's `run_webhook` does.

    Start-up, then the route served, then `setWebhook`, then the application started; the
    loop runs until `Application.stop_running` (or an interrupt) stops it, and everything is
    stopped in the reverse order. The ops server serves the route already if it listens on
    the same address.
    """
    try:
        loop = asyncio.get_event_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
    runner: web.AppRunner | None = None
    try:
        loop.run_until_complete(app.initialize())
        if app.post_init:
            loop.run_until_complete(app.post_init(app))
        ops = app.bot_data.ops
        if ops is None or not ops.serves_webhook:
            runner = loop.run_until_complete(
                serve(webhook.application(route_path(url)), listen, port)
            )[0]
        loop.run_until_complete(
            app.bot.set_webhook(url, allowed_updates=allowed_updates, secret_token=webhook.secret)
        )
        # Updates taken meanwhile wait on the queue, as with PTB's own webhook server.
        loop.run_until_complete(app.start())
        loop.run_forever()
    except (KeyboardInterrupt, SystemExit):
        log.debug("stopping the webhook")
    finally:
        try:
            if runner is not None:
                loop.run_until_complete(runner.cleanup())
            if app.running:
                loop.run_until_complete(app.stop())
                if app.post_stop:
                    loop.run_until_complete(app.post_stop(app))
            loop.run_until_complete(app.shutdown())
            if app.post_shutdown:
                loop.run_until_complete(app.post_shutdown(app))
        finally:
            loop.close()
