"""Tests: integration/storage."""
