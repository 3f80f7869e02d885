"""HR's staff roster: read a CSV as HR systems and Excel save it, check every row, import all or nothing.

The import is planned before it is applied: the plan (added, changed with the fields that change,
deactivated) is what the preview shows, and its digest lets the import refuse to run when the
database has moved on since the preview.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from ..database import utcnow
from ..extensions import db
from ..models import AuditAction, Department, Employee, Role
from . import audit
from .assignments import apply_open_rules

REQUIRED_COLUMNS = ("職員番号", "氏名", "所属")
ROLE_NAMES = {
    **{r.value: r for r in Role},
    **{r.label: r for r in Role},
}
EMPLOYEE_NO = re.compile(r"^[A-Za-z0-9-]{1,20}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_LENGTHS = {"氏名": 100, "氏名カナ": 100, "所属": 100, "雇用区分": 40, "メールアドレス": 254}


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


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    assigned: int = 0  # assignments the year's rules gave to new or changed staff


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
    """Check every row; the result carries all rows and every error found."""
    lines, encoding, errors = decode(data)
    result = RosterFile(encoding=encoding, errors=errors)
    bad_lines = {e.line for e in errors}
    reader = csv.reader(io.StringIO("\n".join(lines), newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        result.errors.append(RosterError(1, "ファイルが空です"))
        return result
    except csv.Error as exc:
        result.errors.append(RosterError(1, f"CSV として読めません: {exc}"))
        return result
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        result.errors.append(RosterError(1, f"必須の列がありません: {'、'.join(missing)}"))
        return result
    result.columns = frozenset(header)
    duplicates = {h for h in header if h and header.count(h) > 1}
    if duplicates:
        result.errors.append(RosterError(1, f"列名が重複しています: {'、'.join(sorted(duplicates))}"))
        return result
    seen: dict[str, int] = {}
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.errors.append(RosterError(reader.line_num, f"CSV として読めません: {exc}"))
            break
        line = reader.line_num
        if line in bad_lines or not any(c.strip() for c in cells):
            continue
        row = _check_row(line, header, cells, seen, result.errors)
        if row is not None:
            result.rows.append(row)
    if not result.rows and not result.errors:
        result.errors.append(RosterError(2, "職員の行がありません"))
    result.errors.sort(key=lambda e: e.line)
    return result


def _check_row(
    line: int, header: list[str], cells: list[str], seen: dict[str, int], errors: list[RosterError]
) -> RosterRow | None:
    if len(cells) != len(header):
        errors.append(
            RosterError(line, f"列の数が見出しと違います（見出し {len(header)} 列、この行 {len(cells)} 列）")
        )
        return None
    values = {h: c.strip() for h, c in zip(header, cells, strict=True)}
    problems = []
    for column in REQUIRED_COLUMNS:
        if not values[column]:
            problems.append(f"{column}がありません")
    employee_no = values["職員番号"]
    if employee_no and not EMPLOYEE_NO.match(employee_no):
        problems.append(f"職員番号は半角英数字とハイフン20文字以内にしてください: {employee_no}")
    if employee_no in seen:
        problems.append(f"職員番号 {employee_no} が重複しています（{seen[employee_no]}行目と同じ）")
    for column, limit in MAX_LENGTHS.items():
        if len(values.get(column, "")) > limit:
            problems.append(f"{column}が長すぎます（{limit}文字まで）")
    role = None
    if values.get("役割"):
        role = ROLE_NAMES.get(values["役割"])
        if role is None:
            problems.append(f"不明な役割です: {values['役割']}（employee, manager, trainer, hr のどれか）")
    email = values.get("メールアドレス") or None
    if email and not EMAIL.match(email):
        problems.append(f"メールアドレスの形式が正しくありません: {email}")
    if problems:
        errors.extend(RosterError(line, p) for p in problems)
        return None
    seen[employee_no] = line
    return RosterRow(
        line=line,
        employee_no=employee_no,
        name=values["氏名"],
        department=values["所属"],
        role=role,
        name_kana=values.get("氏名カナ") or None,
        employment_type=values.get("雇用区分") or None,
        email=email,
    )


# Attribute -> what HR calls it, in the order the preview lists changes.
FIELD_LABELS = {
    "name": "氏名",
    "department": "所属",
    "role": "役割",
    "name_kana": "氏名カナ",
    "employment_type": "雇用区分",
    "email": "メールアドレス",
    "active": "在籍",
}
OPTIONAL_ATTRIBUTES = {"氏名カナ": "name_kana", "雇用区分": "employment_type", "メールアドレス": "email"}


class RosterRefused(ValueError):
    """The roster is valid but must not be imported as it stands; the message is for HR."""


@dataclass(frozen=True)
class FieldChange:
    attribute: str
    old: str
    new: str

    @property
    def label(self) -> str:
        return FIELD_LABELS[self.attribute]


@dataclass(frozen=True)
class EmployeeChange:
    row: RosterRow
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Departure:
    employee_id: int
    employee_no: str
    name: str
    department: str


@dataclass
class RosterPlan:
    """What importing a roster would do to the database as it is now."""

    full: bool
    added: list[RosterRow] = field(default_factory=list)
    changed: list[EmployeeChange] = field(default_factory=list)
    deactivated: list[Departure] = field(default_factory=list)
    unchanged: int = 0
    new_departments: list[str] = field(default_factory=list)

    def digest(self) -> str:
        """A fingerprint of the plan: two previews with the same digest would write the same."""
        canonical = {
            "full": self.full,
            "added": [
                [r.employee_no, r.name, r.department, r.role, r.name_kana, r.employment_type, r.email]
                for r in self.added
            ],
            "changed": [
                [c.row.employee_no, [[f.attribute, f.old, f.new] for f in c.changes]] for c in self.changed
            ],
            "deactivated": [d.employee_no for d in self.deactivated],
            "new_departments": self.new_departments,
        }
        text = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def refusal(self, actor_id: int | None) -> str | None:
        """Why this plan must not run for this actor, or None."""
        if actor_id is not None and any(d.employee_id == actor_id for d in self.deactivated):
            return "この名簿を取り込むと、操作しているあなた自身のアカウントが無効になります。"
        return None


def _shown(attribute: str, value: object) -> str:
    if attribute == "active":
        return "在籍" if value else "無効"
    if attribute == "role" and value is not None:
        return Role(value).label
    return "" if value is None else str(value)


def _wanted(row: RosterRow, columns: frozenset[str]) -> dict[str, object]:
    """The attributes the row sets: an optional column missing from the file, or a blank 役割, keeps
    the current value."""
    wanted: dict[str, object] = {"name": row.name, "department": row.department, "active": True}
    for column, attribute in OPTIONAL_ATTRIBUTES.items():
        if column in columns:
            wanted[attribute] = getattr(row, attribute)
    if row.role is not None:
        wanted["role"] = row.role.value
    return wanted


def _changes(employee: Employee, row: RosterRow, columns: frozenset[str]) -> tuple[FieldChange, ...]:
    changes = []
    for attribute, new in _wanted(row, columns).items():
        old = employee.department.name if attribute == "department" else getattr(employee, attribute)
        if old != new:
            changes.append(FieldChange(attribute, _shown(attribute, old), _shown(attribute, new)))
    order = list(FIELD_LABELS)
    return tuple(sorted(changes, key=lambda c: order.index(c.attribute)))


def plan_import(roster: RosterFile, full: bool = False) -> RosterPlan:
    """Compare the roster with the database; write nothing.

    In a full roster, every active employee the file does not list is to be deactivated.
    """
    if roster.errors:
        raise ValueError("a roster with errors cannot be planned")
    plan = RosterPlan(full=full)
    departments = set(db.session.scalars(select(Department.name)))
    employees = {e.employee_no: e for e in db.session.scalars(select(Employee))}
    for row in roster.rows:
        if row.department not in departments:
            departments.add(row.department)
            plan.new_departments.append(row.department)
        employee = employees.get(row.employee_no)
        if employee is None:
            plan.added.append(row)
        elif changes := _changes(employee, row, roster.columns):
            plan.changed.append(EmployeeChange(row, changes))
        else:
            plan.unchanged += 1
    if full:
        listed = {row.employee_no for row in roster.rows}
        plan.deactivated = [
            Departure(e.id, e.employee_no, e.name, e.department.name)
            for e in sorted(employees.values(), key=lambda e: e.employee_no)
            if e.active and e.employee_no not in listed
        ]
    return plan


def import_roster(
    roster: RosterFile,
    *,
    full: bool = False,
    actor: audit.Actor | None = None,
    expected_digest: str | None = None,
    source: str = "",
) -> ImportSummary:
    """Apply the roster in one transaction, with its audit event and the year's assignment rules.

    With ``expected_digest`` (from the preview), refuses with RosterRefused when the plan differs.
    """
    actor = actor or audit.Actor.command_line()
    try:
        plan = plan_import(roster, full)
        if expected_digest is not None and plan.digest() != expected_digest:
            raise RosterRefused("プレビューの後に職員の情報が変わりました。もう一度内容を確認してください。")
        if reason := plan.refusal(actor.employee_id):
            raise RosterRefused(reason)
        summary = _apply_plan(plan, roster.columns)
        summary.assigned = apply_open_rules()
        audit.record(
            actor,
            AuditAction.ROSTER_IMPORT,
            f"名簿を取り込みました（追加 {summary.added}、変更 {summary.updated}、"
            f"無効化 {summary.deactivated}）",
            source=source,
            full=full,
            digest=plan.digest(),
            added=summary.added,
            updated=summary.updated,
            unchanged=summary.unchanged,
            deactivated=summary.deactivated,
            assigned=summary.assigned,
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return summary


def _apply_plan(plan: RosterPlan, columns: frozenset[str]) -> ImportSummary:
    departments = {d.name: d for d in db.session.scalars(select(Department))}
    for name in plan.new_departments:
        departments[name] = Department(name=name)
        db.session.add(departments[name])
    for row in plan.added:
        employee = Employee(employee_no=row.employee_no, role=(row.role or Role.EMPLOYEE).value)
        db.session.add(employee)
        _copy(employee, row, columns, departments)
    # Already in the session from planning: this reads from its identity map, not row by row.
    by_number = {e.employee_no: e for e in db.session.scalars(select(Employee))} if plan.changed else {}
    for change in plan.changed:
        _copy(by_number[change.row.employee_no], change.row, columns, departments)
    now = utcnow()
    for departure in plan.deactivated:
        employee = db.session.get(Employee, departure.employee_id)
        employee.active = False
        employee.deactivated_at = now
    db.session.flush()
    return ImportSummary(
        added=len(plan.added),
        updated=len(plan.changed),
        unchanged=plan.unchanged,
        deactivated=len(plan.deactivated),
    )


def _copy(
    employee: Employee, row: RosterRow, columns: frozenset[str], departments: dict[str, Department]
) -> None:
    for attribute, value in _wanted(row, columns).items():
        setattr(employee, attribute, departments[value] if attribute == "department" else value)
    employee.deactivated_at = None
