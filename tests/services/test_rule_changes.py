"""Assignment rules that can be corrected: due dates within the year, a new due date, withdrawal that
keeps every record of training, the year's rollover."""

from datetime import date

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import Assignment, AssignmentRule, AssignmentScope, AuditAction, AuditEvent, Role
from elearn.services.assignments import AssignmentError, add_rule, apply_open_rules, assign_required_courses
from elearn.services.audit import Actor
from elearn.services.reports import ReportFilter, completion_rows
from elearn.services.rule_changes import carry_over_rules, change_due_date, reach, withdraw_rule
from tests.records import completed, course, started

YEAR = current_fiscal_year()


def assignments(year: int = YEAR) -> dict[str, date | None]:
    db.session.expire_all()
    return {
        a.employee.employee_no: a.due_date
        for a in db.session.scalars(select(Assignment).where(Assignment.fiscal_year == year))
    }


def events(action: AuditAction) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action.value)))


@pytest.fixture
def hr(people):
    return Actor.of(people.employee(Role.HR, employee_no="H001", department="職員課"))


@pytest.mark.parametrize("due", [date(YEAR, 3, 31), date(YEAR + 1, 4, 1), date(YEAR + 2, 1, 1)])
def test_a_due_date_outside_the_fiscal_year_is_refused(app, hr, due):
    with pytest.raises(AssignmentError, match="年度の中"):
        add_rule(YEAR, course(), AssignmentScope.ALL, actor=hr, due_date=due)
    assert db.session.scalars(select(AssignmentRule)).all() == []


def test_the_first_and_last_day_of_the_year_are_accepted(app, hr):
    add_rule(YEAR, course(), AssignmentScope.ALL, actor=hr, due_date=date(YEAR, 4, 1))
    add_rule(YEAR, course("kanri"), AssignmentScope.ALL, actor=hr, due_date=date(YEAR + 1, 3, 31))


def test_reach_counts_the_active_employees_a_rule_would_assign(app, people, hr):
    people.employee(employee_no="A001", employment_type="会計年度任用職員")
    people.employee(employee_no="A002", employment_type="会計年度任用職員", active=False)
    assert reach(AssignmentScope.EMPLOYMENT_TYPE, value="会計年度任用職員") == 1
    assert reach(AssignmentScope.EMPLOYMENT_TYPE, value="会計年度任用職") == 0  # a typo reaches nobody
    assert reach(AssignmentScope.ALL) == 2  # A001 and HR
    assert reach(AssignmentScope.DEPARTMENT, people.department("職員課")) == 1


def test_changing_a_due_date_moves_every_assignment_of_the_rule_and_is_audited(app, people, hr):
    people.employee(employee_no="A001")
    rule = add_rule(YEAR, course(), AssignmentScope.ALL, actor=hr, due_date=date(YEAR, 12, 1)).rule
    assert change_due_date(rule, date(YEAR + 1, 2, 28), hr) == 2
    assert assignments() == {"A001": date(YEAR + 1, 2, 28), "H001": date(YEAR + 1, 2, 28)}
    [event] = events(AuditAction.ASSIGNMENT_RULE_CHANGE)
    assert event.details["old_due"] == f"{YEAR}-12-01" and event.details["due"] == f"{YEAR + 1}-02-28"
    with pytest.raises(AssignmentError):
        change_due_date(rule, date(YEAR + 1, 4, 1), hr)


def test_withdrawing_keeps_started_and_completed_records_and_drops_the_untouched(app, people, hr):
    done = people.employee(employee_no="A001")
    trying = people.employee(employee_no="A002")
    people.employee(employee_no="A003")
    rule = add_rule(YEAR, course(), AssignmentScope.ALL, actor=hr).rule
    completed(done)
    started(trying)

    result = withdraw_rule(rule, "誤って全員に割り当てたため", hr)
    assert (result.removed, result.kept) == (2, 2)  # A003 and H001 untouched; A001, A002 kept
    assert set(assignments()) == {"A001", "A002"}
    assert rule.withdrawn and rule.withdrawal_reason == "誤って全員に割り当てたため"
    rows = {r.employee_no: r for r in completion_rows(ReportFilter(YEAR))}
    assert set(rows) == {"A001", "A002"}
    [event] = events(AuditAction.ASSIGNMENT_RULE_WITHDRAW)
    assert event.details["removed"] == 2 and event.details["kept"] == 2


def test_a_withdrawn_rule_assigns_nobody_and_can_be_made_again_correctly(app, people, hr):
    rule = add_rule(
        YEAR, course(), AssignmentScope.EMPLOYMENT_TYPE, actor=hr, value="会計年度任用職", due_date=None
    ).rule
    withdraw_rule(rule, "雇用区分の入力誤り", hr)
    people.employee(employee_no="K001", employment_type="会計年度任用職")
    assert apply_open_rules() == 0
    again = add_rule(YEAR, course(), AssignmentScope.EMPLOYMENT_TYPE, actor=hr, value="会計年度任用職")
    assert again.assigned == 1
    with pytest.raises(AssignmentError):
        withdraw_rule(rule, "もう一度", hr)


def test_a_withdrawal_needs_a_reason(app, hr):
    rule = add_rule(YEAR, course(), AssignmentScope.ALL, actor=hr).rule
    with pytest.raises(AssignmentError, match="理由"):
        withdraw_rule(rule, "  ", hr)
    assert not rule.withdrawn


def test_last_years_rules_carry_over_with_dates_a_year_later_once(app, people, hr):
    people.employee(employee_no="A001", department="市民課")
    kept = add_rule(YEAR - 1, course(), AssignmentScope.ALL, actor=hr, due_date=date(YEAR, 2, 28)).rule
    citizens = people.department("市民課")
    dropped = add_rule(
        YEAR - 1, course("kanri"), AssignmentScope.DEPARTMENT, actor=hr, department=citizens
    ).rule
    withdraw_rule(dropped, "不要になった", hr)
    result = carry_over_rules(YEAR, hr)
    assert (result.rules, result.assigned) == (1, 2)
    new = db.session.scalars(select(AssignmentRule).where(AssignmentRule.fiscal_year == YEAR)).one()
    assert new.course_id == kept.course_id and new.due_date == date(YEAR + 1, 2, 28)
    assert carry_over_rules(YEAR, hr).rules == 0


def test_required_courses_refuse_a_due_date_outside_the_year(app, hr):
    with pytest.raises(AssignmentError):
        assign_required_courses(YEAR, date(YEAR + 1, 4, 30), hr)
