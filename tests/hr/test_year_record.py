"""The year's record from April to March: leavers stay in it, transfers do not move it, and the
XLSX is a spreadsheet an auditor can work with."""

import io
from datetime import datetime

from openpyxl import load_workbook

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import Employee, Role
from elearn.services.assignments import assign_required_courses
from elearn.services.dashboard import dashboard
from elearn.services.reports import Enrolment, ReportFilter
from elearn.services.roster import import_roster, parse_roster
from tests.hr.test_completions_report import HEADER, records
from tests.learn.quiz import take

YEAR = current_fiscal_year()
BASIC = "基本方針を理解する"
ROSTER = "職員番号,氏名,所属\r\nD0001,青木 花子,市民課\r\nD0002,石田 健,市民課\r\nH0001,人事 太郎,職員課\r\n"


def staff(people):
    """D0002 passes the basic course; a full roster without D0002 is imported afterwards."""
    import_roster(parse_roster(ROSTER.encode()))
    for employee in db.session.scalars(db.select(Employee)):
        employee.password_hash = people.employee().password_hash
    hr = db.session.scalar(db.select(Employee).filter_by(employee_no="H0001"))
    hr.role = Role.HR.value
    db.session.commit()
    assign_required_courses(YEAR)
    return hr


def test_a_leaver_who_completed_stays_in_the_years_csv_and_xlsx_marked_inactive(client, auth, people):
    hr = staff(people)
    leaver = db.session.scalar(db.select(Employee).filter_by(employee_no="D0002"))
    auth.login_as(leaver)
    take(client, correct=True)
    auth.logout()
    rates_before = dashboard(ReportFilter(YEAR, enrolment=Enrolment.ACTIVE)).total
    import_roster(parse_roster(ROSTER.replace("D0002,石田 健,市民課\r\n", "").encode()), full=True)

    auth.login_as(hr)
    row = records(client.get(f"/hr/reports/completions.csv?year={YEAR}").data)[("D0002", BASIC)]
    deactivated = db.session.get(Employee, leaver.id).deactivated_at
    assert row["状態"] == "修了" and row["在籍"].startswith("無効") and row["修了証番号"]
    assert deactivated is not None and row["在籍"] != "無効"  # with the date of deactivation
    sheet = load_workbook(io.BytesIO(client.get(f"/hr/reports/completions.xlsx?year={YEAR}").data))
    cells = [[c.value for c in r] for r in sheet.active.iter_rows(min_row=3)]
    found = [dict(zip(HEADER, r, strict=True)) for r in cells]
    leavers = [r for r in found if r["職員番号"] == "D0002" and r["在籍"].startswith("無効")]
    assert [r["状態"] for r in leavers if r["コース"] == BASIC] == ["修了"]
    # The dashboard's rates count active staff by default, and everyone when asked.
    active = dashboard(ReportFilter(YEAR, enrolment=Enrolment.ACTIVE)).total
    everyone = dashboard(ReportFilter(YEAR)).total
    assert active.completed == rates_before.completed - 1
    assert everyone.completed == rates_before.completed
    page = client.get(f"/hr/?year={YEAR}").get_data(as_text=True)
    assert "在籍のみ" in page
    listed = client.get(f"/hr/records?year={YEAR}").get_data(as_text=True)
    assert "D0002" in listed and "無効" in listed
    only_active = client.get(f"/hr/records?year={YEAR}&enrolment=active").get_data(as_text=True)
    assert "D0002" not in only_active


def test_a_transfer_does_not_move_last_years_completion_to_the_new_department(client, auth, people):
    hr = staff(people)
    mover = db.session.scalar(db.select(Employee).filter_by(employee_no="D0001"))
    auth.login_as(mover)
    take(client, correct=True)
    auth.logout()
    import_roster(parse_roster(ROSTER.replace("D0001,青木 花子,市民課", "D0001,青木 花子,課税課").encode()))

    auth.login_as(hr)
    row = records(client.get(f"/hr/reports/completions.csv?year={YEAR}").data)[("D0001", BASIC)]
    assert (row["所属"], row["現所属"]) == ("市民課", "課税課")
    citizens = people.department("市民課").id
    by_department = records(client.get(f"/hr/reports/completions.csv?year={YEAR}&department={citizens}").data)
    assert ("D0001", BASIC) in by_department
    cells = {line.name: line.tally for line in dashboard(ReportFilter(YEAR)).departments}
    assert cells["市民課"].completed == 1 and "課税課" not in cells


def test_the_xlsx_has_a_title_dates_numbers_and_a_frozen_filtered_header(client, auth, people):
    hr = staff(people)
    passer = db.session.scalar(db.select(Employee).filter_by(employee_no="D0001"))
    auth.login_as(passer)
    take(client, correct=True)
    auth.logout()
    auth.login_as(hr)
    workbook = load_workbook(io.BytesIO(client.get(f"/hr/reports/completions.xlsx?year={YEAR}").data))
    sheet = workbook.active
    assert f"{YEAR}年度" in sheet["A1"].value and "作成" in sheet["A1"].value
    header = [c.value for c in sheet[2]]
    assert header == HEADER
    assert all(c.font.bold for c in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == f"A2:V{sheet.max_row}"
    assert sheet.column_dimensions["K"].width >= 30  # コース
    column = {name: index for index, name in enumerate(header)}
    done = next(r for r in sheet.iter_rows(min_row=3) if r[column["状態"]].value == "修了")
    assert isinstance(done[column["修了日"]].value, datetime) and done[column["修了日"]].is_date
    assert isinstance(done[column["得点"]].value, int) and isinstance(done[column["年度"]].value, int)
    assert done[column["職員番号"]].data_type == "s"
