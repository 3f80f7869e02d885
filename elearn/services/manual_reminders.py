"""Reminders sent by hand: a manager to the unfinished staff of their department, HR to any filter.

A preview first (who gets the mail, who was reminded by hand today already, who has no address and
needs the paper list), then one audited send. The rule key ``manual:<day>`` makes a second manual send
on the same day do nothing for the people it already reached.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from ..database import transaction, utcnow
from ..extensions import db
from ..models import AuditAction, MailKind, MailState, ReminderMail
from . import audit
from .deadlines import DueState, due_state, japan_today
from .mailer import MailServerDown, SmtpSettings
from .outbox import Sender
from .reminders import (
    BATCH,
    RunResult,
    Target,
    Templates,
    claim_rows,
    has_address,
    mail_row,
    mail_values,
    release,
    send_claimed,
    target_batches,
)
from .reports import ReportFilter, course_titles


def manual_key(today: date) -> str:
    return f"manual:{today.isoformat()}"


@dataclass
class ManualPlan:
    """Who a manual send reaches, sorted by 所属 and 職員番号."""

    to_send: list[Target] = field(default_factory=list)
    already: list[Target] = field(default_factory=list)  # reminded by hand today
    no_address: list[Target] = field(default_factory=list)

    def by_department(self) -> dict[str, list[Target]]:
        """The staff without an address, by department: the paper list (督促一覧)."""
        grouped: dict[str, list[Target]] = defaultdict(list)
        for target in self.no_address:
            grouped[target.department].append(target)
        return dict(sorted(grouped.items()))


def _reminded(assignment_ids: list[int], key: str) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(assignment_ids), BATCH):
        chunk = assignment_ids[start : start + BATCH]
        found.update(
            db.session.scalars(
                select(ReminderMail.assignment_id).where(
                    ReminderMail.assignment_id.in_(chunk), ReminderMail.rule_key == key
                )
            )
        )
    return found


def manual_plan(report: ReportFilter, employee_nos: frozenset[str] | None, today: date) -> ManualPlan:
    """The unfinished assignments of the filter (of the ticked employees only, when any are given)."""
    chosen = [
        t
        for batch in target_batches(report)
        for t in batch
        if employee_nos is None or t.employee_no in employee_nos
    ]
    chosen.sort(key=lambda t: (t.department, t.employee_no, t.course_id))
    reminded = _reminded([t.assignment_id for t in chosen], manual_key(today))
    plan = ManualPlan()
    for target in chosen:
        if not has_address(target):
            plan.no_address.append(target)
        elif target.assignment_id in reminded:
            plan.already.append(target)
        else:
            plan.to_send.append(target)
    return plan


def manual_kind(target: Target, from_manager: bool, today: date, soon_days: int) -> MailKind:
    """A manager's mail is 管理監督者から; HR's is the overdue text past the due date, the before-due one
    otherwise."""
    if from_manager:
        return MailKind.FROM_MANAGER
    overdue = due_state(target.status, target.due_date, today, soon_days) is DueState.OVERDUE
    return MailKind.OVERDUE if overdue else MailKind.BEFORE_DUE


def preview(
    plan: ManualPlan, settings: SmtpSettings, from_manager: bool, soon_days: int
) -> tuple[str, str] | None:
    """Subject and body of the first mail, as it will be sent."""
    if not plan.to_send:
        return None
    target, today = plan.to_send[0], japan_today()
    templates = Templates()
    kind = manual_kind(target, from_manager, today, soon_days)
    template = templates.get(kind, templates.latest(kind))
    return template.render(mail_values(target, course_titles().get(target.course_id, "?"), settings))


def send_manual(
    actor: audit.Actor,
    report: ReportFilter,
    employee_nos: frozenset[str] | None,
    settings: SmtpSettings,
    *,
    from_manager: bool,
) -> RunResult:
    """Claim one mail per unfinished assignment not reminded by hand today, record the send on the audit
    trail in the same transaction, then send over one SMTP session."""
    today = japan_today()
    plan = manual_plan(report, employee_nos, today)
    templates, token, now = Templates(), secrets.token_hex(16), utcnow()
    rows = []
    for target in plan.to_send:
        kind = manual_kind(target, from_manager, today, report.soon_days)
        rows.append(
            mail_row(
                target,
                manual_key(today),
                kind,
                MailState.QUEUED,
                templates.latest(kind),
                token,
                now,
                actor.employee_id,
            )
        )
    with transaction():
        claim_rows(rows)
        claimed = (
            db.session.scalar(select(func.count(ReminderMail.id)).where(ReminderMail.claim == token)) or 0
        )
        audit.record(
            actor,
            AuditAction.REMINDER_SEND,
            f"{report.year}年度の督促メールを{claimed}件送信しました（宛先なし{len(plan.no_address)}人）",
            filters=report.as_args(),
            employees=sorted({t.employee_no for t in plan.to_send}),
            mails=claimed,
        )
    result = RunResult(already=len(plan.already), no_address=len(plan.no_address))
    with Sender(settings) as sender:
        try:
            send_claimed(token, report.year, sender, templates, result)
        except MailServerDown as down:
            result.server_down = str(down)
        finally:
            release(token, report.year, result)
    return result
