"""The completion report: one row per active employee and assigned course for a fiscal year."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import and_, func, select

from ..extensions import db
from ..fiscal import local_date
from ..models import Assignment, Attempt, Completion, Course, CourseVersion, Department, Employee
from .progress import Status

COMPLETION_HEADER = ("職員番号", "氏名", "所属", "コース", "状態", "修了日", "得点", "受験回数", "コース版")


@dataclass(frozen=True)
class CompletionRow:
    employee_no: str
    name: str
    department: str
    course: str
    status: Status
    completed_on: str
    score: int | None
    attempts: int
    course_version: int | None

    def as_tuple(self) -> tuple:
        return (
            self.employee_no,
            self.name,
            self.department,
            self.course,
            self.status.value,
            self.completed_on,
            "" if self.score is None else self.score,
            self.attempts,
            "" if self.course_version is None else self.course_version,
        )


def completion_rows(year: int, department_id: int | None = None) -> Iterator[CompletionRow]:
    """Rows in 所属, 職員番号, course order, streamed from one query."""
    attempts = (
        select(
            Attempt.employee_id,
            Attempt.course_id,
            func.count(Attempt.submitted_at).label("submitted"),
            func.count(Attempt.id).label("started"),
        )
        .where(Attempt.fiscal_year == year)
        .group_by(Attempt.employee_id, Attempt.course_id)
        .subquery()
    )
    latest_title = (
        select(CourseVersion.title)
        .where(CourseVersion.course_id == Course.id)
        .order_by(CourseVersion.version.desc())
        .limit(1)
        .correlate(Course)
        .scalar_subquery()
    )
    completed_version = CourseVersion.__table__.alias("completed_version")
    query = (
        select(
            Employee.employee_no,
            Employee.name,
            Department.name,
            latest_title,
            Completion.completed_at,
            Completion.score,
            Completion.attempts_count,
            completed_version.c.version,
            attempts.c.submitted,
            attempts.c.started,
        )
        .select_from(Assignment)
        .join(Employee, Employee.id == Assignment.employee_id)
        .join(Department, Department.id == Employee.department_id)
        .join(Course, Course.id == Assignment.course_id)
        .outerjoin(
            Completion,
            and_(
                Completion.employee_id == Assignment.employee_id,
                Completion.course_id == Assignment.course_id,
                Completion.fiscal_year == year,
            ),
        )
        .outerjoin(completed_version, completed_version.c.id == Completion.course_version_id)
        .outerjoin(
            attempts,
            and_(
                attempts.c.employee_id == Assignment.employee_id, attempts.c.course_id == Assignment.course_id
            ),
        )
        .where(Assignment.fiscal_year == year, Employee.active.is_(True))
        .order_by(Department.name, Employee.employee_no, Course.key)
    )
    if department_id is not None:
        query = query.where(Employee.department_id == department_id)
    for row in db.session.execute(query.execution_options(yield_per=1000)):
        (employee_no, name, department, title, completed_at, score, count, version, submitted, started) = row
        if completed_at is not None:
            status = Status.COMPLETED
        elif started:
            status = Status.IN_PROGRESS
        else:
            status = Status.NOT_STARTED
        yield CompletionRow(
            employee_no=employee_no,
            name=name,
            department=department,
            course=title,
            status=status,
            completed_on=local_date(completed_at).isoformat() if completed_at else "",
            score=score,
            attempts=count if completed_at is not None else (submitted or 0),
            course_version=version,
        )


def status_counts(year: int) -> dict[Status, int]:
    counts = dict.fromkeys(Status, 0)
    for row in completion_rows(year):
        counts[row.status] += 1
    return counts
