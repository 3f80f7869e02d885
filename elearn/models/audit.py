"""The audit trail: who did what as HR, kept append-only next to the records it explains."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, utcnow
from ..extensions import db
from .people import Employee


class AuditAction(StrEnum):
    ROSTER_IMPORT = "roster.import"
    ASSIGNMENT_RULE = "assignment.rule"
    CODES_ISSUED = "accounts.codes"
    ACCOUNT_RESET = "accounts.reset"
    PASSWORD_SET = "accounts.password"
    EXPORT = "export"

    @property
    def label(self) -> str:
        return AUDIT_ACTION_LABELS[self]


AUDIT_ACTION_LABELS = {
    AuditAction.ROSTER_IMPORT: "名簿の取り込み",
    AuditAction.ASSIGNMENT_RULE: "研修の割当",
    AuditAction.CODES_ISSUED: "有効化コードの発行",
    AuditAction.ACCOUNT_RESET: "アカウントのリセット",
    AuditAction.PASSWORD_SET: "パスワードの設定（管理者）",
    AuditAction.EXPORT: "ダウンロード",
}


class AuditEvent(db.Model):
    """One HR action. Rows are only ever inserted (the database refuses UPDATE and DELETE)."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_action_occurred_at", "action", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    # A snapshot ("H001 佐藤 隆", "CLI alice"): the record must still read right after a rename.
    actor_label: Mapped[str] = mapped_column(String(160))
    action: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[Employee | None] = relationship()

    @property
    def action_label(self) -> str:
        try:
            return AuditAction(self.action).label
        except ValueError:
            return self.action
