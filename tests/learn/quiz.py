"""Helpers that take a quiz through the web pages, as an employee's browser would."""

from __future__ import annotations

from sqlalchemy import select

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import Attempt, Employee, ScenarioChoice
from elearn.services import attempts as attempt_service
from elearn.services.catalog import course_by_key, course_text
from elearn.services.progress import record_lesson_read


def read_lessons(client, course: str = "kihon-houshin", *, leave_unread: int = 0) -> None:
    """Read the course's lessons through their 「読んだ」 buttons, as the quiz needs by default; the
    last ``leave_unread`` stay unread."""
    slugs = course_text(course).lesson_slugs
    for slug in slugs[: len(slugs) - leave_unread]:
        response = client.post(f"/courses/{course}/lessons/{slug}/read")
        assert response.status_code == 303, (slug, response.status_code)


def read_lessons_of(employee: Employee, course: str = "kihon-houshin", year: int | None = None) -> None:
    """The same without the pages, for tests that start attempts through the service."""
    text = course_text(course)
    for slug in text.lesson_slugs:
        record_lesson_read(employee, text.course_id, slug, year or current_fiscal_year())


def start_attempt(employee: Employee, course: str = "kihon-houshin", year: int | None = None, **kwargs):
    """An attempt started through the service by an employee who has read the lessons first."""
    year = year or current_fiscal_year()
    read_lessons_of(employee, course, year)
    return attempt_service.start_attempt(employee, course_by_key(course), year, **kwargs)


def start(client, course: str = "kihon-houshin", *, read: bool = True) -> int:
    """Start the quiz from the course page; the lessons are read first unless ``read`` is False."""
    if read:
        read_lessons(client, course)
    response = client.post(f"/courses/{course}/attempts")
    assert response.status_code == 303, response.status_code
    return int(response.headers["Location"].rsplit("/", 1)[1])


def answers(attempt_id: int, *, correct: bool) -> list[list[str]]:
    """Per question, in order, the choice ids that answer it right (or one wrong choice)."""
    attempt = db.session.get(Attempt, attempt_id)
    result = []
    for question in attempt.questions:
        choices = {
            c.id: c
            for c in db.session.scalars(
                select(ScenarioChoice).where(ScenarioChoice.id.in_(question.choice_order))
            )
        }
        right = [str(i) for i in question.choice_order if choices[i].correct]
        wrong = [str(i) for i in question.choice_order if not choices[i].correct][:1]
        result.append(right if correct else wrong)
    db.session.expire_all()
    return result


def save_answers(attempt_id: int, *, correct: bool) -> None:
    """Every question answered through the service, without the pages."""
    for position, chosen in enumerate(answers(attempt_id, correct=correct)):
        attempt_service.save_answer(
            attempt_service.answer_slot(attempt_id, position), [int(c) for c in chosen]
        )


def answer_all(client, attempt_id: int, *, correct: bool) -> None:
    for number, chosen in enumerate(answers(attempt_id, correct=correct), start=1):
        response = client.post(f"/attempts/{attempt_id}/questions/{number}", data={"answer": chosen})
        assert response.status_code == 303, (number, response.status_code)


def submit(client, attempt_id: int):
    return client.post(f"/attempts/{attempt_id}/submit")


def take(client, *, correct: bool, course: str = "kihon-houshin", read: bool = True) -> int:
    attempt_id = start(client, course, read=read)
    answer_all(client, attempt_id, correct=correct)
    assert submit(client, attempt_id).status_code == 303
    return attempt_id
