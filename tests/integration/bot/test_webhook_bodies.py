"""What the webhook takes for an update, and what it refuses with a reason in a few words."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from telegram import Bot

from bot.ops.server import OpsServer
from bot.telegram_io.webhook import MAX_BODY_BYTES, MAX_DEPTH, NotAnUpdate, Webhook, update_object

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def nested(depth: int) -> bytes:
    """Return an update of `depth` levels: objects inside objects inside the update."""
    inner: object = 1
    for _ in range(depth - 1):
        inner = {"a": inner}
    return json.dumps({"update_id": 5, "message": inner}).encode()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"[]", "a JSON array, not an update"),
        (b"null", "null, not an update"),
        (b"true", "a JSON boolean, not an update"),
        (b"4.5", "a JSON number, not an update"),
        (b'"hi"', "a JSON string, not an update"),
        (b"{}", "no update_id"),
        (b'{"update_id": "7"}', "no update_id"),
        (b'{"update_id": true}', "no update_id"),
        (b'{"update_id": 7', "not JSON: JSONDecodeError"),
        (b'{"a": "\xff"}', "not JSON: UnicodeDecodeError"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (nested(MAX_DEPTH + 1), f"nested too deeply (over {MAX_DEPTH} levels)"),
    ],
)
def test_a_body_that_is_not_an_update_is_refused_with_its_reason(body: bytes, reason: str) -> None:
    with pytest.raises(NotAnUpdate) as refused:
        update_object(body)
    assert str(refused.value) == reason


def test_an_update_as_deep_as_the_limit_is_taken() -> None:
    assert update_object(nested(MAX_DEPTH))["update_id"] == 5


async def _posted(app: web.Application, body: bytes, headers: dict[str, str]) -> int:
    async def chunked() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536]

    # A large body goes in chunks, with no length announced: it is cut off as it grows.
    data = chunked() if len(body) > MAX_BODY_BYTES else body
    async with TestClient(TestServer(app)) as client:
        response = await client.post("/telegram", data=data, headers=headers)
        status: int = response.status
        return status


UPDATE = (
    b'{"update_id": 5, "message": '
    b'{"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}}}'
)
JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("body", "headers", "status", "queued"),
    [
        (UPDATE, {**JSON, SECRET_HEADER: "s3cret"}, 200, 1),
        (UPDATE, {**JSON, SECRET_HEADER: "wrong"}, 403, 0),
        (UPDATE, JSON, 403, 0),
        (UPDATE, {"Content-Type": "text/plain", SECRET_HEADER: "s3cret"}, 403, 0),
        (b"[]", {**JSON, SECRET_HEADER: "s3cret"}, 400, 0),
        (b" " * (MAX_BODY_BYTES + 1), {**JSON, SECRET_HEADER: "s3cret"}, 413, 0),
    ],
)
async def test_the_route_takes_an_update_with_the_secret_and_refuses_the_rest(
    body: bytes, headers: dict[str, str], status: int, queued: int
) -> None:
    queue: asyncio.Queue[object] = asyncio.Queue()
    webhook = Webhook(Bot("1:x"), queue, "s3cret")
    assert await _posted(webhook.application("/telegram"), body, headers) == status
    assert queue.qsize() == queued


async def test_the_route_shares_the_ops_servers_address_when_told_to() -> None:
    queue: asyncio.Queue[object] = asyncio.Queue()
    webhook = Webhook(Bot("1:x"), queue, None)

    async def ready() -> dict[str, str]:
        return {}

    async def metrics() -> bytes:
        return b""

    ops = OpsServer(
        alive=lambda: None, ready=ready, metrics=metrics, webhook=("/telegram", webhook.handle)
    )
    assert ops.serves_webhook
    async with TestClient(TestServer(ops.application())) as client:
        assert (await client.post("/telegram", data=UPDATE, headers=JSON)).status == 200
        assert (await client.get("/healthz")).status == 200
    assert queue.qsize() == 1
