"""Tests: integration/guidance."""
