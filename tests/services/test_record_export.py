"""The year's record as a file: every column is computed by the export's query, on SQLite and on
PostgreSQL alike, and the CSV is the XLSX's rows with formulas quoted."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import AssignmentScope, Lesson, Role
from elearn.services.assignments import add_rule
from elearn.services.audit import Actor
from elearn.services.deadlines import japan_today
from elearn.services.exemptions import exempt
from elearn.services.exports import csv_chunks, safe_cell
from elearn.services.progress import record_lesson_read
from elearn.services.record_export import COMPLETION_HEADER, completion_table, csv_rows
from elearn.services.reports import ReportFilter
from elearn.services.rule_changes import withdraw_rule
from tests.records import completed, course, started

YEAR = current_fiscal_year()
BASIC = "基本方針を理解する"


def slugs(key: str = "kihon-houshin") -> list[str]:
    return list(
        db.session.scalars(select(Lesson.slug).where(Lesson.course_version_id == course(key).current.id))
    )


@pytest.fixture
def year_record(app, people):
    """A year with a leaver whose texts begin like formulas, two exemptions, a reader of more lessons
    than the course has now, and a record kept from a withdrawn rule."""
    hr = Actor.of(people.employee(Role.HR, employee_no="H001", department="職員課"))
    leaver = people.employee(
        employee_no="A001",
        name="=HYPERLINK(1)",
        name_kana="＋カナ",
        employment_type="-任期付職員",
        department="@市民課",
    )
    abroad = people.employee(employee_no="A002", department="市民課")
    on_leave = people.employee(employee_no="A003", department="市民課")
    reader = people.employee(employee_no="A004", department="市民課")
    add_rule(YEAR, course(), AssignmentScope.ALL, actor=hr, due_date=date(YEAR + 1, 2, 28))
    kanri = add_rule(YEAR, course("kanri"), AssignmentScope.ALL, actor=hr).rule
    completed(leaver)
    started(reader, "kanri")
    exempt(abroad, course(), YEAR, "その他（海外派遣）", hr)
    exempt(on_leave, course(), YEAR, "育児休業", hr)
    for slug in [*slugs(), "a-lesson-of-an-older-version"]:
        record_lesson_read(reader, course().id, slug, YEAR)
    withdraw_rule(kanri, "誤って全員に割り当てたため", hr)
    leaver.active = False
    leaver.deactivated_at = datetime(YEAR, 10, 1, 20, 0, tzinfo=UTC)  # 2 October in Japan
    db.session.commit()
    return hr


def by_key(rows) -> dict[tuple[str, str], dict[str, object]]:
    found = [dict(zip(COMPLETION_HEADER, row, strict=True)) for row in rows]
    return {(r["職員番号"], r["コース"]): r for r in found}


def test_the_columns_the_query_computes(year_record):
    rows = by_key(completion_table(ReportFilter(YEAR)))
    leaver = rows[("A001", BASIC)]
    assert (leaver["年度"], leaver["氏名"], leaver["氏名カナ"], leaver["雇用区分"]) == (
        YEAR, "=HYPERLINK(1)", "＋カナ", "-任期付職員"
    )  # fmt: skip
    assert (leaver["所属"], leaver["現所属"], leaver["役割"], leaver["割当"]) == (
        "@市民課",
        "@市民課",
        "職員",
        "必修",
    )
    assert leaver["在籍"] == f"無効（{YEAR}-10-02）"
    assert (leaver["状態"], leaver["修了方法"], leaver["受講期限"]) == (
        "修了",
        "オンライン",
        date(YEAR + 1, 2, 28),
    )
    assert isinstance(leaver["修了日"], date) and leaver["修了証番号"] and leaver["免除理由"] == ""
    assert leaver["受験回数"] == 1 and leaver["得点"] == 100 and leaver["割当取消"] == ""
    assert (
        rows[("A002", BASIC)]["状態"] == "免除" and rows[("A002", BASIC)]["免除理由"] == "その他（海外派遣）"
    )
    assert rows[("A003", BASIC)]["免除理由"] == "育児休業"
    assert rows[("A003", BASIC)]["在籍"] == "在籍" and rows[("A003", BASIC)]["受験回数"] == 0
    lessons = len(slugs())
    reader = rows[("A004", BASIC)]
    assert (reader["状態"], reader["レッスン既読"]) == ("受講中", f"{lessons}/{lessons}")  # at most N of N
    assert (reader["修了日"], reader["得点"], reader["修了証番号"]) == ("", "", "")


def test_a_record_kept_from_a_withdrawn_rule_is_marked_in_the_last_column(year_record):
    rows = by_key(completion_table(ReportFilter(YEAR)))
    kept = [r for r in rows.values() if r["割当取消"]]
    assert [(r["職員番号"], r["状態"]) for r in kept] == [("A004", "受講中")]  # the untouched ones are gone
    assert kept[0]["割当取消"] == f"取消（{japan_today().isoformat()}）"  # withdrawn today, in Japan
    assert COMPLETION_HEADER[-1] == "割当取消" and len(COMPLETION_HEADER) == 22


def test_the_csv_is_the_sheets_rows_with_formulas_quoted(year_record):
    report = ReportFilter(YEAR)
    sheet = [
        [safe_cell(v.isoformat() if isinstance(v, date) else v) for v in row]
        for row in completion_table(report)
    ]
    written = "".join(csv_chunks(COMPLETION_HEADER, csv_rows(report), formula_safe=True))
    table = list(csv.reader(io.StringIO(written.removeprefix("\ufeff"))))
    assert table[0] == list(COMPLETION_HEADER)
    assert table[1:] == sheet
    leaver = dict(zip(COMPLETION_HEADER, next(r for r in table if r[1] == "A001"), strict=True))
    assert (leaver["氏名"], leaver["氏名カナ"], leaver["雇用区分"], leaver["所属"]) == (
        "'=HYPERLINK(1)", "'＋カナ", "'-任期付職員", "'@市民課"
    )  # fmt: skip


@pytest.mark.parametrize("rows", [csv_rows, completion_table], ids=["csv", "xlsx"])
def test_the_rows_are_read_only_when_the_download_streams_after_the_request_committed(year_record, rows):
    """A download's response streams after the request's own commits (the session's last use, the audit
    trail); on PostgreSQL a cursor opened before them is gone by then."""
    streamed = rows(ReportFilter(YEAR))
    db.session.commit()
    assert len(list(streamed)) == len(list(rows(ReportFilter(YEAR)))) > 0
