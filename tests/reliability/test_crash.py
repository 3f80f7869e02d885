"""The server killed mid-load and started again: no acknowledged submission lost, no record half-written.

Twenty browsers keep taking quizzes; once forty submissions have been acknowledged, the gunicorn
master and every worker get SIGKILL at once, whatever they are doing. The server is started again on
the same database, which must pass its checks and hold every submission the browsers were told was
recorded; and everyone can carry on where they were.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Attempt, Completion, Employee
from tests.conftest import PASSWORD, running_app
from tests.live_server import LiveServer
from tests.reliability.browser import Browser, acknowledged
from tests.reliability.integrity import database_check, inconsistencies
from tests.reliability.staff import COURSE, add_staff, chooser, correct_choices

STAFF = 20
KILL_AFTER = 40  # acknowledged submissions
ATTEMPTS_EACH = 25  # an upper bound: the kill comes long before (at most one browser can be done by then)


@dataclass
class Load:
    acknowledged: list[tuple[str, int, bool]] = field(default_factory=list)  # (employee, attempt, passing)
    cut_off: list[str] = field(default_factory=list)  # browsers whose request the kill interrupted
    statuses: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def keep_submitting(server: LiveServer, employee_no: str, correct: frozenset[int], load: Load) -> None:
    browser = Browser(server.url)
    try:
        browser.login(employee_no, PASSWORD)
        for number in range(ATTEMPTS_EACH):
            passing = number % 2 == 1
            attempt_id = browser.start_attempt(COURSE)
            browser.answer_all(attempt_id, chooser(correct, passing))
            if acknowledged(browser.submit(attempt_id), attempt_id):
                with load.lock:
                    load.acknowledged.append((employee_no, attempt_id, passing))
    except requests.RequestException:  # the server is gone
        with load.lock:
            load.cut_off.append(employee_no)
    finally:
        with load.lock:
            load.statuses += browser.statuses


def carry_on(server: LiveServer, employee_no: str, correct: frozenset[int]) -> tuple[str, int, list[int]]:
    """Log in again and submit a passing attempt: the one left open by the crash, or a new one."""
    browser = Browser(server.url)
    browser.login(employee_no, PASSWORD)
    attempt_id = browser.start_attempt(COURSE)
    browser.answer_all(attempt_id, chooser(correct, passing=True))
    assert acknowledged(browser.submit(attempt_id), attempt_id)
    return employee_no, attempt_id, browser.statuses


def test_a_killed_server_loses_no_acknowledged_submission(live_server):
    with running_app(live_server.database_url):
        numbers = add_staff(STAFF)
        correct = correct_choices()
    load = Load()
    pool = ThreadPoolExecutor(STAFF)
    browsers = [pool.submit(keep_submitting, live_server, number, correct, load) for number in numbers]
    # However slow the machine: no deadline, only the count (or every browser stopped, which fails below).
    while len(load.acknowledged) < KILL_AFTER and not all(browser.done() for browser in browsers):
        time.sleep(0.05)
    live_server.kill()
    pool.shutdown(wait=True)
    for browser in browsers:
        browser.result()  # a browser's failed assertion fails the test
    print(f"\nkilled after {len(load.acknowledged)} acknowledged submissions; {len(load.cut_off)} cut off")
    assert len(load.acknowledged) >= KILL_AFTER
    assert load.cut_off, "the kill should have interrupted the load"

    live_server.start()
    with running_app(live_server.database_url):
        assert database_check() == []
        assert inconsistencies() == {}
        for employee_no, attempt_id, passing in load.acknowledged:
            attempt = db.session.get(Attempt, attempt_id)
            assert attempt.submitted_at is not None and attempt.passed is passing, (employee_no, attempt_id)
            assert attempt.employee.employee_no == employee_no
        passed = {employee_no for employee_no, _, passing in load.acknowledged if passing}
        completed = set(db.session.scalars(select(Employee.employee_no).join(Completion.employee)))
        assert passed <= completed

    with ThreadPoolExecutor(STAFF) as again:
        resumed = list(again.map(lambda n: carry_on(live_server, n, correct), numbers))
    with running_app(live_server.database_url):
        for employee_no, attempt_id, _seen in resumed:
            assert db.session.get(Attempt, attempt_id).passed is True, employee_no
        assert inconsistencies() == {}
    statuses = load.statuses + [status for *_, seen in resumed for status in seen]
    assert [status for status in statuses if status >= 500] == []
    assert live_server.server_errors() == []
