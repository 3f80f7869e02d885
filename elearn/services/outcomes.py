"""What a submitted attempt's result page may show, and what the employee can do next.

The review rule is the attempt's own course version's, so an attempt taken under ``review: always``
keeps its full review, and one taken under ``after_pass`` keeps the key closed until the course is
passed in that year or the attempts are used up.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select

from ..extensions import db
from ..models import Attempt, Completion
from .attempts import attempts_left, open_attempt
from .progress import lessons_left


@dataclass(frozen=True)
class Outcome:
    """A submitted attempt seen from its result page."""

    full_review: bool  # correct choices, every choice's feedback, the explanation
    completion: Completion | None  # the course's completion in the attempt's year, by any attempt
    lessons_left: int  # of the course's current version, this year
    attempts_left: int | None  # None: no limit
    quiz_after_lessons: bool  # of the current version: unread lessons keep the quiz closed
    open_attempt_id: int | None

    @property
    def can_retake(self) -> bool:
        return self.open_attempt_id is None and self.attempts_left != 0 and not self.retake_waits_for_lessons

    @property
    def retake_waits_for_lessons(self) -> bool:
        return self.quiz_after_lessons and self.lessons_left > 0


def outcome(attempt: Attempt) -> Outcome:
    course, employee, year = attempt.course, attempt.employee, attempt.fiscal_year
    completion = db.session.scalar(
        select(Completion).where(
            Completion.employee_id == employee.id,
            Completion.course_id == course.id,
            Completion.fiscal_year == year,
        )
    )
    left = attempts_left(employee, course, year)
    current = course.current
    opened = open_attempt(employee, course, year)
    return Outcome(
        full_review=_full_review(attempt, used_up=left == 0),
        completion=completion,
        lessons_left=lessons_left(employee.id, current, year),
        attempts_left=left,
        quiz_after_lessons=current.quiz_after_lessons and not attempt.trial,  # a trial reads nothing first
        open_attempt_id=opened.id if opened else None,
    )


def _full_review(attempt: Attempt, *, used_up: bool) -> bool:
    """The key is shown under ``always``, and under ``after_pass`` once the quiz was passed that year
    (by this attempt or another) or no attempt is left: then it can no longer help a retake."""
    if attempt.course_version.review == "always" or attempt.passed or used_up:
        return True
    passed = select(Attempt.id).where(
        Attempt.employee_id == attempt.employee_id,
        Attempt.course_id == attempt.course_id,
        Attempt.fiscal_year == attempt.fiscal_year,
        Attempt.passed.is_(True),
    )
    return bool(db.session.scalar(select(exists(passed))))
