"""The audit trail: who did what as HR, kept append-only next to the records it explains."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, utcnow
from ..extensions import db
from ..i18n import N_, NamedCode
from .people import Employee


class AuditAction(NamedCode):
    ROSTER_IMPORT = "roster.import", N_("名簿の取り込み")
    ASSIGNMENT_RULE = "assignment.rule", N_("研修の割当")
    ASSIGNMENT_RULE_CHANGE = "assignment.rule.change", N_("割当の期限変更")
    ASSIGNMENT_RULE_WITHDRAW = "assignment.rule.withdraw", N_("割当の取消")
    CODES_ISSUED = "accounts.codes", N_("有効化コードの発行")
    ACCOUNT_RESET = "accounts.reset", N_("アカウントのリセット")
    PASSWORD_SET = "accounts.password", N_("パスワードの設定（管理者）")
    ACCOUNT_UNLOCKED = "accounts.unlock", N_("ロックの解除")
    EXPORT = "export", N_("ダウンロード")
    CERTIFICATE_ISSUED = "certificates.pdf", N_("修了証（PDF）の発行")
    REMINDER_SEND = "reminder.send", N_("督促メールの送信")
    REMINDER_RULES = "reminder.rules", N_("督促ルールの変更")
    MAIL_TEMPLATE = "reminder.template", N_("メール文面の変更")
    ASSIGNMENT_INDIVIDUAL = "assignment.individual", N_("個別の割当")
    EXEMPTION = "exemption", N_("免除")
    EXEMPTION_WITHDRAWN = "exemption.withdrawn", N_("免除の取消")
    ATTENDANCE = "attendance", N_("集合研修の記録")
    CONTENT_PUBLISH = "content.publish", N_("教材の公開")
    CONTENT_ROLLBACK = "content.rollback", N_("教材の以前の版の再公開")


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
    def known_action(self) -> AuditAction | None:
        """The action, or None for a code this version does not know (the trail outlives versions)."""
        try:
            return AuditAction(self.action)
        except ValueError:
            return None

    @property
    def action_label(self) -> str:
        """The action's name on the trail's page, in the reader's language."""
        action = self.known_action
        return str(action.label) if action else self.action

    @property
    def action_name(self) -> str:
        """The action's name in Japanese, as the trail's download writes it."""
        action = self.known_action
        return action.japanese if action else self.action
