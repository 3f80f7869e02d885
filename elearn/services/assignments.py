"""Assigning courses for a fiscal year by rules: everyone, a department, a role or an employment type.

The rules are kept, not only the assignments they produced: a roster import applies them again, so
staff who join or move mid-year get the year's training without HR assigning it twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    Date,
    Integer,
    bindparam,
    cast,
    exists,
    func,
    insert,
    literal,
    null,
    select,
    true,
    update,
)

from ..database import UTCDateTime, transaction, utcnow
from ..extensions import db
from ..fiscal import current_fiscal_year, fiscal_year_bounds
from ..i18n import NamedCode
from ..models import (
    Assignment,
    AssignmentRule,
    AssignmentScope,
    AuditAction,
    Course,
    Department,
    Employee,
    Role,
)
from . import audit
from .catalog import active_courses
from .record_csv import normalise_employee_no


class AssignmentError(ValueError):
    """The rule cannot be added; the message is for HR."""


@dataclass(frozen=True)
class RuleResult:
    rule: AssignmentRule
    assigned: int  # assignments created now


def describe_scope(rule: AssignmentRule) -> str:
    """Who the rule assigns, in Japanese, as the audit trail and the command line write it."""
    return _scope_text(rule, lambda code: code.japanese)


def scope_label(rule: AssignmentRule) -> str:
    """Who the rule assigns, in the reader's language, for the assignments page."""
    return _scope_text(rule, lambda code: str(code.label))


def _scope_text(rule: AssignmentRule, name: Callable[[NamedCode], str]) -> str:
    scope = AssignmentScope(rule.scope)
    if scope is AssignmentScope.ALL:
        return name(scope)
    if scope is AssignmentScope.DEPARTMENT:
        return f"{name(scope)}: {rule.department.name}"
    if scope is AssignmentScope.ROLE:
        return f"{name(scope)}: {name(Role(rule.value))}"
    return f"{name(scope)}: {rule.value}"


def check_due_date(year: int, due_date: date | None) -> None:
    """A due date must fall within the fiscal year (1 April to 31 March) it is for."""
    if due_date is None:
        return
    first, last = fiscal_year_bounds(year)
    if not first <= due_date <= last:
        raise AssignmentError(
            f"受講期限は{year}年度の中（{first.year}年4月1日から{last.year}年3月31日まで）にしてください。"
        )


def targets(rule: AssignmentRule):
    """The condition on Employee that the rule's scope selects."""
    scope = AssignmentScope(rule.scope)
    if scope is AssignmentScope.DEPARTMENT:
        return Employee.department_id == rule.department_id
    if scope is AssignmentScope.ROLE:
        return Employee.role == rule.value
    if scope is AssignmentScope.EMPLOYMENT_TYPE:
        return Employee.employment_type == rule.value
    return true()


def apply_rule(rule: AssignmentRule) -> int:
    """Assign the rule's course to every active employee in scope who lacks it; one INSERT … SELECT."""
    already = exists().where(
        Assignment.fiscal_year == rule.fiscal_year,
        Assignment.course_id == rule.course_id,
        Assignment.employee_id == Employee.id,
    )
    missing = select(
        literal(rule.fiscal_year, Integer),
        literal(rule.course_id, Integer),
        Employee.id,
        # A bare NULL would be untyped on PostgreSQL; CAST of a date string would break it on SQLite.
        literal(rule.due_date, Date) if rule.due_date else cast(null(), Date),
        literal(utcnow(), UTCDateTime),
        literal(rule.id, Integer),
        Employee.department_id,
    ).where(Employee.active.is_(True), targets(rule), ~already)
    columns = [
        "fiscal_year",
        "course_id",
        "employee_id",
        "due_date",
        "assigned_at",
        "rule_id",
        "department_id",
    ]
    statement = insert(Assignment).from_select(columns, missing).execution_options(preserve_rowcount=True)
    return db.session.execute(statement).rowcount


# Built once per process: every completion runs it, inside the submission.
_RECORD_DEPARTMENT = (
    update(Assignment)
    .where(
        Assignment.employee_id == bindparam("employee"),
        Assignment.course_id == bindparam("course"),
        Assignment.fiscal_year == bindparam("year"),
    )
    .values(
        department_id=select(Employee.department_id)
        .where(Employee.id == bindparam("employee"))
        .scalar_subquery()
    )
)


def record_department(employee_id: int, course_id: int, year: int) -> None:
    """On completion, the assignment belongs to the department the employee is in now; no commit."""
    db.session.execute(_RECORD_DEPARTMENT, {"employee": employee_id, "course": course_id, "year": year})


def apply_open_rules() -> int:
    """Apply the rules of this and later fiscal years (after a roster import); no commit."""
    rules = db.session.scalars(
        select(AssignmentRule)
        .join(Course, Course.id == AssignmentRule.course_id)
        .where(
            AssignmentRule.fiscal_year >= current_fiscal_year(),
            AssignmentRule.withdrawn_at.is_(None),
            Course.retired_at.is_(None),
        )
        .order_by(AssignmentRule.id)
    )
    return sum(apply_rule(rule) for rule in rules)


def rules_for(year: int) -> list[AssignmentRule]:
    return list(
        db.session.scalars(
            select(AssignmentRule).where(AssignmentRule.fiscal_year == year).order_by(AssignmentRule.id)
        )
    )


def _same_rule(
    year: int, course: Course, scope: AssignmentScope, department_id: int | None, value: str | None
):
    return db.session.scalar(
        select(AssignmentRule).where(
            AssignmentRule.withdrawn_at.is_(None),  # a withdrawn rule can be made again, corrected
            AssignmentRule.fiscal_year == year,
            AssignmentRule.course_id == course.id,
            AssignmentRule.scope == scope.value,
            AssignmentRule.department_id.is_(None)
            if department_id is None
            else AssignmentRule.department_id == department_id,
            AssignmentRule.value.is_(None) if value is None else AssignmentRule.value == value,
        )
    )


