"""Signed-in sessions, kept on the server so that they can be ended before their cookie expires."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, utcnow
from ..extensions import db
from ..i18n import N_, NamedCode
from .people import Employee


class SessionEnd(NamedCode):
    """Why a session ended; the login page tells the employee."""

    LOGOUT = "logout", N_("ログアウト")
    IDLE = "idle", N_("操作がない時間が続いた")
    EXPIRED = "expired", N_("ログインからの上限時間を過ぎた")
    PASSWORD_CHANGED = "password_changed", N_("パスワードが変更された")
    PASSWORD_SET = "password_set", N_("管理者がパスワードを設定した")
    ACCOUNT_RESET = "account_reset", N_("アカウントがリセットされた")
    DEACTIVATED = "deactivated", N_("職員が無効になった")


class UserSession(db.Model):
    """One login. The cookie carries a random token whose SHA-256 is ``token_hash``; a request whose
    session has ended, been idle too long or lived too long is treated as signed out."""

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_employee_id_ended_at", "employee_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(20))

    employee: Mapped[Employee] = relationship()
