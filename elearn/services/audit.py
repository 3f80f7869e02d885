"""The audit trail of HR actions: recorded in the same transaction as the action it describes."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from ..database import transaction
from ..extensions import db
from ..fiscal import format_datetime
from ..models import AuditAction, AuditEvent, Employee
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


def _filtered(action: str | None):
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    return query


def events_page(action: str | None, page: int, per_page: int = 50) -> tuple[list[AuditEvent], int]:
    """Newest first, one page, and the number of events matching."""
    total = db.session.scalar(select(func.count()).select_from(_filtered(action).subquery())) or 0
    events = db.session.scalars(
        _filtered(action)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(events), total


def export_trail(actor: Actor, action: str | None = None) -> Export:
    """The trail (of one action, or all) as CSV; the download is itself recorded on it first."""
    record_export(actor, "操作記録", ExportFormat.CSV, report="audit", action=action)
    return Export(ExportFormat.CSV, "audit-trail", AUDIT_HEADER, event_rows(action))


def event_rows(action: str | None = None) -> Iterator[tuple[str, ...]]:
    """Every event oldest first, as rows for a download."""
    query = _filtered(action).order_by(AuditEvent.occurred_at, AuditEvent.id)
    for event in db.session.scalars(query.execution_options(yield_per=1000)):
        yield (
            format_datetime(event.occurred_at),
            event.actor_label,
            event.action_name,
            event.summary,
            describe(event.details),
        )


def describe(details: dict[str, Any]) -> str:
    """Details as `key=value` pairs, readable in a spreadsheet cell."""
    return "; ".join(f"{key}={value}" for key, value in sorted(details.items()))
