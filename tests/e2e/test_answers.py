"""End to end: everything gets one answer, and the bot keeps Telegram's conventions.

An unknown command, a sticker, a voice note get exactly one short reply; an edit gets none;
the command menu is set for private chats, `/flare` first, and every command in it answers;
the descriptions are set; `/help` fits a phone screen and opens every command in place.
The tests share one bot (tests/e2e/conftest.py), each as a person of its own.
"""

from __future__ import annotations

import pytest

from tests.support.botapi_stub import BotApiStub, JsonDict, buttons, describe, find_button

pytestmark = pytest.mark.e2e

GROUP = -1001234567891
BOT = "backcare_test_bot"
# The short help's line, sent after what is tested: once it is there, the bot has answered
# everything before it (each person's updates are handled in order).
SENTINEL = "/help"
SENTINEL_TEXT = "/flare – my back just went into spasm"


def sent_between(botapi: BotApiStub, mark: int, chat_id: int) -> list[str]:
    """Return what the bot sent to a chat since `mark`."""
    return [
        str(event.message.get("text", ""))
        for event in botapi.history()[mark:]
        if event.kind == "sent" and event.message["chat"]["id"] == chat_id
    ]


def answered_once(botapi: BotApiStub, mark: int, chat_id: int) -> list[str]:
    """Wait for the sentinel's answer; return what was sent for the updates queued before it."""
    sentinel = botapi.mark()
    botapi.send_text(chat_id, SENTINEL)
    botapi.wait_for(chat_id=chat_id, text=SENTINEL_TEXT, after=sentinel)
    return [text for text in sent_between(botapi, mark, chat_id) if SENTINEL_TEXT not in text]


def test_unknown_commands_and_messages_without_text_get_one_short_reply_each(
    plain_bot: BotApiStub,
) -> None:
    botapi, cara = plain_bot, 737_301
    expected = {
        "/foo": "/help",
        "/stop": "/pause",
        "/stats": "/today",
        "/todya": "Did you mean /today?",
    }
    for command, naming in expected.items():
        mark = botapi.mark()
        botapi.send_text(cara, command)
        [reply] = answered_once(botapi, mark, cara)
        assert naming in reply, (command, reply)
        assert "/help" in reply, (command, reply)
        assert len(reply) <= 160, (command, reply)

    for kind, naming in [
        ("sticker", "read text"),
        ("voice", "type it"),
        ("photo", "read text"),
        ("document", "read text"),
        ("location", "read text"),
    ]:
        mark = botapi.mark()
        botapi.send_media(cara, kind)
        [reply] = answered_once(botapi, mark, cara)
        assert naming in reply, (kind, reply)

    # A warning sign under a photo is answered as one, and nothing else is said to it.
    mark = botapi.mark()
    botapi.send_media(cara, "photo", caption="my legs have gone numb")
    [urgent] = answered_once(botapi, mark, cara)
    assert urgent.startswith("⚠️ Please get medical help now."), urgent

    # /menu is the short help; /cancel, with nothing to cancel, says how to stop nudges.
    mark = botapi.mark()
    botapi.send_text(cara, "/menu")
    menu = botapi.wait_for(chat_id=cara, text=SENTINEL_TEXT, after=mark)
    botapi.send_text(cara, SENTINEL)
    botapi.wait_for(
        lambda m: SENTINEL_TEXT in m["text"] and m["message_id"] != menu["message_id"],
        chat_id=cara,
        after=mark,
    )
    assert sent_between(botapi, mark, cara) == [menu["text"]] * 2
    mark = botapi.mark()
    botapi.send_text(cara, "/cancel")
    [cancel] = answered_once(botapi, mark, cara)
    assert "/pause" in cancel, cancel
    assert "/settings" in cancel, cancel

    # An edit is not answered (nothing changes); a new message is.
    mark = botapi.mark()
    botapi.edit_text(cara, 1, "/water goal 1500")
    assert answered_once(botapi, mark, cara) == []

    # In a group only the redirect rule applies: a sticker gets nothing, a command one link.
    mark = botapi.mark()
    botapi.send_media(cara, "sticker", chat_id=GROUP)
    botapi.send_text(cara, f"/foo@{BOT}", chat_id=GROUP)
    botapi.wait_for(chat_id=GROUP, text="private", after=mark)
    answered_once(botapi, mark, cara)
    said = sent_between(botapi, mark, chat_id=GROUP)
    assert len(said) == 1, said
    assert f"https://t.me/{BOT}?start=private" in said[0], said


