"""Quiz attempts: drawing, answering, submitting exactly once, recording the completion."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from ..content import DrawError, draw
from ..database import utcnow
from ..extensions import db
from ..models import (
    Attempt,
    AttemptQuestion,
    Completion,
    Course,
    CourseVersion,
    Employee,
    ScenarioChoice,
    ScenarioVersion,
)
from .catalog import live_bank


class AttemptError(Exception):
    """The attempt cannot be started or submitted; the message is for the user."""


def open_attempt(employee: Employee, course: Course, year: int) -> Attempt | None:
    return db.session.scalar(
        select(Attempt).where(
            Attempt.employee_id == employee.id,
            Attempt.course_id == course.id,
            Attempt.fiscal_year == year,
            Attempt.submitted_at.is_(None),
        )
    )


def submitted_count(employee: Employee, course: Course, year: int) -> int:
    return (
        db.session.scalar(
            select(func.count(Attempt.id)).where(
                Attempt.employee_id == employee.id,
                Attempt.course_id == course.id,
                Attempt.fiscal_year == year,
                Attempt.submitted_at.is_not(None),
            )
        )
        or 0
    )


def attempts_left(employee: Employee, course: Course, year: int) -> int | None:
    """How many more attempts are allowed this year; None means no limit."""
    limit = course.current.max_attempts
    if not limit:
        return None
    return max(limit - submitted_count(employee, course, year), 0)


def start_attempt(employee: Employee, course: Course, year: int, rng: random.Random | None = None) -> Attempt:
    """Resume the attempt in progress, or draw a new one by the course's rules."""
    existing = open_attempt(employee, course, year)
    if existing is not None:
        return existing
    if attempts_left(employee, course, year) == 0:
        raise AttemptError("このコースの受験回数の上限に達しています。")
    rng = rng or random.SystemRandom()
    version = course.current
    rules = version.quiz_rules
    try:
        drawn = draw(rules["questions"], rules["pool"], rules["minimum"], rules["fixed"], live_bank(), rng)
    except DrawError as exc:
        raise AttemptError("問題を用意できませんでした。研修担当にお問い合わせください。") from exc
    number = (
        db.session.scalar(
            select(func.max(Attempt.number)).where(
                Attempt.employee_id == employee.id,
                Attempt.course_id == course.id,
                Attempt.fiscal_year == year,
            )
        )
        or 0
    ) + 1
    attempt = Attempt(
        employee_id=employee.id,
        course_id=course.id,
        course_version_id=version.id,
        fiscal_year=year,
        number=number,
    )
    choice_ids = _choice_ids([entry.version_id for entry in drawn])
    for position, entry in enumerate(drawn):
        order = list(choice_ids[entry.version_id])
        rng.shuffle(order)
        attempt.questions.append(
            AttemptQuestion(position=position, scenario_version_id=entry.version_id, choice_order=order)
        )
    db.session.add(attempt)
    try:
        db.session.commit()
    except IntegrityError:
        # Another request (a double click) opened the attempt first: use that one.
        db.session.rollback()
        existing = open_attempt(employee, course, year)
        if existing is None:
            raise
        return existing
    return attempt


def _choice_ids(version_ids: Sequence[int]) -> dict[int, list[int]]:
    rows = db.session.execute(
        select(ScenarioChoice.scenario_version_id, ScenarioChoice.id)
        .where(ScenarioChoice.scenario_version_id.in_(version_ids))
        .order_by(ScenarioChoice.position)
    )
    result: dict[int, list[int]] = {v: [] for v in version_ids}
    for version_id, choice_id in rows:
        result[version_id].append(choice_id)
    return result


@dataclass(frozen=True)
class AnswerSlot:
    """One question of an attempt, as much as answering it needs (the page needs more)."""

    attempt_id: int
    employee_id: int
    submitted: bool
    questions: int  # how many the attempt has
    question_id: int | None  # None when the attempt has no question at that position
    choice_order: list[int]
    multiple: bool
    selected: list[int] | None


_counted = aliased(AttemptQuestion)
_ANSWER_SLOT = (
    select(
        Attempt.id,
        Attempt.employee_id,
        Attempt.submitted_at.is_not(None),
        select(func.count(_counted.id)).where(_counted.attempt_id == Attempt.id).scalar_subquery(),
        AttemptQuestion.id,
        AttemptQuestion.choice_order,
        ScenarioVersion.multiple,
        AttemptQuestion.selected,
    )
    .select_from(Attempt)
    .outerjoin(
        AttemptQuestion,
        and_(AttemptQuestion.attempt_id == Attempt.id, AttemptQuestion.position == bindparam("position")),
    )
    .outerjoin(ScenarioVersion, ScenarioVersion.id == AttemptQuestion.scenario_version_id)
    .where(Attempt.id == bindparam("attempt"))
)


# Only while the attempt is open: a submitted attempt's answers never change. Built once, with
# bound parameters: building it cost a third of saving an answer.
_SAVE_ANSWER = (
    update(AttemptQuestion)
    .where(
        AttemptQuestion.id == bindparam("question"),
        select(Attempt.id).where(Attempt.id == bindparam("attempt"), Attempt.submitted_at.is_(None)).exists(),
    )
    .values(
        selected=bindparam("chosen", type_=AttemptQuestion.selected.type),
        answered_at=bindparam("now", type_=AttemptQuestion.answered_at.type),
    )
)


def answer_slot(attempt_id: int, position: int) -> AnswerSlot | None:
    """The question at ``position`` (from 0) of an attempt, in one query; None if no such attempt."""
    row = db.session.connection().execute(_ANSWER_SLOT, {"attempt": attempt_id, "position": position}).first()
    return None if row is None else AnswerSlot(*row[:5], row[5] or [], bool(row[6]), row[7])


