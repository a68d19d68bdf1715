"""Every typed input and button payload is read at the edge: a refusal, never a crash."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.arguments import _COMMANDS, parse_command, parse_drank, parse_pain, parse_resume
from bot.callbacks import CallbackDataError, decode
from guidance.reading.times import InputError, clean_typed
from jobs.services.care import parse_flare_option

# Text as people (and hostile clients) send it: any Unicode, digits of every script,
# superscripts, huge numbers, control characters.
TYPED = st.one_of(
    st.text(max_size=60),
    st.from_regex(r"[0-9²⁵٣５]{1,30}(h|m|ml|/10)?", fullmatch=True),
    st.from_regex(
        r"(goal|glass|every|work|on|off|acute|alternate) [0-9]{1,25}[hm]?", fullmatch=True
    ),
)


@pytest.mark.parametrize("command", sorted(_COMMANDS))
@given(text=TYPED)
@settings(max_examples=150, deadline=None)
def test_a_settings_command_refuses_or_reads_any_text(command: str, text: str) -> None:
    with contextlib.suppress(InputError):
        parse_command(command, clean_typed(text))


@given(text=TYPED)
@settings(max_examples=300, deadline=None)
def test_the_logging_commands_refuse_or_read_any_text(text: str) -> None:
    typed = clean_typed(text)
    for parse in (parse_drank, parse_pain, parse_resume, parse_flare_option):
        with contextlib.suppress(InputError):
            parse(typed)


@given(
    data=st.one_of(
        st.none(),
        st.text(max_size=70),
        st.from_regex(
            r"(set|tog|menu|ask|do|vote|nud):[a-z_]{1,16}(:[0-9a-z_. ]{0,40})?", fullmatch=True
        ),
    )
)
@settings(max_examples=500, deadline=None)
def test_any_button_payload_decodes_or_is_refused(data: str | None) -> None:
    with contextlib.suppress(CallbackDataError):
        decode(data)


@given(text=st.text(max_size=200))
def test_typed_text_reaches_storage_without_control_characters(text: str) -> None:
    cleaned = clean_typed(text)
    assert not any(ord(char) < 32 and char not in "\n\t\r" for char in cleaned)
    assert "\x7f" not in cleaned


@pytest.mark.parametrize(
    ("parse", "text", "expected"),
    [
        (parse_pain, "²", 2),
        (parse_pain, "⁵", 5),
        (parse_drank, "５００", 500),
    ],
)
def test_unicode_digits_are_read_as_the_digits_they_stand_for(
    parse: object, text: str, expected: int
) -> None:
    assert callable(parse)
    assert parse(clean_typed(text)) == expected


@pytest.mark.parametrize(
    ("command", "text"),
    [("pause", "99999999999999h"), ("posture", "every 99999999999999999m")],
)
def test_absurd_numbers_are_refused_before_any_arithmetic(command: str, text: str) -> None:
    with pytest.raises(InputError):
        parse_command(command, text)
    with pytest.raises(InputError):
        parse_flare_option("acute 99999999999999999999")
