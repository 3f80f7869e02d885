"""What several command groups share: common options, looking up a department, writing a file out."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from pathlib import Path

import click
from sqlalchemy import select

from ..extensions import db
from ..models import Department

YEAR = click.option("--year", type=click.IntRange(2000, 2100), required=True, help="Fiscal year, e.g. 2026.")


def department(name: str | None) -> Department | None:
    """The department of that name, or None when no name is given; unknown names are an error."""
    if name is None:
        return None
    found = db.session.scalar(select(Department).where(Department.name == name))
    if found is None:
        raise click.ClickException(f"no department named {name}")
    return found


def write(chunks: Iterable[bytes], output: Path | None) -> None:
    """Bytes to the file, or to standard output."""
    if output is None:
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        return
    with output.open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    click.echo(f"wrote {output}", err=True)


def echo_plan(file: Path, plan) -> None:
    """A planned import (services/exemptions.py, services/attendance.py): every error as
    ``path:line: message`` and a failure, or the rows it would write."""
    if plan.errors:
        for error in plan.errors:
            click.echo(f"{file}:{error.line}: {error.message}", err=True)
        raise click.ClickException(f"{len(plan.errors)} error(s); nothing was imported")
    click.echo("\t".join(plan.preview_header))
    for row in plan.preview_rows():
        click.echo("\t".join(str(value) for value in row))


def import_planned(file: Path, dry_run: bool, plan_file, import_file, what: str) -> int | None:
    """Plan ``file``, show the plan, and unless ``dry_run`` import exactly what was shown (the plan's
    digest); the count imported, or None for a dry run. ``what`` names the rows in messages."""
    from ..services.audit import Actor
    from ..services.exemptions import ImportRefused

    data = file.read_bytes()
    plan = plan_file(data)
    echo_plan(file, plan)
    if dry_run:
        click.echo(f"{len(plan.rows)} {what} are valid; nothing was written (--dry-run)")
        return None
    try:
        return import_file(
            data,
            Actor.command_line(),
            expected_digest=plan.digest(),
            source=f"{file.name} (sha256 {hashlib.sha256(data).hexdigest()[:12]})",
        )
    except ImportRefused as exc:
        raise click.ClickException(str(exc)) from None
