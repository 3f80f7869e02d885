"""The learner's pages around the result, as found by trying them (issue 15 §4)."""

from __future__ import annotations

import re

from flask import render_template_string
from sqlalchemy import select

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import Completion, Role, ScenarioVersion
from elearn.models.records import AssignmentScope
from elearn.services.assignments import add_rule
from elearn.services.audit import Actor
from elearn.services.catalog import active_course_texts, course_by_key
from tests.learn.quiz import take

RETAKE_FORM = 'action="/courses/kihon-houshin/attempts"'


def test_a_passing_result_links_to_the_certificate(client, auth, people):
    auth.login_as(people.employee())
    passed = take(client, correct=True)
    completion = db.session.scalar(select(Completion))
    page = client.get(f"/attempts/{passed}").get_data(as_text=True)
    assert f'href="/certificates/{completion.id}"' in page
    assert RETAKE_FORM not in page


def test_a_failing_result_offers_the_retake(client, auth, people):
    auth.login_as(people.employee())
    failed = take(client, correct=False)
    page = client.get(f"/attempts/{failed}").get_data(as_text=True)
    assert RETAKE_FORM in page and "もう一度受験する" in page
    assert "/certificates/" not in page


def test_a_result_starts_with_the_questions_answered_wrong(client, auth, people):
    auth.login_as(people.employee())
    failed = take(client, correct=False)
    page = client.get(f"/attempts/{failed}").get_data(as_text=True)
    summary = page.index('id="wrong-heading"')
    assert summary < page.index('id="q1"')
    assert re.findall(r'href="#q(\d+)"', page[summary:]) == [str(n) for n in range(1, 11)]


def test_a_retake_after_completion_says_the_completion_stands(client, auth, people):
    auth.login_as(people.employee())
    take(client, correct=True)
    course = client.get("/courses/kihon-houshin").get_data(as_text=True)
    assert "もう一度受験しても、修了の記録は変わりません" in course
    retake = take(client, correct=False)
    page = client.get(f"/attempts/{retake}").get_data(as_text=True)
    assert "はそのまま有効です" in page and "修了の記録は変わりません" in page
    assert "もう一度受験してください" not in page


def test_no_lesson_links_to_the_next_one_past_the_button_that_records_reading(client, auth, people):
    auth.login_as(people.employee())
    for course in active_course_texts():
        for index, lesson in enumerate(course.lessons[:-1]):
            following = course.lessons[index + 1].slug
            page = client.get(f"/courses/{course.key}/lessons/{lesson.slug}").get_data(as_text=True)
            assert f'href="{following}"' not in page and f'/lessons/{following}"' not in page, lesson.slug
            assert f'action="/courses/{course.key}/lessons/{lesson.slug}/read"' in page


def test_a_select_all_question_asks_for_every_choice_once(app):
    template = '{% from "content/scenario.html" import scenario_body %}{{ scenario_body(v, hint=true) }}'
    multiple = db.session.scalars(select(ScenarioVersion).where(ScenarioVersion.multiple.is_(True))).all()
    assert multiple
    with app.test_request_context():
        for version in multiple:
            assert render_template_string(template, v=version).count("すべて選") == 1, version.title


def test_an_optional_course_has_a_neutral_badge(client, auth, people):
    hr, employee = people.employee(Role.HR), people.employee()
    add_rule(current_fiscal_year(), course_by_key("kihon-houshin"), AssignmentScope.ALL, actor=Actor.of(hr))
    auth.login_as(employee)
    home = client.get("/").get_data(as_text=True)
    required, others = home.split('id="others-heading"')
    assert "badge-todo" in required and "badge-neutral" not in required
    assert "badge-neutral" in others and "badge-todo" not in others  # 管理監督者の対応, not required
    assert "badge-neutral" in client.get("/courses/kanri").get_data(as_text=True)


def test_the_course_page_states_the_pass_mark_in_one_wording(client, auth, people):
    auth.login_as(people.employee())
    for key in ("kihon-houshin", "kanri", "shokuin-koui"):
        page = client.get(f"/courses/{key}").get_data(as_text=True)
        assert "80 点以上で合格です" in page and "正答率" not in page and "％" not in page
