"""Exemption and attendance files uploaded on HR's pages, kept server-side between preview and import,
as the roster's are (services/roster_uploads.py): the confirm step imports the stored bytes (checked
against their hash) and only if the plan still has the digest of the preview HR saw.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Protocol

from sqlalchemy import delete, select

from ..database import utcnow
from ..extensions import db
from ..models import RecordUpload
from . import audit
from .attendance import import_attendance, plan_attendance
from .exemptions import import_exemptions, plan_exemptions
from .record_csv import LineError

UPLOAD_LIFETIME = timedelta(hours=1)


class Plan(Protocol):
    errors: list[LineError]
    preview_header: tuple[str, ...]

    def preview_rows(self): ...

    def digest(self) -> str: ...


class UploadKind(StrEnum):
    EXEMPTIONS = "exemptions"
    ATTENDANCE = "attendance"


@dataclass(frozen=True)
class KindSpec:
    plan: Callable[[bytes], Plan]
    apply: Callable[..., int]


KINDS = {
    UploadKind.EXEMPTIONS: KindSpec(plan_exemptions, import_exemptions),
    UploadKind.ATTENDANCE: KindSpec(plan_attendance, import_attendance),
}


def store_upload(kind: UploadKind, data: bytes, filename: str, actor: audit.Actor) -> RecordUpload:
    """Keep the file under a random token; uploads never imported are cleared after a day."""
    now = utcnow()
    db.session.execute(
        delete(RecordUpload).where(
            RecordUpload.imported_at.is_(None), RecordUpload.created_at < now - timedelta(days=1)
        )
    )
    upload = RecordUpload(
        token=secrets.token_urlsafe(32),
        kind=kind.value,
        uploaded_by_id=actor.employee_id,
        filename=filename[:255],
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    db.session.add(upload)
    db.session.commit()
    return upload


def find_upload(token: str, actor: audit.Actor) -> RecordUpload | None:
    """The actor's own upload, still importable and intact; None otherwise."""
    upload = db.session.scalar(select(RecordUpload).where(RecordUpload.token == token))
    if upload is None or upload.uploaded_by_id != actor.employee_id or upload.imported_at is not None:
        return None
    if utcnow() - upload.created_at > UPLOAD_LIFETIME:
        return None
    if hashlib.sha256(upload.data).hexdigest() != upload.sha256:
        return None
    return upload


def preview(upload: RecordUpload) -> Plan:
    """Plan the stored file and remember the digest of the plan being shown."""
    plan = KINDS[UploadKind(upload.kind)].plan(upload.data)
    upload.plan_digest = None if plan.errors else plan.digest()
    db.session.commit()
    return plan


def confirm(upload: RecordUpload, actor: audit.Actor) -> int:
    """Import exactly the previewed plan (ImportRefused otherwise); marked imported in the same commit."""
    upload.imported_at = utcnow()
    return KINDS[UploadKind(upload.kind)].apply(
        upload.data,
        actor,
        expected_digest=upload.plan_digest or "",
        source=f"{upload.filename} (sha256 {upload.sha256[:12]})",
    )
