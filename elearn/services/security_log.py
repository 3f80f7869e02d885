"""The security log: who signed in, failed, was locked out, changed a password or was refused a record.

Each event is a row of ``security_events`` (append-only, guarded by the database like the audit
trail) and, once its transaction has committed, one line of JSON on the ``elearn.security`` logger
(written to standard error) for the city's log collector. A rolled-back event writes no line.
"""

from __future__ import annotations

import heapq
import json
import logging
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from ..database import streamed, transaction, utcnow
from ..extensions import db
from ..fiscal import JST
from ..models import AuditEvent, Employee, SecurityEvent, SecurityKind
from . import audit
from .exports import Export, ExportFormat

LOGGER_NAME = "elearn.security"
_PENDING = "security_log_lines"

logger = logging.getLogger(LOGGER_NAME)


def record(
    kind: SecurityKind,
    *,
    address: str | None,
    employee: Employee | None = None,
    employee_no: str | None = None,
    actor: str | None = None,
    detail: str = "",
) -> SecurityEvent:
    """Add an event to the current transaction; the caller's commit writes it (and its log line)."""
    number = employee.employee_no if employee is not None else (employee_no or "").strip()[:20]
    entry = SecurityEvent(
        occurred_at=utcnow(),
        kind=kind.value,
        employee_no=number,
        employee_id=employee.id if employee is not None else None,
        actor_label=(actor if actor is not None else number)[:160],
        address=(address or "")[:64],
        detail=detail,
    )
    db.session.add(entry)
    # The line is made now: after the commit the row's attributes are expired and cannot be read.
    db.session.info.setdefault(_PENDING, []).append(as_json(entry))
    return entry


def log(kind: SecurityKind, **fields) -> SecurityEvent:
    """Record an event on its own, committed at once (a failed login writes nothing else)."""
    with transaction():
        entry = record(kind, **fields)
    return entry


def as_json(entry: SecurityEvent) -> str:
    return json.dumps(
        {
            "log": "security",
            "at": entry.occurred_at.isoformat(),
            "kind": entry.kind,
            "employee_no": entry.employee_no,
            "actor": entry.actor_label,
            "address": entry.address,
            "detail": entry.detail,
        },
        ensure_ascii=False,
    )


def _emit_committed(session: Session) -> None:
    for line in session.info.pop(_PENDING, []):
        logger.info(line)


def _forget_rolled_back(session: Session, _previous_transaction) -> None:
    session.info.pop(_PENDING, None)


def install() -> None:
    """Write the log lines to standard error once their events are committed (idempotent)."""
    if not event.contains(db.session, "after_commit", _emit_committed):
        event.listen(db.session, "after_commit", _emit_committed)
        event.listen(db.session, "after_soft_rollback", _forget_rolled_back)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False  # one line per event, not again through whatever the root logger does


@dataclass(frozen=True)
class SecurityFilter:
    kind: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive

    def as_details(self) -> dict[str, str]:
        """The filter for the audit trail's record of a download."""
        values = {"kind": self.kind, "since": self.since, "until": self.until}
        return {name: str(value) for name, value in values.items() if value}


def _filtered(where: SecurityFilter):
    query = select(SecurityEvent)
    if where.kind:
        query = query.where(SecurityEvent.kind == where.kind)
    if where.since:
        query = query.where(SecurityEvent.occurred_at >= _start_of(where.since))
    if where.until:
        query = query.where(SecurityEvent.occurred_at < _start_of(where.until + timedelta(days=1)))
    return query


def _start_of(day: date) -> datetime:
    """The first moment of ``day`` in Japan, where the dates on the pages and the command line are."""
    return datetime(day.year, day.month, day.day, tzinfo=JST)


def local_time(moment: datetime) -> str:
    """To the second: the order of sign-ins and failures matters in an investigation."""
    return f"{moment.astimezone(JST):%Y-%m-%d %H:%M:%S}"


def events_page(where: SecurityFilter, page: int, per_page: int) -> tuple[list[SecurityEvent], int]:
    """Newest first, one page, and the number of events matching."""
    query = _filtered(where)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    events = db.session.scalars(
        query.order_by(SecurityEvent.occurred_at.desc(), SecurityEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(events), total


class LogChoice(StrEnum):
    """Which log an export holds: the security log, HR's audit trail, or both by time."""

    SECURITY = "security"
    HR = "hr"
    ALL = "all"


EXPORT_HEADER = ("日時", "記録", "種類", "職員番号", "実行者", "アドレス", "内容")
Timed = tuple[datetime, tuple[str, ...]]


def _security_rows(where: SecurityFilter) -> Iterator[Timed]:
    query = _filtered(where).order_by(SecurityEvent.occurred_at, SecurityEvent.id)
    for entry in streamed(db.session.scalars(query.execution_options(yield_per=1000))):
        moment = entry.occurred_at
        yield (
            moment,
            (
                local_time(moment),
                "セキュリティ",
                entry.kind_name,
                entry.employee_no,
                entry.actor_label,
                entry.address,
                entry.detail,
            ),
        )


def _audit_rows(since: date | None) -> Iterator[Timed]:
    query = select(AuditEvent).order_by(AuditEvent.occurred_at, AuditEvent.id)
    if since:
        query = query.where(AuditEvent.occurred_at >= _start_of(since))
    for action in streamed(db.session.scalars(query.execution_options(yield_per=1000))):
        details = audit.describe(action.details)
        moment = action.occurred_at
        yield (
            moment,
            (
                local_time(moment),
                "操作記録",
                action.action_name,
                str(action.details.get("employee_no", "")),
                action.actor_label,
                "",
                f"{action.summary}（{details}）" if details else action.summary,
            ),
        )


def export_log(actor: audit.Actor, where: SecurityFilter) -> Export:
    """The security log, filtered as on HR's page, as CSV; the download is itself on the audit trail."""
    audit.record_export(actor, "セキュリティログ", ExportFormat.CSV, report="security", **where.as_details())
    return Export(
        ExportFormat.CSV, "security-log", EXPORT_HEADER, (row for _at, row in _security_rows(where))
    )


def export_logs(actor: audit.Actor, choice: LogChoice, since: date | None) -> Export:
    """One or both logs from ``since`` on, oldest first, as one CSV (``elearn audit export``)."""
    audit.record_export(
        actor, "ログ", ExportFormat.CSV, report=f"logs-{choice.value}", since=str(since or "")
    )
    streams = []
    if choice in (LogChoice.SECURITY, LogChoice.ALL):
        streams.append(_security_rows(SecurityFilter(since=since)))
    if choice in (LogChoice.HR, LogChoice.ALL):
        streams.append(_audit_rows(since))
    merged = heapq.merge(*streams, key=lambda timed: timed[0])
    return Export(ExportFormat.CSV, f"logs-{choice.value}", EXPORT_HEADER, (row for _at, row in merged))
