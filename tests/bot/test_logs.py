"""The token never reaches the log, whatever carries it."""

from __future__ import annotations

import logging

import pytest

from bot.logs import RedactSecrets

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
