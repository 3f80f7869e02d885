"""HR's dashboard: completion per department and course, the drill-down to employees, histories."""

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event, insert, select

from elearn.content import default_settings
from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import AssignmentScope, Department, Employee, LessonView, Role
from elearn.services.assignments import add_rule
from elearn.services.audit import Actor
from elearn.services.dashboard import dashboard
from elearn.services.data_stamp import records_stamp
from elearn.services.reports import Enrolment, ReportFilter
from tests.records import completed, course, failed, started

YEAR = current_fiscal_year()
RATES = ReportFilter(YEAR, enrolment=Enrolment.ACTIVE)  # the dashboard's default: staff still active


def organisation(people):
    """市民課: one completed, one in progress, one not started; 課税課: one completed, one failed once."""
    hr = people.employee(Role.HR, employee_no="H001", name="人事 太郎", department="職員課")
    done = people.employee(employee_no="A001", name="修了 一郎", department="市民課")
    trying = people.employee(employee_no="A002", name="受講 二郎", department="市民課")
    people.employee(employee_no="A003", name="未受講 三郎", department="市民課")
    taxed = people.employee(employee_no="B001", name="課税 花子", department="課税課")
    retry = people.employee(employee_no="B002", name="再挑戦 次子", department="課税課")
    gone = people.employee(employee_no="B003", name="退職 五郎", department="課税課")
    add_rule(YEAR, course("kihon-houshin"), AssignmentScope.ALL, actor=Actor.of(hr))
    gone.active = False  # left after being assigned: in the year's record, not in the rates of active staff
    db.session.commit()
    completed(done)
    started(trying)
    completed(taxed, score=90)
    failed(retry)
    return hr


@contextmanager
def counted_queries():
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_completion_rate_per_department_and_course(app, people):
    organisation(people)
    board = dashboard(RATES)
    by_department = {line.name: line.tally for line in board.departments}
    citizens = by_department["市民課"]
    assert (citizens.assigned, citizens.completed, citizens.in_progress, citizens.not_started) == (3, 1, 1, 1)
    assert round(citizens.rate, 1) == 33.3
    assert (by_department["課税課"].assigned, by_department["課税課"].completed) == (2, 1)
    assert by_department["職員課"].rate == 0
    assert board.total.assigned == 6 and board.total.completed == 2
    assert [line.name for line in board.courses] == ["基本方針を理解する"]
    everyone = {line.name: line.tally for line in dashboard(ReportFilter(YEAR)).departments}
    assert everyone["課税課"].assigned == 3  # the leaver's assignment is still in the year's record


def test_departments_are_listed_in_the_citys_order_on_the_dashboard_and_in_the_filter(client, auth, people):
    hr = organisation(people)
    codes = {"市民課": ("0300", None), "課税課": ("0100", None), "職員課": (None, "ショクインカ")}
    for department in db.session.scalars(select(Department)):
        department.code, department.kana = codes[department.name]
    db.session.commit()
    board = dashboard(ReportFilter(YEAR))
    assert [line.name for line in board.departments] == ["課税課", "市民課", "職員課"]
    assert [cell.department for cell in board.cells] == ["課税課", "市民課", "職員課"]
    auth.login_as(hr)
    page = client.get("/hr/").get_data(as_text=True)
    select_box = re.search(r'<select id="department".*?</select>', page, re.S).group(0)
    assert re.findall(r"<option value=\"\d+\">([^<]+)</option>", select_box) == ["課税課", "市民課", "職員課"]


def test_the_page_shows_a_table_and_an_accessible_svg_chart_without_script(client, auth, people):
    auth.login_as(organisation(people))
    page = client.get(f"/hr/?year={YEAR}").get_data(as_text=True)
    assert "<script" not in page
    svg = re.search(r"<svg[^>]*>(.*?)</svg>", page, re.S)
    assert 'role="img"' in svg.group(0) and "aria-labelledby" in svg.group(0)
    assert "<title" in svg.group(1) and "<desc" in svg.group(1)
    assert "33.3%" in page and "50.0%" in page  # chart and table carry the same numbers
    assert "<table" in page


