"""Completion certificates (修了証) and their verification by HR."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select

from ..database import transaction, utcnow
from ..extensions import db
from ..fiscal import local_date
from ..models import AuditAction, Completion
from . import audit
from .certificate_pdf import Issuer, certificate_pdf
from .policy import site

_NOT_CODE = re.compile(r"[^0-9A-Z]")


def normalise_code(raw: str) -> str:
    """Codes are typed from paper: accept full-width characters (NFKC), lower case, spaces and
    missing hyphens."""
    chars = _NOT_CODE.sub("", unicodedata.normalize("NFKC", raw).upper())
    if len(chars) != 13:
        return ""
    return "-".join((chars[0:4], chars[4:8], chars[8:13]))


def find_by_code(raw: str) -> Completion | None:
    code = normalise_code(raw)
    if not code:
        return None
    return db.session.scalar(select(Completion).where(Completion.certificate_code == code))


def issue_pdf(completion: Completion, actor: audit.Actor, config: Mapping[str, Any]) -> bytes:
    """The certificate as a PDF dated today. Issued to anyone but its holder, it is audited."""
    issued_on: date = local_date(utcnow())
    pdf = certificate_pdf(completion, Issuer.from_config(config, site().certificate_issuer), issued_on)
    if actor.employee_id != completion.employee_id:
        with transaction():
            audit.record(
                actor,
                AuditAction.CERTIFICATE_ISSUED,
                f"{completion.employee.employee_no} {completion.employee.name} の修了証を発行しました",
                completion=completion.id,
                code=completion.certificate_code,
            )
    return pdf


def pdf_filename(completion: Completion) -> str:
    """<年度>_<職員番号>_<コース>.pdf, as the certificate archive names them."""
    course = completion.course_version.course.key
    return f"{completion.fiscal_year}_{completion.employee.employee_no}_{course}.pdf"