def new_rule(
    year: int,
    course: Course,
    scope: AssignmentScope,
    department: Department | None,
    value: str | None,
    due_date: date | None,
    actor: audit.Actor,
) -> AssignmentRule:
    if course.retired_at is not None:
        raise AssignmentError("このコースは廃止されています。")
    check_due_date(year, due_date)
    if (scope is AssignmentScope.DEPARTMENT) != (department is not None):
        raise AssignmentError("所属を指定してください。")
    if scope is AssignmentScope.ROLE and value not in {r.value for r in Role}:
        raise AssignmentError("役割を正しく指定してください。")
    if scope is AssignmentScope.EMPLOYMENT_TYPE and not value:
        raise AssignmentError("雇用区分を指定してください。")
    if scope in (AssignmentScope.ALL, AssignmentScope.DEPARTMENT):
        value = None
    department_id = department.id if department else None
    if _same_rule(year, course, scope, department_id, value) is not None:
        raise AssignmentError("同じ割当がすでにあります。")
    rule = AssignmentRule(
        fiscal_year=year,
        course_id=course.id,
        scope=scope.value,
        department=department,
        value=value,
        due_date=due_date,
        created_by_id=actor.employee_id,
    )
    db.session.add(rule)
    db.session.flush()
    return rule


def add_rule(
    year: int,
    course: Course,
    scope: AssignmentScope,
    *,
    actor: audit.Actor,
    department: Department | None = None,
    value: str | None = None,
    due_date: date | None = None,
) -> RuleResult:
    """Store the rule and assign its course now, with the audit event, in one transaction."""
    with transaction():
        rule = new_rule(year, course, scope, department, value, due_date, actor)
        assigned = apply_rule(rule)
        title = course.current.title
        audit.record(
            actor,
            AuditAction.ASSIGNMENT_RULE,
            f"{year}年度「{title}」を割り当てました（{describe_scope(rule)}、{assigned}人）",
            year=year,
            course=course.key,
            scope=describe_scope(rule),
            due=due_date.isoformat() if due_date else "",
            assigned=assigned,
        )
    return RuleResult(rule, assigned)


def assign_required_courses(year: int, due_date: date | None = None, actor: audit.Actor | None = None) -> int:
    """Rules from each course's audience (``all``: everyone, ``managers``: managers); returns new assignments.

    Running it again adds only what is missing.
    """
    actor = actor or audit.Actor.command_line()
    audiences = {"all": (AssignmentScope.ALL, None), "managers": (AssignmentScope.ROLE, Role.MANAGER.value)}
    added = 0
    with transaction():
        for course, version in active_courses():
            if version.audience not in audiences:
                continue
            scope, value = audiences[version.audience]
            rule = _same_rule(year, course, scope, None, value) or new_rule(
                year, course, scope, None, value, due_date, actor
            )
            added += apply_rule(rule)
        audit.record(
            actor,
            AuditAction.ASSIGNMENT_RULE,
            f"{year}年度の必修研修を割り当てました（{added}件）",
            year=year,
            due=due_date.isoformat() if due_date else "",
            assigned=added,
        )
    return added


def assignment_counts(year: int) -> dict[int | None, int]:
    """Assignments of the year per rule (None: made before rules were kept); one GROUP BY."""
    rows = db.session.execute(
        select(Assignment.rule_id, func.count())
        .where(Assignment.fiscal_year == year)
        .group_by(Assignment.rule_id)
    )
    return dict(rows.all())


def assign_employees(
    numbers: list[str], course: Course, year: int, *, actor: audit.Actor, due_date: date | None = None
) -> int:
    """Assign a course to named employees (個別); returns the assignments made. Every unknown or
    inactive number is listed and then nothing is assigned; those already assigned are left as they are."""
    wanted = list(dict.fromkeys(normalise_employee_no(n) for n in numbers if n.strip()))
    if not wanted:
        raise AssignmentError("職員番号を入力してください。")
    if course.retired_at is not None:
        raise AssignmentError("このコースは廃止されています。")
    found = {
        e.employee_no: e for e in db.session.scalars(select(Employee).where(Employee.employee_no.in_(wanted)))
    }
    unknown = [n for n in wanted if n not in found]
    inactive = [n for n in wanted if n in found and not found[n].active]
    if unknown or inactive:
        problems = [f"職員番号 {n} の職員はいません" for n in unknown]
        problems += [f"{n} は無効になっています" for n in inactive]
        raise AssignmentError("。".join(problems) + "。")
    with transaction():
        have = set(
            db.session.scalars(
                select(Assignment.employee_id).where(
                    Assignment.fiscal_year == year,
                    Assignment.course_id == course.id,
                    Assignment.employee_id.in_([e.id for e in found.values()]),
                )
            )
        )
        added = [found[n] for n in wanted if found[n].id not in have]
        for employee in added:
            db.session.add(
                Assignment(
                    fiscal_year=year,
                    course_id=course.id,
                    employee_id=employee.id,
                    due_date=due_date,
                    department_id=employee.department_id,
                )
            )
        audit.record(
            actor,
            AuditAction.ASSIGNMENT_INDIVIDUAL,
            f"{year}年度「{course.current.title}」を個別に割り当てました（{len(added)}人）",
            year=year,
            course=course.key,
            employees=[e.employee_no for e in added],
            due=due_date.isoformat() if due_date else "",
        )
    return len(added)
