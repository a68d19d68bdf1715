"""The `backcare` command: help, and one clear line for a missing token or a bad setting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import load_settings
from tests.support.bot_process import ROOT


def backcare(
    *args: str, env: dict[str, str], cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """Run the command line in a separate process."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Return an environment without BACKCARE_* settings and with a throwaway database."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("BACKCARE_")}
    env["BACKCARE_DATABASE__URL"] = f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}"
    env.update(extra)
    return env


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = backcare("--help", env=clean_env(tmp_path))
    assert result.returncode == 0
    for command in ("run", "migrate", "ask"):
        assert command in result.stdout


def test_running_without_a_token_says_how_to_get_one_and_exits_2(tmp_path: Path) -> None:
    result = backcare("run", env=clean_env(tmp_path))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "BotFather" in lines[0]
    assert "BACKCARE_TELEGRAM__TOKEN" in lines[0]
    assert not (tmp_path / "db.sqlite").exists()


def test_a_malformed_setting_is_named_with_its_expected_form(tmp_path: Path) -> None:
    env = clean_env(
        tmp_path, BACKCARE_TELEGRAM__TOKEN="1:x", BACKCARE_DEFAULTS__WAKING_HOURS="25:00-7"
    )
    result = backcare("run", env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "defaults.waking_hours" in lines[0]
    assert "BACKCARE_DEFAULTS__WAKING_HOURS" in lines[0]
    assert "08:00-22:00" in lines[0]


def test_a_language_without_a_compiled_catalog_is_refused(tmp_path: Path) -> None:
    env = clean_env(tmp_path, BACKCARE_TELEGRAM__TOKEN="1:x", BACKCARE_DEFAULTS__LANGUAGE="xx")
    result = backcare("run", env=env)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "BACKCARE_DEFAULTS__LANGUAGE" in line
    assert "no compiled catalog for 'xx'" in line


def test_a_token_in_the_settings_file_is_refused(tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text(
        (ROOT / "settings.toml").read_text().replace("[telegram]", '[telegram]\ntoken = "1:x"')
    )
    result = backcare("migrate", env=clean_env(tmp_path, BACKCARE_SETTINGS_FILE=str(settings)))
    assert result.returncode == 2
    assert "BACKCARE_TELEGRAM__TOKEN" in result.stderr


def test_migrate_creates_the_database(tmp_path: Path) -> None:
    result = backcare("migrate", env=clean_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "db.sqlite").exists()
    assert "up to date" in result.stdout


def test_webhook_mode_without_its_address_is_refused(tmp_path: Path) -> None:
    env = clean_env(tmp_path, BACKCARE_TELEGRAM__TOKEN="1:x", BACKCARE_TELEGRAM__MODE="webhook")
    result = backcare("run", env=env)
    assert result.returncode == 2
    assert "BACKCARE_TELEGRAM__WEBHOOK_URL" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("variable", "secret", "setting"),
    [
        ("BACKCARE_TELEGRAM__WEBHOOK_SECRET", "s3cr3t pass!word", "telegram.webhook_secret"),
        (
            "BACKCARE_DATABASE__URL",
            "mysql://backcare:Hunter2Password@db.example/backcare",
            "database.url",
        ),
        ("BACKCARE_TELEGRAM__API_BASE_URL", "ftp://user:Hunter2Password@host/bot", "api_base_url"),
    ],
)
def test_a_bad_secret_or_url_is_named_but_never_echoed(
    tmp_path: Path, variable: str, secret: str, setting: str
) -> None:
    env = clean_env(tmp_path, BACKCARE_TELEGRAM__TOKEN="1:x", **{variable: secret})
    result = backcare("run", env=env)
    assert result.returncode == 2
    assert setting in result.stderr
    assert "Hunter2Password" not in result.stderr + result.stdout
    assert secret not in result.stderr + result.stdout


@pytest.mark.parametrize(
    "proxy",
    [
        "ftp://user:Hunter2Password@proxy.example:21",
        "socks5://user:Hunter2Password@proxy.example",  # no port
        "http://user:Hunter2Password@:3128",  # no host
        "user:Hunter2Password@proxy.example:3128",  # no scheme
        "http://user:Hunter2Password@proxy.example:3128/path",
    ],
)
def test_a_malformed_proxy_is_refused_in_one_line_with_an_example(
    tmp_path: Path, proxy: str
) -> None:
    env = clean_env(tmp_path, BACKCARE_TELEGRAM__TOKEN="1:x", BACKCARE_TELEGRAM__PROXY=proxy)
    result = backcare("run", env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "BACKCARE_TELEGRAM__PROXY" in lines[0]
    assert "socks5://127.0.0.1:1080" in lines[0]
    assert "Hunter2Password" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    "proxy",
    [
        "",
        "http://proxy.example:3128",
        "http://user:pass@10.0.0.1:3128",
        "https://proxy.example:443",
        "socks5://user:pass@127.0.0.1:1080",
        "socks4://127.0.0.1:1080",
    ],
)
def test_http_and_socks_proxies_are_accepted(monkeypatch: pytest.MonkeyPatch, proxy: str) -> None:
    monkeypatch.setenv("BACKCARE_TELEGRAM__PROXY", proxy)
    assert load_settings().telegram.proxy == proxy
