"""Exemptions (免除): shown as 免除 in the year's record, left out of rates, withdrawn with a reason,
imported from a CSV all or nothing, audited."""

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import AuditEvent, Exemption, Role
from elearn.services.assignments import assign_required_courses
from elearn.services.audit import Actor
from elearn.services.dashboard import dashboard
from elearn.services.exemptions import (
    ExemptionError,
    ImportRefused,
    exempt,
    import_exemptions,
    plan_exemptions,
    withdraw,
)
from elearn.services.progress import Status, my_courses
from elearn.services.record_export import completion_table
from elearn.services.reports import ReportFilter
from tests.records import completed, course

YEAR = current_fiscal_year()
BASIC = "基本方針を理解する"


def staff(people):
    hr = people.employee(Role.HR, employee_no="H001", department="職員課")
    on_leave = people.employee(employee_no="A001", department="市民課")
    working = people.employee(employee_no="A002", department="市民課")
    assign_required_courses(YEAR)
    return hr, on_leave, working


def statuses(report: ReportFilter) -> dict[tuple[str, str], tuple[str, str]]:
    """(職員番号, コース) -> (状態, 免除理由) from the export's rows."""
    return {(row[1], row[10]): (row[13], row[20]) for row in completion_table(report)}


def test_an_exempt_assignment_shows_exempt_and_leaves_the_rate(app, people):
    hr, on_leave, working = staff(people)
    completed(working)
    before = dashboard(ReportFilter(YEAR)).total
    exempt(on_leave, course(), YEAR, "育児休業（4月から1年）", Actor.of(hr))

    assert statuses(ReportFilter(YEAR))[("A001", BASIC)] == ("免除", "育児休業（4月から1年）")
    after = dashboard(ReportFilter(YEAR)).total
    assert after.exempt == 1 and after.assigned == before.assigned
    assert after.required == before.required - 1
    assert after.rate > before.rate
    basic = next(s for s in my_courses(on_leave, YEAR) if s.course.key == "kihon-houshin")
    assert basic.status is Status.EXEMPT
    assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "exemption"


def test_a_withdrawn_exemption_counts_again_and_stays_on_record(app, people):
    hr, on_leave, _ = staff(people)
    made = exempt(on_leave, course(), YEAR, "病気休暇", Actor.of(hr))
    withdraw(made, "復職したため", Actor.of(hr))
    assert statuses(ReportFilter(YEAR))[("A001", BASIC)] == ("未受講", "")
    assert dashboard(ReportFilter(YEAR)).total.exempt == 0
    kept = db.session.get(Exemption, made.id)
    assert kept.withdrawn_at is not None and kept.withdrawal_reason == "復職したため"
    again = exempt(on_leave, course(), YEAR, "休職", Actor.of(hr))  # a new one may follow
    assert again.id != made.id


def test_a_completion_wins_over_an_exemption_and_none_is_made_after_it(app, people):
    hr, on_leave, _ = staff(people)
    completed(on_leave)
    with pytest.raises(ExemptionError, match="修了"):
        exempt(on_leave, course(), YEAR, "休職", Actor.of(hr))


def test_the_csv_lists_every_bad_row_and_imports_nothing(app, people):
    hr, _, _ = staff(people)
    data = (
        "職員番号,コース,年度,理由\r\n"
        f"A001,kihon-houshin,{YEAR},育児休業\r\n"
        f"Z999,kihon-houshin,{YEAR},休職\r\n"
        f"A002,no-such-course,{YEAR},休職\r\n"
        f"A002,{BASIC},{YEAR},旅行\r\n"
        f"A002,kihon-houshin,{YEAR},その他\r\n"
        f"A001,kihon-houshin,{YEAR},休職\r\n"
    ).encode()
    plan = plan_exemptions(data)
    assert [e.line for e in plan.errors] == [3, 4, 5, 6, 7]
    assert "Z999" in str(plan.errors[0]) and "6行目" not in str(plan.errors[0])
    assert "2行目と同じ" in plan.errors[-1].message
    with pytest.raises(ImportRefused):
        import_exemptions(data, Actor.of(hr))
    assert db.session.scalar(select(func.count(Exemption.id))) == 0


def test_the_csv_exempts_every_row_in_one_audited_import(app, people):
    hr, _, _ = staff(people)
    data = (
        "職員番号,コース,年度,理由\r\n"
        f"ａ００１,kihon-houshin,{YEAR},派遣・出向：県へ出向\r\n"  # full-width, as typed in Japanese input
        f"A002,{BASIC},{YEAR}年度,休職\r\n"
    )
    plan = plan_exemptions(data.encode("cp932"))
    assert plan.errors == []
    assert import_exemptions(data.encode(), Actor.of(hr), expected_digest=plan.digest()) == 2
    assert statuses(ReportFilter(YEAR))[("A001", BASIC)] == ("免除", "派遣・出向（県へ出向）")


def test_the_command_line_adds_imports_and_withdraws(app, runner, people, tmp_path):
    staff(people)
    result = runner.invoke(
        args=["exempt", "add", "A001", "--course", "kihon-houshin", "--year", str(YEAR), "--reason", "休職"]
    )
    assert result.exit_code == 0, result.output
    file = tmp_path / "exempt.csv"
    file.write_text(f"職員番号,コース,年度,理由\nA002,kihon-houshin,{YEAR},病気休暇\nA003,x,{YEAR},休職\n")
    bad = runner.invoke(args=["exempt", "import", str(file)])
    assert bad.exit_code == 1 and f"{file}:3: 職員番号 A003 の職員はいません" in bad.output
    file.write_text(f"職員番号,コース,年度,理由\nA002,kihon-houshin,{YEAR},病気休暇\n")
    dry = runner.invoke(args=["exempt", "import", str(file), "--dry-run"])
    assert dry.exit_code == 0 and "nothing was written" in dry.output
    assert db.session.scalar(select(func.count(Exemption.id))) == 1
    assert runner.invoke(args=["exempt", "import", str(file)]).exit_code == 0
    withdrawn = runner.invoke(
        args=[
            "exempt",
            "withdraw",
            "A001",
            "--course",
            "kihon-houshin",
            "--year",
            str(YEAR),
            "--reason",
            "誤り",
        ]
    )
    assert withdrawn.exit_code == 0, withdrawn.output
    db.session.expire_all()
    assert statuses(ReportFilter(YEAR))[("A001", BASIC)][0] == "未受講"
    assert statuses(ReportFilter(YEAR))[("A002", BASIC)][0] == "免除"
