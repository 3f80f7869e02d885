"""期限超過 and 期限間近 on every page that lists assignments, the filters and counts, and the manager's
download of their own department's records."""

import csv
import io
from datetime import timedelta

from sqlalchemy import select

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import AuditEvent, Role
from elearn.services.assignments import assign_required_courses
from elearn.services.deadlines import japan_today
from elearn.services.record_export import COMPLETION_HEADER
from tests.records import completed, set_due, started

YEAR = current_fiscal_year()


def organisation(people):
    """市民課: one overdue, one due in a week, one overdue but completed; 課税課: one overdue."""
    staff = {
        "manager": people.employee(Role.MANAGER, employee_no="M001", name="課長 一", department="市民課"),
        "late": people.employee(employee_no="A001", name="遅延 太郎", department="市民課"),
        "soon": people.employee(employee_no="A002", name="間近 花子", department="市民課"),
        "done": people.employee(employee_no="A003", name="修了 次郎", department="市民課"),
        "other": people.employee(employee_no="B001", name="他課 三郎", department="課税課"),
        "hr": people.employee(Role.HR, employee_no="H001", name="人事 四郎", department="人事課"),
    }
    assign_required_courses(YEAR)
    today = japan_today()
    far = today + timedelta(days=60)
    for person in staff.values():
        set_due(person, far)
    for key in ("late", "done", "other"):
        set_due(staff[key], today - timedelta(days=2))
    set_due(staff["soon"], today + timedelta(days=7))
    started(staff["late"])
    completed(staff["done"])
    return staff


def test_my_training_and_the_course_page_show_overdue(client, auth, people):
    staff = organisation(people)
    auth.login_as(staff["late"])
    assert "期限超過" in client.get("/").get_data(as_text=True)
    assert "期限超過" in client.get("/courses/kihon-houshin").get_data(as_text=True)
    auth.login_as(staff["soon"])
    assert "期限間近" in client.get("/").get_data(as_text=True)
    assert "期限間近" in client.get("/courses/kihon-houshin").get_data(as_text=True)


def test_a_completed_assignment_shows_no_deadline_badge(client, auth, people):
    staff = organisation(people)
    auth.login_as(staff["done"])
    page = client.get("/courses/kihon-houshin").get_data(as_text=True)
    assert "期限超過" not in page and "期限間近" not in page
    assert "badge-overdue" not in client.get("/").get_data(as_text=True)


def test_the_manager_filters_overdue_staff_of_their_department(client, auth, people):
    staff = organisation(people)
    auth.login_as(staff["manager"])
    page = client.get(f"/manage/?year={YEAR}&due=overdue").get_data(as_text=True)
    assert "A001" in page and "badge-overdue" in page
    assert "A002" not in page and "A003" not in page and "B001" not in page
    assert "期限超過 1 件" in page and "期限間近 1 件" in page
    soon = client.get(f"/manage/?year={YEAR}&due=due_soon").get_data(as_text=True)
    assert "A002" in soon and "A001" not in soon


def test_the_manager_sees_the_badge_on_a_members_page(client, auth, people):
    staff = organisation(people)
    auth.login_as(staff["manager"])
    assert "期限超過" in client.get("/manage/employees/A001").get_data(as_text=True)


def test_hr_filters_overdue_across_departments_and_counts_them_on_the_dashboard(client, auth, people):
    staff = organisation(people)
    auth.login_as(staff["hr"])
    page = client.get(f"/hr/records?year={YEAR}&due=overdue").get_data(as_text=True)
    assert "A001" in page and "B001" in page and "badge-overdue" in page
    assert "A002" not in page and "A003" not in page
    board = client.get(f"/hr/?year={YEAR}").get_data(as_text=True)
    assert 'due=overdue">2</a>' in board.replace("&amp;", "&")
    assert "期限超過" in client.get("/hr/employees/B001").get_data(as_text=True)


def test_the_manager_downloads_their_own_department_with_hr_columns_and_it_is_audited(client, auth, people):
    staff = organisation(people)
    auth.login_as(staff["manager"])
    response = client.get(f"/manage/reports/completions.csv?year={YEAR}")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == list(COMPLETION_HEADER)  # HR's columns
    assert {row[4] for row in rows[1:]} == {"市民課"}  # 所属 (of record)
    assert {"A001", "A002", "A003", "M001"} <= {row[1] for row in rows[1:]}
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.actor_id == staff["manager"].id and event.details["filters"]["department"]
    xlsx = client.get(f"/manage/reports/completions.xlsx?year={YEAR}")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_the_manager_cannot_download_another_department(client, auth, people):
    staff = organisation(people)
    auth.login_as(staff["manager"])
    other = people.department("課税課").id
    assert client.get(f"/manage/reports/completions.csv?department={other}").status_code == 400
