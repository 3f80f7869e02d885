"""Deadlines: which unfinished assignments are due soon (期限間近) or overdue (期限超過), and who may be
reminded at all.

Only the status decides who is still expected to act; completed assignments (and, once they exist,
exempt or withdrawn ones) never show a deadline badge and are never reminded.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_

from ..database import utcnow
from ..fiscal import local_date
from ..i18n import N_, NamedCode
from ..models import Assignment, Completion
from .progress import Status

DEFAULT_DUE_SOON_DAYS = 14


class DueState(NamedCode):
    DUE_SOON = "due_soon", N_("期限間近")
    OVERDUE = "overdue", N_("期限超過")


def still_expected(status: Status) -> bool:
    """Whether an assignment in this status still waits for the employee: the one eligibility rule
    for deadline badges and reminders (an exemption is one more condition here)."""
    return status in (Status.NOT_STARTED, Status.IN_PROGRESS)


def remindable_condition():
    """``still_expected`` in SQL, for queries joined with the year's completion (assignments_query)."""
    return Completion.id.is_(None)


def japan_today() -> date:
    return local_date(utcnow())


def due_state(status: Status, due_date: date | None, today: date, soon_days: int) -> DueState | None:
    """期限超過 after the due date, 期限間近 from ``soon_days`` before it; nothing when done or undated."""
    if due_date is None or not still_expected(status):
        return None
    if due_date < today:
        return DueState.OVERDUE
    if due_date <= today + timedelta(days=soon_days):
        return DueState.DUE_SOON
    return None


def due_condition(state: DueState, today: date, soon_days: int):
    """The SQL version of ``due_state`` for report queries joined with the year's completion."""
    unfinished = Completion.id.is_(None)
    if state is DueState.OVERDUE:
        return and_(unfinished, Assignment.due_date < today)
    return and_(
        unfinished, Assignment.due_date >= today, Assignment.due_date <= today + timedelta(days=soon_days)
    )
