"""End to end: questions answered from the guidance, red flags first, votes, flood control."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.bot_process import bot_environment, running_bot
from tests.support.botapi_stub import BotApiStub, buttons, find_button

pytestmark = pytest.mark.e2e

BEN = 515151


def test_questions_are_answered_triaged_rated_and_rate_limited(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    env = bot_environment(
        botapi,
        f"sqlite+aiosqlite:///{tmp_path / 'backcare.db'}",
        BACKCARE_QUESTIONS__PER_MINUTE="3",
    )
    with running_bot(botapi, env, tmp_path / "bot.log"):
        mark = botapi.mark()
        botapi.send_text(BEN, "cold pack how many mins")
        answer = botapi.wait_for(chat_id=BEN, text="Sources:", after=mark)
        assert "15" in answer["text"]
        assert "towel" in answer["text"]
        # A first message is answered, then setting up starts.
        botapi.wait_for(chat_id=BEN, text="Which time zone are you in?", after=mark)

        mark = botapi.mark()
        query_id = botapi.press(BEN, answer, find_button(answer, "👍 Helpful"))
        botapi.wait_for_call("answerCallbackQuery", lambda p: p["callback_query_id"] == query_id)
        rated = botapi.wait_for(
            lambda m: m["message_id"] == answer["message_id"] and not buttons(m),
            chat_id=BEN,
            after=mark,
        )
        assert rated["text"] == answer["text"]

        mark = botapi.mark()
        botapi.send_text(BEN, "my leg is numb and my back hurts")
        urgent = botapi.wait_for(chat_id=BEN, text="medical help now", after=mark)
        assert urgent["text"].startswith("⚠️")
        # Self-care waits until they have been seen: the answer says so, with the button.
        assert [label for label, _ in buttons(urgent)] == ["✅ I've been seen: resume care"]

        mark = botapi.mark()
        botapi.send_text(BEN, "what is the capital of France")
        botapi.wait_for(chat_id=BEN, text="only have guidance on back spasm care", after=mark)

        # Three questions so far this minute: a flood now gets one notice and nothing else.
        mark = botapi.mark()
        for _ in range(10):
            botapi.send_text(BEN, "is heat or ice better")
        botapi.send_text(BEN, "/help")
        botapi.wait_for(chat_id=BEN, text="/flare – my back just went into spasm", after=mark)
        replies = [
            event.message["text"]
            for event in botapi.history()[mark:]
            if event.message["chat"]["id"] == BEN
        ]
        assert sum("faster than I can answer" in text for text in replies) == 1
        assert not any("Sources:" in text for text in replies)


def test_warning_signs_are_answered_at_once_even_in_a_flood(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    env = bot_environment(
        botapi,
        f"sqlite+aiosqlite:///{tmp_path / 'backcare.db'}",
        BACKCARE_QUESTIONS__PER_MINUTE="5",
    )
    with running_bot(botapi, env, tmp_path / "bot.log"):
        mark = botapi.mark()
        # Seven quick messages: five questions fill the minute's limit, then two warning signs.
        for question in ("is heat or ice better", "how long should I ice", "what is a spasm"):
            botapi.send_text(BEN, question)
        botapi.send_text(BEN, "how much water should I drink")
        botapi.send_text(BEN, "what causes back spasms")
        botapi.send_text(BEN, "i can't feel my legs")
        botapi.send_text(BEN, "and i wet myself")
        # One more ordinary question: over the limit, it gets the one notice.
        botapi.send_text(BEN, "is heat or ice better")
        botapi.wait_for(chat_id=BEN, text="faster than I can answer", after=mark)

        def replies() -> list[str]:
            return [
                event.message["text"]
                for event in botapi.history()[mark:]
                if event.message["chat"]["id"] == BEN
            ]

        urgent = [text for text in replies() if text.startswith("⚠️ Please get medical help now.")]
        assert len(urgent) == 2, replies()
        assert any("loss of feeling in a leg, a foot or an arm" in text for text in urgent)
        assert any("trouble with your bladder or bowels" in text.split("\n")[1] for text in urgent)
        assert sum("Sources:" in text for text in replies()) == 7, replies()
        assert sum("faster than I can answer" in text for text in replies()) == 1

        # Onboarding waits for a time zone: a warning sign, even in an overlong message, is
        # answered first, and the awaited answer is still taken afterwards.
        mark = botapi.mark()
        botapi.send_text(BEN, "/start")
        botapi.wait_for(chat_id=BEN, text="Which time zone are you in?", after=mark)
        mark = botapi.mark()
        botapi.send_text(BEN, "no weakness, but I cant feel my legs " + "and more " * 150)
        long_urgent = botapi.wait_for(chat_id=BEN, text="medical help now", after=mark)
        assert "too long" not in long_urgent["text"]
        mark = botapi.mark()
        botapi.send_text(BEN, "Berlin")
        botapi.wait_for(chat_id=BEN, text="Saved", after=mark)
