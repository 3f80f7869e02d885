"""What the browser tests start from, written straight into the database the live server uses: the
demo organisation, the quiz's answer key, and a year of records for the page tour."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import AssignmentRule, Attempt, Completion, Employee, ScenarioChoice
from elearn.services import attempts as attempt_service
from elearn.services import submission
from elearn.services.audit import Actor
from elearn.services.content_upload_files import read_upload
from elearn.services.content_uploads import store_upload as store_content_upload
from elearn.services.demo import DEMO_PASSWORD, seed_demo
from elearn.services.progress import record_lesson_read
from elearn.services.roster_uploads import store_upload
from elearn.services.selfchecks import current_version, record_response
from tests import records
from tests.conftest import running_app
from tests.e2e.publishing import content_zip
from tests.live_server import LiveServer

__all__ = [
    "DEMO_PASSWORD",
    "AnswerKey",
    "CourseOutline",
    "Showcase",
    "Site",
    "employee",
    "seed_demo_organisation",
    "seed_showcase",
]


@dataclass
class Site:
    """The live server as the browser tests see it."""

    server: LiveServer

    @property
    def url(self) -> str:
        return self.server.url

    @contextmanager
    def database(self) -> Iterator[Flask]:
        """The app's database, to prepare records or read them back as the server stores them."""
        with running_app(self.server.database_url) as app:
            yield app

    def answer_key(self) -> AnswerKey:
        with self.database():
            return AnswerKey.load()

    def course(self, key: str) -> CourseOutline:
        with self.database():
            version = records.course(key).current
            return CourseOutline(version.title, [lesson.title for lesson in version.lessons])


@dataclass(frozen=True)
class CourseOutline:
    """A course as its current version reads: what a learner sees on the pages."""

    title: str
    lessons: list[str]


def seed_demo_organisation(database_url: str) -> None:
    """The demo organisation of `elearn demo`: ten people in five departments, this year's assignments."""
    with running_app(database_url):
        seed_demo()


@dataclass(frozen=True)
class AnswerKey:
    """Which choices are right, by id: the ids are what a question page's inputs carry as values."""

    correct: frozenset[int]

    @classmethod
    def load(cls) -> AnswerKey:
        return cls(frozenset(db.session.scalars(select(ScenarioChoice.id).where(ScenarioChoice.correct))))

    def right(self, shown: Sequence[int]) -> list[int]:
        """Every right choice among those shown (single or multiple answer alike)."""
        return [choice for choice in shown if choice in self.correct]

    def wrong(self, shown: Sequence[int]) -> list[int]:
        """One wrong choice."""
        return [next(choice for choice in shown if choice not in self.correct)]


# --- a year of records, for the page tour ----------------------------------------------------------


@dataclass(frozen=True)
class Showcase:
    """The ids of the records the tour's pages show; the employee's are D0001's own."""

    completion_id: int  # a certificate
    certificate_code: str
    result_attempt_id: int  # a failed attempt, with its feedback
    open_attempt_id: int  # a quiz in progress
    open_question: int  # its first unanswered question
    selfcheck_key: str
    selfcheck_response_id: int
    roster_token: str  # HR's upload: two new employees and a transfer
    roster_with_errors_token: str
    rule_id: int  # one of this year's assignment rules
    content_upload_id: int  # a trainer's upload on /author/, not yet published


SELFCHECK = "own-conduct"
TRANSFERS = (
    "職員番号,氏名,氏名カナ,所属,役割,雇用区分\r\n"
    "N0001,新井 陽菜,アライ ヒナ,市民課,職員,会計年度任用職員\r\n"
    "N0002,野口 大輔,ノグチ ダイスケ,課税課,,正規職員\r\n"
    "D0004,江口 翔太,エグチ ショウタ,市民課,,正規職員\r\n"
)
ROSTER_WITH_ERRORS = "職員番号,氏名,所属,役割\r\nN0003,,市民課,職員\r\nN0003,森 結衣,市民課,係長\r\n"


