"""The export: one CSV file per subject, and a README.txt that explains every column."""

from __future__ import annotations

import csv
import io
import textwrap
import zipfile
from collections.abc import Sequence

from jobs.rules.report import RecordTable

INTRO = """BackCare export: everything BackCare stores about you.

There is one CSV file per subject (comma-separated, UTF-8, the first row names the
columns). Each opens in a spreadsheet. Dates and times are in your own time zone, dates as
year-month-day, times on the 24-hour clock. An empty cell means nothing was recorded there.
The messages you sent as questions, the nudges sent and the answers to them are kept for 30
days, so this export holds at most 30 days of them. /forget deletes everything.

Below, each file in turn: what one row is, then what each column means.
"""


def readme(tables: Sequence[RecordTable]) -> str:
    """Write the README.txt: for each file, what a row is and each column's meaning."""
    sections = [INTRO]
    for table in tables:
        lines = [f"{table.name}.csv", *textwrap.wrap(table.about, 88)]
        for column, meaning in zip(table.columns, table.meanings, strict=True):
            lines += textwrap.wrap(
                f"- {column}: {meaning}.", 88, initial_indent="  ", subsequent_indent="    "
            )
        sections.append("\n".join(lines))
    return "\n\n".join(sections) + "\n"


def render_export(tables: Sequence[RecordTable]) -> bytes:
    """Write each table as `<name>.csv` (UTF-8, a header row) into a zip with its README.txt;
    return the zip's bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme(tables))
        for table in tables:
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\n")
            writer.writerow(table.columns)
            writer.writerows(table.rows)
            archive.writestr(f"{table.name}.csv", text.getvalue())
    return buffer.getvalue()
