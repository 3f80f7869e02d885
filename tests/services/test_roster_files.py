"""Rosters as HR keeps them: Excel workbooks read directly, other Excel saves refused in one message,
numbers that lost their leading zeros caught, namesakes pointed out, departments in the city's order."""

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import Department, Employee
from elearn.services.roster import RosterRefused, import_roster, parse_roster, plan_import, read_roster
from elearn.services.roster_formats import RosterFormat, sniff
from elearn.services.roster_template import COLUMNS, EXAMPLE

HEADER = ["職員番号", "氏名", "所属", "役割"]


def workbook(rows, *, formats: dict[tuple[int, int], str] | None = None, second_sheet=None) -> bytes:
    """An .xlsx as Excel saves it; ``formats`` gives a number format per (row, column), 1-based."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for (row, column), number_format in (formats or {}).items():
        sheet.cell(row, column).number_format = number_format
    if second_sheet is not None:
        other = book.create_sheet("別シート")
        for row in second_sheet:
            other.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def count() -> int:
    return db.session.scalar(select(func.count(Employee.id)))


def test_an_excel_roster_is_read_from_its_first_sheet(app):
    data = workbook(
        [
            HEADER,
            ["X001", "青木 花子", "市民課", "employee"],
            [None, None, None, None],
            ["X002", "石田 健", "課税課", None],
        ],
        second_sheet=[HEADER, ["Z999", "別 シート", "市民課", "employee"]],
    )
    roster = parse_roster(data)
    assert roster.errors == []
    assert roster.encoding == "xlsx"
    assert [(r.line, r.employee_no, r.name) for r in roster.rows] == [
        (2, "X001", "青木 花子"),
        (4, "X002", "石田 健"),
    ]
    summary = import_roster(roster)
    assert summary.added == 2


def test_numbers_dates_and_a_zero_padded_number_format_read_as_excel_shows_them(app):
    data = workbook(
        [
            [*HEADER, "雇用区分"],
            [1207, "数値 一郎", "市民課", "", date(2026, 4, 1)],
            [15, "書式 花子", "市民課", "", 2.0],
        ],
        formats={(3, 1): "000000"},
    )
    roster = parse_roster(data)
    assert roster.errors == []
    assert [(r.employee_no, r.employment_type) for r in roster.rows] == [
        ("1207", "2026-04-01"),
        ("000015", "2"),
    ]


def test_every_bad_row_of_a_workbook_is_listed_by_its_row_number(app):
    data = workbook(
        [
            HEADER,
            ["X001", "", "市民課", "employee"],
            ["X001", "重複", "市民課", "employee"],
            ["X003", "余分", "市民課", "employee", "はみ出し"],
        ]
    )
    roster = parse_roster(data)
    assert [e.line for e in roster.errors] == [2, 4]
    assert "見出しのない列" in roster.errors[1].message


def test_a_file_that_is_not_a_workbook_but_looks_like_one_is_one_clear_error(app):
    roster = parse_roster(b"PK\x03\x04 not really a zip")
    assert len(roster.errors) == 1 and "Excel ブックとして読めません" in roster.errors[0].message


@pytest.mark.parametrize(
    ("data", "kind", "words"),
    [
        ("職員番号\t氏名\t所属\r\n".encode("utf-16"), RosterFormat.UTF16, "Unicode テキスト"),
        ("職員番号,氏名,所属\r\n".encode("utf-16-le"), RosterFormat.UTF16, "Unicode テキスト"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, RosterFormat.XLS, ".xls"),
    ],
)
def test_utf16_text_and_old_xls_files_get_one_message_saying_what_to_save_as(app, data, kind, words):
    assert sniff(data) is kind
    roster = parse_roster(data)
    assert len(roster.errors) == 1
    assert words in roster.errors[0].message
    assert "CSV UTF-8" in roster.errors[0].message and ".xlsx" in roster.errors[0].message


def test_a_number_that_lost_its_leading_zeros_is_an_error_naming_both(app, people):
    people.employee(employee_no="001207", name="零 落太")
    roster = read_roster(workbook([HEADER, [1207, "零 落太", "市民課", "employee"]]))
    assert len(roster.errors) == 1
    assert roster.errors[0].line == 2
    assert (
        "1207" in roster.errors[0].message
        and "001207 の先頭の 0 が落ちていませんか" in roster.errors[0].message
    )
    with pytest.raises(RosterRefused):  # also when a caller skips read_roster
        import_roster(parse_roster("職員番号,氏名,所属\n1207,零 落太,市民課\n".encode()))
    assert count() == 1


def test_a_new_employee_with_an_existing_name_is_a_warning_not_an_error(app, people):
    people.employee(employee_no="A100", name="髙橋 一郎", department="課税課")
    roster = read_roster("職員番号,氏名,所属\nA200,高橋 一郎,市民課\n".encode())
    assert roster.errors == []
    plan = plan_import(roster)
    assert len(plan.added) == 1
    [warning] = plan.warnings
    assert warning.line == 2 and "A100" in warning.message and "課税課" in warning.message


def test_department_codes_and_kana_from_the_roster_are_kept(app):
    roster = parse_roster(
        "職員番号,氏名,所属,所属コード,所属カナ\nK1,甲,市民課,0200,シミンカ\nK2,乙,会計課,0100,カイケイカ\n".encode()
    )
    import_roster(roster)
    kept = {d.name: (d.code, d.kana) for d in db.session.scalars(select(Department))}
    assert kept == {"市民課": ("0200", "シミンカ"), "会計課": ("0100", "カイケイカ")}
    names = list(db.session.scalars(select(Department.name).order_by(*Department.ordering())))
    assert names == ["会計課", "市民課"]


def test_one_department_given_two_codes_is_an_error(app):
    roster = parse_roster("職員番号,氏名,所属,所属コード\nK1,甲,市民課,0200\nK2,乙,市民課,0300\n".encode())
    assert [e.line for e in roster.errors] == [3]


def test_departments_without_a_code_follow_their_kana_then_their_name(app, people):
    for name, code, kana in [
        ("福祉課", None, "フクシカ"),
        ("市民課", None, "シミンカ"),
        ("財政課", "0001", None),
        ("a課", None, None),
    ]:
        db.session.add(Department(name=name, code=code, kana=kana))
    db.session.commit()
    names = list(db.session.scalars(select(Department.name).order_by(*Department.ordering())))
    assert names == ["財政課", "市民課", "福祉課", "a課"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_reads_back_as_a_valid_roster_with_its_example_row(client, auth, people, fmt):
    from elearn.models import Role

    auth.login_as(people.employee(Role.HR))
    response = client.get(f"/hr/roster/template.{fmt}")
    assert response.status_code == 200
    roster = parse_roster(response.data)
    assert roster.errors == []
    assert set(COLUMNS) == set(roster.columns)
    assert roster.rows[0].employee_no == EXAMPLE[0] == "001207"
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.data)).active
        assert sheet["A2"].data_type == "s"  # text: Excel keeps the leading zeros
