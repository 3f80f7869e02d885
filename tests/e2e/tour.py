"""A tour of every page of the app, each seen by someone allowed to see it, on a year of real records
(organisation.seed_showcase): what the accessibility scan reads and the screenshots show.

Each stop names the endpoint it shows; the scan checks that the stops cover every page route of the
app, so a new page cannot go unscanned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Browser, BrowserContext, Page

from elearn.config import PROJECT_ROOT
from tests.content.tree import bank, scenario
from tests.e2e.organisation import Showcase, Site
from tests.e2e.pages import TIMEOUT_MS, Screen, Trainer
from tests.e2e.publishing import COURSE as UPLOADED_COURSE

# Who looks: the demo organisation's people by employee number; None is nobody signed in.
EMPLOYEE, MANAGER, TRAINER, HR = "D0001", "D0003", "D0009", "D0010"

# A draft of two scenarios, the first with an error: no right answer.
DRAFT = bank(
    scenario("draft-01", "税金泥棒と怒鳴られる"), scenario("draft-02", "名前を教えろと迫られる")
).replace("- [x] 落ち着いて", "- [ ] 落ち着いて", 1)


@dataclass(frozen=True)
class Stop:
    name: str  # names the test case
    endpoint: str  # the route shown ("" for an error page)
    person: str | None
    path: str | Callable[[Showcase], str]
    then: Callable[[Page], None] | None = None  # what the person does on the page before it is looked at
    status: int = 200

    def url(self, showcase: Showcase) -> str:
        return self.path if isinstance(self.path, str) else self.path(showcase)


def _paste_draft(page: Page) -> None:
    Trainer(page).paste(DRAFT)


def _begin_trial(page: Page) -> None:
    """From the preview's list of synced courses, try 基本方針 as a learner (試行)."""
    page.locator("form[action='/author/trial/kihon-houshin'] button").click()
    page.wait_for_url("**/courses/kihon-houshin")
    assert page.get_by_text("試行中：記録されません").is_visible()


def _lessons(course: str) -> list[str]:
    return sorted(path.stem for path in (PROJECT_ROOT / "courses" / course).glob("[0-9]*.md"))


COURSES = sorted(path.parent.name for path in (PROJECT_ROOT / "courses").glob("*/course.md"))
QUIZ_FILES = sorted(path.name for path in (PROJECT_ROOT / "quizzes").glob("*.md"))

