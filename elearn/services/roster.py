"""HR's staff roster: plan an import (who is added, changed, deactivated), then apply it all or nothing.

The plan is what the preview shows; its digest lets the import refuse to run when the database has
moved on since the preview. Reading and checking the CSV is in roster_csv.py.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from sqlalchemy import select

from ..database import transaction, utcnow
from ..extensions import db
from ..models import AuditAction, Department, Employee, Role, SessionEnd
from ..normalise import fold_name
from . import audit, sessions
from .assignments import apply_open_rules
from .roster_csv import RosterError, RosterFile, RosterRow, parse_roster

__all__ = [
    "ImportSummary",
    "RosterError",
    "RosterFile",
    "RosterPlan",
    "RosterRefused",
    "RosterRow",
    "import_roster",
    "parse_roster",
    "plan_import",
    "read_roster",
]


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    assigned: int = 0  # assignments the year's rules gave to new or changed staff


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


@dataclass(frozen=True)
class DepartmentOrder:
    """A department's 所属コード or 所属カナ as the roster gives it (None: the file does not say)."""

    name: str
    code: str | None
    kana: str | None


@dataclass
class RosterPlan:
    """What importing a roster would do to the database as it is now."""

    full: bool
    added: list[RosterRow] = field(default_factory=list)
    changed: list[EmployeeChange] = field(default_factory=list)
    deactivated: list[Departure] = field(default_factory=list)
    unchanged: int = 0
    new_departments: list[str] = field(default_factory=list)
    department_orders: list[DepartmentOrder] = field(default_factory=list)
    # Shown in the preview, not stopping the import: e.g. a new employee with an existing name.
    warnings: list[RosterError] = field(default_factory=list)

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
            "department_orders": [[d.name, d.code, d.kana] for d in self.department_orders],
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
        return Role(value).japanese
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


def read_roster(data: bytes) -> RosterFile:
    """Parse the file and check it against the staff records too (lost leading zeros): the errors
    the preview and the command line list before anything can be imported."""
    roster = parse_roster(data)
    if not roster.errors:
        roster.errors.extend(record_errors(roster))
        roster.errors.sort(key=lambda e: e.line)
    return roster


def record_errors(roster: RosterFile) -> list[RosterError]:
    """Rows whose new 職員番号 is an existing one without its leading zeros (Excel made 001207 into
    1207): most likely that person, not a new one."""
    numbers = set(db.session.scalars(select(Employee.employee_no)))
    stripped: dict[str, str] = {}
    for number in numbers:
        if number.isdigit() and number.startswith("0"):
            stripped.setdefault(number.lstrip("0"), number)
    return [
        RosterError(
            row.line,
            f"職員番号 {row.employee_no} は登録済みの {stripped[row.employee_no]} ではありませんか。"
            f"{stripped[row.employee_no]} の先頭の 0 が落ちていませんか（Excel では職員番号の列を"
            "文字列にして保存してください）",
        )
        for row in roster.rows
        if row.employee_no not in numbers and row.employee_no in stripped
    ]


def plan_import(roster: RosterFile, full: bool = False) -> RosterPlan:
    """Compare the roster with the database; write nothing.

    In a full roster, every active employee the file does not list is to be deactivated.
    """
    if roster.errors:
        raise ValueError("a roster with errors cannot be planned")
    if lost_zeros := record_errors(roster):
        raise RosterRefused(str(lost_zeros[0]))
    plan = RosterPlan(full=full)
    departments = {d.name: d for d in db.session.scalars(select(Department))}
    employees = {e.employee_no: e for e in db.session.scalars(select(Employee))}
    names = _names(employees.values())
    for row in roster.rows:
        if row.department not in departments and row.department not in plan.new_departments:
            plan.new_departments.append(row.department)
        employee = employees.get(row.employee_no)
        if employee is None:
            plan.added.append(row)
            plan.warnings.extend(_namesakes(row, names))
        elif changes := _changes(employee, row, roster.columns):
            plan.changed.append(EmployeeChange(row, changes))
        else:
            plan.unchanged += 1
    plan.department_orders = _department_orders(roster, departments)
    if full:
        listed = {row.employee_no for row in roster.rows}
        plan.deactivated = [
            Departure(e.id, e.employee_no, e.name, e.department.name)
            for e in sorted(employees.values(), key=lambda e: e.employee_no)
            if e.active and e.employee_no not in listed
        ]
    return plan


def _names(employees) -> dict[str, list[Employee]]:
    found: dict[str, list[Employee]] = {}
    for employee in employees:
        found.setdefault(_name_key(employee.name), []).append(employee)
    return found


def _name_key(name: str) -> str:
    return "".join(fold_name(name).split())  # 「髙橋 一郎」 and 「高橋一郎」 are the same name


def _namesakes(row: RosterRow, names: dict[str, list[Employee]]) -> list[RosterError]:
    """A new number for an existing name may be a person already on record under another number."""
    return [
        RosterError(
            row.line,
            f"{row.employee_no} {row.name} と同じ氏名の職員がいます（{other.employee_no}、"
            f"{other.department.name}、{'在籍' if other.active else '無効'}）。"
            "同じ人なら職員番号を確かめてください",
        )
        for other in names.get(_name_key(row.name), [])
    ]


def _department_orders(roster: RosterFile, departments: dict[str, Department]) -> list[DepartmentOrder]:
    """The departments whose code or kana the file sets to something new (first row of each wins)."""
    if not roster.columns & {"所属コード", "所属カナ"}:
        return []
    wanted: dict[str, DepartmentOrder] = {}
    for row in roster.rows:
        if row.department in wanted or not (row.department_code or row.department_kana):
            continue
        current = departments.get(row.department)
        code = row.department_code or (current.code if current else None)
        kana = row.department_kana or (current.kana if current else None)
        if current is None or (current.code, current.kana) != (code, kana):
            wanted[row.department] = DepartmentOrder(row.department, code, kana)
    return list(wanted.values())


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
    with transaction():
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
            # Who, not only how many: the trail must answer "when did D0002 leave, and by which file".
            added_employees=[f"{r.employee_no} {r.name}（{r.department}）" for r in plan.added],
            changed_employees=[_change_line(c) for c in plan.changed],
            deactivated_employees=[f"{d.employee_no} {d.name}（{d.department}）" for d in plan.deactivated],
        )
    return summary


def _change_line(change: EmployeeChange) -> str:
    fields = "、".join(f"{f.label} {f.old or '（空欄）'} → {f.new or '（空欄）'}" for f in change.changes)
    return f"{change.row.employee_no} {change.row.name}: {fields}"


def _apply_plan(plan: RosterPlan, columns: frozenset[str]) -> ImportSummary:
    departments = {d.name: d for d in db.session.scalars(select(Department))}
    for name in plan.new_departments:
        departments[name] = Department(name=name)
        db.session.add(departments[name])
    for order in plan.department_orders:
        departments[order.name].code, departments[order.name].kana = order.code, order.kana
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
        # Ended, not only refused while inactive: listed again later, they sign in afresh.
        sessions.end_all(employee, SessionEnd.DEACTIVATED, now=now)
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
