"""elearn assign: assign training for a fiscal year."""

from __future__ import annotations

from datetime import date, datetime

import click

from ..models import AssignmentScope
from ..services.assignments import (
    AssignmentError,
    add_rule,
    assign_employees,
    assign_required_courses,
    assignment_counts,
    describe_scope,
    rules_for,
)
from ..services.audit import Actor
from ..services.catalog import course_by_key
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
def assign_add(
    year: int,
    course_key: str,
    department_name: str | None,
    role: str | None,
    employment_type: str | None,
    employees: str | None,
    due: datetime | None,
) -> None:
    """Assign a course to everyone, or to one department, role or employment type (kept as a rule),
    or to named employees (--employee)."""
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
        click.echo(f"{rule.course.key}\t{describe_scope(rule)}\tdue {due}\t{counts.get(rule.id, 0)} assigned")
