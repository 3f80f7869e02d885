"""A learner in the stand-in LMS: reads lessons, answers the quiz by choice text from the course's
source, and what the app would score for the same answers."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from playwright.sync_api import FrameLocator, Page
from sqlalchemy import select

from elearn.content import Scenario, render_content
from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import Attempt, AttemptQuestion, Course, Employee, ScenarioChoice
from elearn.services.catalog import live_bank
from elearn.services.submission import submit_attempt
from tests.e2e.pages import DESKTOP, TIMEOUT_MS
from tests.scorm.packages import content

SLUGS = [lesson.slug for lesson in next(c for c in content().courses if c.id == "kihon-houshin").lessons]
TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    return " ".join(text.split())


def choice_text(markdown: str) -> str:
    """A choice's text as the page shows it: rendered as sync renders it, tags and spaces aside."""
    return plain(html.unescape(TAG.sub("", render_content(markdown))))


def by_title() -> dict[str, Scenario]:
    return {s.title: s for s in content().scenarios}


@dataclass
class Answers:
    """What was chosen, per question in order: (scenario id, indices of the source's choices)."""

    chosen: list[tuple[str, list[int]]] = field(default_factory=list)


class Session:
    """One launch of the package in the LMS page."""

    def __init__(self, page: Page, url: str, cmi: dict | None = None) -> None:
        self.page = page
        page.goto(f"{url}/lms.html")
        page.evaluate("cmi => launch(cmi)", cmi)
        self.sco: FrameLocator = page.frame_locator("#sco")
        self.sco.locator("#home.current").wait_for()

    def cmi(self) -> dict:
        return self.page.evaluate("() => cmi()")

    def read(self, slugs: list[str]) -> None:
        """Open the first of ``slugs`` from the course page and read them in order."""
        self.sco.locator(f'#home a[href="#lesson-{slugs[0]}"]').click()
        for slug in slugs:
            self.sco.locator(f"#lesson-{slug}.current button[data-read]").click()

    def open_quiz(self) -> None:
        self.sco.locator("#scorm-quiz-start").click()
        self.sco.locator("#quiz.current").wait_for()

    def titles(self) -> list[str]:
        legends = self.sco.locator("#scorm-quiz legend")
        return [plain(text).split(" ", 3)[3] for text in legends.all_inner_texts()]

    def answer(self, right: Callable[[int], bool], only: range | None = None) -> Answers:
        """Answer question i (from 0) rightly when right(i), else with one wrong choice; ``only`` some."""
        scenarios = by_title()
        answers = Answers()
        for i, title in enumerate(self.titles()):
            scenario = scenarios[title]
            wanted = [k for k, c in enumerate(scenario.choices) if c.correct == right(i)]
            wanted = wanted if right(i) else wanted[:1]
            answers.chosen.append((scenario.id, wanted))
            if only is not None and i not in only:
                continue
            question = self.sco.locator(f"#question-{i + 1}")
            for k in wanted:
                question.locator("label", has_text=choice_text(scenario.choices[k].text)).click()
        return answers

    def submit(self) -> None:
        self.sco.get_by_role("button", name="提出する").click()
        self.sco.locator("#result.current").wait_for()

    def interrupt(self) -> dict:
        """Close the package as a learner closing the window would; what the LMS keeps for next time."""
        self.page.evaluate("() => interrupt()")
        self.page.wait_for_function("() => lms.finished")
        kept = self.cmi()
        assert kept["errors"] == [], "the runtime refused a call of the package"
        return {
            "core": {"lesson_status": kept["lesson_status"], "lesson_location": kept["lesson_location"],
                     "entry": "resume" if kept["exit"] == "suspend" else ""},
            "suspend_data": kept["suspend_data"],
        }  # fmt: skip


def new_page(browser) -> Page:
    context = browser.new_context(locale="ja-JP", viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def app_score(employee: Employee, answers: Answers) -> tuple[int, bool]:
    """The app's score and verdict for the same answers: an attempt of those scenarios, submitted."""
    versions = {entry.id: entry.version_id for entry in live_bank()}
    course = db.session.scalar(select(Course).where(Course.key == "kihon-houshin"))
    attempt = Attempt(
        employee_id=employee.id,
        course_id=course.id,
        course_version_id=course.current.id,
        fiscal_year=current_fiscal_year(),
        number=1,
    )
    for position, (scenario_id, chosen) in enumerate(answers.chosen):
        choices = db.session.scalars(
            select(ScenarioChoice)
            .where(ScenarioChoice.scenario_version_id == versions[scenario_id])
            .order_by(ScenarioChoice.position)
        ).all()
        attempt.questions.append(
            AttemptQuestion(
                position=position,
                scenario_version_id=versions[scenario_id],
                choice_order=[c.id for c in choices],
                selected=[choices[k].id for k in chosen],
            )
        )
    db.session.add(attempt)
    db.session.commit()
    submitted = submit_attempt(attempt)
    return submitted.score, submitted.passed
