"""Which kind of file HR uploaded as a roster, and the rows of an Excel workbook (.xlsx) as text.

HR keeps the roster in Excel: a workbook is read directly (first sheet, first row the header) with
openpyxl's read-only mode. Files that are neither CSV nor XLSX but which Excel also saves (「Unicode
テキスト」 in UTF-16, the old .xls) are recognised by their first bytes, to say in one message what
to save them as instead of a message per line.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from enum import StrEnum

SAVE_AS = "Excel で「CSV UTF-8（コンマ区切り）」または「Excel ブック（.xlsx）」として保存し直してください。"


class RosterFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    XLS = "xls"  # Excel 97-2003 (an OLE2 compound file)
    UTF16 = "utf16"  # 「Unicode テキスト」


class UnreadableRoster(ValueError):
    """The whole file cannot be read; the message is for HR."""


_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> RosterFormat:
    """The kind of file, from its first bytes (never from its name, which HR may have changed)."""
    if data.startswith(_ZIP):
        return RosterFormat.XLSX
    if data.startswith(_OLE2):
        return RosterFormat.XLS
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _mostly_nul(data[:200]):
        return RosterFormat.UTF16  # with BOM, or without: every other byte of its ASCII is NUL
    return RosterFormat.CSV


def _mostly_nul(sample: bytes) -> bool:
    """UTF-16 text has a NUL byte beside every ASCII character (commas, line ends, numbers): far more
    than one in eight bytes even in a Japanese header; a stray NUL in a CSV is a bad character on its
    row (reported there), not another encoding."""
    return bool(sample) and sample.count(0) * 8 >= len(sample)


def refusal(kind: RosterFormat) -> str | None:
    """The one message for a file of a kind that cannot be read, or None."""
    if kind is RosterFormat.XLS:
        return f"古い Excel 形式（.xls）のファイルは読めません。{SAVE_AS}"
    if kind is RosterFormat.UTF16:
        return f"「Unicode テキスト」（UTF-16）のファイルは読めません。{SAVE_AS}"
    return None


def xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) of the first sheet, blank rows included so numbers match Excel's.

    Raises UnreadableRoster when the file is not a workbook openpyxl can open.
    """
    # Loaded by the first workbook, not by every process at start.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        reason = exc.__class__.__name__
        raise UnreadableRoster(f"Excel ブックとして読めません（{reason}）。{SAVE_AS}") from exc
    try:
        if not workbook.worksheets:
            raise UnreadableRoster("Excel ブックにシートがありません。")
        for number, row in enumerate(workbook.worksheets[0].iter_rows(), start=1):
            yield number, [_text(cell.value, getattr(cell, "number_format", None)) for cell in row]
    finally:
        workbook.close()


def _text(value: object, number_format: str | None) -> str:
    """A cell as the text HR sees in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        # A number shown with leading zeros (format 000000) is the number HR typed: keep the zeros.
        if number_format and set(number_format) == {"0"}:
            return str(value).zfill(len(number_format))
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
