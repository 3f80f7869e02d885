"""elearn assign: assign training for a fiscal year."""

from __future__ import annotations

from datetime import date, datetime

import click

from ..extensions import db
from ..models import AssignmentRule, AssignmentScope
from ..services.assignments import (
    AssignmentError,
    add_rule,
    assign_employees,
    assign_required_courses,
    assignment_counts,
    check_due_date,
    describe_scope,
    rules_for,
)
from ..services.audit import Actor
from ..services.catalog import course_by_key
from ..services.rule_changes import carry_over_rules, change_due_date, reach, withdraw_rule
from .utils import YEAR, department

assign_cli = click.Group("assign", help="Assign training for a fiscal year.")
DUE = click.option("--due", type=click.DateTime(["%Y-%m-%d"]), help="Due date (YYYY-MM-DD).")


def _day(due: datetime | None) -> date | None:
    return due.date() if due else None


@assign_cli.command("required")
@YEAR
@DUE
def assign_required(year: int, due: datetime | None) -> None:
    """Assign every active employee the required courses of their audience."""
    try:
        check_due_date(year, _day(due))
    except AssignmentError as exc:
        raise click.ClickException(str(exc)) from None
    added = assign_required_courses(year, _day(due), Actor.command_line())
    click.echo(f"{added} assignment(s) added for fiscal year {year}")


def _scope(department_name: str | None, role: str | None, employment_type: str | None) -> AssignmentScope:
    """The scope the options name: at most one of them, or everyone."""
    if sum(x is not None for x in (department_name, role, employment_type)) > 1:
        raise click.UsageError("give at most one of --department, --role, --employment-type")
    if department_name:
        return AssignmentScope.DEPARTMENT
    if role:
        return AssignmentScope.ROLE
    if employment_type:
        return AssignmentScope.EMPLOYMENT_TYPE
    return AssignmentScope.ALL


@assign_cli.command("add")
@YEAR
@click.option("--course", "course_key", required=True, help="Course key, e.g. kihon-houshin.")
@click.option("--department", "department_name", help="Only this department.")
@click.option("--role", type=click.Choice(["employee", "manager", "trainer", "hr"]), help="Only this role.")
@click.option("--employment-type", help="Only this employment type, e.g. 会計年度任用職員.")
@click.option("--employee", "employees", help="Only these employees (個別): NO[,NO...].")
@DUE
@click.option("--yes", is_flag=True, help="Save a rule that reaches nobody without asking.")
def assign_add(
    year: int,
    course_key: str,
    department_name: str | None,
    role: str | None,
    employment_type: str | None,
    employees: str | None,
    due: datetime | None,
    yes: bool,
) -> None:
    """Assign a course to everyone, or to one department, role or employment type (kept as a rule),
    or to named employees (--employee).

    Says how many active employees a rule reaches first, and asks before saving one that reaches
    nobody (most often a typo in the department or employment type)."""
    course = course_by_key(course_key)
    if course is None:
        raise click.ClickException(f"no course with key {course_key}")
    if employees is not None:
        if any(x is not None for x in (department_name, role, employment_type)):
            raise click.UsageError(
                "--employee cannot be combined with --department, --role, --employment-type"
            )
        try:
            added = assign_employees(
                employees.split(","), course, year, actor=Actor.command_line(), due_date=_day(due)
            )
        except AssignmentError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"{added} assignment(s) added for fiscal year {year}")
        return
    scope = _scope(department_name, role, employment_type)
    reached = reach(scope, department(department_name), role or employment_type)
    click.echo(f"this rule reaches {reached} active employee(s)")
    if reached == 0 and not yes:
        click.confirm("It reaches nobody now. Save it anyway?", abort=True)
    try:
        result = add_rule(
            year,
            course,
            scope,
            actor=Actor.command_line(),
            department=department(department_name),
            value=role or employment_type,
            due_date=_day(due),
        )
    except AssignmentError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{result.assigned} assignment(s) added for fiscal year {year}")


@assign_cli.command("list")
@YEAR
def assign_list(year: int) -> None:
    """The assignment rules of a fiscal year, with how many employees each has assigned."""
    counts = assignment_counts(year)
    for rule in rules_for(year):
        due = rule.due_date.isoformat() if rule.due_date else "-"
        state = f"\twithdrawn: {rule.withdrawal_reason}" if rule.withdrawn else ""
        click.echo(
            f"#{rule.id}\t{rule.course.key}\t{describe_scope(rule)}\tdue {due}\t"
            f"{counts.get(rule.id, 0)} assigned{state}"
        )


def _rule(rule_id: int) -> AssignmentRule:
    rule = db.session.get(AssignmentRule, rule_id)
    if rule is None:
        raise click.ClickException(f"no assignment rule #{rule_id} (see elearn assign list)")
    return rule


@assign_cli.command("due")
@click.argument("rule_id", type=int)
@click.option("--due", type=click.DateTime(["%Y-%m-%d"]), help="The new due date; leave out for none.")
def assign_due(rule_id: int, due: datetime | None) -> None:
    """Change a rule's due date (and that of every assignment it made)."""
    try:
        moved = change_due_date(_rule(rule_id), _day(due), Actor.command_line())
    except AssignmentError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"due date changed for {moved} assignment(s)")


@assign_cli.command("withdraw")
@click.argument("rule_id", type=int)
@click.option("--reason", required=True, help="Why the rule is withdrawn (kept in the audit trail).")
def assign_withdraw(rule_id: int, reason: str) -> None:
    """Withdraw a rule: unstarted assignments go, started and completed ones stay, marked."""
    try:
        result = withdraw_rule(_rule(rule_id), reason, Actor.command_line())
    except AssignmentError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"withdrawn: {result.removed} unstarted assignment(s) removed, {result.kept} kept")


@assign_cli.command("carry-over")
@YEAR
def assign_carry_over(year: int) -> None:
    """Copy last fiscal year's rules to YEAR with due dates a year later, and apply them."""
    result = carry_over_rules(year, Actor.command_line())
    click.echo(
        f"{result.rules} rule(s) carried over from {year - 1} ({result.skipped} skipped), "
        f"{result.assigned} assignment(s) added"
    )
