"""elearn export: a course as a package for another LMS."""

from __future__ import annotations

from pathlib import Path

import click

from ..services.audit import Actor
from ..services.scorm_export import ScormExportError, export_scorm

export_cli = click.Group("export", help="Export a course for another LMS.")


def _version(value: str) -> int | None:
    """``current`` or a version number."""
    if value == "current":
        return None
    if not value.isdigit() or int(value) < 1:
        raise click.BadParameter("current または版の番号（1 以上の整数）を指定してください")
    return int(value)


@export_cli.command("scorm")
@click.argument("course_key")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="ZIP file to write.",
)
@click.option(
    "--version", "version", default="current", show_default=True, help="current, or a version number."
)
def export_scorm_command(course_key: str, output: Path, version: str) -> None:
    """A SCORM 1.2 package of the synced course: lessons, policy page and quiz, recording status and score."""
    try:
        package = export_scorm(Actor.command_line(), course_key, _version(version))
    except ScormExportError as exc:
        raise click.ClickException(str(exc)) from exc
    output.write_bytes(package.data)
    click.echo(f"wrote {output}", err=True)
