"""Assignments for a fiscal year: kept as rules, so that staff joining mid-year are assigned too."""

from datetime import date

from sqlalchemy import select

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import Assignment, AssignmentScope, Role
from elearn.services.assignments import add_rule
from elearn.services.audit import Actor
from elearn.services.roster import import_roster, parse_roster
from tests.records import course

YEAR = current_fiscal_year()


def assigned(course_key: str, year: int = YEAR) -> dict[str, date | None]:
    """Employee number -> due date of the course's assignments in the year."""
    db.session.expire_all()
    return {
        a.employee.employee_no: a.due_date
        for a in db.session.scalars(
            select(Assignment).where(
                Assignment.fiscal_year == year, Assignment.course_id == course(course_key).id
            )
        )
    }


def test_hr_assigns_a_course_to_one_department_with_a_due_date(client, auth, people):
    people.employee(employee_no="A001", department="市民課")
    people.employee(employee_no="A002", department="市民課")
    people.employee(employee_no="B001", department="課税課")
    hr = people.employee(Role.HR, employee_no="H001", department="職員課")
    auth.login_as(hr)
    response = client.post(
        f"/hr/assignments?year={YEAR}",
        data={
            "year": YEAR,
            "course": course("shokuin-koui").id,
            "scope": "department",
            "department": people.department("市民課").id,
            "due_date": f"{YEAR}-12-25",
            "confirmed": "y",  # after the step that shows how many the rule reaches
        },
    )
    assert response.status_code == 303
    assert assigned("shokuin-koui") == {"A001": date(YEAR, 12, 25), "A002": date(YEAR, 12, 25)}
    page = client.get(f"/hr/assignments?year={YEAR}").get_data(as_text=True)
    assert "所属: 市民課" in page and "割当人数" in page


def test_a_mid_year_joiner_is_assigned_the_years_courses_by_the_roster_import(app, people):
    hr = people.employee(Role.HR, employee_no="H001", department="職員課")
    people.employee(employee_no="A001", department="市民課")
    actor = Actor.of(hr)
    add_rule(YEAR, course("kihon-houshin"), AssignmentScope.ALL, actor=actor, due_date=date(YEAR + 1, 3, 31))
    department = people.department("市民課")
    add_rule(YEAR, course("shokuin-koui"), AssignmentScope.DEPARTMENT, actor=actor, department=department)

    roster = "職員番号,氏名,所属\nA002,途中 入庁,市民課\nB001,別課 入庁,課税課\n"
    summary = import_roster(parse_roster(roster.encode()))
    assert summary.assigned == 3
    assert assigned("kihon-houshin") == {n: date(YEAR + 1, 3, 31) for n in ("H001", "A001", "A002", "B001")}
    assert set(assigned("shokuin-koui")) == {"A001", "A002"}


def test_moving_to_another_department_adds_that_departments_course(app, people):
    hr = people.employee(Role.HR, department="職員課")
    people.employee(employee_no="B001", department="課税課")
    add_rule(
        YEAR,
        course("shokuin-koui"),
        AssignmentScope.DEPARTMENT,
        actor=Actor.of(hr),
        department=people.department("市民課"),
    )
    import_roster(parse_roster("職員番号,氏名,所属\nB001,異動 者,市民課\n".encode()))
    assert set(assigned("shokuin-koui")) == {"B001"}


def test_courses_can_be_assigned_by_role_and_by_employment_type(app, people):
    actor = Actor.of(people.employee(Role.HR, department="職員課"))
    people.employee(Role.MANAGER, employee_no="M001")
    people.employee(employee_no="K001", employment_type="会計年度任用職員")
    people.employee(employee_no="S001", employment_type="正規職員")
    add_rule(YEAR, course("kanri"), AssignmentScope.ROLE, actor=actor, value="manager")
    add_rule(
        YEAR, course("shokuin-koui"), AssignmentScope.EMPLOYMENT_TYPE, actor=actor, value="会計年度任用職員"
    )
    assert set(assigned("kanri")) == {"M001"}
    assert set(assigned("shokuin-koui")) == {"K001"}


def test_the_same_rule_twice_is_refused_on_the_page(client, auth, people):
    auth.login_as(people.employee(Role.HR))
    data = {"year": YEAR, "course": course("kihon-houshin").id, "scope": "all", "confirmed": "y"}
    assert client.post("/hr/assignments", data=data).status_code == 303
    again = client.post("/hr/assignments", data=data)
    assert "同じ割当がすでにあります" in again.get_data(as_text=True)


def test_cli_assigns_a_department_and_lists_the_rules(app, runner, people):
    people.employee(employee_no="A001", department="市民課")
    people.employee(employee_no="B001", department="課税課")
    result = runner.invoke(
        args=[
            "assign",
            "add",
            "--year",
            str(YEAR),
            "--course",
            "shokuin-koui",
            "--department",
            "課税課",
            "--due",
            f"{YEAR}-11-30",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "1 assignment(s) added" in result.output
    listing = runner.invoke(args=["assign", "list", "--year", str(YEAR)])
    assert "shokuin-koui\t所属: 課税課\tdue " in listing.output and "1 assigned" in listing.output
    assert set(assigned("shokuin-koui")) == {"B001"}
