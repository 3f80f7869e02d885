"""XLSX files written through openpyxl's write-only mode into a temporary file: memory stays flat
whatever the number of rows. Formula injection is neutralised as in the CSV (services/exports.py)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from datetime import date
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .exports import FORMULA_STARTS, SheetLayout


def _xlsx_value(sheet: WriteOnlyWorksheet, value: object) -> object:
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, int | float | date):
        return value  # numbers as numbers, dates as date cells (openpyxl gives them a date format)
    # Control characters are not allowed in the XML of a sheet; drop them rather than fail.
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if text[:1] not in FORMULA_STARTS:
        return text
    # Unlike CSV, a sheet can say "this is text": a string cell (openpyxl would make "=…" a formula)
    # with Excel's quote prefix, so the value reads back exactly as it was.
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _header_width(text: str) -> float:
    # Full-width characters take about two columns; a little room for the filter's button.
    return max(8.0, sum(2 if ord(c) > 0x7F else 1 for c in text) + 4.0)


def _bold(sheet: WriteOnlyWorksheet, values: Iterable[object]) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        value = _xlsx_value(sheet, value)
        cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _start_sheet(sheet: WriteOnlyWorksheet, header: Sequence[str], layout: SheetLayout) -> int:
    """Widths, title and header, before any row (write-only sheets are written in order);
    returns the header's row number."""
    for number, name in enumerate(header, start=1):
        width = layout.widths.get(name) or _header_width(name)
        sheet.column_dimensions[get_column_letter(number)].width = width
    header_row = 2 if layout.title else 1
    sheet.freeze_panes = f"A{header_row + 1}"  # before the first row: it goes out with the sheet's top
    if layout.title:
        sheet.append(_bold(sheet, [layout.title]))
    sheet.append(_bold(sheet, header))
    return header_row


def xlsx_file(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    title: str = "Sheet1",
    layout: SheetLayout | None = None,
) -> IO[bytes]:
    """The workbook in an anonymous temporary file, positioned at its start. The caller closes it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    header_row = _start_sheet(sheet, header, layout or SheetLayout())
    last = header_row
    for last, row in enumerate(rows, start=header_row + 1):  # noqa: B007  (the last row names the filter)
        sheet.append([_xlsx_value(sheet, v) for v in row])
    # The filter is written after the rows, so its range can end at the last one.
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(header))}{last}"
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (the caller reads it out, then closes it)
    try:
        workbook.save(handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle
