"""Quiz attempts: drawing the questions, saving answers, and the attempts an employee has made."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from ..content import DrawError, draw
from ..database import utcnow
from ..extensions import db
from ..models import (
    TRIAL_YEAR,
    Attempt,
    AttemptQuestion,
    Course,
    Employee,
    Scenario,
    ScenarioChoice,
    ScenarioVersion,
)
from .catalog import live_bank
from .progress import lessons_left


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
    """How many more attempts are allowed this year; None means no limit (always so for trials)."""
    limit = course.current.max_attempts
    if not limit or year == TRIAL_YEAR:
        return None
    return max(limit - submitted_count(employee, course, year), 0)


def start_trial_attempt(employee: Employee, course: Course, rng: random.Random | None = None) -> Attempt:
    """A trainer trying the course as a learner (試行): drafts may be drawn, nothing counts.

    Filed under TRIAL_YEAR, with no limit on attempts and no lessons to read first.
    """
    return start_attempt(employee, course, TRIAL_YEAR, rng, trial=True)


def start_attempt(
    employee: Employee, course: Course, year: int, rng: random.Random | None = None, *, trial: bool = False
) -> Attempt:
    """Resume the attempt in progress, or draw a new one by the course's rules."""
    existing = open_attempt(employee, course, year)
    if existing is not None:
        return existing
    if not trial and attempts_left(employee, course, year) == 0:
        raise AttemptError("このコースの受験回数の上限に達しています。")
    version = course.current
    if not trial and version.quiz_after_lessons and (left := lessons_left(employee.id, version, year)):
        raise AttemptError(
            f"確認テストは、レッスンをすべて読んでから受けられます（未読のレッスンが {left} 本あります）。"
        )
    # A new seed for every attempt: a retake is drawn and its choices shuffled afresh.
    rng = rng or random.SystemRandom()
    rules = version.quiz_rules
    seen = last_attempt_scenarios(employee, course, year)
    try:
        drawn = draw(
            rules["questions"],
            rules["pool"],
            rules["minimum"],
            rules["fixed"],
            live_bank(drafts=trial),
            rng,
            avoid=seen,
        )
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
        trial=trial,
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


def last_attempt_scenarios(employee: Employee, course: Course, year: int) -> set[str]:
    """The scenario ids of the employee's latest submitted attempt of this course this year."""
    latest = (
        select(Attempt.id)
        .where(
            Attempt.employee_id == employee.id,
            Attempt.course_id == course.id,
            Attempt.fiscal_year == year,
            Attempt.submitted_at.is_not(None),
        )
        .order_by(Attempt.number.desc())
        .limit(1)
        .scalar_subquery()
    )
    return set(
        db.session.scalars(
            select(Scenario.key)
            .join(ScenarioVersion, ScenarioVersion.scenario_id == Scenario.id)
            .join(AttemptQuestion, AttemptQuestion.scenario_version_id == ScenarioVersion.id)
            .where(AttemptQuestion.attempt_id == latest)
        )
    )


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


def _answer_slot_statement():
    """The attempt (``attempt``) with its question at ``position`` and how many it has."""
    # The attempt's questions again, to count them beside the one asked for.
    counted = aliased(AttemptQuestion, name="counted")
    question_count = select(func.count(counted.id)).where(counted.attempt_id == Attempt.id).scalar_subquery()
    return (
        select(
            Attempt.employee_id,
            Attempt.submitted_at,
            question_count.label("questions"),
            AttemptQuestion.id.label("question_id"),
            AttemptQuestion.choice_order,
            AttemptQuestion.selected,
            ScenarioVersion.multiple,
        )
        .select_from(Attempt)
        .outerjoin(
            AttemptQuestion,
            and_(AttemptQuestion.attempt_id == Attempt.id, AttemptQuestion.position == bindparam("position")),
        )
        .outerjoin(ScenarioVersion, ScenarioVersion.id == AttemptQuestion.scenario_version_id)
        .where(Attempt.id == bindparam("attempt"))
    )


# Built once per process: every answer saved runs it, and building it (an alias, a subquery, two
# joins) cost more than running it (docs/benchmarks.md).
ANSWER_SLOT = _answer_slot_statement()


def answer_slot(attempt_id: int, position: int) -> AnswerSlot | None:
    """The question at ``position`` (from 0) of an attempt, in one query; None if no such attempt."""
    row = db.session.execute(ANSWER_SLOT, {"attempt": attempt_id, "position": position}).first()
    if row is None:
        return None
    return AnswerSlot(
        attempt_id=attempt_id,
        employee_id=row.employee_id,
        submitted=row.submitted_at is not None,
        questions=row.questions,
        question_id=row.question_id,
        choice_order=row.choice_order or [],
        multiple=bool(row.multiple),
        selected=row.selected,
    )


# Built once per process, as every statement an answer save or a submission runs: a statement built
# per request has its coercions and cache key computed again, which cost these requests more than
# running the statements (docs/benchmarks.md, "Each trick on its own").
# Saved only while the attempt is open: a submitted attempt's answers never change.
_STILL_OPEN = select(Attempt.id).where(Attempt.id == bindparam("attempt"), Attempt.submitted_at.is_(None))
_SAVE_ANSWER = (
    update(AttemptQuestion)
    .where(AttemptQuestion.id == bindparam("question"), _STILL_OPEN.exists())
    .values(selected=bindparam("chosen", type_=AttemptQuestion.selected.type), answered_at=bindparam("now"))
    .execution_options(synchronize_session=False)
)


def save_answer(slot: AnswerSlot, choice_ids: Sequence[int]) -> bool:
    """Store the answer to one question of an open attempt; False when the attempt was already submitted.

    Saved as the employee goes, so a reload, a logout or a dropped connection loses nothing.
    """
    chosen = sorted(set(choice_ids))
    if slot.question_id is None or not chosen or not set(chosen) <= set(slot.choice_order):
        raise AttemptError("選択肢が正しくありません。")
    if not slot.multiple and len(chosen) != 1:
        raise AttemptError("選択肢を一つ選んでください。")
    try:
        saved = db.session.execute(
            _SAVE_ANSWER,
            {"attempt": slot.attempt_id, "question": slot.question_id, "chosen": chosen, "now": utcnow()},
        ).rowcount
        db.session.commit()
    except IntegrityError:
        # Scored meanwhile by a submission from another tab (PostgreSQL waits for it): final.
        db.session.rollback()
        return False
    return saved == 1


def unanswered(attempt: Attempt) -> list[AttemptQuestion]:
    return [q for q in attempt.questions if not q.selected]


def my_attempts(employee: Employee, course: Course, *, trial: bool = False) -> list[Attempt]:
    """This employee's submitted attempts of a course, newest first, across years (trials or real ones)."""
    return list(
        db.session.scalars(
            select(Attempt)
            .where(
                Attempt.employee_id == employee.id,
                Attempt.course_id == course.id,
                Attempt.submitted_at.is_not(None),
                Attempt.trial.is_(trial),
            )
            .order_by(Attempt.submitted_at.desc())
        )
    )
