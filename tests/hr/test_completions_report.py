"""HR's completion report: one row per assignment of the year, whoever had it, for Excel."""

import csv
import io
import re
from datetime import date, datetime

from openpyxl import load_workbook

from elearn.fiscal import current_fiscal_year, format_date, local_date
from elearn.models import AssignmentScope, Role
from elearn.services.assignments import add_rule, assign_required_courses
from elearn.services.audit import Actor
from tests.learn.quiz import start, take
from tests.records import completed as complete_course
from tests.records import course as find_course

# The fixed order of the columns (README, "The completion report").
HEADER = [
    "年度", "職員番号", "氏名", "氏名カナ", "所属", "現所属", "役割", "雇用区分", "在籍", "割当", "コース",
    "コース版", "受講期限", "状態", "修了日", "修了方法", "得点", "受験回数", "レッスン既読", "修了証番号",
    "免除理由", "割当取消",
]  # fmt: skip


def rows(payload: bytes) -> list[list[str]]:
    assert payload.startswith("\ufeff".encode())  # Japanese Excel needs the BOM to read UTF-8
    return list(csv.reader(io.StringIO(payload.decode("utf-8-sig"))))


def records(payload: bytes) -> dict[tuple[str, str], dict[str, str]]:
    """The CSV's rows by 職員番号 and コース, each as column name -> value."""
    table = rows(payload)
    assert table[0] == HEADER
    found = [dict(zip(HEADER, row, strict=True)) for row in table[1:]]
    return {(r["職員番号"], r["コース"]): r for r in found}


def test_employee_cannot_open_the_hr_pages(client, auth, people):
    auth.login_as(people.employee())
    assert client.get("/hr/").status_code == 403
    assert client.get("/hr/reports/completions.csv").status_code == 403