def test_the_menu_leads_with_flare_in_private_chats_and_every_command_in_it_answers(
    plain_bot: BotApiStub,
) -> None:
    botapi, cara = plain_bot, 737_302
    [menu] = botapi.calls_to("setMyCommands")
    assert menu["scope"] == {"type": "all_private_chats"}, menu
    names = [command["command"] for command in menu["commands"]]
    assert names[0] == "flare", names
    assert len(names) <= 10, names
    assert {"today", "drank", "pause", "settings", "help"} <= set(names), names
    [deleted] = botapi.calls_to("deleteMyCommands")
    assert "scope" not in deleted, "only the default (group) scope loses its menu"

    description, short = botapi.description(), botapi.description("short_description")
    assert "not a doctor" in description
    assert 0 < len(description) <= 512
    assert 0 < len(short) <= 120

    # Set up first, so that each command does what it says, not "set you up first".
    mark = botapi.mark()
    botapi.send_text(cara, "/timezone Europe/Berlin")
    botapi.wait_for(chat_id=cara, text="Time zone set", after=mark)
    botapi.send_text(cara, "/hours 07:00-22:00")
    botapi.wait_for(chat_id=cara, text="Awake", after=mark)
    for name in names:
        mark = botapi.mark()
        botapi.send_text(cara, f"/{name}")
        if name == SENTINEL.lstrip("/"):  # its own answer is the sentinel's
            replies = [botapi.wait_for(chat_id=cara, text=SENTINEL_TEXT, after=mark)["text"]]
        else:
            replies = answered_once(botapi, mark, cara)
        assert replies, name
        assert not any("I don't know" in reply for reply in replies), (name, replies)


def test_help_fits_a_screen_and_opens_every_command_in_place(plain_bot: BotApiStub) -> None:
    botapi, cara = plain_bot, 737_303
    mark = botapi.mark()
    botapi.send_text(cara, "/help")
    short = botapi.wait_for(chat_id=cara, text=SENTINEL_TEXT, after=mark)
    assert len(short["text"].split("\n")) <= 15, short["text"]
    assert "/posture every 45m" not in short["text"]
    # Sent as HTML, its heading in bold.
    [sent] = [
        call
        for call in botapi.calls_to("sendMessage")
        if call["chat_id"] == cara and SENTINEL_TEXT in call["text"]
    ]
    assert sent["parse_mode"] == "HTML", sent
    assert sent["text"].startswith("<b>BackCare</b>"), sent["text"]

    mark = botapi.mark()
    botapi.press(cara, short, find_button(short, "📖 All commands"))
    full = botapi.wait_for(
        lambda m: m["message_id"] == short["message_id"], chat_id=cara, after=mark
    )
    assert "/posture every 45m" in full["text"], describe(full)
    assert "/better" in full["text"], describe(full)
    assert [label for label, _ in buttons(full)][-1] == "« Back", describe(full)

    mark = botapi.mark()
    botapi.press(cara, full, find_button(full, "« Back"))
    again: JsonDict = botapi.wait_for(
        lambda m: m["message_id"] == short["message_id"], chat_id=cara, after=mark
    )
    assert again["text"] == short["text"]
    assert sent_between(botapi, mark, cara) == [], "the help was sent again, not edited"
