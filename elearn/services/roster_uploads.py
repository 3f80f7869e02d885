"""A roster uploaded on HR's page, kept server-side between its preview and its import.

The confirm step imports the stored bytes (checked against their hash) and only if the plan
still has the digest of the preview that HR saw; nothing about the data travels in the form.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select

from ..database import utcnow
from ..extensions import db
from ..models import RosterUpload
from . import audit
from .roster import (
    ImportSummary,
    RosterFile,
    RosterPlan,
    RosterRefused,
    import_roster,
    plan_import,
    read_roster,
)

UPLOAD_LIFETIME = timedelta(hours=1)


@dataclass
class Preview:
    upload: RosterUpload
    roster: RosterFile
    plan: RosterPlan | None  # None when the file has errors


def store_upload(data: bytes, filename: str, full: bool, actor: audit.Actor) -> RosterUpload:
    """Keep the file under a random token; uploads never imported are cleared after a day."""
    now = utcnow()
    db.session.execute(
        delete(RosterUpload).where(
            RosterUpload.imported_at.is_(None), RosterUpload.created_at < now - timedelta(days=1)
        )
    )
    upload = RosterUpload(
        token=secrets.token_urlsafe(32),
        uploaded_by_id=actor.employee_id,
        filename=filename[:255],
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        full=full,
    )
    db.session.add(upload)
    db.session.commit()
    return upload


def find_upload(token: str, actor: audit.Actor) -> RosterUpload | None:
    """The actor's own upload, still importable and intact; None otherwise."""
    upload = db.session.scalar(select(RosterUpload).where(RosterUpload.token == token))
    if upload is None or upload.uploaded_by_id != actor.employee_id or upload.imported_at is not None:
        return None
    if utcnow() - upload.created_at > UPLOAD_LIFETIME:
        return None
    if hashlib.sha256(upload.data).hexdigest() != upload.sha256:
        return None
    return upload


def preview(upload: RosterUpload) -> Preview:
    """Parse and plan the stored file and remember the digest of the plan being shown."""
    roster = read_roster(upload.data)
    if roster.errors:
        return Preview(upload, roster, None)
    plan = plan_import(roster, upload.full)
    upload.plan_digest = plan.digest()
    db.session.commit()
    return Preview(upload, roster, plan)


def confirm(upload: RosterUpload, actor: audit.Actor) -> ImportSummary:
    """Import exactly the previewed plan; RosterRefused if it changed. Marked imported in the same commit."""
    roster = read_roster(upload.data)
    if roster.errors:
        raise RosterRefused("この名簿には誤りがあるため取り込めません。")
    upload.imported_at = utcnow()
    return import_roster(
        roster,
        full=upload.full,
        actor=actor,
        expected_digest=upload.plan_digest or "",
        source=f"{upload.filename} (sha256 {upload.sha256[:12]})",
    )
