"""Logging set-up that never shows the bot token (request logs show URLs, which contain it)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Literal

from pythonjsonlogger.json import JsonFormatter


class RedactSecrets(logging.Filter):
    """Replace secrets in every record with a placeholder before it is written."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the record's message with the secrets replaced."""
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        for secret in self.secrets:
            message = message.replace(secret, "[token]")
            if record.exc_text:
                record.exc_text = record.exc_text.replace(secret, "[token]")
        record.msg, record.args = message, None
        return True


class JsonLines(JsonFormatter):
    """One JSON object per line: time, level, logger, message and exception, if any.

    The exception is the text `RedactSecrets` rendered and redacted, never a fresh
    rendering of the traceback (which would show the token again).
    """

    def __init__(self) -> None:
        super().__init__(
            ["levelname", "name", "message"],
            rename_fields={"levelname": "level", "name": "logger", "exc_info": "exception"},
            timestamp="time",
        )

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as one line of JSON."""
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)  # type: ignore[assignment]
        exc_info, record.exc_info = record.exc_info, None
        try:
            return super().format(record)
        finally:
            record.exc_info = exc_info


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(
    level: str, *, secrets: Iterable[str], form: Literal["text", "json"] = "text"
) -> None:
    """Log to stderr at `level`, as text or JSON lines, with secrets redacted and request
    chatter turned down."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines() if form == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # The HTTP clients log one line per request, with the token in its URL (redacted above):
    # worth it when debugging, noise otherwise.
    for name in ("bot.telegram_io.http", "httpx"):
        logging.getLogger(name).setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
