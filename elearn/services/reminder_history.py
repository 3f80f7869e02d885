"""The reminder mails of one employee, as HR's page of them lists them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Assignment, MailKind, MailState, ReminderMail
from .reports import course_titles


@dataclass(frozen=True)
class MailLine:
    """One reminder mail of an employee, for HR's page of them."""

    year: int
    course: str
    kind: MailKind
    rule_key: str
    state: MailState
    created_at: datetime
    sent_at: datetime | None
    tries: int
    smtp_reply: str | None


def mail_history(employee_id: int) -> list[MailLine]:
    """Every reminder row of the employee, skipped ones included, newest first."""
    titles = course_titles()
    rows = db.session.execute(
        select(Assignment.fiscal_year, Assignment.course_id, ReminderMail)
        .join(Assignment, Assignment.id == ReminderMail.assignment_id)
        .where(ReminderMail.employee_id == employee_id)
        .order_by(ReminderMail.created_at.desc(), ReminderMail.id.desc())
    )
    return [
        MailLine(
            year,
            titles.get(course_id, "?"),
            MailKind(mail.kind),
            mail.rule_key,
            MailState(mail.state),
            mail.created_at,
            mail.sent_at,
            mail.tries,
            mail.smtp_reply,
        )
        for year, course_id, mail in rows
    ]
