"""Completion certificates (修了証) and their verification by HR."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select

from ..extensions import db
from ..models import Completion

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
