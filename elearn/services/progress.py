"""Where an employee stands: assigned courses and their status for a fiscal year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import func, select

from ..extensions import db
from ..models import Assignment, Attempt, Completion, Course, CourseVersion, Employee
from .catalog import active_courses


class Status(StrEnum):
    NOT_STARTED = "未受講"
    IN_PROGRESS = "受講中"
    COMPLETED = "修了"


@dataclass
class CourseStatus:
    course: Course
    version: CourseVersion
    assigned: bool
    due_date: date | None
    completion: Completion | None
    attempts: int  # submitted attempts this year
    open_attempt_id: int | None

    @property
    def status(self) -> Status:
        if self.completion is not None:
            return Status.COMPLETED
        if self.attempts or self.open_attempt_id:
            return Status.IN_PROGRESS
        return Status.NOT_STARTED


def my_courses(employee: Employee, year: int) -> list[CourseStatus]:
    """Every active course with this employee's status; assigned ones first."""
    assignments = {
        a.course_id: a
        for a in db.session.scalars(
            select(Assignment).where(Assignment.employee_id == employee.id, Assignment.fiscal_year == year)
        )
    }
    completions = {
        c.course_id: c
        for c in db.session.scalars(
            select(Completion).where(Completion.employee_id == employee.id, Completion.fiscal_year == year)
        )
    }
    attempt_rows = db.session.execute(
        select(
            Attempt.course_id,
            func.count(Attempt.submitted_at),
            func.max(Attempt.id).filter(Attempt.submitted_at.is_(None)),
        )
        .where(Attempt.employee_id == employee.id, Attempt.fiscal_year == year)
        .group_by(Attempt.course_id)
    )
    attempts = {course_id: (count, open_id) for course_id, count, open_id in attempt_rows}
    statuses = []
    for course, version in active_courses():
        assignment = assignments.get(course.id)
        count, open_id = attempts.get(course.id, (0, None))
        statuses.append(
            CourseStatus(
                course=course,
                version=version,
                assigned=assignment is not None,
                due_date=assignment.due_date if assignment else None,
                completion=completions.get(course.id),
                attempts=count,
                open_attempt_id=open_id,
            )
        )
    statuses.sort(key=lambda s: (not s.assigned, s.course.key))
    return statuses
