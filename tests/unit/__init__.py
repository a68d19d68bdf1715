"""Unit tests: pure code in memory, on a driven clock; no database, no socket."""
