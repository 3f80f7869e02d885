"""The backup command."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app

from ..services.backup import BackupError, backup_sqlite


@click.command("backup")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Backup file (default: instance/backups/elearn-YYYYmmdd-HHMMSS.db).",
)
def backup(output: Path | None) -> None:
    """Write a consistent copy of the SQLite database while the app runs."""
    if output is None:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        output = Path(current_app.instance_path) / "backups" / f"elearn-{stamp}.db"
    try:
        size = backup_sqlite(current_app.config["SQLALCHEMY_DATABASE_URI"], output)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {output} ({size:,} bytes, integrity ok)")
