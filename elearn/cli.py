"""The ``elearn`` command: Flask's commands (run, db, shell) plus the project's own groups."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup

from .content import check as check_content
from .content import load_tree, stats
from .extensions import db


def _content_root() -> Path:
    return Path(current_app.config["CONTENT_ROOT"])


# --- content ---------------------------------------------------------------------------------

content_cli = click.Group("content", help="Check, summarise and load the Markdown content.")


@content_cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def content_check(paths: tuple[Path, ...]) -> None:
    """Check content files; print each problem as path:line: severity: message."""
    root = _content_root()
    targets = list(paths) or [root / "courses", root / "quizzes"]
    result = check_content(targets, root)
    for problem in result.problems:
        click.echo(str(problem))
    errors, warnings = len(result.problems.errors), len(result.problems.warnings)
    click.echo(f"{len(result.files)} files checked: {errors} error(s), {warnings} warning(s)", err=True)
    sys.exit(1 if errors else 0)


@content_cli.command("stats")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def content_stats(fmt: str) -> None:
    """Coverage of the scenario bank: per category, perspective, clause and difficulty."""
    result = load_tree(_content_root())
    summary = stats(result.content)
    if fmt == "json":
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    click.echo(f"scenarios: {summary['scenarios']}")
    for key in ("by_category", "by_perspective", "by_clause", "by_difficulty", "by_setting"):
        click.echo(f"{key}:")
        for name, count in summary[key].items():
            click.echo(f"  {name}: {count}")


@content_cli.command("sync")
def content_sync() -> None:
    """Load courses/ and quizzes/ into the database; on any error nothing changes."""
    from .services.sync import ContentInvalid, sync_content

    try:
        report = sync_content(_content_root())
    except ContentInvalid as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException("content has errors; the database was not changed") from None
    for problem in report.warnings:
        click.echo(str(problem), err=True)
    click.echo(
        f"added {len(report.added)}, updated {len(report.updated)}, "
        f"retired {len(report.retired)}, unchanged {report.unchanged}"
    )


# --- roster, users, demo ---------------------------------------------------------------------

roster_cli = click.Group("roster", help="Import HR's staff roster.")


@roster_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing.")
def roster_import(file: Path, dry_run: bool) -> None:
    """Upsert employees from a CSV (UTF-8 or Shift_JIS). Any bad row: nothing is imported."""
    from .services.roster import import_roster, parse_roster

    roster = parse_roster(file.read_bytes())
    if roster.errors:
        for error in roster.errors:
            click.echo(f"{file}:{error.line}: {error.message}", err=True)
        raise click.ClickException(f"{len(roster.errors)} error(s); nothing was imported")
    if dry_run:
        click.echo(f"{len(roster.rows)} rows are valid ({roster.encoding}); nothing was written (--dry-run)")
        return
    summary = import_roster(roster)
    click.echo(f"added {summary.added}, updated {summary.updated}, unchanged {summary.unchanged}")


user_cli = click.Group("user", help="Manage user accounts.")


@user_cli.command("set-password")
@click.argument("employee_no")
def user_set_password(employee_no: str) -> None:
    """Set a password read from standard input (one line)."""
    from .services.accounts import PasswordPolicyError, find_by_employee_no, set_password

    employee = find_by_employee_no(employee_no)
    if employee is None:
        raise click.ClickException(f"no employee with number {employee_no}")
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        set_password(employee, password)
    except PasswordPolicyError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"password set for {employee_no}")


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only seed when the database has no employees.")
def demo(if_empty: bool) -> None:
    """Seed the demo organisation and print its logins."""
    from .services.demo import DEMO_PASSWORD, demo_people_present, is_empty, seed_demo

    if if_empty and not is_empty():
        click.echo("The database already has employees; the demo organisation was not seeded.")
    else:
        seed_demo()
    people = demo_people_present()
    if people:
        click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for person in people:
            click.echo(f"  {person.employee_no}  {person.name}  {person.department}  {person.role.label}")


# --- assignments and reports -----------------------------------------------------------------

assign_cli = click.Group("assign", help="Assign required training for a fiscal year.")


@assign_cli.command("required")
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="Fiscal year, e.g. 2026.")
@click.option("--due", type=click.DateTime(["%Y-%m-%d"]), help="Due date (YYYY-MM-DD).")
def assign_required(year: int, due) -> None:
    """Assign every active employee the required courses of their audience."""
    from .services.assignments import assign_required_courses

    added = assign_required_courses(year, due.date() if due else None)
    click.echo(f"{added} assignment(s) added for fiscal year {year}")


report_cli = click.Group("report", help="Official training records.")


@report_cli.command("completions")
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="Fiscal year, e.g. 2026.")
@click.option("--format", "fmt", type=click.Choice(["csv"]), default="csv")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
def report_completions(year: int, fmt: str, output: Path | None) -> None:
    """One row per active employee and assigned course, UTF-8 with BOM."""
    from .services.exports import csv_chunks
    from .services.reports import COMPLETION_HEADER, completion_rows

    chunks = csv_chunks(COMPLETION_HEADER, (row.as_tuple() for row in completion_rows(year)))
    if output is None:
        for chunk in chunks:
            sys.stdout.buffer.write(chunk.encode("utf-8"))
        return
    with output.open("w", encoding="utf-8", newline="") as handle:
        for chunk in chunks:
            handle.write(chunk)
    click.echo(f"wrote {output}", err=True)


COMMAND_GROUPS = (content_cli, roster_cli, user_cli, demo, assign_cli, report_cli)


def _create_app():
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """elearn: customer-harassment prevention training (職員向けカスハラ防止研修)."""


__all__ = ["COMMAND_GROUPS", "main"]
