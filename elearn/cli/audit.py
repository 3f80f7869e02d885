"""elearn audit: the security log and HR's audit trail, as files for the city's records."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from ..services.audit import Actor
from ..services.security_log import LogChoice, export_logs
from .utils import write

audit_cli = click.Group("audit", help="The security log and the audit trail of HR actions.")


def _day(_context, _parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date as YYYY-MM-DD") from None


@audit_cli.command("export")
@click.option("--since", callback=_day, metavar="YYYY-MM-DD", help="From this day on (Japan time).")
@click.option(
    "--kind",
    type=click.Choice([choice.value for choice in LogChoice]),
    default=LogChoice.ALL.value,
    show_default=True,
    help="security: the security log; hr: HR's audit trail; all: both, by time.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="CSV file."
)
def audit_export(since: date | None, kind: str, output: Path) -> None:
    """The log(s) as CSV (UTF-8 with BOM, formula characters neutralised), oldest first."""
    write(export_logs(Actor.command_line(), LogChoice(kind), since).chunks(), output)
