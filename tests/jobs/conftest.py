"""Fixtures for the jobs tests."""

from __future__ import annotations

import pytest

from guidance import Guide
from jobs.composer.texts import NudgeTexts


@pytest.fixture(scope="session")
def texts() -> NudgeTexts:
    """Nudge texts from the packaged knowledge base, loaded once."""
    return NudgeTexts(Guide.load())
