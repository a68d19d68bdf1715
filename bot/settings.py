"""Settings: defaults from settings.toml, overridden by BACKCARE_* environment variables."""

from __future__ import annotations

import os
import re
import tomllib
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import pydantic_settings
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from guidance.reading.times import InputError, parse_clock_time
from jobs.rules.fields import parse_window, parse_work_days
from jobs.rules.windows import TimeWindow, WorkDays
from jobs.services.profile import NewUserDefaults

SETTINGS_FILE_VARIABLE = "BACKCARE_SETTINGS_FILE"
TOKEN_VARIABLE = "BACKCARE_TELEGRAM__TOKEN"


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it and the expected form."""


def _reading(parse: Any, example: str) -> BeforeValidator:
    def read(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return parse(value, example=example)
        except InputError as error:
            # Imported here: the wording is imported once the language is chosen (below).
            from bot.wording.inputs import refusal

            raise ValueError(refusal(error)) from None  # what is wrong, in words

    return BeforeValidator(read)


# NoDecode: the environment gives these as plain text, not JSON.
Window = Annotated[TimeWindow, NoDecode, _reading(parse_window, "08:00-22:00")]
Days = Annotated[WorkDays, NoDecode, _reading(parse_work_days, "mon-fri")]
ClockTime = Annotated[time, NoDecode, _reading(parse_clock_time, "19:00")]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class TelegramSettings(_Section):
    """How to reach the Bot API."""

    token: SecretStr | None = None
    api_base_url: str
    poll_timeout: int = Field(ge=1, le=60)
    # Polling: /readyz is not ready once no getUpdates has succeeded for this long.
    updates_within_seconds: float = Field(default=90, ge=2, le=3600)
    mode: Literal["polling", "webhook"]
    webhook_url: str
    listen: str
    port: int = Field(ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    proxy: str = ""

    @field_validator("updates_within_seconds")
    @classmethod
    def _longer_than_a_long_poll(cls, value: float, info: ValidationInfo) -> float:
        # A long poll with nothing new succeeds only after poll_timeout: a window under two
        # of them would call a quiet, healthy bot not ready.
        poll_timeout = info.data.get("poll_timeout")
        if poll_timeout is not None and value < 2 * poll_timeout:
            raise ValueError(
                f"expected seconds, at least twice telegram.poll_timeout ({poll_timeout} s)"
            )
        return value

    @field_validator("proxy")
    @classmethod
    def _proxy_url(cls, value: str) -> str:
        if value and not _is_proxy_url(value):
            raise ValueError(
                "expected a proxy URL such as http://user:pass@proxy.example:3128 or "
                "socks5://127.0.0.1:1080 (http, https, socks4 or socks5), or empty for none"
            )
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str) -> str:
        if value and not value.startswith("https://"):
            raise ValueError("expected the public https:// address Telegram should post to")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_form(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram accepts 1-256 characters: letters, digits, _ and -.
        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()
        ):
            raise ValueError("expected 1-256 letters, digits, _ or -")
        return value

    @model_validator(mode="after")
    def _webhook_needs_url(self) -> TelegramSettings:
        if self.mode == "webhook" and not self.webhook_url:
            raise ValueError(
                "webhook mode needs telegram.webhook_url (BACKCARE_TELEGRAM__WEBHOOK_URL)"
            )
        return self

    @field_validator("api_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("expected an http(s) URL such as https://api.telegram.org/bot")
        return value


PROXY_SCHEMES = frozenset({"http", "https", "socks4", "socks5"})


def _is_proxy_url(value: str) -> bool:
    """Tell whether `value` is scheme://[user:pass@]host:port with a scheme we can use."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return False
    return (
        parts.scheme in PROXY_SCHEMES
        and bool(parts.hostname)
        and port is not None
        and parts.path in ("", "/")
        and not parts.query
        and not parts.fragment
    )


class DatabaseSettings(_Section):
    """Where everything is stored."""

    url: str
    echo: bool
    connect_timeout: float = Field(ge=1, le=300)
    statement_timeout: float = Field(ge=1, le=3600)
    # SQLite only: the most the database may grow to, in MiB (0: as far as the disk goes).
    sqlite_max_mb: int = Field(default=0, ge=0, le=1_000_000)

    @field_validator("url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(
                "expected a URL such as sqlite+aiosqlite:///./data/backcare.db "
                "or postgresql+asyncpg://user@host/db"
            ) from None
        if url.drivername in ("postgres", "postgresql"):
            url = url.set(drivername="postgresql+asyncpg")
        if url.drivername not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
            raise ValueError(
                "expected the sqlite+aiosqlite:// or postgresql+asyncpg:// driver, "
                f"not {url.drivername}"
            )
        return url.render_as_string(hide_password=False)


