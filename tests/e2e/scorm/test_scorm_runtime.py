"""The exported package in a real SCORM 1.2 runtime (scorm-again) in Debian's chromium: the LMS records
what the app would record for the same answers, and a learner who leaves midway resumes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.scorm.learner import SLUGS, Session, app_score, new_page
from tests.e2e.test_accessibility import BLOCKING, REFLOW_WIDTH, RUN_AXE, WCAG_21_AA, describe

pytestmark = pytest.mark.xdist_group("scorm")


@pytest.fixture
def page(browser):
    opened = new_page(browser)
    yield opened
    opened.context.close()


def test_reading_every_lesson_and_answering_rightly_is_recorded_as_passed_with_the_apps_score(
    page, lms_url, app, people
):
    session = Session(page, lms_url)
    assert session.cmi()["lesson_status"] == "incomplete"
    expect(session.sco.locator("#scorm-quiz-start")).to_be_hidden()  # the lessons come first
    session.read(SLUGS)
    expect(session.sco.locator("[data-read-mark]:visible")).to_have_count(len(SLUGS))
    session.open_quiz()
    answers = session.answer(lambda i: True)
    session.submit()

    with app.app_context():
        score, passed = app_score(people.employee(), answers)
    recorded = session.cmi()
    assert (score, passed) == (100, True)
    assert recorded["lesson_status"] == "passed"
    assert (recorded["raw"], recorded["min"], recorded["max"]) == (str(score), "0", "100")
    assert recorded["commits"] > len(SLUGS)
    assert recorded["errors"] == []
    expect(session.sco.locator(".score .big")).to_contain_text(f"{score} 点（10 / 10 問正解）")
    expect(session.sco.locator(".explanation").first).to_be_visible()  # passed: the full review

    session.sco.locator("#result .button[href='#home']").click()
    session.sco.get_by_role("button", name="学習を終了する").click()
    finished = session.cmi()
    assert finished["finished"] and finished["exit"] == ""
    expect(session.sco.locator("#scorm-finished")).to_be_visible()


def test_a_failing_run_is_recorded_as_failed_and_shows_no_key(page, lms_url, app, people):
    session = Session(page, lms_url)
    session.read(SLUGS)
    session.open_quiz()
    answers = session.answer(lambda i: i < 5)
    session.submit()

    with app.app_context():
        score, passed = app_score(people.employee(), answers)
    recorded = session.cmi()
    assert (score, passed) == (50, False)
    assert recorded["lesson_status"] == "failed"
    assert recorded["raw"] == str(score)
    result = session.sco.locator("#scorm-result")
    expect(result.locator(".review.wrong")).to_have_count(5)
    expect(result.locator(".mark-mine")).not_to_have_count(0)
    # review: after_pass (the course's default): no mark, class or explanation gives the key away.
    expect(result.locator(".mark-correct")).to_have_count(0)
    expect(result.locator("li.correct")).to_have_count(0)
    expect(result.locator(".explanation")).to_have_count(0)
    expect(result.locator(".review.wrong a[href^='policy.html#clause-']").first).to_be_visible()
    assert recorded["errors"] == []

    result.get_by_role("button", name="もう一度受験する").click()
    session.sco.locator("#quiz.current").wait_for()
    expect(session.sco.locator("#scorm-quiz input:checked")).to_have_count(0)  # a new draw, unanswered
    assert session.cmi()["lesson_status"] == "failed"
    session.answer(lambda i: True)
    session.submit()
    assert (session.cmi()["lesson_status"], session.cmi()["raw"]) == ("passed", "100")
    expect(result.locator(".explanation")).to_have_count(10)  # passed: now the key and the explanations


@pytest.mark.parametrize("quiz_changes", [{"max_attempts": 1}])
def test_when_the_attempts_are_used_up_the_failure_stands_and_the_key_is_shown(page, lms_url):
    session = Session(page, lms_url)
    session.read(SLUGS)
    session.open_quiz()
    session.answer(lambda i: False)
    session.submit()
    recorded = session.cmi()
    assert (recorded["lesson_status"], recorded["raw"], recorded["errors"]) == ("failed", "0", [])
    result = session.sco.locator("#scorm-result")
    expect(result).to_contain_text("受験回数の上限に達しました")
    expect(result.get_by_role("button", name="もう一度受験する")).to_have_count(0)
    expect(result.locator(".mark-correct")).not_to_have_count(0)
    expect(result.locator(".explanation")).to_have_count(10)
    session.sco.locator("#result .button[href='#home']").click()
    expect(session.sco.locator("#scorm-quiz-start")).to_be_hidden()


def test_a_learner_who_leaves_midway_resumes_from_suspend_data(page, lms_url, app, people):
    first = Session(page, lms_url)
    first.read(SLUGS[:4])
    kept = first.interrupt()
    assert kept["core"] == {"lesson_status": "incomplete", "lesson_location": SLUGS[3], "entry": "resume"}

    second = Session(page, lms_url, kept)
    expect(second.sco.locator("[data-read-mark]:visible")).to_have_count(4)
    second.read(SLUGS[4:])
    second.open_quiz()
    titles = second.titles()
    second.answer(lambda i: True, only=range(5))
    kept = second.interrupt()
    assert len(kept["suspend_data"]) <= 4096

    third = Session(page, lms_url, kept)
    expect(third.sco.locator("#scorm-quiz-start")).to_have_text("確認テストの続きを受ける")
    third.open_quiz()
    assert third.titles() == titles  # the same draw, in the same order
    expect(third.sco.locator("#scorm-quiz input:checked")).not_to_have_count(0)
    answers = third.answer(lambda i: True, only=range(5, 10))
    third.submit()

    with app.app_context():
        score, _passed = app_score(people.employee(), answers)
    recorded = third.cmi()
    assert (recorded["lesson_status"], recorded["raw"]) == ("passed", str(score))
    assert recorded["errors"] == []


def test_without_an_lms_the_package_is_a_preview_that_says_so(page, lms_url):
    page.goto(f"{lms_url}/package/index.html")
    expect(page.locator("#scorm-preview")).to_be_visible()
    page.locator('#home a[href="#lesson-02-teigi"]').click()
    expect(page.locator("#lesson-02-teigi")).to_be_visible()
    expect(page.locator("#home")).to_be_hidden()


def test_with_review_always_a_failed_attempt_shows_the_key_and_may_be_retaken(page, course_lms):
    session = Session(page, course_lms(review="always"))
    session.read(SLUGS)
    session.open_quiz()
    session.answer(lambda i: i < 3)
    session.submit()
    assert (session.cmi()["lesson_status"], session.cmi()["raw"]) == ("failed", "30")
    result = session.sco.locator("#scorm-result")
    expect(result.locator(".mark-correct")).not_to_have_count(0)
    expect(result.locator(".explanation")).to_have_count(10)
    expect(result.get_by_role("button", name="もう一度受験する")).to_be_visible()


def test_a_quiz_passed_before_the_lessons_are_read_completes_when_the_last_lesson_is_read(page, course_lms):
    session = Session(page, course_lms(quiz_after_lessons=False))
    session.open_quiz()  # open at once: the lessons need not come first
    session.answer(lambda i: True)
    session.submit()
    expect(session.sco.locator("#scorm-result")).to_contain_text("すべてのレッスンを読むと修了です。")
    assert (session.cmi()["lesson_status"], session.cmi()["raw"]) == ("incomplete", "100")
    session.sco.locator("#result .button[href='#home']").click()
    session.read(SLUGS)
    assert session.cmi()["lesson_status"] == "passed"
    assert session.cmi()["errors"] == []


def problems(page, axe_source: str) -> str:
    """axe's serious and critical WCAG 2.1 AA violations of the view shown, and any sideways scrolling."""
    page.evaluate(axe_source)
    violations = page.evaluate(RUN_AXE, WCAG_21_AA)["violations"]
    found = describe([v for v in violations if v["impact"] in BLOCKING])
    width = page.evaluate("document.documentElement.scrollWidth")
    return found + (f"\n{width} px wide" if width > REFLOW_WIDTH else "")


def test_every_view_of_the_package_meets_wcag_2_1_aa_and_reflows_at_320_px(page, lms_url, axe_source):
    page.goto(f"{lms_url}/package/index.html")  # the preview: the same views, without a frame around them
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
    views = {}
    views["home"] = problems(page, axe_source)
    page.locator(f'#home a[href="#lesson-{SLUGS[0]}"]').click()
    views["lesson"] = problems(page, axe_source)
    for slug in SLUGS:
        page.locator(f"#lesson-{slug}.current button[data-read]").click()
    page.locator("#scorm-quiz-start").click()
    views["quiz"] = problems(page, axe_source)
    for question in page.locator("fieldset.scorm-question").all():
        question.locator("label").first.click()
    page.get_by_role("button", name="提出する").click()
    views["result"] = problems(page, axe_source)
    page.goto(f"{lms_url}/package/policy.html")
    views["policy"] = problems(page, axe_source)
    assert {name: found for name, found in views.items() if found} == {}
