"""Submitting a quiz attempt exactly once: scoring it from the stored answers, recording the completion."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select, update

from ..database import utcnow
from ..extensions import db
from ..models import Attempt, AttemptQuestion, Completion, ScenarioChoice
from .assignments import record_department
from .attempts import AttemptError
from .catalog import version_text
from .progress import lessons_read


def submit_attempt(attempt: Attempt) -> Attempt:
    """Score and record the attempt from its saved answers, once.

    A repeated submission (double click, back button, reload) returns the recorded result unchanged.
    """
    if attempt.submitted:
        return attempt
    now = utcnow()
    if not _claim(attempt, now):
        db.session.rollback()
        db.session.refresh(attempt)
        return attempt
    questions = _stored_answers(attempt)
    if any(not question.selected for question in questions):
        db.session.rollback()
        raise AttemptError("答えていない問題があります。すべての問題に答えてから提出してください。")
    right = _right_choices({question.scenario_version_id for question in questions})
    pass_mark = attempt.course_version.pass_mark  # read before the marks, so they go in one flush
    for question in questions:
        question.correct = sorted(question.selected or []) == right[question.scenario_version_id]
    attempt.correct_count = sum(bool(question.correct) for question in questions)
    attempt.score = round(100 * attempt.correct_count / len(questions)) if questions else 0
    attempt.passed = attempt.score >= pass_mark
    if attempt.passed and not attempt.trial:  # a trial is never a completion, so never a certificate
        _record_completion(attempt, now)
    db.session.commit()
    return attempt


_CLAIM = (
    update(Attempt)
    .where(Attempt.id == bindparam("attempt"), Attempt.submitted_at.is_(None))
    .values(submitted_at=bindparam("now"))
    .execution_options(synchronize_session=False)
)


def _claim(attempt: Attempt, now: datetime) -> bool:
    """Mark the attempt submitted; of concurrent submissions, only the first updates the row."""
    claimed = db.session.execute(_CLAIM, {"attempt": attempt.id, "now": now})
    return claimed.rowcount == 1


_STORED_ANSWERS = (
    select(AttemptQuestion)
    .where(AttemptQuestion.attempt_id == bindparam("attempt"))
    .order_by(AttemptQuestion.position)
    .with_for_update()
    .execution_options(populate_existing=True)
)


def _stored_answers(attempt: Attempt) -> list[AttemptQuestion]:
    """The answers as stored, not as this request last saw them, locked until the commit (PostgreSQL).

    An answer saved from another tab either lands before this read, and is scored, or waits and is
    then refused as final; never saved after being scored as something else.
    """
    return list(db.session.scalars(_STORED_ANSWERS, {"attempt": attempt.id}))


_RIGHT_CHOICES = (
    select(ScenarioChoice.scenario_version_id, ScenarioChoice.id)
    .where(
        ScenarioChoice.scenario_version_id.in_(bindparam("versions", expanding=True)),
        ScenarioChoice.correct.is_(True),
    )
    .order_by(ScenarioChoice.id)
)


def _right_choices(version_ids: set[int]) -> dict[int, list[int]]:
    """Scenario version -> the ids of its correct choices, in ascending order."""
    right: dict[int, list[int]] = {version_id: [] for version_id in version_ids}
    rows = db.session.execute(_RIGHT_CHOICES, {"versions": list(version_ids)})
    for version_id, choice_id in rows:
        right[version_id].append(choice_id)
    return right


_COMPLETED = select(Completion.id).where(
    Completion.employee_id == bindparam("employee"),
    Completion.course_id == bindparam("course"),
    Completion.fiscal_year == bindparam("year"),
)


def _record_completion(attempt: Attempt, completed_at: datetime) -> None:
    """The first pass of the year that meets the version's rule is the completion; later passes leave it
    as it is. Under ``lessons_and_quiz`` a pass with lessons unread makes no completion: only a
    submission completes, so a completion always points at the attempt that met every condition."""
    version = attempt.course_version
    slugs = version_text(version).lesson_slugs
    total = len(slugs)
    read = lessons_read(attempt.employee_id, version.course_id, attempt.fiscal_year, slugs)
    if version.needs_lessons and read < total:
        return
    completed = db.session.scalar(
        _COMPLETED,
        {"employee": attempt.employee_id, "course": attempt.course_id, "year": attempt.fiscal_year},
    )
    if completed is None:
        db.session.add(
            Completion(
                employee_id=attempt.employee_id,
                course_id=attempt.course_id,
                course_version_id=attempt.course_version_id,
                fiscal_year=attempt.fiscal_year,
                attempt_id=attempt.id,
                completed_at=completed_at,
                score=attempt.score,
                attempts_count=attempt.number,
                lessons_read=read,
                lesson_count=total,
            )
        )
        record_department(attempt.employee_id, attempt.course_id, attempt.fiscal_year)
