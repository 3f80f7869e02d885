"""HR's year, in a real browser: roster, assignment, following completion, the official record."""

from __future__ import annotations

import csv
import re
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from elearn.services.record_export import COMPLETION_HEADER
from tests.e2e.pages import HumanResources, Learner

NEW_DEPARTMENT = "窓口サービス課"
# As Japanese Excel saves a CSV: Shift_JIS (CP932, whose 髙 plain Shift_JIS lacks), CRLF line ends.
ROSTER = (
    "職員番号,氏名,氏名カナ,所属,役割,雇用区分\r\n"
    f"N0001,髙橋 一郎,タカハシ イチロウ,{NEW_DEPARTMENT},職員,会計年度任用職員\r\n"
    f"N0002,渡邊 さくら,ワタナベ サクラ,{NEW_DEPARTMENT},職員,正規職員\r\n"
    f"N0003,齋藤 浩二,サイトウ コウジ,{NEW_DEPARTMENT},管理監督者,正規職員\r\n"
    f"D0002,石田 健,イシダ ケン,{NEW_DEPARTMENT},,正規職員\r\n"
)
MEMBERS = {"N0001", "N0002", "N0003", "D0002"}


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def read_xlsx(path: Path) -> list[list[str]]:
    """The rows under the title row, as the CSV writes them (date cells as YYYY-MM-DD)."""
    workbook = load_workbook(path, read_only=True)  # read-only keeps the file open until closed
    try:
        rows = workbook.active.iter_rows(min_row=2, values_only=True)
        return [[as_text(value) for value in row] for row in rows]
    finally:
        workbook.close()


def as_text(value: object) -> str:
    if value is None:
        return ""
    return value.date().isoformat() if isinstance(value, datetime) else str(value)


@pytest.mark.smoke  # also in the PostgreSQL pass: the import, the dashboard, the export
def test_hr_imports_a_shift_jis_roster_assigns_a_course_follows_completion_and_downloads_the_record(
    site, open_tab, tmp_path
):
    roster = tmp_path / "名簿.csv"
    roster.write_bytes(ROSTER.encode("cp932"))
    kanri = site.course("kanri").title
    hr = HumanResources(open_tab())
    hr.sign_in("D0010")

    hr.upload_roster(roster)
    expect(hr.page.get_by_text("文字コード: cp932")).to_be_visible()
    assert hr.roster_plan() == {
        "追加": "3",
        "変更": "1",
        "無効化": "0",
        "変更なし": "0",
        "新しい所属": NEW_DEPARTMENT,
    }
    added = hr.roster_rows(re.compile("^追加される職員"))
    assert [(row["職員番号"], row["氏名"]) for row in added] == [
        ("N0001", "髙橋 一郎"),
        ("N0002", "渡邊 さくら"),
        ("N0003", "齋藤 浩二"),
    ]
    [transfer] = hr.roster_rows(re.compile("^変更される職員"))
    assert transfer["変更内容"] == f"所属: 市民課 → {NEW_DEPARTMENT}"
    hr.press("この内容で取り込む")
    expect(hr.flash()).to_contain_text("名簿を取り込みました。追加 3 人、変更 1 人、無効化 0 人")

    hr.assign(kanri, NEW_DEPARTMENT)
    expect(hr.flash()).to_contain_text("割り当てました（3 人）")  # the new manager had it by role already

    hr.dashboard(department=NEW_DEPARTMENT)
    assert hr.totals()["修了"] == "0"
    assert hr.tally(NEW_DEPARTMENT, kanri) == {
        "対象": "4",
        "修了": "0",
        "受講中": "0",
        "未受講": "4",
        "免除": "0",
        "修了率": "0.0%",
    }

    employee = Learner(open_tab())
    employee.activate("N0001", hr.reset_account("N0001"), "madoguchi-2026")
    employee.open_course(kanri)
    employee.follow("未読のレッスンを読む")  # the quiz opens once every lesson is read
    employee.read_lessons()
    assert employee.take_quiz(site.answer_key().right).passed

    hr.dashboard(department=NEW_DEPARTMENT)
    assert hr.totals()["修了"] == "1"
    assert hr.tally(NEW_DEPARTMENT, kanri) == {
        "対象": "4",
        "修了": "1",
        "受講中": "0",
        "未受講": "3",
        "免除": "0",
        "修了率": "25.0%",
    }

    as_csv = read_csv(hr.download("修了状況をCSVでダウンロード", tmp_path))
    as_xlsx = read_xlsx(hr.download("Excel（XLSX）でダウンロード", tmp_path))
    assert as_csv[0] == list(COMPLETION_HEADER)
    assert as_xlsx == as_csv
    rows = [dict(zip(COMPLETION_HEADER, row, strict=True)) for row in as_csv[1:]]
    assert {row["職員番号"] for row in rows} == MEMBERS
    assert {row["所属"] for row in rows} == {NEW_DEPARTMENT}
    done = [row for row in rows if row["状態"] == "修了"]
    assert [(row["職員番号"], row["氏名"], row["コース"], row["得点"], row["受験回数"]) for row in done] == [
        ("N0001", "髙橋 一郎", kanri, "100", "1")
    ]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", done[0]["修了日"])
    assert {row["状態"] for row in rows if row is not done[0]} == {"未受講"}
