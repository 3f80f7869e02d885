"""Many employees at once, and what the tests need to know to answer their quizzes."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from sqlalchemy import select

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import Department, Employee, LessonView, ScenarioChoice
from elearn.services.catalog import course_text
from tests.conftest import password_hash

COURSE = "kanri"  # five questions, any number of attempts


def add_staff(count: int, prefix: str = "L") -> list[str]:
    """``count`` employees who can log in with PASSWORD (one hash for all: what is under test is the
    server) and have read COURSE's lessons this year, as its quiz needs; their employee numbers."""
    department = Department(name="負荷試験課")
    numbers = [f"{prefix}{n:04d}" for n in range(1, count + 1)]
    staff = [
        Employee(
            employee_no=number, name=f"負荷 {number}", department=department, password_hash=password_hash()
        )
        for number in numbers
    ]
    db.session.add_all(staff)
    db.session.flush()
    course, year = course_text(COURSE), current_fiscal_year()
    db.session.add_all(
        LessonView(employee_id=employee.id, course_id=course.course_id, fiscal_year=year, lesson_slug=slug)
        for employee in staff
        for slug in course.lesson_slugs
    )
    db.session.commit()
    return numbers


def correct_choices() -> frozenset[int]:
    """The ids of every correct choice of every scenario version."""
    return frozenset(db.session.scalars(select(ScenarioChoice.id).where(ScenarioChoice.correct.is_(True))))


def chooser(correct: frozenset[int], passing: bool) -> Callable[[Sequence[int]], Collection[int]]:
    """Picks, from the choice ids a question shows, every right one, or a single wrong one."""

    def choose(shown: Sequence[int]) -> Collection[int]:
        right = [i for i in shown if i in correct]
        return right if passing else [next(i for i in shown if i not in correct)]

    return choose
