"""Shared fixtures for the guidance tests: one loaded guide, the question set, the sources."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from guidance import Guide

QUESTIONS_FILE = Path(__file__).with_name("questions.toml")
SOURCES_DIR = Path(__file__).parents[2].parent / "shared" / "guidance-sources"


@pytest.fixture(scope="session")
def guide() -> Guide:
    """Load the packaged knowledge base once for the whole run."""
    return Guide.load()


@pytest.fixture(scope="session")
def question_set() -> dict[str, list[dict[str, Any]]]:
    """Read the question set: in-scope, red-flag and out-of-scope questions."""
    with QUESTIONS_FILE.open("rb") as file:
        return tomllib.load(file)


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    """Return the directory of source documents, skipping when this checkout lacks it."""
    if not SOURCES_DIR.is_dir():
        pytest.skip(f"source documents not found at {SOURCES_DIR} (they live beside the repo)")
    return SOURCES_DIR
