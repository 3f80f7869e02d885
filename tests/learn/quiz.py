"""Helpers that take a quiz through the web pages, as an employee's browser would."""

from __future__ import annotations

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Attempt, ScenarioChoice
from elearn.services import attempts as attempt_service


def start(client, course: str = "kihon-houshin") -> int:
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


def take(client, *, correct: bool, course: str = "kihon-houshin") -> int:
    attempt_id = start(client, course)
    answer_all(client, attempt_id, correct=correct)
    assert submit(client, attempt_id).status_code == 303
    return attempt_id
