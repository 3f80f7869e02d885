"""elearn report: the official training records and item analysis, as files."""

from __future__ import annotations

from pathlib import Path

import click

from ..services.annual_report import export_annual_report
from ..services.audit import Actor
from ..services.exports import ExportFormat
from ..services.item_analysis import export_item_analysis
from ..services.record_export import export_completions
from ..services.reports import ReportFilter
from .utils import YEAR, department, write

report_cli = click.Group("report", help="Official training records.")
FORMAT = click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
OUTPUT = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)


@report_cli.command("completions")
@YEAR
@FORMAT
@click.option("--department", "department_name", help="Only this department.")
@OUTPUT
def report_completions(year: int, fmt: str, department_name: str | None, output: Path | None) -> None:
    """One row per active employee and assigned course: the same file as the HR page's download."""
    found = department(department_name)
    report = ReportFilter(year, department_id=found.id if found else None)
    write(export_completions(Actor.command_line(), report, ExportFormat(fmt)).chunks(), output)


@report_cli.command("items")
@click.option("--year", type=click.IntRange(2000, 2100), help="Only this fiscal year.")
@FORMAT
@OUTPUT
def report_items(year: int | None, fmt: str, output: Path | None) -> None:
    """Item analysis: per scenario version, answers, share correct and the most chosen wrong answer."""
    write(export_item_analysis(Actor.command_line(), ExportFormat(fmt), year).chunks(), output)


@report_cli.command("annual")
@YEAR
@click.option("--format", "fmt", type=click.Choice(["pdf", "xlsx"]), default="pdf", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write."
)
def report_annual(year: int, fmt: str, output: Path) -> None:
    """研修実施状況報告: per course and department, assigned, completed and the rate, with charts."""
    _name, _type, data = export_annual_report(Actor.command_line(), year, fmt)
    write([data], output)
