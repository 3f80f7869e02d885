"""Correcting assignment rules: how many a rule reaches before it is saved, a new due date, withdrawal,
and carrying last year's rules over to a new fiscal year.

Withdrawing never deletes a record of training: the rule stays (with who withdrew it, when and why),
assignments that someone has started or completed stay and show they came from a withdrawn rule;
only assignments nobody has touched go, so that they leave the year's list and its rates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, delete, exists, func, or_, select, update

from ..database import transaction, utcnow
from ..extensions import db
from ..models import (
    Assignment,
    AssignmentRule,
    AssignmentScope,
    Attempt,
    AuditAction,
    Completion,
    Course,
    Department,
    Employee,
    LessonView,
)
from . import audit
from .assignments import AssignmentError, apply_rule, check_due_date, describe_scope, new_rule, targets

MAX_REASON = 200


def reach(scope: AssignmentScope, department: Department | None = None, value: str | None = None) -> int:
    """How many active employees a rule of this scope would assign (before it is saved)."""
    probe = AssignmentRule(
        scope=scope.value, department_id=department.id if department else None, value=value
    )
    return (
        db.session.scalar(select(func.count(Employee.id)).where(Employee.active.is_(True), targets(probe)))
        or 0
    )


def _rule_title(rule: AssignmentRule) -> str:
    return f"{rule.fiscal_year}年度「{rule.course.current.title}」（{describe_scope(rule)}）"


def change_due_date(rule: AssignmentRule, due_date: date | None, actor: audit.Actor) -> int:
    """Move the rule's due date, and that of every assignment it made; returns how many moved."""
    if rule.withdrawn:
        raise AssignmentError("取り消した割当は変更できません。")
    check_due_date(rule.fiscal_year, due_date)
    with transaction():
        old = rule.due_date
        rule.due_date = due_date
        moved = db.session.execute(
            update(Assignment)
            .where(Assignment.rule_id == rule.id)
            .values(due_date=due_date)
            .execution_options(synchronize_session=False, preserve_rowcount=True)
        ).rowcount
        audit.record(
            actor,
            AuditAction.ASSIGNMENT_RULE_CHANGE,
            f"{_rule_title(rule)} の受講期限を変更しました（{_day(old)} → {_day(due_date)}、{moved}人）",
            year=rule.fiscal_year,
            course=rule.course.key,
            scope=describe_scope(rule),
            old_due=_day(old),
            due=_day(due_date),
            assignments=moved,
        )
    return moved


def _day(day: date | None) -> str:
    return day.isoformat() if day else "なし"


@dataclass(frozen=True)
class Withdrawal:
    removed: int  # assignments nobody had started: gone from the year's list
    kept: int  # assignments with progress or a completion: kept, marked as from a withdrawn rule


def _touched():
    """The condition on Assignment: its employee has started, read or completed the course that year."""
    same = {
        "employee": Assignment.employee_id,
        "course": Assignment.course_id,
        "year": Assignment.fiscal_year,
    }
    return or_(
        *(
            exists().where(
                model.employee_id == same["employee"],
                model.course_id == same["course"],
                model.fiscal_year == same["year"],
            )
            for model in (Attempt, Completion, LessonView)
        )
    )


def withdraw_rule(rule: AssignmentRule, reason: str, actor: audit.Actor) -> Withdrawal:
    """Withdraw (取消) the rule with a reason; see the module's docstring for what stays."""
    reason = " ".join(reason.split())
    if not reason:
        raise AssignmentError("取り消す理由を入力してください。")
    if len(reason) > MAX_REASON:
        raise AssignmentError(f"理由は{MAX_REASON}文字以内にしてください。")
    if rule.withdrawn:
        raise AssignmentError("この割当はすでに取り消されています。")
    with transaction():
        ours = Assignment.rule_id == rule.id
        kept = db.session.scalar(select(func.count(Assignment.id)).where(ours, _touched())) or 0
        removed = db.session.execute(
            delete(Assignment)
            .where(and_(ours, ~_touched()))
            .execution_options(synchronize_session=False, preserve_rowcount=True)
        ).rowcount
        rule.withdrawn_at = utcnow()
        rule.withdrawn_by_id = actor.employee_id
        rule.withdrawal_reason = reason
        audit.record(
            actor,
            AuditAction.ASSIGNMENT_RULE_WITHDRAW,
            f"{_rule_title(rule)} を取り消しました（未受講の割当 {removed}人を外し、"
            f"受講済み・受講中の {kept}人は記録を残す）。理由: {reason}",
            year=rule.fiscal_year,
            course=rule.course.key,
            scope=describe_scope(rule),
            reason=reason,
            removed=removed,
            kept=kept,
        )
    return Withdrawal(removed, kept)


def _moved_a_year(day: date | None) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February: the last day of February of the next year
        return day.replace(year=day.year + 1, day=28)


@dataclass(frozen=True)
class CarryOver:
    rules: int  # rules copied
    skipped: int  # already there, or their course or department is gone
    assigned: int


def carry_over_rules(year: int, actor: audit.Actor) -> CarryOver:
    """Copy the rules of the year before ``year`` (not withdrawn) with their due dates a year later,
    and apply them. Rules the new year has already are skipped: running it again adds nothing."""
    previous = db.session.scalars(
        select(AssignmentRule)
        .join(Course, Course.id == AssignmentRule.course_id)
        .where(AssignmentRule.fiscal_year == year - 1, AssignmentRule.withdrawn_at.is_(None))
        .order_by(AssignmentRule.id)
    ).all()
    copied = skipped = assigned = 0
    with transaction():
        for old in previous:
            try:
                rule = new_rule(
                    year,
                    old.course,
                    AssignmentScope(old.scope),
                    old.department,
                    old.value,
                    _moved_a_year(old.due_date),
                    actor,
                )
            except AssignmentError:  # a duplicate, or a retired course
                skipped += 1
                continue
            copied += 1
            assigned += apply_rule(rule)
        audit.record(
            actor,
            AuditAction.ASSIGNMENT_RULE,
            f"{year - 1}年度の割当を{year}年度に引き継ぎました（{copied}件、{assigned}人）",
            year=year,
            source_year=year - 1,
            rules=copied,
            skipped=skipped,
            assigned=assigned,
        )
    return CarryOver(copied, skipped, assigned)
