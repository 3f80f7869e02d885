"""Drafts synced from the files: flagged on their version, never drawn for learners, never listed to them."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import select

from elearn.content import draw as real_draw
from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import CourseVersion, Role, Scenario, ScenarioVersion
from elearn.services import attempts as attempt_service
from elearn.services.catalog import active_course_texts, course_by_key, course_text, live_bank
from elearn.services.progress import my_courses
from elearn.services.sync import sync_content
from tests.content.tree import bank, copy_project_content, edit, scenario
from tests.learn.quiz import read_lessons_of


@pytest.fixture
def root(app, tmp_path) -> Path:
    return copy_project_content(tmp_path / "content")


def drafted(text: str) -> str:
    return text.replace("- 根拠:", "- 状態: 下書き\n- 根拠:", 1)


def latest(key: str) -> ScenarioVersion:
    return db.session.scalars(
        select(ScenarioVersion)
        .join(Scenario)
        .where(Scenario.key == key)
        .order_by(ScenarioVersion.version.desc())
    ).first()


@pytest.fixture
def draft_scenario(root) -> Path:
    (root / "quizzes/new.md").write_text(bank(drafted(scenario("draft-01")), scenario("live-01")), "utf-8")
    sync_content(root)
    return root


def test_a_draft_scenario_is_synced_with_its_version_flagged_draft(draft_scenario):
    assert latest("draft-01").draft is True
    assert latest("live-01").draft is False


def test_publishing_a_draft_makes_a_new_published_version(draft_scenario):
    edit(draft_scenario / "quizzes/new.md", "- 状態: 下書き\n", "")
    report = sync_content(draft_scenario)
    assert report.updated == ["scenario draft-01"]
    assert (latest("draft-01").version, latest("draft-01").draft) == (2, False)


def test_the_live_bank_leaves_drafts_out_and_a_trial_bank_keeps_them(draft_scenario):
    assert "draft-01" not in {entry.id for entry in live_bank()}
    assert "live-01" in {entry.id for entry in live_bank()}
    assert "draft-01" in {entry.id for entry in live_bank(drafts=True)}


def banks_drawn_from(monkeypatch) -> list[set[str]]:
    seen: list[set[str]] = []

    def recording_draw(questions, pool, minimum, fixed, bank, rng, avoid=()):
        seen.append({entry.id for entry in bank})
        return real_draw(questions, pool, minimum, fixed, bank, rng, avoid)

    monkeypatch.setattr(attempt_service, "draw", recording_draw)
    return seen


def test_a_learners_quiz_is_never_drawn_from_drafts(draft_scenario, people, monkeypatch):
    seen = banks_drawn_from(monkeypatch)
    employee = people.employee()
    read_lessons_of(employee)
    attempt = attempt_service.start_attempt(
        employee, course_by_key("kihon-houshin"), current_fiscal_year(), random.Random(1)
    )
    assert "draft-01" not in seen[0] and "live-01" in seen[0]
    assert "draft-01" not in {question.scenario_version.key for question in attempt.questions}


def test_a_trial_is_drawn_from_drafts_too(draft_scenario, people, monkeypatch):
    seen = banks_drawn_from(monkeypatch)
    attempt_service.start_trial_attempt(people.employee(Role.TRAINER), course_by_key("kihon-houshin"))
    assert "draft-01" in seen[0]


@pytest.fixture
def draft_course(root) -> Path:
    edit(root / "courses/kanri/course.md", "quiz:", "status: draft\nquiz:")
    sync_content(root)
    return root


def test_a_draft_course_is_synced_flagged_and_hidden_from_learners(draft_course, people):
    version = db.session.scalars(
        select(CourseVersion).join(CourseVersion.course).where(CourseVersion.course.has(key="kanri"))
    ).all()[-1]
    assert version.draft is True
    assert "kanri" not in {text.key for text in active_course_texts()}
    assert "kanri" not in {s.course.key for s in my_courses(people.employee(), current_fiscal_year())}
    assert course_by_key("kanri") is None and course_text("kanri") is None
    # Trainers' pages and trial mode ask for drafts.
    assert course_by_key("kanri", drafts=True) is not None
    assert course_text("kanri", drafts=True).key == "kanri"


def test_a_learner_gets_404_on_a_draft_courses_pages(draft_course, client, auth, people):
    auth.login_as(people.employee())
    assert client.get("/courses/kanri").status_code == 404
    slug = course_text("kanri", drafts=True).lesson_slugs[0]
    assert client.get(f"/courses/kanri/lessons/{slug}").status_code == 404
    assert client.post("/courses/kanri/attempts").status_code == 404
    assert 'href="/courses/kanri"' not in client.get("/").get_data(as_text=True)
    assert 'href="/courses/kihon-houshin"' in client.get("/").get_data(as_text=True)