def save_answer(slot: AnswerSlot, choice_ids: Sequence[int]) -> bool:
    """Store the answer to one question of an open attempt; False when the attempt was already submitted.

    Saved as the employee goes, so a reload, a logout or a dropped connection loses nothing.
    """
    chosen = sorted(set(choice_ids))
    if slot.question_id is None or not chosen or not set(chosen) <= set(slot.choice_order):
        raise AttemptError("選択肢が正しくありません。")
    if not slot.multiple and len(chosen) != 1:
        raise AttemptError("選択肢を一つ選んでください。")
    values = {"question": slot.question_id, "attempt": slot.attempt_id, "chosen": chosen, "now": utcnow()}
    try:
        saved = db.session.connection().execute(_SAVE_ANSWER, values).rowcount
        db.session.commit()
    except IntegrityError:
        # Scored meanwhile by a submission from another tab (PostgreSQL waits for it): final.
        db.session.rollback()
        return False
    return saved == 1


def unanswered(attempt: Attempt) -> list[AttemptQuestion]:
    return [q for q in attempt.questions if not q.selected]


# The statements of a submission, built once with bound parameters.
_CLAIM = (
    update(Attempt)
    .where(Attempt.id == bindparam("attempt"), Attempt.submitted_at.is_(None))
    .values(submitted_at=bindparam("now", type_=Attempt.submitted_at.type))
)
# Locked (PostgreSQL): an answer saved from another tab either lands before this read, and is scored,
# or waits and is then refused as final; never saved after being scored as something else.
_STORED_ANSWERS = (
    select(AttemptQuestion.id, AttemptQuestion.scenario_version_id, AttemptQuestion.selected)
    .where(AttemptQuestion.attempt_id == bindparam("attempt"))
    .order_by(AttemptQuestion.position)
    .with_for_update()
)
_RIGHT_CHOICES = (
    select(ScenarioChoice.scenario_version_id, ScenarioChoice.id)
    .where(
        ScenarioChoice.scenario_version_id.in_(bindparam("versions", expanding=True)),
        ScenarioChoice.correct.is_(True),
    )
    .order_by(ScenarioChoice.id)
)
_PASS_MARK = select(CourseVersion.pass_mark).where(CourseVersion.id == bindparam("version"))
_MARK = (
    update(AttemptQuestion)
    .where(AttemptQuestion.id == bindparam("question"))
    .values(correct=bindparam("right"))
)
_SCORE = (
    update(Attempt)
    .where(Attempt.id == bindparam("attempt"))
    .values(correct_count=bindparam("count"), score=bindparam("points"), passed=bindparam("pass"))
)
_COMPLETED = select(Completion.id).where(
    Completion.employee_id == bindparam("employee"),
    Completion.course_id == bindparam("course"),
    Completion.fiscal_year == bindparam("year"),
)


def submit_attempt(attempt: Attempt) -> Attempt:
    """Score and record the attempt from its saved answers, once.

    A repeated submission (double click, back button, reload) returns the recorded result unchanged.
    """
    if attempt.submitted:
        return attempt
    now = utcnow()
    connection = db.session.connection()
    # Claim the attempt: only the first of concurrent submissions updates the row.
    if connection.execute(_CLAIM, {"attempt": attempt.id, "now": now}).rowcount != 1:
        db.session.rollback()
        db.session.refresh(attempt)
        return attempt
    # The answers as stored, not as this request last saw them; then the right choices.
    answers = connection.execute(_STORED_ANSWERS, {"attempt": attempt.id}).all()
    if any(not selected for _id, _version, selected in answers):
        db.session.rollback()
        raise AttemptError("答えていない問題があります。すべての問題に答えてから提出してください。")
    right: dict[int, list[int]] = {version_id: [] for _id, version_id, _selected in answers}
    for version_id, choice_id in connection.execute(_RIGHT_CHOICES, {"versions": list(right)}):
        right[version_id].append(choice_id)
    marks = [
        {"question": question_id, "right": sorted(selected) == right[version_id]}
        for question_id, version_id, selected in answers
    ]
    connection.execute(_MARK, marks)
    correct_count = sum(mark["right"] for mark in marks)
    score = round(100 * correct_count / len(marks)) if marks else 0
    passed = score >= connection.scalar(_PASS_MARK, {"version": attempt.course_version_id})
    connection.execute(
        _SCORE, {"attempt": attempt.id, "count": correct_count, "points": score, "pass": passed}
    )
    if passed:
        _record_completion(attempt, now, score)
    db.session.commit()  # and the attempt, expired, is read again as recorded when next used
    return attempt


def my_attempts(employee: Employee, course: Course) -> list[Attempt]:
    """This employee's submitted attempts of a course, newest first, across years."""
    return list(
        db.session.scalars(
            select(Attempt)
            .where(
                Attempt.employee_id == employee.id,
                Attempt.course_id == course.id,
                Attempt.submitted_at.is_not(None),
            )
            .order_by(Attempt.submitted_at.desc())
        )
    )


def _record_completion(attempt: Attempt, completed_at: datetime, score: int) -> None:
    """The first pass of the year is the completion; later passes leave it as it is."""
    connection = db.session.connection()
    key = {"employee": attempt.employee_id, "course": attempt.course_id, "year": attempt.fiscal_year}
    if connection.scalar(_COMPLETED, key) is None:
        connection.execute(
            insert(Completion).values(
                employee_id=attempt.employee_id,
                course_id=attempt.course_id,
                course_version_id=attempt.course_version_id,
                fiscal_year=attempt.fiscal_year,
                attempt_id=attempt.id,
                completed_at=completed_at,
                score=score,
                attempts_count=attempt.number,
            )
        )
