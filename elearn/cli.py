"""The ``elearn`` command: Flask's commands (run, db, shell) plus the project's own groups."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup
from sqlalchemy import select

from .content import check as check_content
from .content import load_tree, stats
from .extensions import db
from .ops import backup


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
    try:
        result = check_content(targets, root)
    except Exception as exc:  # the checker reports problems, never raises; if it ever does, no traceback
        reason = (str(exc).splitlines() or [""])[0]
        raise click.ClickException(f"the checker failed ({type(exc).__name__}: {reason})") from None
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
    click.echo("answer_cues:")
    for name, value in summary["answer_cues"].items():
        click.echo(f"  {name}: {value}")


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


# --- roster, users, accounts, demo ----------------------------------------------------------

roster_cli = click.Group("roster", help="Import HR's staff roster.")


def _department(name: str | None):
    """The department of that name, or None when no name is given; unknown names are an error."""
    if name is None:
        return None
    from .models import Department

    department = db.session.scalar(select(Department).where(Department.name == name))
    if department is None:
        raise click.ClickException(f"no department named {name}")
    return department


def _echo_plan(plan) -> None:
    click.echo(f"added {len(plan.added)}:")
    for row in plan.added:
        click.echo(f"  {row.employee_no}  {row.name}  {row.department}")
    click.echo(f"changed {len(plan.changed)}:")
    for change in plan.changed:
        fields = "、".join(f"{f.label} {f.old or '(空欄)'} → {f.new or '(空欄)'}" for f in change.changes)
        click.echo(f"  {change.row.employee_no}  {change.row.name}: {fields}")
    click.echo(f"deactivated {len(plan.deactivated)}:")
    for person in plan.deactivated:
        click.echo(f"  {person.employee_no}  {person.name}  {person.department}")
    click.echo(f"unchanged {plan.unchanged}")


@roster_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing.")
@click.option("--full", is_flag=True, help="A full roster: deactivate active employees it does not list.")
def roster_import(file: Path, dry_run: bool, full: bool) -> None:
    """Upsert employees from a CSV (UTF-8 or Shift_JIS). Any bad row: nothing is imported."""
    from .services.roster import RosterRefused, import_roster, parse_roster, plan_import

    data = file.read_bytes()
    roster = parse_roster(data)
    if roster.errors:
        for error in roster.errors:
            click.echo(f"{file}:{error.line}: {error.message}", err=True)
        raise click.ClickException(f"{len(roster.errors)} error(s); nothing was imported")
    plan = plan_import(roster, full)
    _echo_plan(plan)
    if dry_run:
        click.echo(f"{len(roster.rows)} rows are valid ({roster.encoding}); nothing was written (--dry-run)")
        return
    try:
        summary = import_roster(
            roster, full=full, expected_digest=plan.digest(), source=f"{file.name} (sha256 {_sha256(data)})"
        )
    except RosterRefused as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"imported: added {summary.added}, updated {summary.updated}, unchanged {summary.unchanged}, "
        f"deactivated {summary.deactivated}, new assignments {summary.assigned}"
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


user_cli = click.Group("user", help="Manage user accounts.")


@user_cli.command("set-password")
@click.argument("employee_no")
def user_set_password(employee_no: str) -> None:
    """Set a password read from standard input (one line)."""
    from .models import AuditAction
    from .services import audit
    from .services.accounts import PasswordPolicyError, find_by_employee_no, set_password

    employee = find_by_employee_no(employee_no)
    if employee is None:
        raise click.ClickException(f"no employee with number {employee_no}")
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        set_password(employee, password)
    except PasswordPolicyError as exc:
        raise click.ClickException(str(exc)) from None
    audit.record(
        audit.Actor.command_line(),
        AuditAction.PASSWORD_SET,
        f"{employee.employee_no} {employee.name} のパスワードを設定しました",
        employee_no=employee.employee_no,
    )
    db.session.commit()
    click.echo(f"password set for {employee_no}")


accounts_cli = click.Group("accounts", help="Activation codes with which staff set their own password.")


@accounts_cli.command("issue-codes")
@click.option("--department", help="Only this department (its name as in the roster).")
@click.option("--days", type=click.IntRange(1, 365), help="Days the codes stay valid (default from config).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="CSV file to write.")
def accounts_issue_codes(department: str | None, days: int | None, output: Path | None) -> None:
    """A one-time code for every active employee without a password, as CSV (UTF-8 with BOM)."""
    from .services.activation import ISSUED_HEADER, issue_codes
    from .services.audit import Actor
    from .services.exports import ExportFormat, export_chunks

    issued = issue_codes(
        Actor.command_line(),
        days=days or current_app.config["ACTIVATION_CODE_DAYS"],
        department=_department(department),
    )
    _write(export_chunks(ExportFormat.CSV, ISSUED_HEADER, [c.as_tuple() for c in issued]), output)
    click.echo(f"{len(issued)} code(s) issued", err=True)


@accounts_cli.command("reset")
@click.argument("employee_no")
def accounts_reset(employee_no: str) -> None:
    """Clear the password and print a new activation code."""
    from .services.accounts import find_by_employee_no
    from .services.activation import reset_account
    from .services.audit import Actor

    employee = find_by_employee_no(employee_no)
    if employee is None:
        raise click.ClickException(f"no employee with number {employee_no}")
    issued = reset_account(employee, Actor.command_line(), days=current_app.config["ACTIVATION_CODE_DAYS"])
    click.echo(f"{issued.employee_no}  {issued.code}  valid until {issued.expires_at:%Y-%m-%d %H:%M} UTC")


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

assign_cli = click.Group("assign", help="Assign training for a fiscal year.")
YEAR = click.option("--year", type=click.IntRange(2000, 2100), required=True, help="Fiscal year, e.g. 2026.")
DUE = click.option("--due", type=click.DateTime(["%Y-%m-%d"]), help="Due date (YYYY-MM-DD).")


@assign_cli.command("required")
@YEAR
@DUE
def assign_required(year: int, due) -> None:
    """Assign every active employee the required courses of their audience."""
    from .services.assignments import assign_required_courses

    added = assign_required_courses(year, due.date() if due else None)
    click.echo(f"{added} assignment(s) added for fiscal year {year}")


@assign_cli.command("add")
@YEAR
@click.option("--course", "course_key", required=True, help="Course key, e.g. kihon-houshin.")
@click.option("--department", help="Only this department.")
@click.option("--role", type=click.Choice(["employee", "manager", "trainer", "hr"]), help="Only this role.")
@click.option("--employment-type", help="Only this employment type, e.g. 会計年度任用職員.")
@DUE
def assign_add(
    year: int, course_key: str, department: str | None, role: str | None, employment_type: str | None, due
) -> None:
    """Assign a course to everyone, or to one department, role or employment type; kept as a rule."""
    from .models import AssignmentScope
    from .services.assignments import AssignmentError, add_rule
    from .services.audit import Actor
    from .services.catalog import course_by_key

    if sum(x is not None for x in (department, role, employment_type)) > 1:
        raise click.UsageError("give at most one of --department, --role, --employment-type")
    course = course_by_key(course_key)
    if course is None:
        raise click.ClickException(f"no course with key {course_key}")
    scope = (
        AssignmentScope.DEPARTMENT
        if department
        else AssignmentScope.ROLE
        if role
        else AssignmentScope.EMPLOYMENT_TYPE
        if employment_type
        else AssignmentScope.ALL
    )
    try:
        result = add_rule(
            year,
            course,
            scope,
            actor=Actor.command_line(),
            department=_department(department),
            value=role or employment_type,
            due_date=due.date() if due else None,
        )
    except AssignmentError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{result.assigned} assignment(s) added for fiscal year {year}")


@assign_cli.command("list")
@YEAR
def assign_list(year: int) -> None:
    """The assignment rules of a fiscal year, with how many employees each has assigned."""
    from .services.assignments import assignment_counts, describe_scope, rules_for

    counts = assignment_counts(year)
    for rule in rules_for(year):
        due = rule.due_date.isoformat() if rule.due_date else "-"
        click.echo(f"{rule.course.key}\t{describe_scope(rule)}\tdue {due}\t{counts.get(rule.id, 0)} assigned")


report_cli = click.Group("report", help="Official training records.")
FORMAT = click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
OUTPUT = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)


def _write(chunks, output: Path | None) -> None:
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


@report_cli.command("completions")
@YEAR
@FORMAT
@click.option("--department", help="Only this department.")
@OUTPUT
def report_completions(year: int, fmt: str, department: str | None, output: Path | None) -> None:
    """One row per active employee and assigned course: the same file as the HR page's download."""
    from .models import AuditAction
    from .services import audit
    from .services.exports import ExportFormat, export_chunks
    from .services.reports import COMPLETION_HEADER, ReportFilter, completion_table

    found = _department(department)
    report = ReportFilter(year, department_id=found.id if found else None)
    audit.record_now(
        audit.Actor.command_line(),
        AuditAction.EXPORT,
        f"{year}年度の修了状況を書き出しました（{fmt.upper()}）",
        report="completions",
        format=fmt,
        filters={"year": year, "department": department or ""},
    )
    rows = completion_table(report)
    _write(export_chunks(ExportFormat(fmt), COMPLETION_HEADER, rows, f"completions-{year}"), output)


@report_cli.command("items")
@click.option("--year", type=click.IntRange(2000, 2100), help="Only this fiscal year.")
@FORMAT
@OUTPUT
def report_items(year: int | None, fmt: str, output: Path | None) -> None:
    """Item analysis: per scenario version, answers, share correct and the most chosen wrong answer."""
    from .models import AuditAction
    from .services import audit
    from .services.exports import ExportFormat, export_chunks
    from .services.item_analysis import ITEM_HEADER, item_statistics

    audit.record_now(
        audit.Actor.command_line(),
        AuditAction.EXPORT,
        f"設問分析を書き出しました（{fmt.upper()}）",
        report="item-analysis",
        format=fmt,
        filters={"year": year or ""},
    )
    rows = [item.as_tuple() for item in item_statistics(year)]
    _write(export_chunks(ExportFormat(fmt), ITEM_HEADER, rows, "item-analysis"), output)


COMMAND_GROUPS = (content_cli, roster_cli, user_cli, accounts_cli, demo, assign_cli, report_cli, backup)


def _create_app():
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """elearn: customer-harassment prevention training (職員向けカスハラ防止研修)."""


__all__ = ["COMMAND_GROUPS", "main"]
