"""elearn remind: send the reminders the year's rules say are due today (for cron or a systemd timer)."""

from __future__ import annotations

import click
from flask import current_app

from ..fiscal import current_fiscal_year
from ..services.mailer import SmtpSettings
from ..services.reminders import RunResult, send_due_reminders

remind_cli = click.Group("remind", help="Reminders (督促) by e-mail.")


def _print_plan(result: RunResult) -> None:
    for target, reminder in result.planned:
        click.echo(
            f"{target.employee_no}\t{target.name}\t{target.email}\t{reminder.key}\t{reminder.kind.japanese}"
        )


@remind_cli.command("send")
@click.option("--year", type=click.IntRange(2000, 2100), help="Fiscal year (default: the current one).")
@click.option("--dry-run", is_flag=True, help="Print who would get what; send and record nothing.")
def remind_send(year: int | None, dry_run: bool) -> None:
    """Send what is due now. Safe to run twice, and on several servers at once."""
    settings = SmtpSettings.of(current_app.config)
    if not settings.configured and not dry_run:
        raise click.ClickException("ELEARN_SMTP_HOST is not set: no mail is sent")
    result = send_due_reminders(year or current_fiscal_year(), settings, dry_run=dry_run)
    if dry_run:
        _print_plan(result)
        click.echo(f"would send {len(result.planned)}, skip {result.skipped}, no address {result.no_address}")
        return
    click.echo(
        f"sent {result.sent}, failed {result.failed}, skipped {result.skipped}, "
        f"no address {result.no_address}, queued {result.queued}"
    )
    if result.server_down:
        raise click.ClickException(f"mail not sent: {result.server_down}; queued mails wait for the next run")
