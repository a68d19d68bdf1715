"""Refused input as a person reads it: what is wrong, and a correct example."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import pytest

from bot.wording.inputs import refusal
from guidance.reading.times import InputError


@contextlib.contextmanager
def refused(pattern: str) -> Iterator[None]:
    """Expect an InputError whose words, as the bot says them, match a pattern."""
    with pytest.raises(InputError) as caught:
        yield
    said = refusal(caught.value)
    assert re.search(pattern, said), said


__all__ = ["refusal", "refused"]
