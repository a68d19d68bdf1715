"""The ops port and the log format are settings like any other: toml defaults, env overrides."""

from __future__ import annotations

import os

import pytest

from bot.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def _no_backcare_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in os.environ if name.startswith("BACKCARE_")]:
        monkeypatch.delenv(name)


def test_the_ops_port_listens_on_localhost_8844_and_logs_are_text_by_default() -> None:
    settings = load_settings()
    assert (settings.ops.listen, settings.ops.port) == ("127.0.0.1", 8844)
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


def test_readiness_wants_a_get_updates_within_90_seconds_by_default() -> None:
    assert load_settings().telegram.updates_within_seconds == 90


def test_the_environment_sets_the_readiness_window(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKCARE_TELEGRAM__UPDATES_WITHIN_SECONDS", "150")
    assert load_settings().telegram.updates_within_seconds == 150


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("soon", "Input should be a valid number"),
        ("0", "Input should be greater than or equal to 2"),
        # A long poll with nothing new succeeds only after telegram.poll_timeout (30 s).
        ("45", "at least twice telegram.poll_timeout (30 s)"),
    ],
)
def test_a_bad_readiness_window_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, value: str, said: str
) -> None:
    monkeypatch.setenv("BACKCARE_TELEGRAM__UPDATES_WITHIN_SECONDS", value)
    with pytest.raises(SettingsError) as error:
        load_settings()
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(
        "setting telegram.updates_within_seconds (BACKCARE_TELEGRAM__UPDATES_WITHIN_SECONDS): "
    )
    assert said in message
    assert f"(got {value!r})" in message
