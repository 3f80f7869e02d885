"""Assignments for a fiscal year: kept as rules, so that staff joining mid-year are assigned too."""

from datetime import date

from sqlalchemy import select

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import Assignment, AssignmentRule, AssignmentScope, Role
from elearn.services.assignments import add_rule
from elearn.services.audit import Actor
from elearn.services.deadlines import japan_today
from elearn.services.roster import import_roster, parse_roster
from tests.records import course, started

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


def test_the_page_shows_how_many_a_rule_reaches_before_saving_it(client, auth, people):
    people.employee(employee_no="A001", department="市民課")
    auth.login_as(people.employee(Role.HR, department="職員課"))
    data = {"year": YEAR, "course": course("shokuin-koui").id, "scope": "department"}
    data["department"] = people.department("市民課").id
    first = client.post("/hr/assignments", data=data)
    assert first.status_code == 200
    assert "在籍職員 1 人に割り当てられます" in first.get_data(as_text=True)
    assert assigned("shokuin-koui") == {}
    assert client.post("/hr/assignments", data={**data, "confirmed": "y"}).status_code == 303
    assert set(assigned("shokuin-koui")) == {"A001"}


def test_a_rule_that_reaches_nobody_needs_a_second_yes(client, auth, people):
    auth.login_as(people.employee(Role.HR))
    data = {"year": YEAR, "course": course("shokuin-koui").id, "scope": "employment_type"}
    data |= {"employment_type": "会計年度任用職", "confirmed": "y"}  # a typo: nobody has it
    page = client.post("/hr/assignments", data=data).get_data(as_text=True)
    assert "対象になる在籍職員は 0 人です" in page
    assert db.session.scalars(select(AssignmentRule)).all() == []
    assert client.post("/hr/assignments", data={**data, "allow_empty": "y"}).status_code == 303
    assert len(db.session.scalars(select(AssignmentRule)).all()) == 1


def test_the_page_refuses_a_due_date_after_the_end_of_the_year(client, auth, people):
    auth.login_as(people.employee(Role.HR))
    data = {"year": YEAR, "course": course().id, "scope": "all", "due_date": f"{YEAR + 1}-04-30"}
    page = client.post("/hr/assignments", data={**data, "confirmed": "y"}).get_data(as_text=True)
    assert "年度の中" in page
    assert db.session.scalars(select(AssignmentRule)).all() == []


def test_hr_changes_a_due_date_and_withdraws_a_rule_on_the_page(client, auth, people):
    trying = people.employee(employee_no="A001")
    people.employee(employee_no="A002")
    hr = people.employee(Role.HR, employee_no="H001", department="職員課")
    rule = add_rule(YEAR, course(), AssignmentScope.ALL, actor=Actor.of(hr), due_date=date(YEAR, 12, 1)).rule
    started(trying)
    auth.login_as(hr)
    page = client.get(f"/hr/assignments/rules/{rule.id}").get_data(as_text=True)
    assert "受講期限を変更する" in page and "この割当を取り消す" in page

    response = client.post(f"/hr/assignments/rules/{rule.id}/due", data={"due_date": f"{YEAR + 1}-01-15"})
    assert response.status_code == 303
    assert assigned("kihon-houshin")["A001"] == date(YEAR + 1, 1, 15)
    refused = client.post(f"/hr/assignments/rules/{rule.id}/due", data={"due_date": f"{YEAR + 1}-05-01"})
    assert refused.status_code == 400 and "年度の中" in refused.get_data(as_text=True)

    assert client.post(f"/hr/assignments/rules/{rule.id}/withdraw", data={"reason": ""}).status_code == 400
    response = client.post(f"/hr/assignments/rules/{rule.id}/withdraw", data={"reason": "重複して登録"})
    assert response.status_code == 303
    assert set(assigned("kihon-houshin")) == {"A001"}  # started: kept
    listing = client.get(f"/hr/assignments?year={YEAR}").get_data(as_text=True)
    assert "取消" in listing
    history = client.get("/hr/employees/A001").get_data(as_text=True)
    assert "取り消した割当による" in history
    records = client.get(f"/hr/records?year={YEAR}").get_data(as_text=True)
    assert records.count("取り消した割当による") == 1  # A001's kept record, in 受講者一覧 too
    download = client.get(f"/hr/reports/completions.csv?year={YEAR}").get_data(as_text=True)
    [kept] = [line for line in download.splitlines() if ",A001," in line]
    assert kept.endswith(",取消（" + japan_today().isoformat() + "）")  # the last column, 割当取消


def test_hr_rolls_the_year_over_on_the_page(client, auth, people):
    hr = people.employee(Role.HR, employee_no="H001", department="職員課")
    people.employee(employee_no="A001", department="市民課")
    add_rule(
        YEAR - 1, course("shokuin-koui"), AssignmentScope.ALL, actor=Actor.of(hr), due_date=date(YEAR, 1, 31)
    )
    auth.login_as(hr)
    page = client.get(f"/hr/assignments?year={YEAR}").get_data(as_text=True)
    assert "必修研修を割り当てる" in page and "前年度の割当を引き継ぐ" in page
    assert client.post("/hr/assignments/carry-over", data={"year": YEAR}).status_code == 303
    assert assigned("shokuin-koui") == {"H001": date(YEAR + 1, 1, 31), "A001": date(YEAR + 1, 1, 31)}
    assert client.post("/hr/assignments/required", data={"year": YEAR}).status_code == 303
    assert set(assigned("kihon-houshin")) == {"H001", "A001"}


def test_cli_changes_withdraws_and_carries_over_rules(app, runner, people):
    people.employee(employee_no="A001")
    listing = runner.invoke(args=["assign", "add", "--year", str(YEAR - 1), "--course", "kanri"])
    assert "this rule reaches 1 active employee(s)" in listing.output
    rule = db.session.scalars(select(AssignmentRule)).one()
    result = runner.invoke(args=["assign", "due", str(rule.id), "--due", f"{YEAR}-03-01"])
    assert result.exit_code == 0 and "1 assignment(s)" in result.output
    result = runner.invoke(args=["assign", "carry-over", "--year", str(YEAR)])
    assert result.exit_code == 0 and "1 rule(s) carried over" in result.output
    result = runner.invoke(args=["assign", "withdraw", str(rule.id), "--reason", "前年度の誤り"])
    assert result.exit_code == 0 and "1 unstarted assignment(s) removed" in result.output
    listing = runner.invoke(args=["assign", "list", "--year", str(YEAR - 1)])
    assert "withdrawn: 前年度の誤り" in listing.output


def test_cli_asks_before_saving_a_rule_that_reaches_nobody(app, runner, people):
    args = ["assign", "add", "--year", str(YEAR), "--course", "kanri", "--employment-type", "臨時"]
    refused = runner.invoke(args=args, input="n\n")
    assert refused.exit_code == 1 and "reaches nobody" in refused.output
    assert db.session.scalars(select(AssignmentRule)).all() == []
    assert runner.invoke(args=[*args, "--yes"]).exit_code == 0
