"""HR's reminder rules per fiscal year, and the reminders they schedule for one assignment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ..database import transaction
from ..extensions import db
from ..models import AuditAction, MailKind, ReminderRules
from . import audit

INVITATION_KEY = "invitation"


@dataclass(frozen=True)
class Reminder:
    """A reminder an assignment is due for from ``on``; ``key`` is unique per assignment."""

    on: date
    key: str
    kind: MailKind


@dataclass(frozen=True)
class Rules:
    """Until HR changes them: no 受講案内; 14 and 3 days before; 1 day after, then every 7 days, 3 times."""

    invitation: bool = False
    days_before: tuple[int, ...] = (14, 3)
    first_after: int | None = 1
    every_after: int = 7
    times_after: int = 3

    def schedule(self, assigned_on: date, due_date: date | None) -> list[Reminder]:
        """Every reminder of an assignment, oldest first (an undated one only has the 受講案内)."""
        reminders = []
        if self.invitation:
            reminders.append(Reminder(assigned_on, INVITATION_KEY, MailKind.INVITATION))
        if due_date is not None:
            for days in self.days_before:
                reminders.append(
                    Reminder(due_date - timedelta(days=days), f"before:{days}", MailKind.BEFORE_DUE)
                )
            if self.first_after is not None:
                for n in range(self.times_after):
                    days = self.first_after + n * self.every_after
                    reminders.append(
                        Reminder(due_date + timedelta(days=days), f"after:{days}", MailKind.OVERDUE)
                    )
        # On the same day the reminder about the due date counts as later (it is sent), the 受講案内 earlier.
        return sorted(reminders, key=lambda r: (r.on, r.key != INVITATION_KEY))

    def due(self, assigned_on: date, due_date: date | None, today: date) -> list[Reminder]:
        """The reminders whose day has come, oldest first: only the last of them is sent."""
        return [r for r in self.schedule(assigned_on, due_date) if r.on <= today]

    def describe(self) -> str:
        parts = ["受講案内あり" if self.invitation else "受講案内なし"]
        if self.days_before:
            parts.append("期限の" + "・".join(str(d) for d in self.days_before) + "日前")
        if self.first_after is not None:
            parts.append(
                f"期限の{self.first_after}日後から{self.every_after}日ごとに最大{self.times_after}回"
            )
        return "、".join(parts)


def rules_for(year: int) -> Rules:
    row = db.session.scalar(select(ReminderRules).where(ReminderRules.fiscal_year == year))
    if row is None:
        return Rules()
    return Rules(
        invitation=row.invitation,
        days_before=tuple(sorted(set(row.days_before), reverse=True)),
        first_after=row.first_after,
        every_after=row.every_after,
        times_after=row.times_after,
    )


def save_rules(actor: audit.Actor, year: int, rules: Rules) -> None:
    """HR's rules for the year, replacing the previous ones; audited in the same transaction."""
    with transaction():
        row = db.session.scalar(select(ReminderRules).where(ReminderRules.fiscal_year == year))
        if row is None:
            row = ReminderRules(fiscal_year=year)
            db.session.add(row)
        row.invitation = rules.invitation
        row.days_before = sorted(set(rules.days_before), reverse=True)
        row.first_after = rules.first_after
        row.every_after = rules.every_after
        row.times_after = rules.times_after
        row.updated_by_id = actor.employee_id
        audit.record(
            actor, AuditAction.REMINDER_RULES, f"{year}年度の督促ルール: {rules.describe()}", year=year
        )
