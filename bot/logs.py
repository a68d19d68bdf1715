"""Logging set-up that never shows the bot token (request logs show URLs, which contain it)."""

from __future__ import annotations

import logging
from collections.abc import Iterable


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


def configure_logging(level: str, *, secrets: Iterable[str]) -> None:
    """Log to stderr at `level`, with secrets redacted and request chatter turned down."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # The HTTP clients log one line per request, with the token in its URL (redacted above):
    # worth it when debugging, noise otherwise.
    for name in ("bot.http", "httpx"):
        logging.getLogger(name).setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
