"""Tests: unit/jobs."""
