"""In-person sessions (集合研修): an attendance row completes the course for the fiscal year of its
date with 修了方法 集合研修 and no score; append-only, audited, all or nothing."""

from datetime import date

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year, fiscal_year_bounds
from elearn.models import Attendance, AuditEvent, Completion, Employee, Role
from elearn.services.assignments import assign_required_courses
from elearn.services.attendance import import_attendance, plan_attendance
from elearn.services.audit import Actor
from elearn.services.exemptions import ImportRefused
from elearn.services.record_export import completion_table
from elearn.services.reports import ReportFilter
from tests.records import completed

YEAR = current_fiscal_year()
BASIC = "基本方針を理解する"
HEADER = "職員番号,コース,実施日,研修名,講師,備考\r\n"


def a_day_this_year() -> str:
    """A day of this fiscal year that is not in the future."""
    return fiscal_year_bounds(YEAR)[0].isoformat()


def staff(people):
    hr = people.employee(Role.HR, employee_no="H001", department="職員課")
    people.employee(employee_no="G001", name="清掃 一郎", department="環境課", employment_type="現業職員")
    people.employee(employee_no="G002", name="給食 花子", department="学校給食課")
    assign_required_courses(YEAR)
    return hr


def test_attendance_completes_the_course_for_the_year_of_its_date_as_in_person(app, people):
    hr = staff(people)
    day = a_day_this_year()
    slashed = day.replace("-", "/")  # as Excel saves a date
    data = f"{HEADER}G001,kihon-houshin,{slashed},カスハラ対策研修（清掃）,人事課 佐藤,\r\n".encode()
    plan = plan_attendance(data)
    assert plan.errors == []
    assert import_attendance(data, Actor.of(hr), expected_digest=plan.digest()) == 1

    rows = {(r[1], r[10]): r for r in completion_table(ReportFilter(YEAR))}
    row = rows[("G001", BASIC)]
    assert (row[13], row[14], row[15], row[16]) == ("修了", date.fromisoformat(day), "集合研修", "")
    assert row[19]  # a certificate number, as for every completion
    completion = db.session.scalar(select(Completion).where(Completion.attendance_id.is_not(None)))
    assert completion.fiscal_year == YEAR and completion.attempt_id is None and completion.score is None
    assert completion.attendance.session_name == "カスハラ対策研修（清掃）"
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert event.action == "attendance" and "G001" in str(event.details)


def test_every_bad_row_is_listed_and_nothing_is_recorded(app, people):
    hr = staff(people)
    day = a_day_this_year()
    completed(db.session.scalar(select(Employee).filter_by(employee_no="G002")))
    data = (
        f"{HEADER}"
        f"G001,kihon-houshin,{day},研修,,\r\n"
        f"X001,kihon-houshin,{day},研修,,\r\n"
        f"G001,kihon-houshin,2026-13-01,研修,,\r\n"
        f"G001,kihon-houshin,2999-04-01,研修,,\r\n"
        f"G001,kihon-houshin,{day},,,\r\n"
        f"G001,kihon-houshin,{day},研修,,\r\n"
        f"G002,kihon-houshin,{day},研修,,\r\n"
    ).encode()
    plan = plan_attendance(data)
    assert [e.line for e in plan.errors] == [3, 4, 5, 6, 7, 8]
    messages = [e.message for e in plan.errors]
    assert "X001" in messages[0] and "未来" in messages[2] and "研修名" in messages[3]
    assert "2行目と同じ" in messages[4] and "すでに修了" in messages[5]
    with pytest.raises(ImportRefused):
        import_attendance(data, Actor.of(hr))
    assert db.session.scalar(select(func.count(Attendance.id))) == 0


def test_attendance_records_are_append_only(app, people):
    hr = staff(people)
    import_attendance(f"{HEADER}G001,kihon-houshin,{a_day_this_year()},研修,,\r\n".encode(), Actor.of(hr))
    for statement in (update(Attendance).values(session_name="別の研修"), delete(Attendance)):
        with pytest.raises(DBAPIError):
            db.session.execute(statement)
        db.session.rollback()


def test_the_command_line_checks_dry_runs_and_imports(app, runner, people, tmp_path):
    staff(people)
    file = tmp_path / "attendance.csv"
    file.write_text(
        f"職員番号,コース,実施日,研修名\nG001,kihon-houshin,{a_day_this_year()},研修\nG009,x,x,\n"
    )
    bad = runner.invoke(args=["attendance", "import", str(file)])
    assert bad.exit_code == 1 and f"{file}:3: 職員番号 G009 の職員はいません" in bad.output
    file.write_text(f"職員番号,コース,実施日,研修名\nG001,kihon-houshin,{a_day_this_year()},研修\n")
    assert runner.invoke(args=["attendance", "import", str(file), "--dry-run"]).exit_code == 0
    assert db.session.scalar(select(func.count(Completion.id))) == 0
    result = runner.invoke(args=["attendance", "import", str(file)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Completion.id))) == 1
