"""Spreadsheet-safe exports: CSV (UTF-8 with BOM for Japanese Excel) and XLSX, formula injection neutralised.

Both stream: CSV in chunks of text, XLSX through openpyxl's write-only mode into a temporary
file (services/xlsx.py), so memory stays flat whatever the number of rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import islice
from typing import IO

BOM = "\ufeff"
# Full-width and small forms too: Japanese Excel takes ＝1+1 typed with the IME for a formula.
FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠﹦﹢﹣﹫")
CHUNK_BYTES = 64 * 1024


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"

    @property
    def mimetype(self) -> str:
        if self is ExportFormat.CSV:
            return "text/csv; charset=utf-8"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: object) -> str:
    """Text that a spreadsheet shows as text: a leading formula character gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _neutralised(row: Sequence[object]) -> list[object]:
    # Numbers go through as numbers; only text can carry a formula. One comprehension, no call per
    # cell: it runs for every cell of exports of hundreds of thousands of rows.
    return ["'" + v if v.__class__ is str and v and v[0] in FORMULA_STARTS else v for v in row]


def csv_chunks(
    header: Sequence[str], rows: Iterable[Sequence[object]], batch: int = 500, formula_safe: bool = False
) -> Iterator[str]:
    """Stream CSV text (BOM first, CRLF line ends as Excel writes them) in chunks of rows.

    ``formula_safe`` rows have had their formulas quoted already (by the query that made them):
    they are written a chunk at a time as they come."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([safe_cell(h) for h in header])
    rows = iter(rows) if formula_safe else map(_neutralised, rows)
    while chunk := list(islice(rows, batch)):
        writer.writerows(chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


@dataclass(frozen=True)
class SheetLayout:
    """What makes a sheet read as a spreadsheet rather than a dump: a title row above the header
    (optional), a bold header row that stays in view, a filter on it, and column widths."""

    title: str | None = None
    widths: Mapping[str, float] = field(default_factory=dict)  # by header; others from the header's length


def file_chunks(handle: IO[bytes]) -> Iterator[bytes]:
    """Read a file out in chunks, closing (and so deleting) it at the end or on disconnect."""
    try:
        while chunk := handle.read(CHUNK_BYTES):
            yield chunk
    finally:
        handle.close()


def export_chunks(
    fmt: ExportFormat,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    title: str = "Sheet1",
    layout: SheetLayout | None = None,
    formula_safe: bool = False,
) -> Iterator[bytes]:
    """The export as bytes, in chunks, whatever the format."""
    if fmt is ExportFormat.CSV:
        return (chunk.encode("utf-8") for chunk in csv_chunks(header, rows, formula_safe=formula_safe))
    from .xlsx import xlsx_file  # openpyxl is loaded by the first XLSX, not by every process at start

    return file_chunks(xlsx_file(header, rows, title, layout))


@dataclass(frozen=True)
class Export:
    """A report on its way out: a download on the web, a file or standard output at the command line."""

    fmt: ExportFormat
    basename: str  # ASCII: it names the file and the sheet
    header: Sequence[str]
    rows: Iterable[Sequence[object]]
    layout: SheetLayout | None = None  # the XLSX's title row and column widths
    formula_safe: bool = False  # CSV rows whose formulas are quoted already (by their query)

    @property
    def filename(self) -> str:
        return f"{self.basename}.{self.fmt.value}"

    @property
    def mimetype(self) -> str:
        return self.fmt.mimetype

    def chunks(self) -> Iterator[bytes]:
        return export_chunks(self.fmt, self.header, self.rows, self.basename, self.layout, self.formula_safe)
