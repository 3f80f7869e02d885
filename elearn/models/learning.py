"""What employees do: quiz attempts and the questions drawn for them.

A submitted attempt is a record: it is never changed afterwards.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, utcnow
from ..extensions import db
from .content import Course, CourseVersion, ScenarioVersion, SelfCheckVersion
from .people import Employee

# The fiscal year a trial attempt is filed under. No real year is 0: every query of a year's attempts leaves
# trials out, and a trainer's trials are numbered, resumed and limited apart from their own real attempts
# (the one-open-attempt index and the numbering are per year).
TRIAL_YEAR = 0


class Attempt(db.Model):
    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("employee_id", "course_id", "fiscal_year", "number"),
        # At most one attempt in progress per employee, course and year: a double
        # click on "start" cannot open two.
        Index(
            "uq_attempts_one_open",
            "employee_id",
            "course_id",
            "fiscal_year",
            unique=True,
            sqlite_where=text("submitted_at IS NULL"),
            postgresql_where=text("submitted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    correct_count: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[int | None] = mapped_column(Integer)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    # A trainer trying the course as a learner (試行): numbered apart (-1, -2, …) and left out of every
    # record that counts: completions, certificates, reports, exports and item analysis.
    trial: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    employee: Mapped[Employee] = relationship()
    course: Mapped[Course] = relationship()
    course_version: Mapped[CourseVersion] = relationship()
    questions: Mapped[list[AttemptQuestion]] = relationship(
        back_populates="attempt", order_by="AttemptQuestion.position"
    )

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class AttemptQuestion(db.Model):
    """One drawn scenario version with the order its choices were shown and the answer given."""

    __tablename__ = "attempt_questions"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"))
    position: Mapped[int] = mapped_column(Integer)
    scenario_version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"), index=True)
    choice_order: Mapped[list[int]] = mapped_column(JSON)
    selected: Mapped[list[int] | None] = mapped_column(JSON)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    correct: Mapped[bool | None] = mapped_column(Boolean)

    attempt: Mapped[Attempt] = relationship(back_populates="questions")
    scenario_version: Mapped[ScenarioVersion] = relationship()

    def ordered_choices(self):
        by_id = {c.id: c for c in self.scenario_version.choices}
        return [by_id[i] for i in self.choice_order]


class LessonView(db.Model):
    """That an employee has read a lesson of a course in a fiscal year (by lesson slug, across versions)."""

    __tablename__ = "lesson_views"
    __table_args__ = (UniqueConstraint("employee_id", "course_id", "fiscal_year", "lesson_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    lesson_slug: Mapped[str] = mapped_column(String(64))
    first_viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SelfCheckResponse(db.Model):
    """One employee's private self-check answers. Only that employee ever sees them."""

    __tablename__ = "selfcheck_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    # Where the employee worked when answering: the aggregates are per department, and a transfer must
    # not carry one person's answers from one published figure to another.
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    selfcheck_version_id: Mapped[int] = mapped_column(ForeignKey("selfcheck_versions.id"))
    answers: Mapped[dict[str, int]] = mapped_column(JSON)
    score: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    selfcheck_version: Mapped[SelfCheckVersion] = relationship()
