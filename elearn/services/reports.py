"""The completion report: one row per active employee and assigned course for a fiscal year.

The same query feeds the download, the CLI and the HR and manager drill-down pages, filtered
by department, course and status.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, String, and_, exists, func, not_, null, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..extensions import db
from ..i18n import N_, NamedCode
from ..models import Assignment, Attempt, Completion, Course, CourseVersion, Department, Employee, LessonView
from . import audit
from .deadlines import DEFAULT_DUE_SOON_DAYS, DueState, due_condition, japan_today
from .exports import Export, ExportFormat
from .progress import Status

# The file is an official record: in Japanese, whatever the language of the page it is downloaded from.
COMPLETED, IN_PROGRESS, NOT_STARTED = (
    Status.COMPLETED.japanese,
    Status.IN_PROGRESS.japanese,
    Status.NOT_STARTED.japanese,
)
COMPLETION_HEADER = ("職員番号", "氏名", "所属", "コース", "状態", "修了日", "得点", "受験回数", "コース版")


class japan_date(FunctionElement):
    """The calendar date in Japan (UTC+9 all year, no summer time) of a UTC timestamp, as YYYY-MM-DD.

    Computed by the database so that a 300,000-row export converts no timestamps in Python.
    """

    type = String()
    inherit_cache = True
    name = "japan_date"


@compiles(japan_date, "sqlite")
def _japan_date_sqlite(element, compiler, **kw) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, '+9 hours')"


@compiles(japan_date, "postgresql")
def _japan_date_postgresql(element, compiler, **kw) -> str:
    return f"to_char(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD')"


class StatusFilter(NamedCode):
    COMPLETED = "completed", N_("修了")
    IN_PROGRESS = "in_progress", N_("受講中")
    NOT_STARTED = "not_started", N_("未受講")
    INCOMPLETE = "incomplete", N_("未修了（受講中・未受講）")  # in progress or not started


@dataclass(frozen=True)
class ReportFilter:
    year: int
    department_id: int | None = None
    course_id: int | None = None
    status: StatusFilter | None = None
    due: DueState | None = None
    # Not a filter of its own: how 期限間近 is read (ELEARN_DUE_SOON_DAYS).
    soon_days: int = DEFAULT_DUE_SOON_DAYS

    def as_args(self) -> dict[str, object]:
        """The filter as the query arguments of the report pages, leaving out what is not set."""
        args = {
            "year": self.year,
            "department": self.department_id,
            "course": self.course_id,
            "status": self.status.value if self.status else None,
            "due": self.due.value if self.due else None,
        }
        return {key: value for key, value in args.items() if value is not None}


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
    """A lesson read or an attempt (submitted or open) this year at the assignment's course,
    as on the employee's own page; each an index lookup per row."""
    return or_(
        exists().where(
            Attempt.employee_id == Assignment.employee_id,
            Attempt.course_id == Assignment.course_id,
            Attempt.fiscal_year == year,
            Attempt.trial.is_(False),
        ),
        exists().where(
            LessonView.employee_id == Assignment.employee_id,
            LessonView.course_id == Assignment.course_id,
            LessonView.fiscal_year == year,
        ),
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
    if report.due is not None:
        query = query.where(due_condition(report.due, japan_today(), report.soon_days))
    return query


def completion_count(report: ReportFilter) -> int:
    return db.session.scalar(assignments_query(report, func.count())) or 0


def completion_query(
    report: ReportFilter, limit: int | None = None, offset: int = 0, *, due_dates: bool = True
) -> Select:
    """The report's one query: assignments with completion, attempt counts and names, in report order."""
    year = report.year
    submitted = (
        select(func.count(Attempt.submitted_at))
        .where(
            Attempt.employee_id == Assignment.employee_id,
            Attempt.course_id == Assignment.course_id,
            Attempt.fiscal_year == year,
            Attempt.trial.is_(False),  # a trainer's trials are not attempts at the training
        )
        .scalar_subquery()
    )
    completed_version = CourseVersion.__table__.alias("completed_version")
    return (
        assignments_query(
            report,
            Employee.employee_no,
            Employee.name,
            Department.name,
            Assignment.course_id,
            Assignment.due_date if due_dates else null(),
            japan_date(Completion.completed_at),
            Completion.score,
            Completion.attempts_count,
            completed_version.c.version,
            submitted,
            started_condition(year),
        )
        .join(Department, Department.id == Employee.department_id)
        .join(Course, Course.id == Assignment.course_id)
        .outerjoin(completed_version, completed_version.c.id == Completion.course_version_id)
        .order_by(*Department.ordering(), Employee.employee_no, Course.key)
        .limit(limit)
        .offset(offset or None)
    )


def _status(completed_on: str | None, started: object) -> Status:
    if completed_on is not None:
        return Status.COMPLETED
    return Status.IN_PROGRESS if started else Status.NOT_STARTED


def completion_rows(
    report: ReportFilter | int, limit: int | None = None, offset: int = 0
) -> Iterator[CompletionRow]:
    """Rows in 所属, 職員番号, course order, for the pages (``report`` may be just a year)."""
    if isinstance(report, int):
        report = ReportFilter(report)
    titles = course_titles()
    for row in db.session.execute(completion_query(report, limit, offset)):
        (no, name, department, course_id, due, completed_on, score, count, version, submitted, started) = row
        yield CompletionRow(
            employee_no=no,
            name=name,
            department=department,
            course=titles[course_id],
            status=_status(completed_on, started),
            completed_on=completed_on or "",
            score=score,
            attempts=count if completed_on is not None else submitted,
            course_version=version,
            due_date=due,
        )


def completion_table(report: ReportFilter) -> Iterator[tuple]:
    """The rows of the download (COMPLETION_HEADER), streamed as plain tuples: no object per row."""
    titles = course_titles()
    query = completion_query(report, due_dates=False).execution_options(yield_per=2000)
    # Core execution: the columns come back as they are, without the ORM's per-row bookkeeping.
    for row in db.session.connection().execute(query):
        (no, name, department, course_id, _due, completed_on, score, count, version, submitted, started) = row
        if completed_on is not None:
            yield (no, name, department, titles[course_id], COMPLETED, completed_on, score, count, version)
        else:
            status = IN_PROGRESS if started else NOT_STARTED
            yield (no, name, department, titles[course_id], status, "", "", submitted, "")


def export_completions(actor: audit.Actor, report: ReportFilter, fmt: ExportFormat) -> Export:
    """The completion report as a file (COMPLETION_HEADER), its export recorded on the audit trail first."""
    audit.record_export(
        actor, f"{report.year}年度の修了状況", fmt, report="completions", filters=report.as_args()
    )
    return Export(fmt, f"completions-{report.year}", COMPLETION_HEADER, completion_table(report))