def employee(employee_no: str) -> Employee:
    """The employee of that number (inside ``Site.database()``)."""
    return db.session.scalar(select(Employee).where(Employee.employee_no == employee_no))


def _read(employee_no: str, course_key: str, lessons: int | None = None) -> None:
    course = records.course(course_key)
    for lesson in course.current.lessons[:lessons]:
        record_lesson_read(employee(employee_no), course.id, lesson.slug, current_fiscal_year())


def _answer(
    employee_no: str,
    course_key: str,
    key: AnswerKey,
    rng: random.Random,
    *,
    right: int,
    answered: int | None = None,
) -> Attempt:
    """An attempt through the app's own service: the first ``answered`` questions (all by default)
    answered, of which the first ``right`` rightly."""
    course = records.course(course_key)
    attempt = attempt_service.start_attempt(employee(employee_no), course, current_fiscal_year(), rng)
    for question in attempt.questions[:answered]:
        choose = key.right if question.position < right else key.wrong
        slot = attempt_service.answer_slot(attempt.id, question.position)
        attempt_service.save_answer(slot, choose(question.choice_order))
    return attempt


def _submitted(
    employee_no: str, course_key: str, key: AnswerKey, rng: random.Random, *, right: int
) -> Attempt:
    return submission.submit_attempt(_answer(employee_no, course_key, key, rng, right=right))


def seed_showcase(database_url: str) -> Showcase:
    """Take the demo organisation some months into the year: lessons read, quizzes passed and failed,
    a self-check answered, two rosters uploaded for preview. Each quiz is taken after its course's
    lessons, as the courses require; D0003 is halfway through the basic course's lessons."""
    rng = random.Random(2026)  # the same questions and answers every run
    with running_app(database_url):
        key = AnswerKey.load()
        _read("D0001", "kihon-houshin")
        passed = _submitted("D0001", "kihon-houshin", key, rng, right=9)
        _read("D0001", "shokuin-koui")
        failed = _submitted("D0001", "shokuin-koui", key, rng, right=3)
        in_progress = _answer("D0001", "shokuin-koui", key, rng, right=2, answered=2)
        for employee_no, course_key, right in [
            ("D0002", "kihon-houshin", 10),
            ("D0004", "kihon-houshin", 5),
            ("D0004", "kihon-houshin", 8),
            ("D0005", "kanri", 5),
            ("D0006", "shokuin-koui", 6),
            ("D0006", "kihon-houshin", 10),
            ("D0007", "kihon-houshin", 6),
        ]:
            _read(employee_no, course_key)
            _submitted(employee_no, course_key, key, rng, right=right)
        _read("D0003", "kihon-houshin", 4)
        _read("D0003", "kanri")
        _answer("D0003", "kanri", key, rng, right=1, answered=1)
        selfcheck = current_version(SELFCHECK)
        response = record_response(
            employee("D0001"),
            selfcheck,
            {item: rng.randrange(len(selfcheck.scale)) for item, _ in selfcheck.items},
        )
        hr = Actor.of(employee("D0010"))
        completion = db.session.scalar(select(Completion).where(Completion.attempt_id == passed.id))
        return Showcase(
            completion_id=completion.id,
            certificate_code=completion.certificate_code,
            result_attempt_id=failed.id,
            open_attempt_id=in_progress.id,
            open_question=3,
            selfcheck_key=SELFCHECK,
            selfcheck_response_id=response.id,
            roster_token=store_upload(TRANSFERS.encode("cp932"), "異動者名簿.csv", False, hr).token,
            roster_with_errors_token=store_upload(
                ROSTER_WITH_ERRORS.encode("cp932"), "名簿.csv", False, hr
            ).token,
            rule_id=db.session.scalar(select(AssignmentRule.id).order_by(AssignmentRule.id).limit(1)),
            content_upload_id=store_content_upload(
                Actor.of(employee("D0009")), "tameshi.zip", read_upload("tameshi.zip", content_zip()), False
            ).id,
        )
