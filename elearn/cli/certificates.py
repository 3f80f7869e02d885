"""elearn certificates: 修了証 as PDF files."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import Completion, Course
from ..services.audit import Actor
from ..services.certificate_archive import archive_certificates
from ..services.certificates import find_by_code, issue_pdf
from ..services.reports import ReportFilter
from .utils import YEAR, department, write

certificates_cli = click.Group("certificates", help="Completion certificates (修了証).")


@certificates_cli.command("pdf")
@click.argument("certificate")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write."
)
def certificate_pdf(certificate: str, output: Path) -> None:
    """Write one certificate as a PDF. CERTIFICATE is the completion's id or its verification code."""
    completion = (
        db.session.get(Completion, int(certificate)) if certificate.isdigit() else find_by_code(certificate)
    )
    if completion is None:
        raise click.ClickException(
            f"no certificate {certificate!r}: give a completion id or a verification code"
        )
    output.write_bytes(issue_pdf(completion, Actor.command_line(), current_app.config))
    click.echo(f"{output}: {completion.employee.employee_no} {completion.course_version.title}")


@certificates_cli.command("archive")
@YEAR
@click.option("--department", "department_name", help="Only this department.")
@click.option("--course", "course_key", help="Only this course (its key, e.g. kihon-houshin).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="ZIP file to write.",
)
def certificate_archive(year: int, department_name: str | None, course_key: str | None, output: Path) -> None:
    """All certificates of a fiscal year as PDFs in one ZIP, with an index.csv (audited)."""
    found = department(department_name)
    report = ReportFilter(year, department_id=found.id if found else None, course_id=_course_id(course_key))
    write(archive_certificates(Actor.command_line(), report, current_app.config).chunks(), output)


def _course_id(key: str | None) -> int | None:
    if key is None:
        return None
    course = db.session.scalar(select(Course).where(Course.key == key))
    if course is None:
        raise click.BadParameter(f"no course {key!r}", param_hint="--course")
    return course.id
