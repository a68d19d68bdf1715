"""End to end: questions answered from the guidance, red flags first, votes, flood control.

The tests share one bot (tests/e2e/conftest.py), each as a person of its own.
"""

from __future__ import annotations

import pytest

from tests.support.botapi_stub import BotApiStub, buttons, find_button

pytestmark = pytest.mark.e2e

BOT_SETTINGS = {"BACKCARE_QUESTIONS__PER_MINUTE": "3"}


def test_questions_are_answered_triaged_rated_and_rate_limited(plain_bot: BotApiStub) -> None:
    botapi, ben = plain_bot, 515_101
    mark = botapi.mark()
    botapi.send_text(ben, "cold pack how many mins")
    answer = botapi.wait_for(chat_id=ben, text="Sources:", after=mark)
    assert "15" in answer["text"]
    assert "towel" in answer["text"]
    # A first message is answered, then setting up starts.
    botapi.wait_for(chat_id=ben, text="Which time zone are you in?", after=mark)

    mark = botapi.mark()
    query_id = botapi.press(ben, answer, find_button(answer, "👍 Helpful"))
    botapi.wait_for_call("answerCallbackQuery", lambda p: p["callback_query_id"] == query_id)
    rated = botapi.wait_for(
        lambda m: m["message_id"] == answer["message_id"] and not buttons(m),
        chat_id=ben,
        after=mark,
    )
    assert rated["text"] == answer["text"]

    mark = botapi.mark()
    botapi.send_text(ben, "my leg is numb and my back hurts")
    urgent = botapi.wait_for(chat_id=ben, text="medical help now", after=mark)
    assert urgent["text"].startswith("⚠️")
    # Self-care waits until they have been seen: the answer says so, with the button.
    assert [label for label, _ in buttons(urgent)] == ["✅ I've been seen: resume care"]

    mark = botapi.mark()
    botapi.send_text(ben, "what is the capital of France")
    botapi.wait_for(chat_id=ben, text="only have guidance on back spasm care", after=mark)

    # Three questions so far this minute: a flood now gets one notice and nothing else.
    mark = botapi.mark()
    for _ in range(10):
        botapi.send_text(ben, "is heat or ice better")
    botapi.send_text(ben, "/help")
    botapi.wait_for(chat_id=ben, text="/flare – my back just went into spasm", after=mark)
    replies = [
        event.message["text"]
        for event in botapi.history()[mark:]
        if event.message["chat"]["id"] == ben
    ]
    assert sum("faster than I can answer" in text for text in replies) == 1
    assert not any("Sources:" in text for text in replies)


def test_warning_signs_are_answered_at_once_even_in_a_flood(plain_bot: BotApiStub) -> None:
    botapi, ben = plain_bot, 515_102
    mark = botapi.mark()
    # Five quick messages: three questions fill the minute's limit, then two warning signs.
    for question in ("is heat or ice better", "how long should I ice", "what is a spasm"):
        botapi.send_text(ben, question)
    botapi.send_text(ben, "i can't feel my legs")
    botapi.send_text(ben, "and i wet myself")
    # One more ordinary question: over the limit, it gets the one notice.
    botapi.send_text(ben, "is heat or ice better")
    botapi.wait_for(chat_id=ben, text="faster than I can answer", after=mark)

    def replies() -> list[str]:
        return [
            event.message["text"]
            for event in botapi.history()[mark:]
            if event.message["chat"]["id"] == ben
        ]

    urgent = [text for text in replies() if text.startswith("⚠️ Please get medical help now.")]
    assert len(urgent) == 2, replies()
    assert any("loss of feeling in a leg, a foot or an arm" in text for text in urgent)
    assert any("trouble with your bladder or bowels" in text.split("\n")[1] for text in urgent)
    assert sum("Sources:" in text for text in replies()) == 5, replies()
    assert sum("faster than I can answer" in text for text in replies()) == 1

    # Onboarding waits for a time zone: a warning sign, even in an overlong message, is
    # answered first, and the awaited answer is still taken afterwards.
    mark = botapi.mark()
    botapi.send_text(ben, "/start")
    botapi.wait_for(chat_id=ben, text="Which time zone are you in?", after=mark)
    mark = botapi.mark()
    botapi.send_text(ben, "no weakness, but I cant feel my legs " + "and more " * 150)
    long_urgent = botapi.wait_for(chat_id=ben, text="medical help now", after=mark)
    assert "too long" not in long_urgent["text"]
    mark = botapi.mark()
    botapi.send_text(ben, "Berlin")
    botapi.wait_for(chat_id=ben, text="Saved", after=mark)
