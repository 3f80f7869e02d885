"""研修実施状況報告: per course and department the year's figures, as a PDF and a real spreadsheet."""

import io
from datetime import date

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import AssignmentScope, AuditEvent, Role
from elearn.services.annual_report import export_annual_report
from elearn.services.assignments import add_rule
from elearn.services.attendance import import_attendance
from elearn.services.audit import Actor
from elearn.services.exemptions import exempt
from tests import records
from tests.certificates.test_certificates import complete


def a_year_with_two_departments(client, auth, people):
    """市民課: two assigned, one completed; 税務課: one assigned, none completed."""
    hr = people.employee(Role.HR, department="職員課", name="人事 花子")
    done = people.employee(department="市民課")
    people.employee(department="市民課")
    people.employee(department="税務課")
    complete(client, auth, done)
    add_rule(current_fiscal_year(), records.course(), AssignmentScope.ALL, actor=Actor.of(hr))
    return hr


def test_the_xlsx_has_a_sheet_per_course_with_numbers_as_numbers_and_a_chart(client, auth, people):
    hr = a_year_with_two_departments(client, auth, people)
    auth.login_as(hr)
    response = client.get(f"/hr/reports/annual.xlsx?year={current_fiscal_year()}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.worksheets[0]
    assert "基本方針を理解する" in sheet.title
    rows = {row[0]: row[1:7] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    # 割当, 修了（オンライン）, 修了（集合研修）, 免除, 未修了, 修了率
    assert rows["市民課"] == (2, 1, 0, 0, 1, 0.5)
    assert rows["税務課"] == (1, 0, 0, 0, 1, 0.0)
    assert rows["合計"][0] == 4  # HR's own assignment counts too (職員課)
    assert "人事 花子" in str(sheet["A3"].value)
    assert len(sheet._charts) == 1
    assert "セルフチェック" in book.sheetnames


def test_the_pdf_reads_back_with_the_figures_and_who_made_it(client, auth, people):
    hr = a_year_with_two_departments(client, auth, people)
    auth.login_as(hr)
    response = client.get(f"/hr/reports/annual.pdf?year={current_fiscal_year()}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages).replace(
        "\n", ""
    )
    for expected in (
        "実施状況報告",
        "基本方針を理解する",
        "市民課",
        "税務課",
        "50.0%",
        "人事 花子",
        "セルフチェック",
    ):
        assert expected in text
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "export" and "研修実施状況報告" in event.summary


def test_the_command_line_writes_the_report(client, auth, people, runner, tmp_path):
    a_year_with_two_departments(client, auth, people)
    out = tmp_path / "report.xlsx"
    result = runner.invoke(args=["report", "annual", "--year", str(current_fiscal_year()), "--format", "xlsx",
                                 "-o", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert load_workbook(out).worksheets[0]["A1"].value.endswith("実施状況報告")


def test_a_year_without_assignments_still_gives_a_report(client, auth, people):
    auth.login_as(people.employee(Role.HR))
    assert client.get("/hr/reports/annual.pdf?year=2001").status_code == 200
    assert client.get("/hr/reports/annual.xlsx?year=2001").status_code == 200


def test_in_person_completions_and_exemptions_have_columns_of_their_own(client, auth, people):
    trained = people.employee(department="税務課", employee_no="Z0001")
    excused = people.employee(department="税務課", employee_no="Z0002")
    hr = a_year_with_two_departments(client, auth, people)
    year = current_fiscal_year()
    day = date.today() if date.today() >= date(year, 4, 1) else date(year, 4, 1)
    csv = f"職員番号,コース,実施日,研修名\n{trained.employee_no},kihon-houshin,{day:%Y/%m/%d},集合研修\n"
    assert import_attendance(csv.encode(), Actor.of(hr)) == 1
    exempt(excused, records.course(), year, "育児休業", Actor.of(hr))
    sheet = load_workbook(io.BytesIO(export_annual_report(Actor.of(hr), year, "xlsx")[2])).worksheets[0]
    rows = {row[0]: row[1:7] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    # 税務課: three assigned; one in person, one exempt, one not completed; rate 1 of the 2 not exempt
    assert rows["税務課"] == (3, 0, 1, 1, 1, 0.5)
