"""elearn user: manage user accounts."""

from __future__ import annotations

import sys

import click

from ..services.accounts import PasswordPolicyError, find_by_employee_no, set_password_for
from ..services.audit import Actor

user_cli = click.Group("user", help="Manage user accounts.")


@user_cli.command("set-password")
@click.argument("employee_no")
def user_set_password(employee_no: str) -> None:
    """Set a password read from standard input (one line)."""
    employee = find_by_employee_no(employee_no)
    if employee is None:
        raise click.ClickException(f"no employee with number {employee_no}")
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        set_password_for(employee, password, Actor.command_line())
    except PasswordPolicyError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"password set for {employee_no}")
