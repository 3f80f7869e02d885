"""The year's training record: one row per assignment of a fiscal year, whoever had it (employees
deactivated since included, marked 無効), reported by the department of record.

The same query feeds the download, the CLI and the HR and manager drill-down pages, filtered
by department, course, status and enrolment.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, String, and_, exists, func, not_, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..extensions import db
from ..i18n import N_, NamedCode
from ..models import (
    Assignment,
    AssignmentRule,
    Attempt,
    Completion,
    CompletionMethod,
    Course,
    CourseVersion,
    Department,
    Employee,
    Exemption,
    ExemptionReason,
    Lesson,
    LessonView,
)
from .deadlines import DEFAULT_DUE_SOON_DAYS, DueState, due_condition, japan_today
from .progress import Status

ACTIVE, INACTIVE = "在籍", "無効"
REASON_NAMES = {r.value: r.japanese for r in ExemptionReason}


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


class smaller(FunctionElement):
    """The smaller of two numbers: SQLite's two-argument min(), PostgreSQL's least()."""

    inherit_cache = True
    name = "smaller"


@compiles(smaller, "sqlite")
def _smaller_sqlite(element, compiler, **kw) -> str:
    return f"min({compiler.process(element.clauses, **kw)})"


@compiles(smaller, "postgresql")
def _smaller_postgresql(element, compiler, **kw) -> str:
    return f"least({compiler.process(element.clauses, **kw)})"


class StatusFilter(NamedCode):
    COMPLETED = "completed", N_("修了")
    IN_PROGRESS = "in_progress", N_("受講中")
    NOT_STARTED = "not_started", N_("未受講")
    INCOMPLETE = "incomplete", N_("未修了（受講中・未受講）")  # in progress or not started
    EXEMPT = "exempt", N_("免除")


class Enrolment(NamedCode):
    """Whose assignments: everyone who had one in the year (the official record), or only staff
    still active (the dashboard's rates)."""

    ALL = "all", N_("全員")
    ACTIVE = "active", N_("在籍のみ")


@dataclass(frozen=True)
class ReportFilter:
    year: int
    department_id: int | None = None  # the department of record
    course_id: int | None = None
    status: StatusFilter | None = None
    due: DueState | None = None
    # Not a filter of its own: how 期限間近 is read (ELEARN_DUE_SOON_DAYS).
    soon_days: int = DEFAULT_DUE_SOON_DAYS
    enrolment: Enrolment = Enrolment.ALL

    def as_args(self) -> dict[str, object]:
        """The filter as the query arguments of the report pages, leaving out what is not set."""
        args = {
            "year": self.year,
            "department": self.department_id,
            "course": self.course_id,
            "status": self.status.value if self.status else None,
            "due": self.due.value if self.due else None,
            "enrolment": self.enrolment.value,
        }
        return {key: value for key, value in args.items() if value is not None}


@dataclass(frozen=True)
class CompletionRow:
    employee_no: str
    name: str
    department: str  # of record
    course: str
    status: Status
    completed_on: str
    score: int | None
    attempts: int
    course_version: int | None
    due_date: date | None = None
    current_department: str = ""
    active: bool = True
    deactivated_on: str = ""
    method: str = ""  # a CompletionMethod code, for completions
    exemption: str = ""  # the reason, for an exempt assignment
    withdrawn_rule: bool = False  # kept from a rule withdrawn since (it had progress or a completion)

    @property
    def enrolment(self) -> str:
        return enrolment_text(self.active, self.deactivated_on)

    @property
    def method_label(self) -> str:
        return str(CompletionMethod(self.method).label) if self.method else ""


def enrolment_text(active: bool, deactivated_on: str | None) -> str:
    """在籍, or 無効 with the date of deactivation: the 在籍 column."""
    if active:
        return ACTIVE
    return f"{INACTIVE}（{deactivated_on}）" if deactivated_on else INACTIVE


def course_titles() -> dict[int, str]:
    """Each course's current title (a handful of rows), so report queries need not look it up per row."""
    return {course_id: title for course_id, (title, _lessons) in current_courses().items()}


def current_courses() -> dict[int, tuple[str, int]]:
    """Each course's current title and number of lessons."""
    latest = (
        select(CourseVersion.course_id, func.max(CourseVersion.version).label("version"))
        .group_by(CourseVersion.course_id)
        .subquery()
    )
    lessons = (
        select(func.count(Lesson.id)).where(Lesson.course_version_id == CourseVersion.id).scalar_subquery()
    )
    rows = db.session.execute(
        select(CourseVersion.course_id, CourseVersion.title, lessons).join(
            latest,
            and_(latest.c.course_id == CourseVersion.course_id, latest.c.version == CourseVersion.version),
        )
    )
    return {course_id: (title, count) for course_id, title, count in rows}


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


def exempt_condition():
    """Exempt: a standing exemption and no completion (a completion is a record and wins)."""
    return and_(Completion.id.is_(None), Exemption.id.is_not(None))


def status_condition(status: StatusFilter, year: int):
    started = started_condition(year)
    open_ = and_(Completion.id.is_(None), Exemption.id.is_(None))
    return {
        StatusFilter.COMPLETED: Completion.id.is_not(None),
        StatusFilter.IN_PROGRESS: and_(open_, started),
        StatusFilter.NOT_STARTED: and_(open_, not_(started)),
        StatusFilter.INCOMPLETE: open_,
        StatusFilter.EXEMPT: exempt_condition(),
    }[status]


def assignments_query(report: ReportFilter, *columns) -> Select:
    """Assignments of the year for the filter, with their completion and standing exemption joined
    (at most one of each: unique per employee, course and year)."""
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
        .outerjoin(
            Exemption,
            and_(
                Exemption.employee_id == Assignment.employee_id,
                Exemption.course_id == Assignment.course_id,
                Exemption.fiscal_year == report.year,
                Exemption.withdrawn_at.is_(None),
            ),
        )
        .where(Assignment.fiscal_year == report.year)
    )
    if report.enrolment is Enrolment.ACTIVE:
        query = query.where(Employee.active.is_(True))
    if report.department_id is not None:
        query = query.where(Assignment.department_id == report.department_id)
    if report.course_id is not None:
        query = query.where(Assignment.course_id == report.course_id)
    if report.status is not None:
        query = query.where(status_condition(report.status, report.year))
    if report.due is not None:
        query = query.where(due_condition(report.due, japan_today(), report.soon_days))
    return query