class DefaultSettings(_Section):
    """What a new user starts with."""

    waking_hours: Window
    work_hours: Window
    work_days: Days
    water_goal_ml: int = Field(ge=500, le=6000)
    water_glass_ml: int = Field(ge=50, le=1000)
    posture_every_minutes: int = Field(ge=30, le=120)
    stretch_time: ClockTime
    # The language BackCare speaks: "en", or one with a compiled catalog in
    # bot/wording/locale (docs/architecture/wording.md).
    language: str = "en"

    @field_validator("language")
    @classmethod
    def _has_a_catalog(cls, language: str) -> str:
        from bot.i18n import has_catalog  # outside bot.wording: nothing is said yet

        if not has_catalog(language):
            raise ValueError(f"no compiled catalog for {language!r} in bot/wording/locale")
        return language

    def for_new_users(self) -> NewUserDefaults:
        """Return these defaults in the domain's terms."""
        return NewUserDefaults(
            waking=self.waking_hours,
            work=self.work_hours,
            work_days=self.work_days,
            water_goal_ml=self.water_goal_ml,
            water_glass_ml=self.water_glass_ml,
            posture_every_minutes=self.posture_every_minutes,
            stretch_time=self.stretch_time,
        )


class DeliverySettings(_Section):
    """How fast nudges may go out."""

    messages_per_second: float = Field(ge=0, le=1000)
    tick_seconds: float = Field(ge=0.01, le=60)
    batch_size: int = Field(ge=1, le=10000)


class PlanSettings(_Section):
    """How many messages a day at most (timers and warning-sign answers never count)."""

    daily_budget: int = Field(default=16, ge=4, le=100)
    flare_day_budget: int = Field(default=12, ge=4, le=100)


class StartupSettings(_Section):
    """How long to wait for what the bot needs, and when to give up."""

    wait_seconds: float = Field(ge=0, le=3600)
    watchdog_seconds: float = Field(ge=10, le=3600)


class ClockSettings(_Section):
    """Where the time comes from."""

    file: str


class QuestionSettings(_Section):
    """How questions are answered."""

    per_minute: int = Field(ge=1, le=60)


class PrivacySettings(_Section):
    """How long what people typed, and what was sent them, is kept."""

    keep_days: int = Field(ge=1, le=3650)


class LoggingSettings(_Section):
    """How much the bot says about itself, and in what form."""

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"]
    # "json": one JSON object per line, for a log collector.
    format: Literal["text", "json"] = "text"


class OpsSettings(_Section):
    """Where the health, readiness and metrics endpoints listen (port 0 turns them off)."""

    listen: str = "127.0.0.1"
    port: int = Field(default=8844, ge=0, le=65535)


class _TomlWithoutSecrets(TomlConfigSettingsSource):
    def __call__(self) -> dict[str, Any]:
        data = super().__call__()
        for secret in ("token", "webhook_secret"):
            if secret in data.get("telegram", {}):
                raise SettingsError(
                    f"telegram.{secret} must not be in {self.toml_file_path}: set it in the "
                    f"environment as BACKCARE_TELEGRAM__{secret.upper()}"
                )
        return data


def settings_file() -> Path:
    """Find settings.toml: $BACKCARE_SETTINGS_FILE, else the working directory, else the repo."""
    if named := os.environ.get(SETTINGS_FILE_VARIABLE):
        return Path(named)
    here = Path("settings.toml")
    if here.is_file():
        return here
    return Path(__file__).resolve().parents[1] / "settings.toml"


class Settings(BaseSettings):
    """Everything the operator can set."""

    model_config = SettingsConfigDict(
        env_prefix="BACKCARE_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    telegram: TelegramSettings
    database: DatabaseSettings
    defaults: DefaultSettings
    delivery: DeliverySettings
    plan: PlanSettings = PlanSettings()
    startup: StartupSettings
    clock: ClockSettings
    questions: QuestionSettings
    privacy: PrivacySettings
    logging: LoggingSettings
    ops: OpsSettings = OpsSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,  # noqa: ARG003 - no .env files
        file_secret_settings: PydanticBaseSettingsSource,  # noqa: ARG003
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Read init arguments, then the environment, then settings.toml."""
        path = settings_file()
        if not path.is_file():
            raise SettingsError(
                f"settings file {path} not found: run from the project folder "
                f"or set {SETTINGS_FILE_VARIABLE}"
            )
        return init_settings, env_settings, _TomlWithoutSecrets(settings_cls, toml_file=path)


def load_settings(**overrides: Any) -> Settings:
    """Load the settings, or raise SettingsError naming the bad setting and its expected form."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise SettingsError(_describe(error)) from None
    except (tomllib.TOMLDecodeError, pydantic_settings.SettingsError) as error:
        raise SettingsError(f"settings could not be read: {error}") from None


# Settings whose values are never echoed: secrets, and addresses that may carry a password.
_NEVER_SHOWN = frozenset(
    {"token", "webhook_secret", "url", "api_base_url", "webhook_url", "proxy"}
)


def _showable(name: str, value: object) -> bool:
    """Tell whether a bad value may be quoted back in an error message."""
    if name.rsplit(".", 1)[-1] in _NEVER_SHOWN or not isinstance(value, str | int | float):
        return False
    return value != "" and not (isinstance(value, str) and "://" in value)


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    name = ".".join(str(part) for part in first["loc"])
    variable = "BACKCARE_" + "__".join(str(part) for part in first["loc"]).upper()
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "missing":
        message = "missing from settings.toml"
    shown = first.get("input")
    got = f" (got {shown!r})" if _showable(name, shown) else ""
    more = f"; and {len(error.errors()) - 1} more" if len(error.errors()) > 1 else ""
    return f"setting {name} ({variable}): {message}{got}{more}"
