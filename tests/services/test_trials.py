"""A trainer's trial attempts (試行) count nowhere: not in item analysis, reports, the dashboard, the
download, the employee's history, completions or certificates."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import Assignment, Attempt, Completion, Employee, Role
from elearn.services import attempts as attempt_service
from elearn.services import submission
from elearn.services.catalog import course_by_key
from elearn.services.dashboard import compute_dashboard
from elearn.services.history import training_history
from elearn.services.item_analysis import item_statistics
from elearn.services.progress import my_courses
from elearn.services.record_export import completion_table
from elearn.services.reports import ReportFilter, completion_rows
from tests.learn.quiz import save_answers, start_attempt


@pytest.fixture
def trainer(people) -> Employee:
    """A trainer who must take kihon-houshin this year, and who has passed a trial of it."""
    employee = people.employee(Role.TRAINER)
    course = course_by_key("kihon-houshin")
    db.session.add(
        Assignment(
            employee_id=employee.id,
            course_id=course.id,
            fiscal_year=current_fiscal_year(),
            department_id=employee.department_id,
        )
    )
    db.session.commit()
    attempt = attempt_service.start_trial_attempt(employee, course, random.Random(7))
    save_answers(attempt.id, correct=True)
    submission.submit_attempt(db.session.get(Attempt, attempt.id))
    assert attempt.trial and attempt.passed
    return employee


def test_a_trial_makes_no_completion_and_so_no_certificate(trainer):
    assert db.session.scalar(select(func.count(Completion.id))) == 0


def test_trial_answers_are_left_out_of_item_analysis(trainer):
    assert item_statistics() == []


def test_the_completion_report_and_its_download_show_the_trainer_not_started(trainer):
    year = current_fiscal_year()
    [row] = [r for r in completion_rows(year) if r.employee_no == trainer.employee_no]
    assert (str(row.status.value), row.attempts) == ("not_started", 0)
    [line] = [t for t in completion_table(ReportFilter(year)) if t[1] == trainer.employee_no]
    assert (line[13], line[14], line[16], line[17]) == ("未受講", "", "", 0)  # 状態, 修了日, 得点, 受験回数


def test_the_dashboard_counts_the_trainer_not_started(trainer):
    total = compute_dashboard(ReportFilter(current_fiscal_year())).total
    assert (total.assigned, total.completed, total.in_progress) == (1, 0, 0)


def test_the_employees_history_shows_no_trial(trainer):
    assert all(not entry.attempts for entry in training_history(trainer))


def test_the_trainers_own_page_shows_the_course_not_started(trainer):
    [status] = [s for s in my_courses(trainer, current_fiscal_year()) if s.course.key == "kihon-houshin"]
    assert (status.attempts, status.open_attempt_id, status.completion) == (0, None, None)


def test_trials_have_no_attempt_limit_and_a_real_attempt_can_start_beside_an_open_trial(people):
    employee = people.employee(Role.TRAINER)
    course = course_by_key("kihon-houshin")
    trial = attempt_service.start_trial_attempt(employee, course)
    assert attempt_service.attempts_left(employee, course, trial.fiscal_year) is None
    real = start_attempt(employee)
    assert real.id != trial.id and not real.trial and real.number == 1