def test_the_numbers_come_from_a_fixed_number_of_queries_whatever_the_headcount(app, people):
    organisation(people)
    with counted_queries() as few:
        dashboard(ReportFilter(YEAR))
    for n in range(20):
        people.employee(employee_no=f"C{n:03d}", department=f"課{n % 4}")
    add_rule(YEAR, course("shokuin-koui"), AssignmentScope.ALL, actor=Actor(None, "test"))
    with counted_queries() as many:
        dashboard(ReportFilter(YEAR))
    assert len(many) == len(few)
    # two aggregates over the assignments (per department and course; per person, for the headcounts);
    # the rest are names of departments and courses
    assert sum("FROM assignments JOIN employees" in s for s in many) == 2


def test_shown_again_without_a_change_the_dashboard_is_not_computed_again(app, people):
    organisation(people)
    # On PostgreSQL the stamp moves with any commit on the server, other test processes' included:
    # take a round in which nothing committed from before the first call to after the second (a few
    # tries, each as short as two calls).
    for _ in range(100):
        stamps = [records_stamp()]
        first = dashboard(ReportFilter(YEAR))
        stamps.append(records_stamp())
        with counted_queries() as statements:
            again = dashboard(ReportFilter(YEAR))
        stamps.append(records_stamp())
        if stamps[0] == stamps[1] == stamps[2]:
            break
    assert again == first
    assert len(statements) == 1 and "GROUP BY" not in statements[0]  # the records stamp only


def read_lesson(employee: Employee, key: str = "kihon-houshin") -> None:
    db.session.add(
        LessonView(employee_id=employee.id, course_id=course(key).id, fiscal_year=YEAR, lesson_slug="01")
    )
    db.session.commit()


def test_every_change_to_the_records_shows_on_the_next_dashboard(app, people):
    hr = organisation(people)

    def citizens() -> tuple[int, int, int]:
        tally = {line.name: line.tally for line in dashboard(RATES).departments}["市民課"]
        return tally.assigned, tally.completed, tally.in_progress

    def employee(number: str) -> Employee:
        return db.session.scalar(db.select(Employee).filter_by(employee_no=number))

    assert citizens() == (3, 1, 1)
    read_lesson(employee("A003"))
    assert citizens() == (3, 1, 2)
    completed(employee("A002"))
    assert citizens() == (3, 2, 1)
    employee("A003").department = people.department("課税課")  # moved, as a roster import does
    db.session.commit()
    assert citizens() == (3, 2, 1)  # the year's assignment stays with the department it was made in
    employee("A002").active = False
    db.session.commit()
    assert citizens() == (2, 1, 1)
    people.employee(employee_no="A004", department="市民課")
    add_rule(YEAR, course("shokuin-koui"), AssignmentScope.ALL, actor=Actor.of(hr))
    assert citizens() == (4, 1, 1)  # A001 and A004 get the new course here, A003 in 課税課


def test_a_commit_that_took_its_row_id_earlier_still_shows(app, people):
    """On PostgreSQL ids come from sequences when rows are inserted, not when they are committed."""
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one writer at a time: ids are taken in commit order")
    organisation(people)
    late, early = people.employee(employee_no="A005"), people.employee(employee_no="A006")
    add_rule(YEAR, course("shokuin-koui"), AssignmentScope.ALL, actor=Actor(None, "test"))
    with db.engine.connect() as other:
        other.execute(  # takes its id first, commits last
            insert(LessonView).values(
                employee_id=late.id, course_id=course("shokuin-koui").id, fiscal_year=YEAR, lesson_slug="01"
            )
        )
        read_lesson(early, "shokuin-koui")
        before = {line.name: line.tally.in_progress for line in dashboard(ReportFilter(YEAR)).departments}
        other.commit()
    after = {line.name: line.tally.in_progress for line in dashboard(ReportFilter(YEAR)).departments}
    assert after["市民課"] == before["市民課"] + 1


def test_drill_down_lists_the_employees_of_one_department_and_course(client, auth, people):
    auth.login_as(organisation(people))
    department = people.department("市民課").id
    page = client.get(
        f"/hr/records?year={YEAR}&department={department}&course={course('kihon-houshin').id}"
    ).get_data(as_text=True)
    assert all(n in page for n in ("A001", "A002", "A003")) and "B001" not in page
    assert "3 件" in page


def test_the_not_completed_list_shows_each_person_with_their_department(client, auth, people):
    auth.login_as(organisation(people))
    page = client.get(f"/hr/records?year={YEAR}&status=incomplete").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<td><a [^>]*>(\w+)</a></td>\s*<td>[^<]*</td><td>([^<]*)</td>", page)
    assert sorted(rows) == [
        ("A002", "市民課"), ("A003", "市民課"), ("B002", "課税課"), ("B003", "課税課"), ("H001", "職員課"),
    ]  # fmt: skip
    assert "無効" in page  # B003 left after being assigned: listed, marked


