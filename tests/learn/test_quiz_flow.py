"""An employee reads the course, fails the quiz, retakes it and passes: the completion is recorded."""

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Attempt, AttemptQuestion, Completion, ScenarioChoice
from tests.conftest import choice_inputs


def answer(attempt_id: int, *, correct: bool) -> dict[str, list[str]]:
    """Form data answering every question of the attempt right or wrong."""
    data = {}
    questions = db.session.scalars(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt_id))
    for question in questions:
        choices = {
            c.id: c
            for c in db.session.scalars(
                select(ScenarioChoice).where(ScenarioChoice.id.in_(question.choice_order))
            )
        }
        right = [str(i) for i in question.choice_order if choices[i].correct]
        wrong = [str(i) for i in question.choice_order if not choices[i].correct][:1]
        data[f"q{question.position}"] = right if correct else wrong
    return data


def start(client, course="kihon-houshin") -> int:
    response = client.post(f"/courses/{course}/attempts")
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_lessons_are_readable_in_order(client, auth, people):
    auth.login(people.employee())
    course = client.get("/courses/kihon-houshin").get_data(as_text=True)
    assert "基本方針を理解する" in course
    lesson = client.get("/courses/kihon-houshin/lessons/02-teigi").get_data(as_text=True)
    assert 'rel="next"' in lesson and 'rel="prev"' in lesson
    assert 'class="clause-ref"' in lesson


def test_quiz_failed_then_passed_records_one_completion(client, auth, people):
    employee = people.employee()
    auth.login(employee)

    first = start(client)
    page = client.get(f"/attempts/{first}").get_data(as_text=True)
    assert len(choice_inputs(page)) == 10
    response = client.post(f"/attempts/{first}", data=answer(first, correct=False))
    assert response.status_code == 303
    result = client.get(f"/attempts/{first}").get_data(as_text=True)
    assert "0 点" in result
    assert "解説" in result and "不正解" in result
    assert db.session.scalar(select(Completion).where(Completion.employee_id == employee.id)) is None

    second = start(client)
    assert second != first
    client.post(f"/attempts/{second}", data=answer(second, correct=True))
    result = client.get(f"/attempts/{second}").get_data(as_text=True)
    assert "100 点" in result and "修了が記録されました" in result

    completion = db.session.scalar(select(Completion).where(Completion.employee_id == employee.id))
    assert completion.score == 100
    assert completion.attempts_count == 2
    assert completion.attempt_id == second
    assert completion.course_version.version == 1
    assert completion.completed_at.tzinfo is not None
    home = client.get("/").get_data(as_text=True)
    assert "修了" in home


def test_submitting_twice_records_one_attempt(client, auth, people):
    employee = people.employee()
    auth.login(employee)
    attempt_id = start(client)
    data = answer(attempt_id, correct=True)
    client.post(f"/attempts/{attempt_id}", data=data)
    again = client.post(f"/attempts/{attempt_id}", data=data)
    assert again.status_code == 303
    attempts = db.session.scalars(select(Attempt).where(Attempt.employee_id == employee.id)).all()
    assert len(attempts) == 1
    completions = db.session.scalars(select(Completion).where(Completion.employee_id == employee.id)).all()
    assert len(completions) == 1


def test_starting_twice_resumes_the_open_attempt(client, auth, people):
    auth.login(people.employee())
    assert start(client) == start(client)


def test_unanswered_questions_are_not_submitted(client, auth, people):
    auth.login(people.employee())
    attempt_id = start(client)
    data = answer(attempt_id, correct=True)
    data.pop("q0")
    response = client.post(f"/attempts/{attempt_id}", data=data)
    assert response.status_code == 200
    assert "この問題に答えてください" in response.get_data(as_text=True)
    assert db.session.get(Attempt, attempt_id).submitted_at is None


def test_a_choice_from_another_question_is_rejected(client, auth, people):
    auth.login(people.employee())
    attempt_id = start(client)
    data = answer(attempt_id, correct=True)
    data["q0"] = data["q1"]
    response = client.post(f"/attempts/{attempt_id}", data=data)
    assert response.status_code == 200
    assert db.session.get(Attempt, attempt_id).submitted_at is None


def test_another_employees_attempt_is_not_found(client, auth, people):
    owner, other = people.employee(), people.employee()
    auth.login(owner)
    attempt_id = start(client)
    auth.logout()
    auth.login(other)
    assert client.get(f"/attempts/{attempt_id}").status_code == 404
    assert client.post(f"/attempts/{attempt_id}", data=answer(attempt_id, correct=True)).status_code == 404


def test_policy_page_has_an_anchor_per_clause(client, auth, people):
    auth.login(people.employee())
    page = client.get("/policy").get_data(as_text=True)
    for anchor in (
        "clause-preamble",
        "clause-1-1",
        "clause-2-9",
        "clause-3-6",
        "clause-4-3",
        "clause-5",
        "clause-6",
    ):
        assert f'id="{anchor}"' in page
