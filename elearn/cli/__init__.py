"""The ``elearn`` command: Flask's commands (run, db, shell) and ours, a module per command group."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from .accounts import accounts_cli
from .assign import assign_cli
from .attendance import attendance_cli
from .backup import backup
from .content import content_cli
from .demo import demo
from .exempt import exempt_cli
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
)


def _create_app():
    from .. import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """elearn: customer-harassment prevention training (職員向けカスハラ防止研修)."""


__all__ = ["COMMAND_GROUPS", "main"]
