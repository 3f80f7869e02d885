"""Trial mode (試行): a trainer takes a course on the learners' pages, drafts included, and nothing counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import TRIAL_YEAR, Attempt, Completion, LessonView, Role
from elearn.services.catalog import course_text
from elearn.services.sync import sync_content
from tests.content.tree import bank, copy_project_content, edit, scenario
from tests.learn.quiz import answer_all, submit

BANNER = "試行中：記録されません"


@pytest.fixture
def root(app, tmp_path) -> Path:
    return copy_project_content(tmp_path / "content")


def begin(client, course: str = "kihon-houshin"):
    return client.post(f"/author/trial/{course}")


def take_trial(client, *, correct: bool = True, course: str = "kihon-houshin") -> int:
    assert begin(client, course).status_code == 303
    response = client.post(f"/courses/{course}/attempts")
    assert response.status_code == 303, response.status_code
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    answer_all(client, attempt_id, correct=correct)
    assert submit(client, attempt_id).status_code == 303
    return attempt_id


@pytest.mark.parametrize("role", [Role.TRAINER, Role.HR])
def test_a_trainer_or_hr_tries_a_course_with_the_banner_on_every_page(client, auth, people, role):
    auth.login_as(people.employee(role))
    response = begin(client)
    assert response.headers["Location"].endswith("/courses/kihon-houshin")
    assert BANNER in client.get("/courses/kihon-houshin").get_data(as_text=True)
    slug = course_text("kihon-houshin").lesson_slugs[-1]
    assert BANNER in client.get(f"/courses/kihon-houshin/lessons/{slug}").get_data(as_text=True)
    attempt_id = take_trial(client)
    assert BANNER in client.get(f"/attempts/{attempt_id}").get_data(as_text=True)


def test_without_a_trial_the_course_page_has_no_banner(client, auth, people):
    auth.login_as(people.employee(Role.TRAINER))
    assert BANNER not in client.get("/courses/kihon-houshin").get_data(as_text=True)


def test_a_passed_trial_is_flagged_and_makes_no_completion(client, auth, people):
    trainer = people.employee(Role.TRAINER)
    auth.login_as(trainer)
    attempt = db.session.get(Attempt, take_trial(client, correct=True))
    assert attempt.trial is True and attempt.passed is True
    assert attempt.fiscal_year == TRIAL_YEAR
    assert db.session.scalar(select(func.count(Completion.id))) == 0
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "修了が記録されました" not in page and "修了証" not in page


def test_a_trial_needs_no_lessons_read_and_records_none(client, auth, people):
    auth.login_as(people.employee(Role.TRAINER))
    begin(client)
    slug = course_text("kihon-houshin").lesson_slugs[0]
    assert client.post(f"/courses/kihon-houshin/lessons/{slug}/read").status_code == 303
    assert client.post("/courses/kihon-houshin/attempts").status_code == 303
    assert db.session.scalar(select(func.count(LessonView.id))) == 0


def test_a_trial_leaves_the_trainers_own_training_as_it_was(client, auth, people):
    trainer = people.employee(Role.TRAINER)
    auth.login_as(trainer)
    take_trial(client)
    assert client.post("/author/trial/kihon-houshin/end").status_code == 303
    page = client.get("/courses/kihon-houshin").get_data(as_text=True)
    assert BANNER not in page and "これまでの受験" not in page
    real = db.session.scalars(
        select(Attempt).where(Attempt.employee_id == trainer.id, Attempt.fiscal_year == current_fiscal_year())
    ).all()
    assert real == []


def test_a_draft_course_can_be_tried_but_not_opened_by_a_learner(root, client, auth, people):
    edit(root / "courses/kanri/course.md", "quiz:", "status: draft\nquiz:")
    sync_content(root)
    auth.login_as(people.employee(Role.TRAINER))
    assert client.get("/courses/kanri").status_code == 404  # not before the trial starts
    assert "下書き" in client.get("/author/").get_data(as_text=True)
    take_trial(client, course="kanri")
    auth.login_as(people.employee())
    assert client.get("/courses/kanri").status_code == 404


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER])
def test_learners_cannot_start_a_trial(client, auth, people, role):
    auth.login_as(people.employee(role))
    assert begin(client).status_code == 403
    assert BANNER not in client.get("/courses/kihon-houshin").get_data(as_text=True)


def test_a_trial_of_an_unknown_course_is_404(client, auth, people):
    auth.login_as(people.employee(Role.TRAINER))
    assert begin(client, "no-such-course").status_code == 404


def test_the_preview_marks_draft_scenarios_and_courses(client, auth, people, app, root):
    app.config["CONTENT_ROOT"] = root
    (root / "quizzes/new.md").write_text(
        bank(scenario("draft-01").replace("- 根拠:", "- 状態: 下書き\n- 根拠:", 1), scenario("live-01")),
        "utf-8",
    )
    edit(root / "courses/kanri/course.md", "quiz:", "status: draft\nquiz:")
    auth.login_as(people.employee(Role.TRAINER))
    bank_page = client.get("/author/quizzes/new.md").get_data(as_text=True)
    assert bank_page.count("<dt>状態</dt>") == 1
    assert bank_page.index("<dt>状態</dt>") > bank_page.index("draft-01") and "下書き" in bank_page
    assert "<dt>状態</dt>" in client.get("/author/courses/kanri/").get_data(as_text=True)
    assert "<dt>状態</dt>" not in client.get("/author/courses/kihon-houshin/").get_data(as_text=True)
