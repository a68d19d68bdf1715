"""Tests: integration/bot."""
