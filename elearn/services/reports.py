"""The completion report: one row per active employee and assigned course for a fiscal year.

The same query feeds the download, the CLI and the HR and manager drill-down pages, filtered
by department, course and status.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import Select, and_, exists, func, not_, select

from ..extensions import db
from ..fiscal import local_date
from ..models import Assignment, Attempt, Completion, Course, CourseVersion, Department, Employee
from .progress import Status

COMPLETION_HEADER = ("職員番号", "氏名", "所属", "コース", "状態", "修了日", "得点", "受験回数", "コース版")


class StatusFilter(StrEnum):
    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    INCOMPLETE = "incomplete"  # in progress or not started

    @property
    def label(self) -> str:
        return STATUS_FILTER_LABELS[self]


STATUS_FILTER_LABELS = {
    StatusFilter.COMPLETED: "修了",
    StatusFilter.IN_PROGRESS: "受講中",
    StatusFilter.NOT_STARTED: "未受講",
    StatusFilter.INCOMPLETE: "未修了（受講中・未受講）",
}


@dataclass(frozen=True)
class ReportFilter:
    year: int
    department_id: int | None = None
    course_id: int | None = None
    status: StatusFilter | None = None


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
    due_date: date | None = None

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


def course_titles() -> dict[int, str]:
    """Each course's current title (a handful of rows), so report queries need not look it up per row."""
    latest = (
        select(CourseVersion.course_id, func.max(CourseVersion.version).label("version"))
        .group_by(CourseVersion.course_id)
        .subquery()
    )
    rows = db.session.execute(
        select(CourseVersion.course_id, CourseVersion.title).join(
            latest,
            and_(latest.c.course_id == CourseVersion.course_id, latest.c.version == CourseVersion.version),
        )
    )
    return dict(rows.all())


def started_condition(year: int):
    """Any attempt (submitted or open) this year at the assignment's course: an index lookup per row."""
    return exists().where(
        Attempt.employee_id == Assignment.employee_id,
        Attempt.course_id == Assignment.course_id,
        Attempt.fiscal_year == year,
    )


def status_condition(status: StatusFilter, year: int):
    started = started_condition(year)
    return {
        StatusFilter.COMPLETED: Completion.id.is_not(None),
        StatusFilter.IN_PROGRESS: and_(Completion.id.is_(None), started),
        StatusFilter.NOT_STARTED: and_(Completion.id.is_(None), not_(started)),
        StatusFilter.INCOMPLETE: Completion.id.is_(None),
    }[status]


def assignments_query(report: ReportFilter, *columns) -> Select:
    """Assignments of active employees for the filter, with their completion joined."""
    query = (
        select(*columns)
        .select_from(Assignment)
        .join(Employee, Employee.id == Assignment.employee_id)
        .outerjoin(
            Completion,
            and_(
                Completion.employee_id == Assignment.employee_id,
                Completion.course_id == Assignment.course_id,
                Completion.fiscal_year == report.year,
            ),
        )
        .where(Assignment.fiscal_year == report.year, Employee.active.is_(True))
    )
    if report.department_id is not None:
        query = query.where(Employee.department_id == report.department_id)
    if report.course_id is not None:
        query = query.where(Assignment.course_id == report.course_id)
    if report.status is not None:
        query = query.where(status_condition(report.status, report.year))
    return query


def completion_count(report: ReportFilter) -> int:
    return db.session.scalar(assignments_query(report, func.count())) or 0


def completion_rows(
    report: ReportFilter | int, limit: int | None = None, offset: int = 0
) -> Iterator[CompletionRow]:
    """Rows in 所属, 職員番号, course order, streamed from one query (``report`` may be just a year)."""
    if isinstance(report, int):
        report = ReportFilter(report)
    year = report.year
    submitted = (
        select(func.count(Attempt.submitted_at))
        .where(
            Attempt.employee_id == Assignment.employee_id,
            Attempt.course_id == Assignment.course_id,
            Attempt.fiscal_year == year,
        )
        .scalar_subquery()
    )
    completed_version = CourseVersion.__table__.alias("completed_version")
    query = (
        assignments_query(
            report,
            Employee.employee_no,
            Employee.name,
            Department.name,
            Assignment.course_id,
            Assignment.due_date,
            Completion.completed_at,
            Completion.score,
            Completion.attempts_count,
            completed_version.c.version,
            submitted,
            started_condition(year),
        )
        .join(Department, Department.id == Employee.department_id)
        .join(Course, Course.id == Assignment.course_id)
        .outerjoin(completed_version, completed_version.c.id == Completion.course_version_id)
        .order_by(Department.name, Employee.employee_no, Course.key)
        .limit(limit)
        .offset(offset or None)
    )
    titles = course_titles()
    for row in db.session.execute(query.execution_options(yield_per=2000)):
        (no, name, department, course_id, due, completed_at, score, count, version, submitted_n, started) = (
            row
        )
        if completed_at is not None:
            status = Status.COMPLETED
        elif started:
            status = Status.IN_PROGRESS
        else:
            status = Status.NOT_STARTED
        yield CompletionRow(
            employee_no=no,
            name=name,
            department=department,
            course=titles[course_id],
            status=status,
            completed_on=local_date(completed_at).isoformat() if completed_at else "",
            score=score,
            attempts=count if completed_at is not None else submitted_n,
            course_version=version,
            due_date=due,
        )


def status_counts(year: int) -> dict[Status, int]:
    """How many assignments of the year are completed, in progress and not started: one query."""
    started = started_condition(year)
    completed, in_progress, total = db.session.execute(
        assignments_query(
            ReportFilter(year),
            func.count(Completion.id),
            func.count().filter(and_(Completion.id.is_(None), started)),
            func.count(),
        )
    ).one()
    return {
        Status.COMPLETED: completed,
        Status.IN_PROGRESS: in_progress,
        Status.NOT_STARTED: total - completed - in_progress,
    }
