"""The audit trail: every HR action recorded with who, when and what; the records are append-only."""

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import Attempt, AuditEvent, Completion, Role
from tests.records import completed, course, started

YEAR = current_fiscal_year()


def actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_every_hr_action_is_recorded_with_who_and_what(client, auth, people):
    hr = people.employee(Role.HR, employee_no="H001", name="人事 太郎", department="職員課")
    people.employee(employee_no="E001")
    auth.login_as(hr)

    roster = "職員番号,氏名,所属\nN001,新人 一,市民課\n".encode()
    location = client.post(
        "/hr/roster", data={"file": (io.BytesIO(roster), "r.csv")}, content_type="multipart/form-data"
    ).headers["Location"]
    client.get(location)
    client.post(location)
    client.post(
        "/hr/assignments", data={"year": YEAR, "course": course().id, "scope": "all", "confirmed": "y"}
    )
    client.post("/hr/accounts", data={"department": ""})
    client.post("/hr/employees/E001/reset")
    client.get(f"/hr/reports/completions.csv?year={YEAR}")
    client.get(f"/hr/reports/completions.xlsx?year={YEAR}")
    client.get("/analysis/items.csv")

    assert actions() == [
        "roster.import",
        "assignment.rule",
        "accounts.codes",
        "accounts.reset",
        "export",
        "export",
        "export",
    ]
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert {e.actor_label for e in events} == {"H001 人事 太郎"}
    assert all(e.actor_id == hr.id and e.occurred_at is not None for e in events)
    assert "基本方針を理解する" in events[1].summary and events[1].details["assigned"] == 3
    assert events[3].details["employee_no"] == "E001"
    assert events[5].details["format"] == "xlsx"


def test_an_action_that_fails_leaves_no_record(client, auth, people):
    auth.login_as(people.employee(Role.HR))
    data = {"year": YEAR, "course": course().id, "scope": "all", "confirmed": "y"}
    client.post("/hr/assignments", data=data)
    client.post("/hr/assignments", data=data)  # refused: the same rule again
    assert actions() == ["assignment.rule"]


def test_hr_reads_and_downloads_the_trail_and_the_download_is_recorded_too(client, auth, people):
    auth.login_as(people.employee(Role.HR, employee_no="H001", name="人事 太郎"))
    client.post(
        "/hr/assignments", data={"year": YEAR, "course": course().id, "scope": "all", "confirmed": "y"}
    )
    page = client.get("/hr/audit").get_data(as_text=True)
    assert "研修の割当" in page and "H001 人事 太郎" in page
    assert "0 件" in client.get("/hr/audit?action=export").get_data(as_text=True)

    response = client.get("/hr/audit.csv")
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert table[0] == ["日時", "実行者", "操作", "内容", "詳細"]
    assert table[1][1:3] == ["H001 人事 太郎", "研修の割当"]
    assert actions()[-1] == "export"


def test_the_trails_details_are_written_for_people_not_as_python(client, auth, people):
    auth.login_as(people.employee(Role.HR, employee_no="H001", name="人事 太郎"))
    department = people.department("市民課")
    client.get(f"/hr/reports/completions.csv?year={YEAR}&department={department.id}")
    table = list(csv.reader(io.StringIO(client.get("/hr/audit.csv").data.decode("utf-8-sig"))))
    details = table[1][4]
    assert details == f"形式: csv、帳票: 修了状況、絞り込み: 年度 {YEAR}・所属 市民課・在籍 全員"
    assert "{" not in details and "=" not in details


def test_the_trail_is_filtered_by_day_and_actor(client, auth, people):
    first = people.employee(Role.HR, employee_no="H001", name="人事 太郎")
    second = people.employee(Role.HR, employee_no="H002", name="総務 花子")
    for actor, day in (
        (first, datetime(2026, 5, 1, 1, tzinfo=UTC)),
        (second, datetime(2026, 6, 10, 15, 30, tzinfo=UTC)),
    ):
        auth.login_as(actor)
        client.get(f"/hr/reports/completions.csv?year={YEAR}")
        label = f"{actor.employee_no} {actor.name}"
        # Events of another day, as the trail refuses updates to move the download's own.
        db.session.add(
            AuditEvent(
                occurred_at=day, actor_id=actor.id, actor_label=label, action="export", summary="テスト"
            )
        )
        db.session.commit()

    def shown(**query) -> int:
        page = client.get("/hr/audit", query_string={"action": "export", **query}).get_data(as_text=True)
        return page.count("<td>テスト")

    assert shown() == 2
    assert shown(actor="H002") == 1 and shown(actor="太郎") == 1
    assert shown(since="2026-06-01") == 1
    assert shown(until="2026-06-10") == 1  # 15:30 UTC on the 10th is 00:30 on the 11th in Japan
    assert shown(since="2026-05-01", until="2026-05-01") == 1
    csv_rows = client.get("/hr/audit.csv", query_string={"actor": "H001"}).data.decode("utf-8-sig")
    assert "総務 花子" not in csv_rows and "人事 太郎" in csv_rows


def test_completions_and_the_audit_trail_cannot_be_changed_or_deleted(app, people):
    record = completed(people.employee())
    db.session.add(AuditEvent(actor_label="x", action="export", summary="x", details={}))
    db.session.commit()
    statements = [
        update(Completion).values(score=0),
        delete(Completion),
        update(AuditEvent).values(summary="rewritten"),
        delete(AuditEvent),
        delete(Attempt),
        update(Attempt).where(Attempt.id == record.attempt_id).values(score=100, passed=False),
    ]
    for statement in statements:
        with pytest.raises(DBAPIError):
            db.session.execute(statement)
        db.session.rollback()
    assert db.session.get(Completion, record.id).score == 100


def test_an_open_attempt_can_still_be_worked_on(app, people):
    attempt = started(people.employee())
    db.session.execute(text("UPDATE attempts SET number = number WHERE id = :id"), {"id": attempt.id})
    db.session.commit()


def test_command_line_actions_are_recorded_with_the_command_line_as_actor(app, runner, people, tmp_path):
    people.employee(employee_no="E001")
    assert runner.invoke(args=["user", "set-password", "E001"], input="new-secret-42\n").exit_code == 0
    assert runner.invoke(args=["report", "items", "-o", str(tmp_path / "items.csv")]).exit_code == 0
    assert actions() == ["accounts.password", "export"]
    assert all(e.actor_label.startswith("CLI ") for e in db.session.scalars(select(AuditEvent)))
