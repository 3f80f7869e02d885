"""HR's roster CSV: every bad row reported by line, nothing imported unless all rows are good."""

from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import Employee
from elearn.services.roster import import_roster, parse_roster, plan_import

GOOD = "職員番号,氏名,所属,役割\r\nR001,青木 花子,市民課,employee\r\nR002,石田 健,課税課,manager\r\n"


def employee_count() -> int:
    return db.session.scalar(select(func.count(Employee.id)))


def test_good_roster_in_utf8_with_bom_is_imported(app):
    roster = parse_roster(("\ufeff" + GOOD).encode("utf-8"))
    assert roster.errors == []
    summary = import_roster(roster)
    assert (summary.added, summary.updated) == (2, 0)
    manager = db.session.scalar(select(Employee).where(Employee.employee_no == "R002"))
    assert manager.role == "manager" and manager.department.name == "課税課"


def test_roster_saved_by_excel_in_shift_jis_is_read(app):
    roster = parse_roster(GOOD.encode("cp932"))
    assert roster.errors == []
    assert roster.encoding == "cp932"
    assert [r.name for r in roster.rows] == ["青木 花子", "石田 健"]


def test_reimport_updates_changed_rows_only(app):
    import_roster(parse_roster(GOOD.encode()))
    changed = GOOD.replace("石田 健,課税課", "石田 健,市民課")
    summary = import_roster(parse_roster(changed.encode()))
    assert (summary.added, summary.updated, summary.unchanged) == (0, 1, 1)


def test_every_bad_row_is_listed_and_nothing_is_imported(app, runner, tmp_path):
    before = employee_count()
    bad = (
        "職員番号,氏名,所属,役割\n"
        "R001,青木 花子,市民課,employee\n"
        "R002,,課税課,employee\n"  # line 3: no name
        "R001,重複 太郎,市民課,employee\n"  # line 4: duplicate number
        "R004,大野 美咲,福祉課,boss\n"  # line 5: unknown role
        "R005,加藤,道路課\n"  # line 6: too few columns
    )
    path = tmp_path / "roster.csv"
    path.write_text(bad, encoding="utf-8")
    result = runner.invoke(args=["roster", "import", str(path)])
    assert result.exit_code == 1
    for line in (3, 4, 5, 6):
        assert f"roster.csv:{line}:" in result.output
    assert "roster.csv:2:" not in result.output
    assert "nothing was imported" in result.output
    assert employee_count() == before


def test_missing_required_column_is_reported_on_line_one(app):
    roster = parse_roster("職員番号,氏名\nR001,青木\n".encode())
    assert [(e.line, "所属" in e.message) for e in roster.errors] == [(1, True)]


def test_line_in_a_different_encoding_is_reported(app):
    data = GOOD.encode("utf-8") + "R003,加藤 直樹,福祉課,employee\r\n".encode("cp932")
    roster = parse_roster(data)
    assert [e.line for e in roster.errors] == [4]
    assert "文字コード" in roster.errors[0].message


def test_the_plan_names_each_changed_field_and_leaves_missing_columns_alone(app):
    import_roster(
        parse_roster("職員番号,氏名,所属,役割,雇用区分\nR001,青木 花子,市民課,employee,正規職員\n".encode())
    )
    # No 雇用区分 column this time: the employment type stays as it is.
    plan = plan_import(parse_roster("職員番号,氏名,所属,役割\nR001,青木 花子,課税課,manager\n".encode()))
    [change] = plan.changed
    assert [(f.label, f.old, f.new) for f in change.changes] == [
        ("所属", "市民課", "課税課"),
        ("役割", "職員", "管理監督者"),
    ]
    assert plan.new_departments == ["課税課"]


def test_a_deactivated_employee_listed_again_is_reactivated(app):
    import_roster(parse_roster(GOOD.encode()))
    import_roster(parse_roster("職員番号,氏名,所属\nR001,青木 花子,市民課\n".encode()), full=True)
    assert not db.session.scalar(select(Employee).where(Employee.employee_no == "R002")).active
    plan = plan_import(parse_roster(GOOD.encode()))
    assert [(c.row.employee_no, [(f.label, f.new) for f in c.changes]) for c in plan.changed] == [
        ("R002", [("在籍", "在籍")])
    ]
    import_roster(parse_roster(GOOD.encode()))
    again = db.session.scalar(select(Employee).where(Employee.employee_no == "R002"))
    assert again.active and again.deactivated_at is None


def test_the_plan_digest_changes_when_the_database_does(app):
    roster = parse_roster(GOOD.encode())
    before = plan_import(roster).digest()
    assert plan_import(roster).digest() == before
    import_roster(parse_roster("職員番号,氏名,所属\nR001,青木 花子,福祉課\n".encode()))
    assert plan_import(roster).digest() != before


def test_control_characters_and_bidi_overrides_in_names_and_departments_are_refused_by_line(app):
    rows = [
        'R001,"青木\n花子",市民課',  # a line feed inside a quoted name: lines 2-3
        "R002,石田\x1b[31m健,課税課",
        "R003,大野\x07,福祉課",
        "R004,加藤\x00直樹,道路課",
        "R005,山田 太郎,\u202e課民市",  # reads as 市民課 backwards
        "R006,佐藤\u2066一郎\u2069,市民課",
        "R007,鈴木 次郎,市民課",
    ]
    roster = parse_roster(("職員番号,氏名,所属\n" + "\n".join(rows) + "\n").encode())
    assert [(e.line, e.message.split(":")[0]) for e in roster.errors] == [
        (3, "氏名に使えない文字（制御文字や文字の向きを変える記号）があります"),
        (4, "氏名に使えない文字（制御文字や文字の向きを変える記号）があります"),
        (5, "氏名に使えない文字（制御文字や文字の向きを変える記号）があります"),
        (6, "氏名に使えない文字（制御文字や文字の向きを変える記号）があります"),
        (7, "所属に使えない文字（制御文字や文字の向きを変える記号）があります"),
        (8, "氏名に使えない文字（制御文字や文字の向きを変える記号）があります"),
    ]
    assert roster.errors[4].message.endswith("U+202E")
    assert [r.employee_no for r in roster.rows] == ["R007"]


def test_a_header_with_more_than_a_hundred_columns_is_refused_on_line_one(app):
    header = ",".join(["職員番号", "氏名", "所属", *(f"列{n}" for n in range(97))])
    assert parse_roster(f"{header}\nR001,青木,市民課{',' * 97}\n".encode()).errors == []
    roster = parse_roster(f"{header},もう一列\nR001,青木,市民課{',' * 98}\n".encode())
    assert [(e.line, e.message) for e in roster.errors] == [(1, "列が多すぎます（101 列、100 列まで）")]


def test_duplicate_column_names_are_reported_once_each(app):
    roster = parse_roster("職員番号,氏名,所属,氏名,所属,所属\nR001,a,b,c,d,e\n".encode())
    assert [(e.line, e.message) for e in roster.errors] == [(1, "列名が重複しています: 所属、氏名")]


def test_employee_numbers_typed_full_width_or_lower_case_are_the_stored_numbers(app):
    import_roster(parse_roster(GOOD.encode()))
    typed = "職員番号,氏名,所属,役割\r\nｒ００１,青木 花子,市民課,employee\r\nr002,石田 健,課税課,manager\r\n"
    roster = parse_roster(typed.encode("cp932"))
    assert [r.employee_no for r in roster.rows] == ["R001", "R002"]
    plan = plan_import(roster)
    assert (len(plan.added), plan.unchanged) == (0, 2)
