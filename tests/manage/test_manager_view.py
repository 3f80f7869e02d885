"""A manager follows their own department (第4-2): its status and its members' histories, nothing else."""

from elearn.fiscal import current_fiscal_year
from elearn.models import AssignmentScope, Role
from elearn.services.assignments import add_rule, assign_required_courses
from elearn.services.audit import Actor
from elearn.services.rule_changes import withdraw_rule
from tests.records import completed, course, started

YEAR = current_fiscal_year()


def departments(people):
    manager = people.employee(Role.MANAGER, employee_no="M001", name="課長 一", department="市民課")
    done = people.employee(employee_no="A001", name="修了 花子", department="市民課")
    people.employee(employee_no="A002", name="未受講 健", department="市民課")
    other = people.employee(employee_no="B001", name="他課 次郎", department="課税課")
    assign_required_courses(YEAR)
    completed(done)
    started(other)
    return manager


def test_a_manager_sees_who_in_their_department_has_completed_what(client, auth, people):
    auth.login_as(departments(people))
    page = client.get("/manage/").get_data(as_text=True)
    assert "市民課 の研修状況" in page
    assert "修了 花子" in page and "未受講 健" in page and "課長 一" in page
    assert "他課 次郎" not in page and "B001" not in page
    assert "<svg" in page and "管理監督者の対応" in page  # the managers' course, assigned to the manager


def test_filters_by_status_stay_within_the_department(client, auth, people):
    auth.login_as(departments(people))
    basics = course("kihon-houshin").id
    page = client.get(f"/manage/?year={YEAR}&course={basics}&status=incomplete").get_data(as_text=True)
    assert "A002" in page and "M001" in page
    assert "A001" not in page and "B001" not in page


def test_a_manager_reads_the_history_of_their_own_staff_only(client, auth, people):
    auth.login_as(departments(people))
    assert "基本方針を理解する" in client.get("/manage/employees/A001").get_data(as_text=True)
    assert client.get("/manage/employees/B001").status_code == 404
    assert client.get("/manage/employees/NOBODY").status_code == 404


def test_a_manager_cannot_widen_the_view_to_another_department(client, auth, people):
    auth.login_as(departments(people))
    other = people.department("課税課").id
    assert client.get(f"/manage/?department={other}").status_code == 400


def test_only_managers_open_the_managers_view(client, auth, people):
    for role in (Role.EMPLOYEE, Role.TRAINER, Role.HR):
        auth.login_as(people.employee(role))
        assert client.get("/manage/").status_code == 403, role
        assert client.get("/manage/employees/T0001").status_code == 403, role
        auth.logout()


def test_a_manager_sees_which_records_are_kept_from_a_withdrawn_rule(client, auth, people):
    manager = departments(people)
    hr = Actor.of(people.employee(Role.HR, employee_no="H001", department="職員課"))
    unstarted = people.employee(employee_no="A003", department="市民課")
    scope = AssignmentScope.DEPARTMENT
    rule = add_rule(YEAR, course("shokuin-koui"), scope, actor=hr, department=manager.department).rule
    started(unstarted, "shokuin-koui")
    withdraw_rule(rule, "誤って割り当てたため", hr)
    auth.login_as(manager)
    page = client.get(f"/manage/?year={YEAR}").get_data(as_text=True)
    assert page.count("取り消した割当による") == 1
    download = client.get(f"/manage/reports/completions.csv?year={YEAR}").get_data(as_text=True)
    assert sum(1 for line in download.splitlines() if "取消（" in line) == 1
