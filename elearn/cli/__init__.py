"""The ``elearn`` command: Flask's commands (run, db, shell) and ours, a module per command group."""

from __future__ import annotations

import os

import click
from flask.cli import FlaskGroup, run_command

from .accounts import accounts_cli
from .assign import assign_cli
from .attendance import attendance_cli
from .audit import audit_cli
from .backup import backup
from .certificates import certificates_cli
from .content import content_cli
from .demo import demo
from .exempt import exempt_cli
from .export import export_cli
from .remind import remind_cli
from .report import report_cli
from .roster import roster_cli
from .user import user_cli

COMMAND_GROUPS = (
    content_cli,
    roster_cli,
    user_cli,
    accounts_cli,
    demo,
    assign_cli,
    exempt_cli,
    attendance_cli,
    report_cli,
    backup,
    export_cli,
    certificates_cli,
    remind_cli,
    audit_cli,
)


def _create_app():
    from .. import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """elearn: customer-harassment prevention training (職員向けカスハラ防止研修)."""


@main.command(
    "run", params=run_command.params, help=run_command.help, context_settings=run_command.context_settings
)
@click.pass_context
def run(context: click.Context, **options: object) -> None:
    # Werkzeug's development server announces the versions of Werkzeug and Python in every answer
    # and is not made for load: fine on a developer's machine, never in production.
    if os.environ.get("ELEARN_ENV") == "production":
        raise click.UsageError(
            "the development server is not for production (ELEARN_ENV=production): use gunicorn"
        )
    context.invoke(run_command, **options)


__all__ = ["COMMAND_GROUPS", "main"]
