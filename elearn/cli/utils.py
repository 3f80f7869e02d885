"""What several command groups share: common options, looking up a department, writing a file out."""

from __future__ import annotations

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