def test_status_filters_pick_in_progress_and_not_started(client, auth, people):
    auth.login_as(organisation(people))
    doing = client.get(f"/hr/records?year={YEAR}&status=in_progress").get_data(as_text=True)
    assert "A002" in doing and "B002" in doing and "A003" not in doing
    todo = client.get(f"/hr/records?year={YEAR}&status=not_started").get_data(as_text=True)
    assert "A003" in todo and "A002" not in todo


def test_an_employees_history_lists_every_year_and_attempt(client, auth, people):
    hr = organisation(people)
    record = completed(db.session.get(type(hr), hr.id), year=YEAR - 1)
    auth.login_as(hr)
    page = client.get("/hr/employees/H001").get_data(as_text=True)
    assert f"{YEAR - 1}年度" in page and f"{YEAR}年度" in page
    assert record.certificate_code in page
    assert "未受講" in page  # this year's assignment, not started yet


def test_hr_finds_an_employee_by_number_or_name(client, auth, people):
    auth.login_as(organisation(people))
    assert "A002" in client.get("/hr/employees?q=受講").get_data(as_text=True)
    assert "A001" in client.get("/hr/employees?q=A00").get_data(as_text=True)


def test_hr_finds_names_written_with_variant_characters_and_numbers_typed_full_width(client, auth, people):
    for number, name, kana in [
        ("V001", "髙橋 一郎", "タカハシ イチロウ"),
        ("V002", "山﨑 花子", None),
        ("V003", "渡邊 健", None),
        ("V004", "高田 誠", None),
    ]:
        people.employee(employee_no=number, name=name, name_kana=kana)
    auth.login_as(people.employee(Role.HR))

    def found(query: str) -> set[str]:
        page = client.get("/hr/employees", query_string={"q": query}).get_data(as_text=True)
        return {n for n in ("V001", "V002", "V003", "V004") if f">{n}<" in page}

    assert found("高橋") == {"V001"}
    assert found("山崎") == {"V002"}
    assert found("渡辺") == {"V003"}
    assert found("たかはし") == {"V001"}
    assert found("ｖ００２") == {"V002"}
    assert "髙橋 一郎" in client.get("/hr/employees?q=高橋").get_data(as_text=True)  # stored as written


def test_filters_that_no_page_would_send_are_a_client_error(client, auth, people):
    auth.login_as(people.employee(Role.HR))
    for query in ("year=abc", "year=99999", "department=abc", "department=9999", "status=bogus", "page=0"):
        assert client.get(f"/hr/records?{query}").status_code == 400, query


def test_the_year_selects_offer_the_years_since_the_policy_and_not_older(client, auth, people):
    auth.login_as(people.employee(Role.HR))
    policy_year = default_settings().policy.fiscal_year
    assert policy_year == 2025  # 令和7年12月
    for path in ("/hr/", "/hr/assignments"):
        page = client.get(path).get_data(as_text=True)
        offered = [int(y) for y in re.findall(r'<option value="(\d{4})"', page)]
        assert offered[0] == YEAR + 1 and min(offered) == min(policy_year, YEAR), path
        assert "平成" not in page


def test_the_department_rate_is_labelled_as_assignments_and_people_are_counted_too(client, auth, people):
    hr = organisation(people)
    trying = db.session.query(Employee).filter_by(employee_no="A001").one()
    add_rule(
        YEAR, course("kanri"), AssignmentScope.DEPARTMENT, actor=Actor.of(hr), department=trying.department
    )
    board = dashboard(ReportFilter(YEAR, enrolment=Enrolment.ACTIVE))  # the page's default: staff in service
    citizens = next(h for h in board.headcounts if h.department == "市民課")
    # 市民課: three people, six assignments; A001 completed one of their two courses
    assert (citizens.people, citizens.all_completed) == (3, 0)
    tax = next(h for h in board.headcounts if h.department == "課税課")
    assert (tax.people, tax.all_completed) == (2, 1)
    auth.login_as(hr)
    page = client.get("/hr/").get_data(as_text=True)
    assert "所属ごとの修了率（割当の件数で）" in page and "割当のある職員" in page
