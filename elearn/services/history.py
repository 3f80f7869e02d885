"""One employee's training history across fiscal years: assignments, completions and attempts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import or_, select

from ..extensions import db
from ..models import Assignment, AssignmentRule, Attempt, Completion, Employee, Exemption
from ..normalise import employee_no as normalise_employee_no
from ..normalise import kana_forms, spellings
from .progress import Status
from .reports import course_titles


@dataclass(frozen=True)
class AttemptLine:
    number: int
    started_at: datetime
    submitted_at: datetime | None
    score: int | None
    passed: bool | None


@dataclass
class HistoryEntry:
    """A course in a fiscal year, whether assigned or taken of the employee's own accord."""

    year: int
    course: str
    assigned: bool = False
    due_date: date | None = None
    withdrawn_rule: bool = False  # assigned by a rule since withdrawn (kept: there was progress)
    completion: Completion | None = None
    attempts: list[AttemptLine] = field(default_factory=list)
    exemption: Exemption | None = None  # standing, or the latest withdrawn one

    @property
    def exempt(self) -> bool:
        return self.exemption is not None and self.exemption.withdrawn_at is None

    @property
    def status(self) -> Status:
        if self.completion is not None:
            return Status.COMPLETED
        if self.exempt and self.assigned:
            return Status.EXEMPT
        return Status.IN_PROGRESS if self.attempts else Status.NOT_STARTED


def training_history(employee: Employee) -> list[HistoryEntry]:
    """Newest year first, courses by title; three small queries whatever the number of years."""
    titles = course_titles()
    entries: dict[tuple[int, int], HistoryEntry] = {}

    def entry(year: int, course_id: int) -> HistoryEntry:
        key = (year, course_id)
        if key not in entries:
            entries[key] = HistoryEntry(year, titles.get(course_id, "?"))
        return entries[key]

    assignments = db.session.execute(
        select(Assignment, AssignmentRule.withdrawn_at)
        .outerjoin(AssignmentRule, AssignmentRule.id == Assignment.rule_id)
        .where(Assignment.employee_id == employee.id)
    )
    for assignment, withdrawn_at in assignments:
        found = entry(assignment.fiscal_year, assignment.course_id)
        found.assigned, found.due_date = True, assignment.due_date
        found.withdrawn_rule = withdrawn_at is not None
    for completion in db.session.scalars(select(Completion).where(Completion.employee_id == employee.id)):
        entry(completion.fiscal_year, completion.course_id).completion = completion
    exemptions = db.session.scalars(
        select(Exemption).where(Exemption.employee_id == employee.id).order_by(Exemption.created_at)
    )
    for exemption in exemptions:  # oldest first: the standing one, if any, is the last
        entry(exemption.fiscal_year, exemption.course_id).exemption = exemption
    attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.employee_id == employee.id, Attempt.trial.is_(False))
        .order_by(Attempt.number)
    )
    for attempt in attempts:
        entry(attempt.fiscal_year, attempt.course_id).attempts.append(
            AttemptLine(
                attempt.number, attempt.started_at, attempt.submitted_at, attempt.score, attempt.passed
            )
        )
    return sorted(entries.values(), key=lambda e: (-e.year, e.course))


def _like_pattern(text: str) -> str:
    """LIKE's own characters escaped; a space matches one character, half- or full-width alike."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace(" ", "_")


def search_employees(text: str, limit: int = 50) -> list[Employee]:
    """Employees whose number starts with, or whose name or kana contains, ``text``; inactive ones too.

    Typed as people type: 「ｄ０００５」 finds D0005, 「高橋」 finds 髙橋, 「たなか」 finds タナカ.
    """
    if not text.strip():
        return []
    number = _like_pattern(normalise_employee_no(text))
    conditions = [
        Employee.employee_no.like(f"{number}%", escape="\\"),
        *(Employee.name.like(f"%{_like_pattern(name)}%", escape="\\") for name in spellings(text)),
        *(
            Employee.name_kana.like(f"%{_like_pattern(kana)}%", escape="\\")
            for kana in sorted(kana_forms(text))
        ),
    ]
    return list(
        db.session.scalars(
            select(Employee).where(or_(*conditions)).order_by(Employee.employee_no).limit(limit)
        )
    )


def employee_by_number(employee_no: str) -> Employee | None:
    return db.session.scalar(
        select(Employee).where(Employee.employee_no == normalise_employee_no(employee_no))
    )
