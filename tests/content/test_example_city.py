"""A second city proves the content is the city's, not the code's (issue 21): examples/minamino,
a fictional 南野市 whose policy is in 第N条/項/号 form, with its own categories and settings."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from elearn.config import PROJECT_ROOT
from elearn.content import check, settings_of, stats
from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import Completion
from elearn.services import attempts as attempt_service
from elearn.services import submission
from elearn.services.catalog import course_by_key
from elearn.services.policy import content_settings, site
from elearn.services.progress import course_status, record_lesson_read
from elearn.services.sync import sync_content
from tests.conftest import People, running_app, sign_in
from tests.learn.quiz import save_answers

MINAMINO = PROJECT_ROOT / "examples" / "minamino"


def test_the_example_checks_clean():
    result = check([MINAMINO], PROJECT_ROOT)
    assert [str(p) for p in result.problems] == []
    assert len(result.content.scenarios) >= 12 and len(result.content.courses) == 1
    assert len(result.content.courses[0].lessons) == 3


def test_elearn_content_check_of_the_example_folder_is_clean(runner, monkeypatch):
    monkeypatch.chdir(PROJECT_ROOT)
    result = runner.invoke(args=["content", "check", "examples/minamino"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "4 files checked: 0 error(s), 0 warning(s)"


def test_the_example_is_marked_fictional_and_differs_from_this_city():
    settings, shipped = settings_of(MINAMINO), settings_of(PROJECT_ROOT)
    assert (
        "架空" in settings.organisation and "架空" in settings.policy_title and "架空" in settings.site_title
    )
    assert "架空の例" in settings.policy.preface
    assert not set(settings.categories) & {name for name, clause in shipped.categories.items() if clause}
    assert set(settings.settings) != set(shipped.settings)
    assert settings.categories["身体的な攻撃"] == "第3条第1号"
    assert settings.perspectives["staff-as-harasser"].clause == "第5条第3項"


def test_every_category_of_the_example_has_a_scenario():
    settings = settings_of(MINAMINO)
    result = check([MINAMINO], PROJECT_ROOT)
    counts = stats(result.content, settings)["by_category"]
    assert all(counts[name] >= settings.coverage.scenarios_per_category for name in settings.categories)
    assert list(counts)[: len(settings.categories)] == list(settings.categories)


@pytest.fixture
def minamino_app(dbs, migrated_template):
    url = dbs.fresh(migrated_template)
    with running_app(url, CONTENT_ROOT=MINAMINO, WTF_CSRF_ENABLED=False) as app:
        yield app
    dbs.drop(url)


def test_the_example_syncs_into_a_fresh_database_and_an_employee_completes_its_course(minamino_app):
    report = sync_content(MINAMINO)
    assert "course minamino-kihon" in report.added and "policy version 1" in report.added
    assert len(report.added) == 14  # the policy, the course and twelve scenarios
    assert site().organisation == "南野市（架空）"
    assert content_settings().policy.get("第5条の2") is not None

    employee = People().employee(department="職員課")
    year = current_fiscal_year()
    course = course_by_key("minamino-kihon")
    for slug in ("01-teigi", "02-koui", "03-sekimu"):
        record_lesson_read(employee, course.id, slug, year)
    attempt = attempt_service.start_attempt(employee, course, year)
    assert len(attempt.questions) == 6
    save_answers(attempt.id, correct=True)
    submitted = submission.submit_attempt(attempt)
    assert submitted.passed
    status = course_status(employee, course, year)
    assert status.completion is not None and status.percent == 100
    assert db.session.scalar(select(func.count()).select_from(Completion)) == 1


def test_the_examples_pages_name_the_fictional_city_and_show_its_articles(minamino_app):
    sync_content(MINAMINO)
    employee = People().employee()
    client = minamino_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert "カスハラ防止研修（南野市・架空の例）" in page and "職員課 研修係" in page
    sign_in(client, employee)
    policy = client.get("/policy").get_data(as_text=True)
    assert 'id="clause-5-a2"' in policy and 'id="clause-3-n9"' in policy and "第5条の2" in policy
    lesson = client.get("/courses/minamino-kihon/lessons/02-koui").get_data(as_text=True)
    assert 'href="/policy#clause-3-n1"' in lesson
