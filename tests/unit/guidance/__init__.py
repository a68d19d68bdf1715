"""Tests: unit/guidance."""
