"""HR's roster as HR systems and Excel save it: CSV in UTF-8 (with or without BOM) or CP932, or an Excel
workbook (.xlsx, see roster_formats.py); every row checked the same way.

Reading only: nothing here touches the database (planning and importing are in roster.py).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..models import Role
from ..normalise import employee_no as normalise_employee_no
from .roster_formats import RosterFormat, UnreadableRoster, refusal, sniff, xlsx_rows

REQUIRED_COLUMNS = ("職員番号", "氏名", "所属")
ROLE_NAMES = {
    **{r.value: r for r in Role},
    **{r.japanese: r for r in Role},
}
EMPLOYEE_NO = re.compile(r"^[A-Z0-9-]{1,20}$")  # after normalising: upper case
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_LENGTHS = {
    "氏名": 100,
    "氏名カナ": 100,
    "所属": 100,
    "所属コード": 20,
    "所属カナ": 100,
    "雇用区分": 40,
    "メールアドレス": 254,
}
# Nine columns are known; others are ignored, within reason.
MAX_COLUMNS = 100
# Control characters (NUL, LF, ESC, BEL…, C1) and the marks that turn text around (U+202E and the
# other bidi controls): in a name or department they break lines in the CSV downloads, garble
# terminals and make a name read as another one, and PostgreSQL cannot store NUL at all.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


@dataclass
class RosterRow:
    line: int
    employee_no: str
    name: str
    department: str
    role: Role | None
    name_kana: str | None = None
    employment_type: str | None = None
    email: str | None = None
    department_code: str | None = None
    department_kana: str | None = None


@dataclass
class RosterError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.line}行目: {self.message}"


@dataclass
class RosterFile:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RosterError] = field(default_factory=list)
    encoding: str = ""
    columns: frozenset[str] = frozenset()


def decode(data: bytes) -> tuple[list[str], str, list[RosterError]]:
    """Lines of the file in UTF-8 (with or without BOM) or CP932, whichever fits.

    When neither fits the whole file, the encoding that fits more lines is used and
    every line it cannot read is reported.
    """
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding).splitlines(), encoding, []
        except UnicodeDecodeError:
            continue
    raw_lines = data.splitlines()
    best: tuple[int, str] | None = None
    for encoding in ("utf-8-sig", "cp932"):
        failures = sum(1 for raw in raw_lines if not _decodes(raw, encoding))
        if best is None or failures < best[0]:
            best = (failures, encoding)
    encoding = best[1]
    lines, errors = [], []
    for number, raw in enumerate(raw_lines, start=1):
        if _decodes(raw, encoding):
            lines.append(raw.decode(encoding))
        else:
            lines.append(raw.decode(encoding, errors="replace"))
            errors.append(
                RosterError(
                    number, "文字コードが正しくありません（UTF-8 または Shift_JIS で保存してください）"
                )
            )
    return lines, encoding, errors


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def parse_roster(data: bytes) -> RosterFile:
    """Check every row of a CSV or XLSX roster; the result carries all rows and every error found."""
    kind = sniff(data)
    if message := refusal(kind):
        return RosterFile(errors=[RosterError(1, message)], encoding=kind.value)
    if kind is RosterFormat.XLSX:
        result = RosterFile(encoding=kind.value)
        try:
            rows = list(xlsx_rows(data))
        except UnreadableRoster as exc:
            result.errors.append(RosterError(1, str(exc)))
            return result
        return _check_table(iter(rows), result, bad_lines=set())
    lines, encoding, errors = decode(data)
    result = RosterFile(encoding=encoding, errors=errors)
    return _check_table(_csv_rows(lines, result.errors), result, bad_lines={e.line for e in errors})


def _csv_rows(lines: list[str], errors: list[RosterError]) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of the CSV; a line that CSV cannot read is an error and ends the file."""
    reader = csv.reader(io.StringIO("\n".join(lines), newline=""))
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            errors.append(RosterError(max(reader.line_num, 1), f"CSV として読めません: {exc}"))
            return
        yield reader.line_num, cells


