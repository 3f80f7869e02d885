"""An employee's year of training, in a real browser."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.pages import Certificate, Learner


def test_employee_fails_then_passes_and_opens_the_certificate(site, open_tab):
    course = site.course("shokuin-koui")  # six lessons, six questions, no limit on attempts
    key = site.answer_key()
    learner = Learner(open_tab())
    learner.sign_in("D0001")

    learner.start_course(course.title)
    assert learner.read_lessons() == course.lessons
    expect(
        learner.page.get_by_text(f"レッスン {len(course.lessons)} / {len(course.lessons)}")
    ).to_be_visible()

    first = learner.take_quiz(key.wrong)
    assert (first.score, first.correct, first.questions, first.passed) == (0, 0, 6, False)
    expect(learner.page.get_by_text("合格点は 80 点です。", exact=False)).to_be_visible()

    learner.follow("コースに戻る")
    second = learner.take_quiz(key.right)
    assert (second.score, second.correct, second.passed) == (100, 6, True)

    card = learner.course_card(course.title)
    expect(card.get_by_text("修了", exact=True)).to_be_visible()
    learner.go(card.get_by_role("link", name="修了証を表示する"))
    certificate = Certificate(learner.page)
    expect(certificate.heading()).to_have_text("修了証")
    expect(certificate.page.get_by_text("青木 花子 様")).to_be_visible()
    facts = certificate.facts()
    assert facts["研修名"].startswith(course.title)
    assert facts["確認テストの得点"] == "100 点"
