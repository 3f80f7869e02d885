"""Training records written straight to the database, for tests that need many of them quickly.

The quiz pages are tested in tests/learn; here an attempt is just the rows it would leave.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from elearn.database import utcnow
from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import (
    Attempt,
    AttemptQuestion,
    Completion,
    Course,
    Employee,
    ScenarioChoice,
    ScenarioVersion,
    SelfCheckResponse,
    SelfCheckVersion,
)


def course(key: str = "kihon-houshin") -> Course:
    return db.session.scalar(select(Course).where(Course.key == key))


def _attempt(employee: Employee, key: str, year: int | None, score: int | None) -> Attempt:
    found = course(key)
    year = year or current_fiscal_year()
    number = 1 + (
        db.session.scalar(
            select(func.count(Attempt.id)).where(
                Attempt.employee_id == employee.id, Attempt.course_id == found.id, Attempt.fiscal_year == year
            )
        )
        or 0
    )
    attempt = Attempt(
        employee_id=employee.id,
        course_id=found.id,
        course_version_id=found.current.id,
        fiscal_year=year,
        number=number,
    )
    if score is not None:
        attempt.submitted_at = utcnow()
        attempt.score, attempt.correct_count, attempt.passed = score, score // 10, score >= 80
    db.session.add(attempt)
    db.session.flush()
    return attempt


def started(employee: Employee, key: str = "kihon-houshin", year: int | None = None) -> Attempt:
    attempt = _attempt(employee, key, year, None)
    db.session.commit()
    return attempt


def failed(employee: Employee, key: str = "kihon-houshin", year: int | None = None) -> Attempt:
    attempt = _attempt(employee, key, year, 40)
    db.session.commit()
    return attempt


def completed(
    employee: Employee, key: str = "kihon-houshin", year: int | None = None, score: int = 100
) -> Completion:
    attempt = _attempt(employee, key, year, score)
    completion = Completion(
        employee_id=employee.id,
        course_id=attempt.course_id,
        course_version_id=attempt.course_version_id,
        fiscal_year=attempt.fiscal_year,
        attempt_id=attempt.id,
        completed_at=attempt.submitted_at,
        score=score,
        attempts_count=attempt.number,
    )
    db.session.add(completion)
    db.session.commit()
    return completion


def scenario_version(key: str) -> ScenarioVersion:
    return db.session.scalars(
        select(ScenarioVersion)
        .join(ScenarioVersion.scenario)
        .where(ScenarioVersion.scenario.has(key=key))
        .order_by(ScenarioVersion.version.desc())
    ).first()


def answer(
    employee: Employee, version: ScenarioVersion, chosen: Sequence[ScenarioChoice], *, submitted: bool = True
) -> AttemptQuestion:
    """One attempt holding a single question about ``version``, answered with ``chosen``."""
    attempt = _attempt(employee, "kihon-houshin", None, 100 if submitted else None)
    right = sorted(c.id for c in version.choices if c.correct)
    picked = sorted(c.id for c in chosen)
    question = AttemptQuestion(
        attempt_id=attempt.id,
        position=0,
        scenario_version_id=version.id,
        choice_order=[c.id for c in version.choices],
        selected=picked,
        correct=(picked == right) if submitted else None,
    )
    db.session.add(question)
    db.session.commit()
    return question


def selfcheck_response(employee: Employee, version: SelfCheckVersion, answer_index: int) -> SelfCheckResponse:
    """Every item of the self-check answered with the same point of the scale."""
    answers = {item_id: answer_index for item_id, _ in version.items}
    response = SelfCheckResponse(
        employee_id=employee.id,
        department_id=employee.department_id,
        selfcheck_version_id=version.id,
        answers=answers,
        score=answer_index * len(answers),
    )
    db.session.add(response)
    db.session.commit()
    return response


def set_due(employee: Employee, due_date, key: str = "kihon-houshin", year: int | None = None) -> None:
    """Move the due date of one of ``employee``'s assignments."""
    from elearn.models import Assignment

    assignment = db.session.scalar(
        select(Assignment).where(
            Assignment.employee_id == employee.id,
            Assignment.course_id == course(key).id,
            Assignment.fiscal_year == (year or current_fiscal_year()),
        )
    )
    assignment.due_date = due_date
    db.session.commit()
