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
        )
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
