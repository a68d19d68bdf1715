"""What the webhook takes for an update, and what it refuses with a reason in a few words."""

from __future__ import annotations

import json

import pytest

from bot.telegram_io.webhook import MAX_DEPTH, NotAnUpdate, update_object


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
