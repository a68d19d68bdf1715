"""End to end: the bot in webhook mode takes updates posted to it, and only with the secret."""

from __future__ import annotations

import http.client
import json
import re
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.support.bot_process import TOKEN, bot_environment, free_port, get, running_bot
from tests.support.botapi_stub import BotApiStub

pytestmark = pytest.mark.e2e

SECRET = "webhook-secret_42"
DORA = 616161


def wait_until_listening(port: int, timeout: float) -> None:
    """Wait until something accepts connections on the port."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            if time.monotonic() > deadline:
                raise AssertionError(f"nothing listens on port {port}") from None
            time.sleep(0.05)
        else:
            return


def post(url: str, update: dict[str, Any], *, secret: str | None) -> int:
    """Post an update the way Telegram does and return the HTTP status."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(
        url, data=json.dumps(update).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code


def headers_only(port: int, length: int, *, secret: str) -> int:
    """Announce a body of `length` bytes, send none of it, and return the HTTP status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.putrequest("POST", "/telegram")
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(length))
        connection.putheader("X-Telegram-Bot-Api-Secret-Token", secret)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def post_raw(url: str, body: bytes, secret: str) -> int:
    """Post raw bytes with the secret and return the HTTP status."""
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code


def start_update(update_id: int, text: str = "/start") -> dict[str, Any]:
    """Return a message update from Dora (`/start` by default)."""
    person = {"id": DORA, "is_bot": False, "first_name": "Dora"}
    command = text.split(" ")[0]
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1748851200,
            "chat": {"id": DORA, "type": "private", "first_name": "Dora"},
            "from": person,
            "text": text,
            "entities": (
                [{"type": "bot_command", "offset": 0, "length": len(command)}]
                if command.startswith("/")
                else []
            ),
        },
    }


# Telegram posts to a public https address; a proxy or load balancer in front of the bot
# ends TLS and forwards to the port it listens on.
PUBLIC_URL = "https://backcare.example.test/telegram"


def webhook_environment(
    botapi: BotApiStub, tmp_path: Path, port: int, **extra: str
) -> dict[str, str]:
    """Return the environment of a bot in webhook mode, listening on 127.0.0.1:`port`."""
    return bot_environment(
        botapi,
        f"sqlite+aiosqlite:///{tmp_path / 'backcare.db'}",
        BACKCARE_TELEGRAM__MODE="webhook",
        BACKCARE_TELEGRAM__WEBHOOK_URL=PUBLIC_URL,
        BACKCARE_TELEGRAM__LISTEN="127.0.0.1",
        BACKCARE_TELEGRAM__PORT=str(port),
        BACKCARE_TELEGRAM__WEBHOOK_SECRET=SECRET,
        **extra,
    )


def test_webhook_mode_registers_its_address_and_answers_posted_updates(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    env = webhook_environment(botapi, tmp_path, port)
    log = tmp_path / "bot.log"

    def ready(timeout: float) -> None:
        botapi.wait_for_call("setWebhook", timeout=timeout)
        wait_until_listening(port, timeout)

    with running_bot(botapi, env, log, ready=ready):
        [registered] = botapi.calls_to("setWebhook")
        assert registered["url"] == PUBLIC_URL
        assert registered["secret_token"] == SECRET
        assert set(registered["allowed_updates"]) == {
            "message",
            "edited_message",
            "callback_query",
            "my_chat_member",
        }

        assert post(url, start_update(1), secret="wrong") == 403
        assert post(url, start_update(2), secret=None) == 403
        mark = botapi.mark()
        assert post(url, start_update(3), secret=SECRET) == 200
        botapi.wait_for(chat_id=DORA, text="time zone", with_buttons=True, after=mark)
        assert len([m for m in botapi.sent(DORA) if "not a doctor" in m["text"]]) == 1

        # A retried post of the same update acts once: one answer, not three.
        for _ in range(3):
            assert post(url, start_update(4, "how long should I ice?"), secret=SECRET) == 200
        mark = botapi.mark()
        assert post(url, start_update(5, "/timezone Berlin"), secret=SECRET) == 200
        botapi.wait_for(chat_id=DORA, text="Time zone set", after=mark)
        answers = [m for m in botapi.sent(DORA) if "Sources:" in m["text"]]
        assert len(answers) == 1, answers

        # A huge body is refused from its headers, before it is sent: with the wrong secret
        # (403) or the right one (413); a malformed body gets 400 and is logged by size.
        assert headers_only(port, 100_000_000, secret="wrong") == 403
        assert headers_only(port, 100_000_000, secret=SECRET) == 413
        assert (
            post_raw(url, b'{"update_id": 9, "message": {"text": "my private words', SECRET) == 400
        )

    assert botapi.calls_to("getUpdates") == []
    output = log.read_text()
    assert "malformed update of" in output
    assert "my private words" not in output
    assert TOKEN not in output
    assert SECRET not in output


def test_webhook_mode_is_ready_only_once_telegram_has_taken_the_webhook(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    port, ops_port = free_port(), free_port()
    readyz = f"http://127.0.0.1:{ops_port}/readyz"
    env = webhook_environment(botapi, tmp_path, port, BACKCARE_OPS__PORT=str(ops_port))
    botapi.slow_next("setWebhook", seconds=3)  # Telegram takes its time to answer
    seen: list[tuple[int, dict[str, Any]]] = []

    def started(timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not seen or seen[-1][1]["checks"]["started"] != "ok":
            assert time.monotonic() < deadline, seen[-1:]
            time.sleep(0.05)
            try:
                status, body = get(readyz)
            except OSError:  # not listening yet
                continue
            seen.append((status, json.loads(body)))

    with running_bot(botapi, env, tmp_path / "bot.log", ready=started):
        status, report = seen[-1]
        # Started, but Telegram has not answered setWebhook yet: no update can come.
        assert not botapi.calls_to("setWebhook")
        assert status == 503, report
        assert report["failed"] == ["updates"]
        assert report["checks"]["updates"] == "the webhook is not set yet"

        botapi.wait_for_call("setWebhook", timeout=10)
        deadline = time.monotonic() + 10
        while (answer := get(readyz))[0] != 200:
            assert time.monotonic() < deadline, answer
            time.sleep(0.05)
        assert json.loads(answer[1])["checks"]["updates"] == "ok"


def _nested(depth: int) -> bytes:
    """Return an update whose message replies to a message that replies to one... `depth` deep."""
    message = b'{"message_id": 1, "date": 1748851200, "chat": {"id": 1, "type": "private"}'
    chain = message + b', "reply_to_message": '
    return b'{"update_id": 77, "message": ' + chain * depth + b"null" + b"}" * (depth + 1)


def test_well_formed_json_that_is_not_an_update_gets_400_and_one_line_by_size_and_reason(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    log = tmp_path / "bot.log"
    bodies = {
        b"[]": "a JSON array",
        b"null": "null",
        b"12345": "a JSON number",
        b'"secretword"': "a JSON string",
        b'{"a": 1}': "no update_id",
        b'{"update_id": "7"}': "no update_id",
        b"[" * 100_000 + b"]" * 100_000: "nested too deeply",
        _nested(400): "nested too deeply",
    }
    assert len({len(body) for body in bodies}) == len(bodies)  # each line told by its size

    def ready(timeout: float) -> None:
        botapi.wait_for_call("setWebhook", timeout=timeout)
        wait_until_listening(port, timeout)

    env = webhook_environment(botapi, tmp_path, port)
    with running_bot(botapi, env, log, ready=ready):
        for body in bodies:
            assert post_raw(url, body, SECRET) == 400, body[:40]
        # It still answers a real update.
        mark = botapi.mark()
        assert post(url, start_update(1), secret=SECRET) == 200
        botapi.wait_for(chat_id=DORA, text="time zone", with_buttons=True, after=mark)

    output = log.read_text()
    refused = [line for line in output.splitlines() if "bot.telegram_io.webhook: " in line]
    assert len(refused) == len(bodies), refused
    for body, reason in bodies.items():
        [line] = [line for line in refused if re.search(rf"\b{len(body)} bytes\b", line)]
        assert reason in line, (reason, line)
    assert "Traceback" not in output
    assert "secretword" not in output
