"""elearn attendance: record attendance at in-person sessions (集合研修) from a CSV."""

from __future__ import annotations

from pathlib import Path

import click

from ..services.attendance import import_attendance, plan_attendance
from .utils import import_planned

attendance_cli = click.Group("attendance", help="Attendance at in-person sessions (集合研修).")


@attendance_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing.")
def attendance_import(file: Path, dry_run: bool) -> None:
    """Attendance from a CSV (職員番号, コース, 実施日, 研修名, optional 講師, 備考); each row completes the
    course for the fiscal year of its date with 修了方法 集合研修. Any bad row: nothing is imported."""
    count = import_planned(file, dry_run, plan_attendance, import_attendance, "attendance row(s)")
    if count is None:
        return
    click.echo(f"recorded {count} attendance(s) as completions (集合研修)")
