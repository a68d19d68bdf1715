"""The `backcare` command: run the bot, migrate the database, or ask a question offline."""

from __future__ import annotations

import argparse
import asyncio
import faulthandler
import os
import sys
from collections.abc import Sequence

from bot import i18n
from bot.settings import TOKEN_VARIABLE, Settings, SettingsError, load_settings

EXIT_USAGE = 2
EXIT_UNAVAILABLE = 1  # the database or Telegram never answered at start-up
# Edits are asked for only to be answered ("new messages only", or a warning sign).
UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]

NO_TOKEN = (
    f"No bot token: create a bot with @BotFather in Telegram (/newbot), then set "
    f"{TOKEN_VARIABLE}=<the token it gives you>."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backcare", description="BackCare: a self-care companion for back spasms."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "run", help="migrate the database, then start the bot (long polling, or a webhook)"
    )
    commands.add_parser("migrate", help="upgrade the database to the newest schema")
    ask = commands.add_parser("ask", help="answer questions from the guidance, offline")
    ask.add_argument("--json", action="store_true", help="one JSON object per line")
    ask.add_argument("questions", nargs="+", metavar="QUESTION")
    return parser


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        print(f"backcare: {error}", file=sys.stderr)  # noqa: T201 - the CLI's own output
        raise SystemExit(EXIT_USAGE) from None


def run() -> None:
    """Start the bot, with long polling or a webhook, until interrupted."""
    # A fatal signal (a SIGBUS from SQLite's memory-mapped WAL index when its file is made
    # immutable under the bot) leaves its name and the Python stack in the log, not silence.
    faulthandler.enable()
    settings = _settings()
    # Before the wording is imported (with the application): its texts are said as they load.
    i18n.use(settings.defaults.language)
    from telegram.error import InvalidToken, NetworkError, TimedOut

    from bot.app import build_application
    from bot.background import stop_within_bounds
    from bot.ops.logs import configure_logging
    from bot.startup import StartupError
    from bot.telegram_io.sender import TokenRefused

    telegram = settings.telegram
    if telegram.token is None or not telegram.token.get_secret_value():
        print(NO_TOKEN, file=sys.stderr)  # noqa: T201
        raise SystemExit(EXIT_USAGE)
    secret = telegram.webhook_secret.get_secret_value() if telegram.webhook_secret else None
    configure_logging(
        settings.logging.level,
        secrets=[telegram.token.get_secret_value(), *([secret] if secret else [])],
        form=settings.logging.format,
    )
    app = build_application(settings)
    stop_within_bounds(app)
    try:
        if telegram.mode == "webhook":
            from bot.telegram_io.webhook import run_webhook

            assert app.bot_data.webhook is not None  # built so in webhook mode
            # Any number of processes can stand behind one address: nothing about a person
            # lives in a process's memory.
            run_webhook(
                app,
                app.bot_data.webhook,
                listen=telegram.listen,
                port=telegram.port,
                url=telegram.webhook_url,
                allowed_updates=UPDATES,
            )
        else:
            app.run_polling(
                allowed_updates=UPDATES, timeout=telegram.poll_timeout, stop_signals=None
            )
    except StartupError as error:
        print(f"backcare: {error}", file=sys.stderr)  # noqa: T201
        raise SystemExit(EXIT_UNAVAILABLE) from None
    except (TokenRefused, InvalidToken) as error:
        said = str(error).replace(telegram.token.get_secret_value(), "[token]")
        print(  # noqa: T201
            f"backcare: Telegram refused the bot token ({said}): check {TOKEN_VARIABLE}",
            file=sys.stderr,
        )
        raise SystemExit(EXIT_USAGE) from None
    except (NetworkError, TimedOut) as error:
        print(  # noqa: T201
            f"backcare: Telegram did not answer within {settings.startup.wait_seconds:g} s "
            f"({type(error).__name__})",
            file=sys.stderr,
        )
        raise SystemExit(EXIT_UNAVAILABLE) from None
    if app.bot_data.exit_code:
        raise SystemExit(app.bot_data.exit_code)


def migrate() -> None:
    """Upgrade the configured database."""
    from storage.database import create_engine, redacted_url
    from storage.migrate import upgrade

    settings = _settings()

    async def go() -> None:
        engine = create_engine(settings.database.url)
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()

    asyncio.run(go())
    print(f"database {redacted_url(settings.database.url)} is up to date")  # noqa: T201


def main(argv: Sequence[str] | None = None) -> None:
    """Run the BackCare command line."""
    # Opt in to python-telegram-bot's timedelta durations (retry_after) and its warnings' end.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    arguments = _parser().parse_args(argv)
    if arguments.command == "run":
        run()
    elif arguments.command == "migrate":
        migrate()
    else:
        from bot.wording.answers import ANSWER_WORDS
        from guidance import Guide
        from guidance.cli import run_ask

        guide = Guide.load(words=ANSWER_WORDS)
        said = run_ask(arguments.questions, as_json=arguments.json, out=sys.stdout, guide=guide)
        raise SystemExit(said)


if __name__ == "__main__":
    main()
