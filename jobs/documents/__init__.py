"""Files made from plain values: the progress chart (PNG), the report (PDF), the export (zip)."""
