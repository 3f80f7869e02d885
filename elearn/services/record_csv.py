"""CSV files of records HR keeps beside the roster (exemptions, attendance at in-person sessions):
read as the roster is (UTF-8 with or without BOM, or CP932), every bad line reported.

Reading only: what the rows mean is checked by the service of each file.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from .roster_csv import RosterError, decode

__all__ = ["CsvTable", "LineError", "normalise_employee_no", "parse_day", "read_table"]

LineError = RosterError  # a line number and a message, written "N行目: message"
_DAY = re.compile(r"^([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?$")


@dataclass
class CsvTable:
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # line number, column -> value
    errors: list[LineError] = field(default_factory=list)


def normalise_employee_no(text: str) -> str:
    """職員番号 as stored: full-width letters and digits made half-width, letters upper case."""
    return unicodedata.normalize("NFKC", text).strip().upper()


def parse_day(text: str) -> date | None:
    """A date as HR types it or Excel saves it: 2026-06-15, 2026/6/15, 2026年6月15日."""
    found = _DAY.match(unicodedata.normalize("NFKC", text).strip())
    if found is None:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def read_table(data: bytes, required: Sequence[str], optional: Sequence[str] = ()) -> CsvTable:
    """The rows of the file with their line numbers, cells stripped; every line that cannot be read
    (encoding, column count) is an error, and a missing column stops at the header."""
    lines, _encoding, errors = decode(data)
    table = CsvTable(errors=list(errors))
    bad_lines = {e.line for e in errors}
    reader = csv.reader(io.StringIO("\n".join(lines), newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error):
        table.errors.append(LineError(1, "ファイルが空か、CSV として読めません"))
        return table
    missing = [c for c in required if c not in header]
    if missing:
        table.errors.append(LineError(1, f"必須の列がありません: {'、'.join(missing)}"))
        return table
    unknown = [h for h in header if h and h not in (*required, *optional)]
    if unknown:
        table.errors.append(LineError(1, f"知らない列があります: {'、'.join(unknown)}"))
    try:
        for cells in reader:
            line = reader.line_num
            if line in bad_lines or not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                table.errors.append(
                    LineError(
                        line, f"列の数が見出しと違います（見出し {len(header)} 列、この行 {len(cells)} 列）"
                    )
                )
                continue
            table.rows.append((line, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
    except csv.Error as exc:
        table.errors.append(LineError(reader.line_num, f"CSV として読めません: {exc}"))
    if not table.rows and not table.errors:
        table.errors.append(LineError(2, "データの行がありません"))
    return table
