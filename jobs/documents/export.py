"""The export: one CSV file per subject, and a README.txt that explains every column (the
words are `bot.wording.export`'s)."""

from __future__ import annotations

import csv
import io
import textwrap
import zipfile
from collections.abc import Sequence

from jobs.rules.report import RecordTable


def readme(tables: Sequence[RecordTable], intro: str) -> str:
    """Write the README.txt: its intro, then for each file what a row is and each column's
    meaning."""
    sections = [intro]
    for table in tables:
        lines = [f"{table.name}.csv", *textwrap.wrap(table.about, 88)]
        for column, meaning in zip(table.columns, table.meanings, strict=True):
            lines += textwrap.wrap(
                f"- {column}: {meaning}.", 88, initial_indent="  ", subsequent_indent="    "
            )
        sections.append("\n".join(lines))
    return "\n\n".join(sections) + "\n"


def render_export(tables: Sequence[RecordTable], intro: str) -> bytes:
    """Write each table as `<name>.csv` (UTF-8, a header row) into a zip with its README.txt
    (`intro` first); return the zip's bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme(tables, intro))
        for table in tables:
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\n")
            writer.writerow(table.columns)
            writer.writerows(table.rows)
            archive.writestr(f"{table.name}.csv", text.getvalue())
    return buffer.getvalue()