def completion_count(report: ReportFilter) -> int:
    return db.session.scalar(assignments_query(report, func.count())) or 0


# The department of record and the version completed, beside the employee's current department and
# the course: the same tables joined a second time.
completed_version = CourseVersion.__table__.alias("completed_version")
record_department = Department.__table__.alias("record_department")


def submitted_count(year: int):
    """Attempts submitted this year at the assignment's course (a trainer's trials are not attempts
    at the training), counted per row on the attempts' index."""
    return (
        select(func.count(Attempt.submitted_at))
        .where(
            Attempt.employee_id == Assignment.employee_id,
            Attempt.course_id == Assignment.course_id,
            Attempt.fiscal_year == year,
            Attempt.trial.is_(False),
        )
        .scalar_subquery()
    )


def lessons_read_count(year: int):
    """Lessons read this year at the assignment's course, on the covering unique index of lesson_views."""
    return (
        select(func.count(LessonView.id))
        .where(
            LessonView.employee_id == Assignment.employee_id,
            LessonView.course_id == Assignment.course_id,
            LessonView.fiscal_year == year,
        )
        .scalar_subquery()
    )


def record_query(report: ReportFilter, *columns, limit: int | None = None, offset: int = 0) -> Select:
    """``columns`` of the year's assignments for the filter, with what a record shows joined (the
    department of record, the current one, the rule, the version completed), in report order
    (department of record, 職員番号, course)."""
    return (
        assignments_query(report, *columns)
        .join(Department, Department.id == Employee.department_id)
        .outerjoin(record_department, record_department.c.id == Assignment.department_id)
        .outerjoin(AssignmentRule, AssignmentRule.id == Assignment.rule_id)
        .join(Course, Course.id == Assignment.course_id)
        .outerjoin(completed_version, completed_version.c.id == Completion.course_version_id)
        .order_by(
            record_department.c.code.is_(None),
            record_department.c.code,
            record_department.c.kana.is_(None),
            record_department.c.kana,
            record_department.c.name,
            Employee.employee_no,
            Course.key,
        )
        .limit(limit)
        .offset(offset or None)
    )


def completion_query(report: ReportFilter, limit: int | None = None, offset: int = 0) -> Select:
    """The pages' query: assignments with completion, exemption, attempt and lesson counts,
    names and departments, in report order."""
    year = report.year
    return record_query(
        report,
        Employee.employee_no,
        Employee.name,
        Employee.name_kana,
        record_department.c.name,
        Department.name,
        Employee.role,
        Employee.employment_type,
        Employee.active,
        japan_date(Employee.deactivated_at),
        AssignmentRule.scope,
        Assignment.course_id,
        completed_version.c.version,
        Assignment.due_date,
        japan_date(Completion.completed_at),
        Completion.method,
        Completion.score,
        Completion.attempts_count,
        submitted_count(year),
        lessons_read_count(year),
        Completion.certificate_code,
        Exemption.reason,
        Exemption.reason_text,
        started_condition(year),
        AssignmentRule.withdrawn_at.is_not(None),
        limit=limit,
        offset=offset,
    )


def _status(completed_on: str | None, exempt: object, started: object) -> Status:
    if completed_on is not None:
        return Status.COMPLETED
    if exempt is not None:
        return Status.EXEMPT
    return Status.IN_PROGRESS if started else Status.NOT_STARTED


def exemption_text(reason: str | None, text: str | None) -> str:
    """The 免除理由 column: the kind of reason, and HR's words if any."""
    if reason is None:
        return ""
    kind = REASON_NAMES[reason]
    return f"{kind}（{text}）" if text else kind


def completion_rows(
    report: ReportFilter | int, limit: int | None = None, offset: int = 0
) -> Iterator[CompletionRow]:
    """Rows in report order, for the pages (``report`` may be just a year)."""
    if isinstance(report, int):
        report = ReportFilter(report)
    titles = course_titles()
    for row in db.session.execute(completion_query(report, limit, offset)):
        (no, name, _kana, department, current, _role, _type, active, deactivated, _scope, course_id,
         version, due, completed_on, method, score, count, submitted, _read, _code, reason, reason_text,
         started, withdrawn_rule) = row  # fmt: skip
        yield CompletionRow(
            employee_no=no,
            name=name,
            department=department or current,
            course=titles[course_id],
            status=_status(completed_on, reason, started),
            completed_on=completed_on or "",
            score=score,
            attempts=count if completed_on is not None else submitted,
            course_version=version,
            due_date=due,
            current_department=current,
            active=active,
            deactivated_on=deactivated or "",
            method=(method or "") if completed_on is not None else "",
            exemption=exemption_text(reason, reason_text) if completed_on is None else "",
            withdrawn_rule=withdrawn_rule,
        )
