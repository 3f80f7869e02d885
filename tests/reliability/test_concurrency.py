"""Many employees at once through a real multi-process server: every submission recorded exactly once.

Fifty browsers log in, then all at once take the manager course's quiz twice, failing then passing,
and submit each attempt twice at the same moment (a double click) and once more afterwards (the back
button). The server is gunicorn with four worker processes on the session's database.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Attempt, Completion, Employee, LoginAttempt
from tests.conftest import PASSWORD, running_app
from tests.live_server import LiveServer
from tests.reliability.browser import Browser, acknowledged, expect
from tests.reliability.integrity import database_check, inconsistencies
from tests.reliability.staff import COURSE, add_staff, chooser, correct_choices

STAFF = 50


@dataclass
class Outcome:
    """What one employee's browser did and saw."""

    employee_no: str
    attempts: list[tuple[int, bool]] = field(default_factory=list)  # (attempt id, answered to pass)
    statuses: list[int] = field(default_factory=list)


def fail_then_pass(
    server: LiveServer, employee_no: str, correct: frozenset[int], start: threading.Barrier
) -> Outcome:
    browser = Browser(server.url)
    outcome = Outcome(employee_no, statuses=browser.statuses)
    try:
        browser.login(employee_no, PASSWORD)
    except BaseException:
        start.abort()  # the others stop waiting for this one (BrokenBarrierError), however long it took
        raise
    start.wait()  # no timeout: fifty logins take as long as the machine needs
    for passing in (False, True):
        attempt_id = browser.start_attempt(COURSE)
        browser.answer_all(attempt_id, chooser(correct, passing))
        both = browser.double_submit(attempt_id)
        assert all(acknowledged(response, attempt_id) for response in both), [r.status_code for r in both]
        expect(browser.submit(attempt_id), 303)  # back, and submit again: the recorded result
        outcome.attempts.append((attempt_id, passing))
    return outcome


def test_fifty_employees_submitting_at_once_are_each_recorded_exactly_once(live_server):
    with running_app(live_server.database_url):
        numbers = add_staff(STAFF)
        correct = correct_choices()
    start = threading.Barrier(STAFF)
    began = time.monotonic()
    with ThreadPoolExecutor(STAFF) as pool:
        outcomes = list(pool.map(lambda n: fail_then_pass(live_server, n, correct, start), numbers))
    elapsed = time.monotonic() - began
    statuses = Counter(status for outcome in outcomes for status in outcome.statuses)
    print(f"\n{STAFF} employees, {sum(statuses.values())} requests in {elapsed:.1f} s: {dict(statuses)}")

    assert [status for status in statuses if status >= 500] == []
    with running_app(live_server.database_url):
        for outcome in outcomes:
            employee = db.session.scalar(select(Employee).where(Employee.employee_no == outcome.employee_no))
            attempts = db.session.scalars(
                select(Attempt).where(Attempt.employee_id == employee.id).order_by(Attempt.number)
            ).all()
            recorded = [(a.id, a.number, a.score, a.passed, a.submitted_at is not None) for a in attempts]
            (failed, _), (passed, _) = outcome.attempts
            assert recorded == [(failed, 1, 0, False, True), (passed, 2, 100, True, True)], (
                outcome.employee_no
            )
            completions = db.session.scalars(select(Completion).where(Completion.employee_id == employee.id))
            assert [c.attempt_id for c in completions] == [passed], outcome.employee_no
        assert inconsistencies() == {}
        assert database_check() == []
        assert db.session.scalars(select(LoginAttempt)).all() == []  # every login succeeded and cleared
    assert live_server.server_errors() == []


def test_parallel_guesses_at_one_account_get_five_tries_between_all_processes(live_server):
    """Twenty wrong passwords at once, spread over the workers: at most five are checked."""
    with running_app(live_server.database_url):
        (number,) = add_staff(1)

    def guess(_: int) -> int:
        browser = Browser(live_server.url)
        browser.get("/login")
        return browser.post("/login", {"employee_no": number, "password": "wrong-pass-1"}).status_code

    with ThreadPoolExecutor(20) as pool:
        statuses = Counter(pool.map(guess, range(20)))
    assert set(statuses) <= {200, 429} and 1 <= statuses[200] <= 5, statuses
    with running_app(live_server.database_url):
        failures = db.session.scalars(select(LoginAttempt.failed)).all()
        assert failures == [True] * statuses[200]  # only checked guesses count; refused ones leave nothing
    assert live_server.server_errors() == []
