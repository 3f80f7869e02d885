"""The audit trail of HR actions: recorded in the same transaction as the action it describes."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from ..database import streamed, transaction
from ..extensions import db
from ..fiscal import JST, format_datetime
from ..models import AuditAction, AuditEvent, Employee
from .audit_text import Names, describe
from .exports import Export, ExportFormat

AUDIT_HEADER = ("日時", "実行者", "操作", "内容", "詳細")


@dataclass(frozen=True)
class Actor:
    """Who acts: a signed-in employee, or someone at the command line."""

    employee_id: int | None
    label: str

    @classmethod
    def of(cls, employee: Employee) -> Actor:
        return cls(employee.id, f"{employee.employee_no} {employee.name}")

    @classmethod
    def command_line(cls) -> Actor:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):  # no login name in some containers
            user = "?"
        return cls(None, f"CLI {user}")

    @property
    def at_command_line(self) -> bool:
        return self.employee_id is None


def record(actor: Actor, action: AuditAction, summary: str, /, **details: Any) -> AuditEvent:
    """Add an event to the current transaction; the caller's commit makes action and record one."""
    event = AuditEvent(
        actor_id=actor.employee_id,
        actor_label=actor.label,
        action=action.value,
        summary=summary,
        details=details,
    )
    db.session.add(event)
    return event


def record_export(actor: Actor, what: str, fmt: ExportFormat, /, **details: Any) -> AuditEvent:
    """Record that ``what`` left the system, committed at once: an export writes nothing else.

    Stored as written, in Japanese: the trail reads the same whatever language HR uses.
    """
    verb = "書き出しました" if actor.at_command_line else "ダウンロードしました"
    summary = f"{what}を{verb}（{fmt.value.upper()}）"
    with transaction():
        event = record(actor, AuditAction.EXPORT, summary, format=fmt.value, **details)
    return event


@dataclass(frozen=True)
class TrailFilter:
    """Which events of the trail: one action, a span of Japan days, an actor (part of their label)."""

    action: str | None = None
    since: date | None = None
    until: date | None = None
    actor: str | None = None

    def as_args(self) -> dict[str, str]:
        """As the trail page's query arguments, what is set only."""
        args = {
            "action": self.action,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "actor": self.actor,
        }
        return {key: value for key, value in args.items() if value}


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), JST)


def _filtered(trail: TrailFilter):
    query = select(AuditEvent)
    if trail.action:
        query = query.where(AuditEvent.action == trail.action)
    if trail.since:
        query = query.where(AuditEvent.occurred_at >= _start_of(trail.since))
    if trail.until:
        query = query.where(AuditEvent.occurred_at < _start_of(trail.until + timedelta(days=1)))
    if trail.actor:
        pattern = trail.actor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(AuditEvent.actor_label.like(f"%{pattern}%", escape="\\"))
    return query


def events_page(trail: TrailFilter, page: int, per_page: int = 50) -> tuple[list[AuditEvent], int]:
    """Newest first, one page, and the number of events matching."""
    total = db.session.scalar(select(func.count()).select_from(_filtered(trail).subquery())) or 0
    events = db.session.scalars(
        _filtered(trail)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(events), total


def export_trail(actor: Actor, trail: TrailFilter | None = None) -> Export:
    """The trail (as filtered, or all) as CSV; the download is itself recorded on it first."""
    trail = trail or TrailFilter()
    record_export(actor, "操作記録", ExportFormat.CSV, report="audit", filters=trail.as_args())
    return Export(ExportFormat.CSV, "audit-trail", AUDIT_HEADER, event_rows(trail))


def event_rows(trail: TrailFilter | None = None) -> Iterator[tuple[str, ...]]:
    """Every event oldest first, as rows for a download, the details written for people."""
    names = Names.load()
    query = _filtered(trail or TrailFilter()).order_by(AuditEvent.occurred_at, AuditEvent.id)
    for event in streamed(db.session.scalars(query.execution_options(yield_per=1000))):
        yield (
            format_datetime(event.occurred_at),
            event.actor_label,
            event.action_name,
            event.summary,
            describe(event.details, names),
        )
