"""The security log: sign-ins, failures, lockouts, password changes and refused access, append-only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import db
from ..i18n import N_, NamedCode


class SecurityKind(NamedCode):
    LOGIN = "login", N_("ログイン")
    LOGIN_FAILED = "login.failed", N_("ログインの失敗")
    LOCKOUT = "login.lockout", N_("ロック")
    UNLOCK = "login.unlock", N_("ロックの解除")
    LOGOUT = "logout", N_("ログアウト")
    PASSWORD_CHANGED = "password.changed", N_("パスワードの変更")
    PASSWORD_CHANGE_REFUSED = "password.refused", N_("パスワード変更の拒否")
    PASSWORD_SET = "password.set", N_("パスワードの設定（管理者）")
    ACCOUNT_RESET = "account.reset", N_("アカウントのリセット")
    ACTIVATION = "account.activated", N_("有効化")
    ACCESS_REFUSED = "access.refused", N_("アクセスの拒否")


class SecurityEvent(db.Model):
    """One security-relevant event. Rows are only ever inserted (the database refuses UPDATE and DELETE)."""

    __tablename__ = "security_events"
    __table_args__ = (Index("ix_security_events_kind_occurred_at", "kind", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(40))
    # The account concerned: the number as typed (a failed login may name no one), and the employee
    # when there is one.
    employee_no: Mapped[str] = mapped_column(String(20), default="")
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    # Who acted, as a snapshot: the employee themselves, HR ("H001 佐藤 隆") or "CLI alice".
    actor_label: Mapped[str] = mapped_column(String(160), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(Text, default="")

    @property
    def known_kind(self) -> SecurityKind | None:
        try:
            return SecurityKind(self.kind)
        except ValueError:
            return None

    @property
    def kind_label(self) -> str:
        kind = self.known_kind
        return str(kind.label) if kind else self.kind

    @property
    def kind_name(self) -> str:
        kind = self.known_kind
        return kind.japanese if kind else self.kind