TOUR: list[Stop] = [
    Stop("login", "auth.login", None, "/login"),
    Stop("activate", "auth.activate", None, "/activate"),
    Stop("my-training", "learn.home", EMPLOYEE, "/"),
    Stop("history", "learn.history", EMPLOYEE, "/history"),
    Stop("policy", "learn.policy", EMPLOYEE, "/policy"),
    *(Stop(f"course-{key}", "learn.course", EMPLOYEE, f"/courses/{key}") for key in COURSES),
    *(
        Stop(f"lesson-{key}-{slug}", "learn.lesson", EMPLOYEE, f"/courses/{key}/lessons/{slug}")
        for key in COURSES
        for slug in _lessons(key)
    ),
    Stop(
        "quiz-question",
        "learn.question",
        EMPLOYEE,
        lambda s: f"/attempts/{s.open_attempt_id}/questions/{s.open_question}",
    ),
    Stop("quiz-submit", "learn.submit", EMPLOYEE, lambda s: f"/attempts/{s.open_attempt_id}/submit"),
    Stop("result", "learn.attempt", EMPLOYEE, lambda s: f"/attempts/{s.result_attempt_id}"),
    Stop("certificate", "certificates.show", EMPLOYEE, lambda s: f"/certificates/{s.completion_id}"),
    Stop("self-check-list", "selfcheck.index", EMPLOYEE, "/selfcheck/"),
    Stop("self-check", "selfcheck.take", EMPLOYEE, lambda s: f"/selfcheck/{s.selfcheck_key}"),
    Stop(
        "self-check-result",
        "selfcheck.response",
        EMPLOYEE,
        lambda s: f"/selfcheck/responses/{s.selfcheck_response_id}",
    ),
    Stop("manager-view", "manage.index", MANAGER, "/manage/"),
    Stop("manager-member", "manage.member", MANAGER, "/manage/employees/D0001"),
    Stop("manager-remind", "manage.remind", MANAGER, "/manage/remind"),
    Stop("manager-remind-paper", "manage.remind_paper", MANAGER, "/manage/remind/paper"),
    Stop("item-analysis", "analysis.index", TRAINER, "/analysis/"),
    Stop("author-index", "author.index", TRAINER, "/author/"),
    *(Stop(f"author-course-{key}", "author.course", TRAINER, f"/author/courses/{key}/") for key in COURSES),
    Stop("author-lesson", "author.lesson", TRAINER, "/author/courses/kihon-houshin/02-teigi"),
    *(Stop(f"author-{name}", "author.quiz_file", TRAINER, f"/author/quizzes/{name}") for name in QUIZ_FILES),
    Stop("author-paste", "author.paste", TRAINER, "/author/paste"),
    Stop("upload", "author.upload_page", TRAINER, lambda s: f"/author/uploads/{s.content_upload_id}/"),
    Stop(
        "upload-course",
        "author.upload_course",
        TRAINER,
        lambda s: f"/author/uploads/{s.content_upload_id}/courses/{UPLOADED_COURSE}/",
    ),
    Stop(
        "upload-lesson",
        "author.upload_lesson",
        TRAINER,
        lambda s: f"/author/uploads/{s.content_upload_id}/courses/{UPLOADED_COURSE}/01-hajimeni",
    ),
    Stop(
        "upload-bank",
        "author.upload_quiz_file",
        TRAINER,
        lambda s: f"/author/uploads/{s.content_upload_id}/quizzes/{UPLOADED_COURSE}.md",
    ),
    Stop("author-history-index", "author.history_index", TRAINER, "/author/history/"),
    Stop("author-history", "author.history", TRAINER, "/author/history/course/kihon-houshin"),
    # Version 1 is the current one: the page says so instead of offering the button (tests/e2e/test_history.py
    # scans the pages of a course with three versions).
    Stop(
        "author-rollback",
        "author.rollback_confirm",
        TRAINER,
        "/author/history/course/kihon-houshin/rollback/1",
    ),
    Stop("trial-course", "learn.course", TRAINER, "/author/", then=_begin_trial),
    Stop("trainer-preview", "author.paste", TRAINER, "/author/paste", then=_paste_draft),
    Stop("hr-dashboard", "hr.index", HR, "/hr/"),
    Stop("hr-records", "hr.records", HR, "/hr/records"),
    Stop("hr-employees", "hr.employees", HR, "/hr/employees?q=%E9%9D%92%E6%9C%A8"),  # 青木
    Stop("hr-employee", "hr.employee", HR, "/hr/employees/D0001"),
    Stop("hr-roster", "hr.roster", HR, "/hr/roster"),
    Stop("roster-preview", "hr.roster_preview", HR, lambda s: f"/hr/roster/{s.roster_token}"),
    Stop(
        "roster-preview-errors", "hr.roster_preview", HR, lambda s: f"/hr/roster/{s.roster_with_errors_token}"
    ),
    Stop("hr-assignments", "hr.assignments", HR, "/hr/assignments"),
    Stop("hr-assign-individually", "hr.assign_individually", HR, "/hr/assignments/individual"),
    Stop("hr-exemptions", "hr.exemptions", HR, "/hr/exemptions"),
    Stop("hr-attendance", "hr.attendance", HR, "/hr/attendance"),
    Stop("hr-assignment-rule", "hr.assignment_rule", HR, lambda s: f"/hr/assignments/rules/{s.rule_id}"),
    Stop("hr-reset", "hr.reset", HR, "/hr/employees/D0001/reset"),
    Stop("hr-accounts", "hr.accounts", HR, "/hr/accounts"),
    Stop("hr-audit", "hr.audit_log", HR, "/hr/audit"),
    Stop("hr-remind", "hr.remind", HR, "/hr/remind?status=incomplete"),
    Stop("hr-remind-paper", "hr.remind_paper", HR, "/hr/remind/paper"),
    Stop("hr-reminders", "hr.reminder_settings", HR, "/hr/reminders"),
    Stop("hr-mail-template", "hr.mail_template", HR, "/hr/reminders/templates/from_manager"),
    Stop("hr-security", "hr.security_log", HR, "/hr/security"),
    Stop("change-password", "auth.change_password", EMPLOYEE, "/password"),
    Stop(
        "certificate-verify",
        "certificates.verify",
        HR,
        lambda s: f"/certificates/verify?code={s.certificate_code}",
    ),
    Stop("not-found", "", EMPLOYEE, "/courses/no-such-course", status=404),
]

# Routes that answer with something other than a page: files, the health check.
NOT_PAGES = {
    "static",
    "author.static",
    "health.healthz",
    "hr.completions_download",
    "manage.completions_download",
    "hr.audit_download",
    "hr.security_download",
    "hr.roster_template_download",
    "analysis.items_download",
    "author.scorm_download",
    # The preview of an exemption or attendance file needs a stored upload, which the tour's
    # organisation does not have yet: tests/hr/test_record_files.py covers the page.
    "hr.record_upload",
    "certificates.pdf",  # PDF documents, not pages
    "hr.certificates_download",
    "hr.annual_report",
}


def stop(name: str) -> Stop:
    return next(s for s in TOUR if s.name == name)


class Guide:
    """Takes people round the tour: a browser per person, signed in on first use."""

    def __init__(self, browser: Browser, site: Site, showcase: Showcase, **context_options) -> None:
        self.browser = browser
        self.site = site
        self.showcase = showcase
        self.context_options = context_options
        self.contexts: dict[str | None, BrowserContext] = {}

    def page_of(self, person: str | None) -> Page:
        if person not in self.contexts:
            context = self.browser.new_context(base_url=self.site.url, locale="ja-JP", **self.context_options)
            context.set_default_timeout(TIMEOUT_MS)
            self.contexts[person] = context
            if person is not None:
                Screen(context.new_page()).sign_in(person)
        context = self.contexts[person]
        return context.pages[0] if context.pages else context.new_page()

    def show(self, stop: Stop) -> Page:
        """The stop's page, as its person sees it, after doing what the stop does there."""
        page = self.page_of(stop.person)
        response = page.goto(stop.url(self.showcase))
        assert response is not None and response.status == stop.status, f"{stop.name}: {page.url}"
        if stop.then is not None:
            stop.then(page)
        return page

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()
