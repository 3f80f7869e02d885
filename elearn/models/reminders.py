"""Reminders (督促): HR's rules per fiscal year, HR's mail templates, and every mail as a row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, utcnow
from ..extensions import db
from ..i18n import N_, NamedCode
from .people import Employee
from .records import Assignment


class MailKind(NamedCode):
    INVITATION = "invitation", N_("受講案内")
    BEFORE_DUE = "before_due", N_("期限前")
    OVERDUE = "overdue", N_("期限超過")
    FROM_MANAGER = "from_manager", N_("管理監督者から")


class MailState(NamedCode):
    QUEUED = "queued", N_("送信待ち")
    SENT = "sent", N_("送信済み")
    FAILED = "failed", N_("送信失敗")
    SKIPPED = "skipped", N_("省略")


class ReminderRules(db.Model):
    """HR's reminder rules for one fiscal year; a year without a row uses the defaults."""

    __tablename__ = "reminder_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, unique=True)
    invitation: Mapped[bool] = mapped_column(Boolean, default=False)
    days_before: Mapped[list[int]] = mapped_column(JSON, default=list)
    first_after: Mapped[int | None] = mapped_column(Integer)  # days after the due date; None: none
    every_after: Mapped[int] = mapped_column(Integer, default=7)
    times_after: Mapped[int] = mapped_column(Integer, default=3)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))


class MailTemplate(db.Model):
    """One version of HR's template of a kind; a new version is added on every change, none replaced."""

    __tablename__ = "mail_templates"
    __table_args__ = (UniqueConstraint("kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))


class ReminderMail(db.Model):
    """One mail for one assignment and rule. The unique (assignment, rule) row is claimed before the
    SMTP conversation starts, so two senders at once cannot both send it."""

    __tablename__ = "reminder_mails"
    __table_args__ = (
        UniqueConstraint("assignment_id", "rule_key"),
        CheckConstraint(f"state IN ({', '.join(repr(s.value) for s in MailState)})", name="state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # e.g. "before:14", "after:8", "invitation", "manual:2026-12-02" (one manual send a day)
    rule_key: Mapped[str] = mapped_column(String(40))
    template_version: Mapped[int] = mapped_column(Integer)  # 0: the built-in text
    state: Mapped[str] = mapped_column(String(10), index=True)
    to_address: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    last_try_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    smtp_reply: Mapped[str | None] = mapped_column(Text)
    # Which run holds the row while it talks to the server; stale claims are taken over.
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))  # manual sends

    assignment: Mapped[Assignment] = relationship()
    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
