"""Faults against the real bot process: kill -9, a silent database, outages."""
