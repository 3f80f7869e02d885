"""elearn roster: import HR's staff roster."""

from __future__ import annotations

import hashlib
from pathlib import Path

import click

from ..services.audit import Actor
from ..services.roster import RosterPlan, RosterRefused, import_roster, plan_import, read_roster

roster_cli = click.Group("roster", help="Import HR's staff roster.")


def _echo_plan(plan: RosterPlan) -> None:
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
    for order in plan.department_orders:
        click.echo(f"department order: {order.name}  code {order.code or '-'}  kana {order.kana or '-'}")
    for warning in plan.warnings:
        click.echo(f"warning: line {warning.line}: {warning.message}")


@roster_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing.")
@click.option("--full", is_flag=True, help="A full roster: deactivate active employees it does not list.")
def roster_import(file: Path, dry_run: bool, full: bool) -> None:
    """Upsert employees from a CSV (UTF-8 or Shift_JIS) or an Excel workbook (.xlsx, first sheet).
    Any bad row: nothing is imported."""
    data = file.read_bytes()
    roster = read_roster(data)
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
            roster,
            full=full,
            actor=Actor.command_line(),
            expected_digest=plan.digest(),
            source=f"{file.name} (sha256 {hashlib.sha256(data).hexdigest()[:12]})",
        )
    except RosterRefused as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"imported: added {summary.added}, updated {summary.updated}, unchanged {summary.unchanged}, "
        f"deactivated {summary.deactivated}, new assignments {summary.assigned}"
    )
