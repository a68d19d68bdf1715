"""The token never reaches the log, whatever carries it."""

from __future__ import annotations

import io
import json
import logging
from datetime import datetime

import pytest

from bot.ops.logs import JsonLines, RedactSecrets

TOKEN = "123456789:AAE-secret-token"


@pytest.fixture
def records(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Capture records after they pass the redacting filter."""
    caplog.handler.addFilter(RedactSecrets([TOKEN]))
    caplog.set_level(logging.DEBUG)
    return caplog


def test_the_token_in_a_request_url_is_replaced(records: pytest.LogCaptureFixture) -> None:
    logging.getLogger("httpx").info(
        'HTTP Request: %s %s "%s"', "POST", f"https://api.telegram.org/bot{TOKEN}/getMe", "200"
    )
    assert TOKEN not in records.text
    assert "/bot[token]/getMe" in records.text


def test_the_token_in_an_exception_is_replaced(records: pytest.LogCaptureFixture) -> None:
    try:
        raise ConnectionError(f"cannot reach https://api.telegram.org/bot{TOKEN}/getUpdates")
    except ConnectionError:
        logging.getLogger("telegram").exception("polling failed")
    assert TOKEN not in records.text
    assert "[token]" in records.text


def json_lines(secrets: list[str]) -> tuple[logging.Logger, io.StringIO]:
    """Return a logger writing JSON lines, as `configure_logging(form="json")` sets up."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLines())
    handler.addFilter(RedactSecrets(secrets))
    logger = logging.getLogger(f"test.json.{len(secrets)}.{id(stream)}")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, stream


def test_json_logs_are_one_object_per_line_with_time_level_logger_and_message() -> None:
    logger, stream = json_lines([TOKEN])
    logger.info("tick: %d sent", 3)
    logger.warning("slow")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "tick: 3 sent"
    assert first["level"] == "INFO"
    assert first["logger"] == logger.name
    assert datetime.fromisoformat(first["time"]).tzinfo is not None
    assert "exception" not in first
    assert second["level"] == "WARNING"


def test_json_logs_redact_the_token_in_messages_and_exceptions() -> None:
    logger, stream = json_lines([TOKEN])
    logger.info("GET https://api.telegram.org/bot%s/getMe", TOKEN)
    try:
        raise ConnectionError(f"cannot reach https://api.telegram.org/bot{TOKEN}/getUpdates")
    except ConnectionError:
        logger.exception("polling failed")
    output = stream.getvalue()
    assert TOKEN not in output
    message, failure = (json.loads(line) for line in output.splitlines())
    assert message["message"] == "GET https://api.telegram.org/bot[token]/getMe"
    assert failure["message"] == "polling failed"
    assert (
        "ConnectionError: cannot reach https://api.telegram.org/bot[token]/getUpdates"
        in (failure["exception"])
    )
