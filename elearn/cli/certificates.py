"""elearn certificates: 修了証 as PDF files."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from ..extensions import db
from ..models import Completion
from ..services.audit import Actor
from ..services.certificates import find_by_code, issue_pdf

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
