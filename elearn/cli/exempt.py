"""elearn exempt: exemptions (免除) from a course for a fiscal year, one person or a CSV."""

from __future__ import annotations

from pathlib import Path

import click

from ..services.audit import Actor
from ..services.catalog import course_by_key
from ..services.exemptions import (
    ExemptionError,
    exempt,
    import_exemptions,
    plan_exemptions,
    standing,
    withdraw,
)
from ..services.history import employee_by_number
from ..services.record_csv import normalise_employee_no
from .utils import YEAR, import_planned

exempt_cli = click.Group("exempt", help="Exempt employees from a course for a fiscal year (免除).")
COURSE = click.option("--course", "course_key", required=True, help="Course key, e.g. kihon-houshin.")


def _employee_and_course(employee_no: str, course_key: str):
    employee = employee_by_number(normalise_employee_no(employee_no))
    if employee is None:
        raise click.ClickException(f"no employee {employee_no}")
    course = course_by_key(course_key)
    if course is None:
        raise click.ClickException(f"no course with key {course_key}")
    return employee, course


@exempt_cli.command("add")
@click.argument("employee_no")
@COURSE
@YEAR
@click.option("--reason", required=True, help="休職, 育児休業, 病気休暇, 派遣・出向, or その他：TEXT.")
def exempt_add(employee_no: str, course_key: str, year: int, reason: str) -> None:
    """Exempt one employee from a course for a fiscal year."""
    employee, course = _employee_and_course(employee_no, course_key)
    try:
        made = exempt(employee, course, year, reason, Actor.command_line())
    except ExemptionError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"exempted {employee.employee_no} from {course.key} for fiscal year {year} ({made.reason_label})"
    )


@exempt_cli.command("withdraw")
@click.argument("employee_no")
@COURSE
@YEAR
@click.option("--reason", required=True, help="Why the exemption is withdrawn.")
def exempt_withdraw(employee_no: str, course_key: str, year: int, reason: str) -> None:
    """Withdraw an employee's exemption: the course is required again."""
    employee, course = _employee_and_course(employee_no, course_key)
    found = standing(employee.id, course.id, year)
    if found is None:
        raise click.ClickException(f"{employee.employee_no} is not exempt from {course.key} in {year}")
    try:
        withdraw(found, reason, Actor.command_line())
    except ExemptionError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"withdrew the exemption of {employee.employee_no} from {course.key} for fiscal year {year}")


@exempt_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing.")
def exempt_import(file: Path, dry_run: bool) -> None:
    """Exemptions from a CSV (職員番号, コース, 年度, 理由). Any bad row: nothing is imported."""
    count = import_planned(file, dry_run, plan_exemptions, import_exemptions, "exemption(s)")
    if count is None:
        return
    click.echo(f"imported {count} exemption(s)")
