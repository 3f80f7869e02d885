"""elearn accounts: activation codes with which staff set their own password."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from ..services.accounts import find_by_employee_no
from ..services.activation import codes_file, issue_codes, reset_account
from ..services.audit import Actor
from .utils import department, write

accounts_cli = click.Group("accounts", help="Activation codes with which staff set their own password.")


@accounts_cli.command("issue-codes")
@click.option("--department", "department_name", help="Only this department (its name as in the roster).")
@click.option("--days", type=click.IntRange(1, 365), help="Days the codes stay valid (default from config).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="CSV file to write.")
def accounts_issue_codes(department_name: str | None, days: int | None, output: Path | None) -> None:
    """A one-time code for every active employee without a password, as CSV (UTF-8 with BOM)."""
    issued = issue_codes(
        Actor.command_line(),
        days=days or current_app.config["ACTIVATION_CODE_DAYS"],
        department=department(department_name),
    )
    write(codes_file(issued, current_app.config["BASE_URL"]).chunks(), output)
    click.echo(f"{len(issued)} code(s) issued", err=True)


@accounts_cli.command("reset")
@click.argument("employee_no")
def accounts_reset(employee_no: str) -> None:
    """Clear the password and print a new activation code."""
    employee = find_by_employee_no(employee_no)
    if employee is None:
        raise click.ClickException(f"no employee with number {employee_no}")
    issued = reset_account(employee, Actor.command_line(), days=current_app.config["ACTIVATION_CODE_DAYS"])
    click.echo(f"{issued.employee_no}  {issued.code}  valid until {issued.expires_at:%Y-%m-%d %H:%M} UTC")