def test_csv_lists_completed_in_progress_and_not_started(client, auth, people):
    year = current_fiscal_year()
    done = people.employee(employee_no="A001", name="修了 太郎", department="市民課")
    trying = people.employee(employee_no="A002", name="受講 花子", department="市民課")
    people.employee(employee_no="A003", name="未受講 次郎", department="課税課")
    people.employee(employee_no="A004", name="退職 三郎", department="課税課", active=False)
    hr = people.employee(Role.HR, employee_no="H001", department="職員課")
    assign_required_courses(year)

    auth.login_as(done)
    take(client, correct=False)
    take(client, correct=True)
    auth.logout()
    auth.login_as(trying)
    start(client)
    auth.logout()

    auth.login_as(hr)
    response = client.get(f"/hr/reports/completions.csv?year={year}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    by_key = records(response.data)
    assert ("A004", "基本方針を理解する") not in by_key  # inactive before the year: never assigned
    completed = by_key[("A001", "基本方針を理解する")]
    assert completed["年度"] == str(year) and completed["状態"] == "修了" and completed["在籍"] == "在籍"
    assert date.fromisoformat(completed["修了日"])
    assert (completed["得点"], completed["受験回数"], completed["コース版"]) == ("100", "2", "1")
    assert completed["修了方法"] == "オンライン" and completed["修了証番号"]
    assert completed["割当"] == "必修" and completed["役割"] == "職員"
    assert by_key[("A002", "基本方針を理解する")]["状態"] == "受講中"
    waiting = by_key[("A003", "基本方針を理解する")]
    assert [waiting[c] for c in ("状態", "修了日", "修了方法", "得点", "受験回数", "修了証番号")] == [
        "未受講", "", "", "", "0", "",
    ]  # fmt: skip
    # every active employee gets a row per required course, managers' course only for managers
    assert {no for no, _ in by_key} == {"A001", "A002", "A003", "H001"}
    assert not any(course == "管理監督者の対応" for _, course in by_key)


def test_cli_report_gives_the_same_csv_as_the_download(client, auth, people, runner, tmp_path):
    year = current_fiscal_year()
    people.employee(employee_no="B001", name="=HYPERLINK(1)")
    hr = people.employee(Role.HR, employee_no="H002")
    assign_required_courses(year)
    auth.login_as(hr)
    downloaded = client.get(f"/hr/reports/completions.csv?year={year}").data
    output = tmp_path / "report.csv"
    result = runner.invoke(
        args=["report", "completions", "--year", str(year), "--format", "csv", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert output.read_bytes() == downloaded
    names = [r["氏名"] for r in records(downloaded).values()]
    assert "'=HYPERLINK(1)" in names  # formula injection neutralised


def test_report_for_a_bad_year_is_a_client_error(client, auth, people):
    auth.login_as(people.employee(Role.HR))
    assert client.get("/hr/reports/completions.csv?year=abc").status_code == 400
    assert client.get("/hr/?year=99999").status_code == 400


def sheet_rows(payload: bytes) -> list[list[object]]:
    """The rows under the sheet's title row (the header, then the records), as Excel shows them in its
    formula bar: a quote-prefixed text cell with its quote."""
    workbook = load_workbook(io.BytesIO(payload))
    return [
        ["" if c.value is None else "'" + c.value if c.quotePrefix else c.value for c in row]
        for row in workbook.active.iter_rows(min_row=2)
    ]


def as_text(value: object) -> str:
    """A cell as the CSV writes it (a date cell comes back from openpyxl as a datetime)."""
    return value.date().isoformat() if isinstance(value, datetime) else str(value)


def test_xlsx_download_has_the_same_rows_with_formulas_neutralised(client, auth, people):
    year = current_fiscal_year()
    people.employee(employee_no="C001", name="=cmd|'/C calc'!A0", department="市民課")
    people.employee(employee_no="C002", name="@SUM(1+1)", department="課税課")
    hr = people.employee(Role.HR, employee_no="H003")
    assign_required_courses(year)
    auth.login_as(hr)

    response = client.get(f"/hr/reports/completions.xlsx?year={year}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f'filename="completions-{year}.xlsx"' in response.headers["Content-Disposition"]
    sheet = sheet_rows(response.data)
    assert sheet[0] == HEADER
    names = {row[1]: row[2] for row in sheet[1:]}
    assert names["C001"] == "'=cmd|'/C calc'!A0" and names["C002"] == "'@SUM(1+1)"
    as_csv = rows(client.get(f"/hr/reports/completions.csv?year={year}").data)
    assert [[as_text(v) for v in row] for row in sheet] == as_csv  # the same data in both formats


def test_downloads_follow_the_pages_filters(client, auth, people):
    year = current_fiscal_year()
    people.employee(employee_no="D001", department="市民課")
    people.employee(employee_no="D002", department="課税課")
    hr = people.employee(Role.HR, employee_no="H004", department="職員課")
    assign_required_courses(year)
    auth.login_as(hr)
    department = people.department("課税課").id
    table = records(client.get(f"/hr/reports/completions.csv?year={year}&department={department}").data)
    assert {no for no, _ in table} == {"D002"}


def test_cli_xlsx_for_one_department_matches_the_page(client, auth, people, runner, tmp_path):
    year = current_fiscal_year()
    people.employee(employee_no="E001", department="市民課")
    people.employee(employee_no="E002", department="課税課")
    hr = people.employee(Role.HR, employee_no="H005", department="職員課")
    assign_required_courses(year)
    output = tmp_path / "report.xlsx"
    result = runner.invoke(
        args=[
            "report",
            "completions",
            "--year",
            str(year),
            "--format",
            "xlsx",
            "--department",
            "市民課",
            "-o",
            str(output),
        ]
    )
    assert result.exit_code == 0, result.output
    auth.login_as(hr)
    department = people.department("市民課").id
    page = client.get(f"/hr/reports/completions.xlsx?year={year}&department={department}").data
    assert sheet_rows(output.read_bytes()) == sheet_rows(page)
    assert {row[1] for row in sheet_rows(page)[1:]} == {"E001"}


def test_an_employee_who_has_only_read_a_lesson_is_in_progress(client, auth, people):
    year = current_fiscal_year()
    reader = people.employee(employee_no="C001")
    hr = people.employee(Role.HR, employee_no="H003")
    assign_required_courses(year)
    auth.login_as(reader)
    client.post("/courses/kihon-houshin/lessons/01-mokuteki/read")
    auth.logout()
    auth.login_as(hr)
    table = records(client.get(f"/hr/reports/completions.csv?year={year}").data)
    assert table[("C001", "基本方針を理解する")]["状態"] == "受講中"
    assert table[("C001", "基本方針を理解する")]["レッスン既読"].startswith("1/")
    assert table[("C001", "職員自身が行為者にならないために")]["状態"] == "未受講"


def test_the_list_shows_completion_and_due_dates_in_one_format(client, auth, people):
    year = current_fiscal_year()
    hr = people.employee(Role.HR, employee_no="H001", department="職員課")
    done = people.employee(employee_no="D001")
    add_rule(year, find_course(), AssignmentScope.ALL, actor=Actor.of(hr), due_date=date(year + 1, 3, 31))
    completion = complete_course(done)
    auth.login_as(hr)
    page = client.get(f"/hr/records?year={year}").get_data(as_text=True)
    assert format_date(local_date(completion.completed_at)) in page and f"{year + 1}年3月31日" in page
    assert re.search(r"<td>\d{4}-\d{2}-\d{2}</td>", page) is None
