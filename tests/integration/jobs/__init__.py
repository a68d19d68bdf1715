"""Tests: integration/jobs."""