def _check_table(
    rows: Iterator[tuple[int, list[str]]], result: RosterFile, bad_lines: set[int]
) -> RosterFile:
    first = next(rows, None)
    if first is None:
        if not result.errors:
            result.errors.append(RosterError(1, "ファイルが空です"))
        return result
    header = _header(first[1])
    if len(header) > MAX_COLUMNS:
        result.errors.append(
            RosterError(first[0], f"列が多すぎます（{len(header)} 列、{MAX_COLUMNS} 列まで）")
        )
        return result
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        result.errors.append(RosterError(first[0], f"必須の列がありません: {'、'.join(missing)}"))
        return result
    result.columns = frozenset(header)
    duplicates = {h for h, count in Counter(header).items() if h and count > 1}
    if duplicates:
        result.errors.append(RosterError(first[0], f"列名が重複しています: {'、'.join(sorted(duplicates))}"))
        return result
    seen = Seen()
    for line, cells in rows:
        if line in bad_lines or not any(c.strip() for c in cells):
            continue
        if result.encoding == RosterFormat.XLSX.value:
            cells = _fitted(line, cells, len(header), result.errors)
            if cells is None:
                continue
        row = _check_row(line, header, cells, seen, result.errors)
        if row is not None:
            result.rows.append(row)
    if not result.rows and not result.errors:
        result.errors.append(RosterError(first[0] + 1, "職員の行がありません"))
    result.errors.sort(key=lambda e: e.line)
    return result


def _header(cells: list[str]) -> list[str]:
    header = [h.strip() for h in cells]
    while header and not header[-1]:  # a sheet's header row often ends in empty cells
        header.pop()
    return header


def _fitted(line: int, cells: list[str], width: int, errors: list[RosterError]) -> list[str] | None:
    """A sheet's row to the header's width: missing cells are blank, cells past the header must be."""
    if any(c.strip() for c in cells[width:]):
        errors.append(RosterError(line, f"見出しのない列に値があります（見出しは {width} 列）"))
        return None
    return (cells + [""] * width)[:width]


@dataclass
class Seen:
    """What earlier rows of the file said: numbers (to find duplicates) and each department's code."""

    numbers: dict[str, int] = field(default_factory=dict)
    department_codes: dict[str, tuple[str, int]] = field(default_factory=dict)


def _check_row(
    line: int, header: list[str], cells: list[str], seen: Seen, errors: list[RosterError]
) -> RosterRow | None:
    if len(cells) != len(header):
        errors.append(
            RosterError(line, f"列の数が見出しと違います（見出し {len(header)} 列、この行 {len(cells)} 列）")
        )
        return None
    values = {h: c.strip() for h, c in zip(header, cells, strict=True)}
    values["職員番号"] = normalise_employee_no(values["職員番号"])  # 「ｄ０００５」 from Excel is D0005
    problems = []
    for column in REQUIRED_COLUMNS:
        if not values[column]:
            problems.append(f"{column}がありません")
    employee_no = values["職員番号"]
    if employee_no and not EMPLOYEE_NO.match(employee_no):
        problems.append(f"職員番号は半角英数字とハイフン20文字以内にしてください: {employee_no}")
    if employee_no in seen.numbers:
        problems.append(f"職員番号 {employee_no} が重複しています（{seen.numbers[employee_no]}行目と同じ）")
    problems.extend(_text_problems(values))
    role = None
    if values.get("役割"):
        role = ROLE_NAMES.get(values["役割"])
        if role is None:
            problems.append(f"不明な役割です: {values['役割']}（employee, manager, trainer, hr のどれか）")
    email = values.get("メールアドレス") or None
    if email and not EMAIL.match(email):
        problems.append(f"メールアドレスの形式が正しくありません: {email}")
    problems.extend(_department_code_problems(values, line, seen))
    if problems:
        errors.extend(RosterError(line, p) for p in problems)
        return None
    seen.numbers[employee_no] = line
    return RosterRow(
        line=line,
        employee_no=employee_no,
        name=values["氏名"],
        department=values["所属"],
        role=role,
        name_kana=values.get("氏名カナ") or None,
        employment_type=values.get("雇用区分") or None,
        email=email,
        department_code=values.get("所属コード") or None,
        department_kana=values.get("所属カナ") or None,
    )


def _text_problems(values: dict[str, str]) -> list[str]:
    """The free-text columns: not too long, nothing unprintable."""
    problems = []
    for column, limit in MAX_LENGTHS.items():
        value = values.get(column, "")
        if len(value) > limit:
            problems.append(f"{column}が長すぎます（{limit}文字まで）")
        if unprintable := UNPRINTABLE.search(value):
            code = f"U+{ord(unprintable[0]):04X}"
            problems.append(f"{column}に使えない文字（制御文字や文字の向きを変える記号）があります: {code}")
    return problems


def _department_code_problems(values: dict[str, str], line: int, seen: Seen) -> list[str]:
    """A department has one code: two rows giving it different codes cannot both be right."""
    code = values.get("所属コード")
    if not code or not values["所属"]:
        return []
    first = seen.department_codes.setdefault(values["所属"], (code, line))
    if first[0] != code:
        return [f"所属 {values['所属']} の所属コードが {first[1]}行目（{first[0]}）と違います: {code}"]
    return []
