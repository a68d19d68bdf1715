"""The ops port and the log format are settings like any other: toml defaults, env overrides."""

from __future__ import annotations

import os

import pytest

from bot.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def _no_backcare_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in os.environ if name.startswith("BACKCARE_")]:
        monkeypatch.delenv(name)


def test_the_ops_port_listens_on_localhost_9090_and_logs_are_text_by_default() -> None:
    settings = load_settings()
    assert (settings.ops.listen, settings.ops.port) == ("127.0.0.1", 9090)
    assert settings.logging.format == "text"


def test_the_environment_turns_the_ops_port_off_and_logs_to_json(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BACKCARE_OPS__PORT", "0")
    monkeypatch.setenv("BACKCARE_OPS__LISTEN", "0.0.0.0")
    monkeypatch.setenv("BACKCARE_LOGGING__FORMAT", "json")
    settings = load_settings()
    assert (settings.ops.listen, settings.ops.port) == ("0.0.0.0", 0)
    assert settings.logging.format == "json"


@pytest.mark.parametrize(
    ("variable", "value"),
    [("BACKCARE_OPS__PORT", "70000"), ("BACKCARE_LOGGING__FORMAT", "xml")],
)
def test_a_bad_ops_or_log_setting_is_named(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=variable):
        load_settings()
