"""Tests: unit/bot."""
