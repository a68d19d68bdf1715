"""End to end: the real bot process, onboarding through messages and buttons, a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.bot_process import TOKEN, bot_environment, running_bot
from tests.support.botapi_stub import BotApiStub, buttons, find_button

pytestmark = pytest.mark.e2e

ANA = 424242


def test_onboarding_is_remembered_across_a_restart(botapi: BotApiStub, tmp_path: Path) -> None:
    env = bot_environment(botapi, f"sqlite+aiosqlite:///{tmp_path / 'backcare.db'}")
    log = tmp_path / "bot.log"

    with running_bot(botapi, env, log) as process:
        mark = botapi.mark()
        botapi.send_text(ANA, "/start")
        botapi.wait_for(chat_id=ANA, text="not a doctor", after=mark)
        zones = botapi.wait_for(chat_id=ANA, text="time zone", with_buttons=True, after=mark)
        assert any("Berlin" in label for label, _ in buttons(zones))

        mark = botapi.mark()
        botapi.press(ANA, zones, find_button(zones, "Berlin"))
        hours = botapi.wait_for(chat_id=ANA, text="awake", after=mark)

        mark = botapi.mark()
        botapi.send_text(ANA, "25:00-07:00")
        botapi.wait_for(chat_id=ANA, text="For example", after=mark)

        mark = botapi.mark()
        botapi.send_text(ANA, "07:30-22:30")
        nudges = botapi.wait_for(chat_id=ANA, text="Which nudges", after=mark)
        assert hours["message_id"] != nudges["message_id"]

        mark = botapi.mark()
        botapi.press(ANA, nudges, find_button(nudges, "Posture"))
        toggled = botapi.wait_for(
            lambda m: any(label.startswith("⬜ Posture") for label, _ in buttons(m)),
            chat_id=ANA,
            after=mark,
        )

        mark = botapi.mark()
        botapi.press(ANA, toggled, find_button(toggled, "Done"))
        summary = botapi.wait_for(chat_id=ANA, text="You're all set", after=mark)
        assert "Europe/Berlin" in summary["text"]
        assert "07:30-22:30" in summary["text"]
        assert process.poll() is None
    assert process.returncode == 0

    with running_bot(botapi, env, log):
        mark = botapi.mark()
        botapi.send_text(ANA, "/start")
        again = botapi.wait_for(chat_id=ANA, text="Your plan", after=mark)
    assert "Europe/Berlin" in again["text"]
    assert "Awake 07:30-22:30" in again["text"]
    assert "Off: Posture breaks" in again["text"]
    assert "On: Water" in again["text"]
    assert botapi.unknown_methods == []

    # The token was used for every request, and never written to the log.
    assert botapi.tokens_seen == {TOKEN}
    output = log.read_text()
    assert "BackCare is up" in output
    # Every request URL is logged at DEBUG: the token in it is replaced.
    assert "/bot[token]/getUpdates" in output
    assert TOKEN not in output
    assert TOKEN.split(":")[1] not in output


def test_settings_commands_answer_and_refuse_bad_values(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    env = bot_environment(botapi, f"sqlite+aiosqlite:///{tmp_path / 'backcare.db'}")
    with running_bot(botapi, env, tmp_path / "bot.log"):
        for command, expected in [
            ("/timezone Mars/Olympus", "For example: /timezone Europe/Berlin"),
            ("/timezone EST", "Time zone set to America/New_York (it's "),
            ("/timezone UTC+2", "Time zone set to UTC+2 (it's "),
            ("/timezone Australia", "has several time zones"),
            ("/timezone new york", "America/New_York"),
            ("/hours 25:00-07:00", "For example: /hours 07:30-22:30"),
            ("/hours 7am-13pm", "not a time on a 12-hour clock"),
            ("/hours 7am-10pm", "quiet from 22:00 to 07:00"),
            ("/hours 22:00-06:00", "quiet from 06:00 to 22:00"),
            ("/water goal -5", "For example: /water goal 2500"),
            ("/water goal 2500", "10 glasses of 250 ml"),
            ("/posture every 45m", "every 45 minutes"),
            ("/posture work 9 am - 5 pm sat sun", "sat-sun 09:00-17:00"),
            ("/posture work 08:30-17:00 mon-fri", "mon-fri 08:30-17:00"),
            ("/stretch 7pm", "Daily stretch at 19:00"),
            ("/stretch 19:30", "Daily stretch at 19:30"),
            ("/pause 2h", "paused until"),
            ("/resume", "resumed"),
            ("x" * 5000, "too long"),
            ("/help", "/flare – my back just went into spasm"),
        ]:
            mark = botapi.mark()
            botapi.send_text(ANA, command)
            reply = botapi.wait_for(chat_id=ANA, text=expected, after=mark)
            assert "\n" not in reply["text"] or command == "/help", reply["text"]

        mark = botapi.mark()
        botapi.send_text(ANA, "/settings")
        menu = botapi.wait_for(chat_id=ANA, text="Settings", with_buttons=True, after=mark)
        labels = [label for label, _ in buttons(menu)]
        assert "🕒 America/New_York" in labels
        assert "Goal 2500 ml" in labels
        assert "Every 45 min" in labels
