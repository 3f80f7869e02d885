"""An employee's year of training, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import Certificate, Learner


@pytest.mark.smoke  # also in the PostgreSQL pass: login, the quiz, the completion
def test_employee_reads_fails_reviews_retakes_passes_and_opens_the_certificate(site, open_tab):
    course = site.course("shokuin-koui")  # six lessons, six questions, no limit on attempts
    key = site.answer_key()
    learner = Learner(open_tab())
    learner.sign_in("D0001")

    # The quiz waits for the lessons.
    learner.open_course(course.title)
    expect(
        learner.page.get_by_text(re.compile(r"^確認テストは、レッスンをすべて読むと受けられます"))
    ).to_be_visible()
    expect(learner.button(re.compile(r"受験する$"))).to_have_count(0)
    learner.follow("未読のレッスンを読む")
    assert learner.read_lessons() == course.lessons
    expect(
        learner.page.get_by_text(f"レッスン {len(course.lessons)} / {len(course.lessons)}")
    ).to_be_visible()

    # A failure: what was wrong and why, not the key.
    first = learner.take_quiz(key.wrong)
    assert (first.score, first.correct, first.questions, first.passed) == (0, 0, 6, False)
    expect(learner.page.get_by_text("合格点は 80 点です。", exact=False)).to_be_visible()
    expect(learner.wrong_questions()).to_have_count(6)
    expect(learner.page.locator(".mark-correct, li.correct")).to_have_count(0)
    expect(learner.page.get_by_role("heading", name="解説", exact=True)).to_have_count(0)
    expect(learner.page.get_by_text("あなたの回答", exact=True)).to_have_count(6)
    first_drawn = learner.reviewed_titles()

    # The retake, from the result page: drawn again.
    second = learner.take_quiz(key.right)
    assert (second.score, second.correct, second.passed) == (100, 6, True)
    assert set(learner.reviewed_titles()) != set(first_drawn)
    expect(learner.wrong_questions()).to_have_count(0)
    expect(learner.page.locator(".mark-correct").first).to_be_visible()
    expect(learner.page.get_by_role("heading", name="解説", exact=True)).to_have_count(6)

    learner.follow("修了証を表示する")
    certificate = Certificate(learner.page)
    expect(certificate.heading()).to_have_text("修了証")
    expect(certificate.page.get_by_text("青木 花子 様")).to_be_visible()
    facts = certificate.facts()
    assert facts["研修名"].startswith(course.title)
    assert facts["確認テストの得点"] == "100 点"

    card = learner.course_card(course.title)
    expect(card.get_by_text("修了", exact=True)).to_be_visible()
    expect(card.get_by_text(f"{len(course.lessons)} / {len(course.lessons)}", exact=True)).to_be_visible()
