"""The course's completion rules (front matter ``completion``, ``quiz_after_lessons``, ``review``):
lessons before the quiz, lessons and the quiz for 修了, and a failed result that teaches without
handing out the key until the course is passed or the attempts are used up."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import Attempt, Completion, Role, ScenarioChoice
from elearn.services.sync import sync_content
from tests.content.tree import copy_project_content, edit
from tests.learn.quiz import read_lessons, start, take

COURSE_PAGE = "/courses/kihon-houshin"


def with_rules(tmp_path, **rules: object) -> None:
    """Sync a copy of the project's content whose basic course states these rules (a new version)."""
    root = copy_project_content(tmp_path / "content")
    lines = "".join(
        f"{key}: {str(value).lower() if isinstance(value, bool) else value}\n" for key, value in rules.items()
    )
    edit(root / "courses/kihon-houshin/course.md", "pass_mark: 80\n", f"pass_mark: 80\n{lines}")
    sync_content(root)


def completions() -> int:
    return db.session.scalar(select(func.count(Completion.id))) or 0


def articles(page: str) -> dict[int, str]:
    """Question number -> the HTML of its review on a result page."""
    found = re.findall(r'<article class="card review (right|wrong)" id="q(\d+)">(.*?)</article>', page, re.S)
    return {int(number): f"{verdict} {html}" for verdict, number, html in found}


def test_the_quiz_cannot_be_started_before_every_lesson_is_read(client, auth, people):
    auth.login_as(people.employee())
    read_lessons(client, leave_unread=2)
    page = client.get(COURSE_PAGE).get_data(as_text=True)
    assert "レッスンをすべて読むと受けられます（未読のレッスン: あと 2 本）" in page
    assert 'action="/courses/kihon-houshin/attempts"' not in page

    refused = client.post(f"{COURSE_PAGE}/attempts")
    assert refused.status_code == 303 and refused.headers["Location"].endswith(COURSE_PAGE)
    assert "未読のレッスンが 2 本あります" in client.get(COURSE_PAGE).get_data(as_text=True)
    assert db.session.scalar(select(func.count(Attempt.id))) == 0

    read_lessons(client)
    assert 'action="/courses/kihon-houshin/attempts"' in client.get(COURSE_PAGE).get_data(as_text=True)
    start(client, read=False)


def test_a_pass_with_lessons_unread_does_not_complete_and_says_so(app, client, auth, people, tmp_path):
    with_rules(tmp_path, quiz_after_lessons=False)
    auth.login_as(people.employee())
    read_lessons(client, leave_unread=3)
    passed = take(client, correct=True, read=False)
    assert db.session.get(Attempt, passed).passed is True
    assert completions() == 0
    result = client.get(f"/attempts/{passed}").get_data(as_text=True)
    assert "レッスンをすべて読んでいなかったため、修了になっていません" in result
    assert "未読のレッスンが 3 本あります" not in result  # the quiz is open: a retake is offered
    assert "もう一度受験する" in result

    # Read the rest and pass again: that submission completes, with every lesson counted.
    read_lessons(client)
    again = take(client, correct=True, read=False)
    completion = db.session.scalar(select(Completion))
    assert completion.attempt_id == again
    assert (completion.lessons_read, completion.lesson_count) == (9, 9)


def test_completion_by_the_quiz_alone_records_the_lessons_read_and_the_pages_show_it(
    app, client, auth, people, tmp_path
):
    with_rules(tmp_path, completion="quiz", quiz_after_lessons=False)
    employee = people.employee()
    hr = people.employee(Role.HR)
    auth.login_as(employee)
    read_lessons(client, leave_unread=5)
    take(client, correct=True, read=False)
    completion = db.session.scalar(select(Completion))
    assert (completion.lessons_read, completion.lesson_count) == (4, 9)
    assert "修了時の既読レッスン" in client.get("/").get_data(as_text=True)
    assert "4 / 9" in client.get("/history").get_data(as_text=True)
    auth.login_as(hr)
    staff_page = client.get(f"/hr/employees/{employee.employee_no}").get_data(as_text=True)
    assert "修了時の既読レッスン" in staff_page and "4 / 9" in staff_page


def test_a_failed_result_shows_what_was_wrong_but_not_the_key(client, auth, people):
    auth.login_as(people.employee())
    failed = take(client, correct=False)
    page = client.get(f"/attempts/{failed}").get_data(as_text=True)
    attempt = db.session.get(Attempt, failed)
    reviews = articles(page)
    assert len(reviews) == len(attempt.questions) and attempt.score == 0
    for question in attempt.questions:
        review = reviews[question.position + 1]
        choices = db.session.scalars(
            select(ScenarioChoice).where(ScenarioChoice.id.in_(question.choice_order))
        )
        for choice in choices:
            assert choice.text_html in review  # every choice is shown, in the order it was asked
            if choice.id in question.selected:
                assert choice.feedback_html in review  # why the chosen answer falls short
            else:
                assert choice.feedback_html not in review
        for marker in ("正解", 'class="correct', "mark-correct", "解説"):
            assert marker not in review, marker
        assert question.scenario_version.explanation_html not in review
        assert 'href="/policy#clause-' in review  # the clause to reread
        assert f'href="#q{question.position + 1}"' in page  # listed at the top


def test_the_full_review_opens_once_the_course_is_passed(client, auth, people):
    auth.login_as(people.employee())
    failed = take(client, correct=False)
    take(client, correct=False)
    again = client.get(f"/attempts/{failed}").get_data(as_text=True)  # from これまでの受験
    assert "mark-correct" not in again and "<h3>解説</h3>" not in again
    take(client, correct=True)
    page = client.get(f"/attempts/{failed}").get_data(as_text=True)
    assert "mark-correct" in page and "<h3>解説</h3>" in page


def test_the_full_review_opens_when_the_attempts_are_used_up(app, client, auth, people, tmp_path):
    root = copy_project_content(tmp_path / "content")
    edit(root / "courses/kihon-houshin/course.md", "max_attempts: 0", "max_attempts: 1")
    sync_content(root)
    auth.login_as(people.employee())
    failed = take(client, correct=False)
    page = client.get(f"/attempts/{failed}").get_data(as_text=True)
    assert "mark-correct" in page and "<h3>解説</h3>" in page
    assert "受験回数の上限に達しているため、もう一度受験することはできません" in page
    assert 'action="/courses/kihon-houshin/attempts"' not in page


def test_review_always_shows_the_key_after_every_attempt(app, client, auth, people, tmp_path):
    with_rules(tmp_path, review="always")
    auth.login_as(people.employee())
    failed = take(client, correct=False)
    page = client.get(f"/attempts/{failed}").get_data(as_text=True)
    assert "mark-correct" in page and "<h3>解説</h3>" in page


@pytest.mark.parametrize("course", ["kihon-houshin", "kanri", "shokuin-koui"])
def test_a_retake_right_after_a_failure_is_another_set_of_scenarios(client, auth, people, course):
    auth.login_as(people.employee())
    first = take(client, correct=False, course=course)
    second = start(client, course)
    drawn = [
        {q.scenario_version.scenario.key for q in db.session.get(Attempt, a).questions}
        for a in (first, second)
    ]
    assert drawn[0] != drawn[1]
