"""The export: every kind of record stored about a person as a CSV file, all in one zip."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence

from jobs.pure.report import RecordTable

README = """BackCare export: everything BackCare stores about you, one CSV file per kind of record.
Times are given twice: *_utc in UTC and *_local in your time zone (ISO 8601).
The columns of each file are described in BackCare's README, under "Your data (/export)".
"""


def render_export(tables: Sequence[RecordTable]) -> bytes:
    """Write each table as `<name>.csv` (UTF-8, a header row) into a zip; return its bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        for table in tables:
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\n")
            writer.writerow(table.columns)
            writer.writerows(table.rows)
            archive.writestr(f"{table.name}.csv", text.getvalue())
    return buffer.getvalue()
