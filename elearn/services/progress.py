"""Where an employee stands: assigned courses and their status for a fiscal year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..i18n import N_, NamedCode
from ..models import Assignment, Attempt, Completion, Course, CourseVersion, Employee, Exemption, LessonView
from .catalog import CourseText, active_course_texts, version_text


class Status(NamedCode):
    NOT_STARTED = "not_started", N_("未受講")
    IN_PROGRESS = "in_progress", N_("受講中")
    COMPLETED = "completed", N_("修了")
    EXEMPT = "exempt", N_("免除")


@dataclass
class CourseStatus:
    course: CourseText  # the current version
    assigned: bool
    due_date: date | None
    completion: Row | None  # id, completed_at and score of this year's completion
    attempts: int  # submitted attempts this year
    open_attempt_id: int | None
    read: set[str]  # lesson slugs read this year
    trial: bool = False  # a trainer trying the course (試行): nothing read is recorded, the quiz is open
    exemption: str | None = None  # the reason, when HR has exempted the employee this year

    @property
    def status(self) -> Status:
        if self.completion is not None:
            return Status.COMPLETED
        if self.exemption is not None and self.assigned:
            return Status.EXEMPT
        if self.attempts or self.open_attempt_id or self.read:
            return Status.IN_PROGRESS
        return Status.NOT_STARTED

    @property
    def lesson_slugs(self) -> tuple[str, ...]:
        return self.course.lesson_slugs

    @property
    def lessons_read(self) -> int:
        return sum(slug in self.read for slug in self.lesson_slugs)

    @property
    def lessons_left(self) -> int:
        return len(self.lesson_slugs) - self.lessons_read

    @property
    def quiz_locked(self) -> bool:
        """The quiz cannot be started yet: this version wants every lesson read first."""
        return not self.trial and self.course.quiz_after_lessons and self.lessons_left > 0

    @property
    def percent(self) -> int:
        """Lessons read and the quiz passed, as one bar: the quiz counts as one step."""
        steps = len(self.lesson_slugs) + 1
        done = self.lessons_read + (1 if self.completion else 0)
        return round(100 * done / steps)

    @property
    def next_lesson(self) -> str | None:
        """The first lesson not yet read, or None when all are read."""
        return next((slug for slug in self.lesson_slugs if slug not in self.read), None)


def _employee_year(model):
    """``model``'s rows of one employee and fiscal year, the parameters bound when run."""
    return (model.employee_id == bindparam("employee")) & (model.fiscal_year == bindparam("year"))


class MyCoursesStatements:
    """The statements of マイ研修, built once per process with the employee and the year bound when
    run: building each cost more than running it (an index lookup of a few rows), and the page has
    five (docs/benchmarks.md). Columns, not entities, where the page only shows them."""

    assignments = select(Assignment.course_id, Assignment.due_date).where(_employee_year(Assignment))
    completions = select(
        Completion.course_id,
        Completion.id,
        Completion.completed_at,
        Completion.score,
        Completion.lessons_read,
        Completion.lesson_count,
        Completion.method,
    ).where(_employee_year(Completion))
    attempts = (
        select(
            Attempt.course_id,
            func.count(Attempt.submitted_at),
            func.max(Attempt.id).filter(Attempt.submitted_at.is_(None)),
        )
        .where(_employee_year(Attempt))
        .group_by(Attempt.course_id)
    )
    exemptions = select(Exemption).where(_employee_year(Exemption), Exemption.withdrawn_at.is_(None))
    lessons_read = select(LessonView.course_id, LessonView.lesson_slug).where(_employee_year(LessonView))


def my_courses(employee: Employee, year: int, *, drafts: bool = False) -> list[CourseStatus]:
    """Every active course with this employee's status; assigned ones first (drafts only when asked)."""
    mine = {"employee": employee.id, "year": year}
    queries = MyCoursesStatements
    # On the session's connection: plain rows, without the ORM's handling of each statement.
    connection = db.session.connection()
    assignments = {a.course_id: a for a in connection.execute(queries.assignments, mine)}
    completions = {c.course_id: c for c in connection.execute(queries.completions, mine)}
    attempts = {
        course_id: (count, open_id)
        for course_id, count, open_id in connection.execute(queries.attempts, mine)
    }
    exempt = {e.course_id: e.reason_label for e in db.session.scalars(queries.exemptions, mine)}
    read: dict[int, set[str]] = {}
    for course_id, slug in connection.execute(queries.lessons_read, mine):
        read.setdefault(course_id, set()).add(slug)
    statuses = []
    for course in active_course_texts(drafts):
        assignment = assignments.get(course.course_id)
        count, open_id = attempts.get(course.course_id, (0, None))
        statuses.append(
            CourseStatus(
                course=course,
                assigned=assignment is not None,
                due_date=assignment.due_date if assignment else None,
                completion=completions.get(course.course_id),
                attempts=count,
                open_attempt_id=open_id,
                read=read.get(course.course_id, set()),
                exemption=exempt.get(course.course_id),
            )
        )
    audience_order = {"all": 0, "managers": 1, "optional": 2}
    statuses.sort(key=lambda s: (not s.assigned, audience_order.get(s.course.audience, 3), s.course.key))
    return statuses


def course_status(employee: Employee, course: Course, year: int, *, trial: bool = False) -> CourseStatus:
    """One course's status; in a trial (year TRIAL_YEAR) a draft course too, with the quiz open."""
    status = next(s for s in my_courses(employee, year, drafts=trial) if s.course.course_id == course.id)
    status.trial = trial
    return status


# Built once per process: every lesson page and submission counts what was read.
_LESSONS_READ = select(func.count(LessonView.id)).where(
    LessonView.employee_id == bindparam("employee"),
    LessonView.course_id == bindparam("course"),
    LessonView.fiscal_year == bindparam("year"),
    LessonView.lesson_slug.in_(bindparam("slugs", expanding=True)),
)


def lessons_read(employee_id: int, course_id: int, year: int, slugs: Sequence[str]) -> int:
    """How many of these lessons the employee has read this year (read is kept by slug, across versions)."""
    if not slugs:
        return 0
    return (
        db.session.scalar(
            _LESSONS_READ, {"employee": employee_id, "course": course_id, "year": year, "slugs": list(slugs)}
        )
        or 0
    )


def lessons_left(employee_id: int, version: CourseVersion, year: int) -> int:
    """How many lessons of this course version the employee has not read this year."""
    slugs = version_text(version).lesson_slugs
    return len(slugs) - lessons_read(employee_id, version.course_id, year, slugs)


def record_lesson_read(employee: Employee, course_id: int, slug: str, year: int) -> None:
    """Mark a lesson as read this year; reading it again changes nothing."""
    exists = db.session.scalar(
        select(LessonView.id).where(
            LessonView.employee_id == employee.id,
            LessonView.course_id == course_id,
            LessonView.fiscal_year == year,
            LessonView.lesson_slug == slug,
        )
    )
    if exists is not None:
        return
    db.session.add(
        LessonView(employee_id=employee.id, course_id=course_id, fiscal_year=year, lesson_slug=slug)
    )
    try:
        db.session.commit()
    except IntegrityError:  # the same lesson marked from two tabs at once
        db.session.rollback()


def completion_history(employee: Employee) -> list[Completion]:
    """Every completion of this employee, newest year first."""
    return list(
        db.session.scalars(
            select(Completion)
            .where(Completion.employee_id == employee.id)
            .order_by(Completion.fiscal_year.desc(), Completion.completed_at.desc())
        )
    )
