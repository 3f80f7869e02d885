"""The security log: sign-ins, failed sign-ins, lockouts, password changes, resets, activations and
refused access to others' records, each with who, when and from where; append-only in the database,
one JSON line each on the ``elearn.security`` logger, HR's page, and ``elearn audit export``."""

from __future__ import annotations

import csv
import io
import json
import logging
import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from elearn.database import utcnow
from elearn.extensions import db
from elearn.models import AuditEvent, Role, SecurityEvent, SecurityKind
from elearn.services import security_log
from elearn.services.activation import reset_account
from elearn.services.audit import Actor
from tests.conftest import PASSWORD
from tests.records import started

WRONG = "not-the-password"


def entries() -> list[SecurityEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(SecurityEvent).order_by(SecurityEvent.id)))


def kinds() -> list[str]:
    return [entry.kind for entry in entries()]


def test_sign_ins_failures_and_the_lockout_are_logged_with_the_address(client, people):
    employee = people.employee(employee_no="E001")
    login = {"employee_no": "E001", "password": PASSWORD}
    client.post("/login", data=login, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    client.post("/logout")
    for _ in range(5):
        client.post("/login", data={**login, "password": WRONG}, environ_base={"REMOTE_ADDR": "192.0.2.8"})
    assert kinds() == ["login", "logout", *["login.failed"] * 5, "login.lockout"]
    first, *_, lockout = entries()
    assert (first.employee_id, first.employee_no, first.address) == (employee.id, "E001", "192.0.2.7")
    assert (lockout.employee_no, lockout.address) == ("E001", "192.0.2.8")


def test_a_failed_sign_in_with_an_unknown_number_is_logged_as_typed(client):
    client.post("/login", data={"employee_no": "NOBODY", "password": WRONG})
    [entry] = entries()
    assert (entry.kind, entry.employee_no, entry.employee_id) == ("login.failed", "NOBODY", None)


def test_password_changes_resets_and_activations_are_logged(client, auth, people):
    hr = people.employee(Role.HR, employee_no="H001", name="人事 太郎")
    employee = people.employee(employee_no="E001")
    auth.login_as(employee)
    new = "a-long-and-private-phrase"
    client.post("/password", data={"current_password": PASSWORD, "password": new, "confirm": new})
    code = reset_account(employee, Actor.of(hr), days=14).code
    client.post("/activate", data={"employee_no": "E001", "code": code, "password": new, "confirm": new})
    assert kinds() == ["password.changed", "account.reset", "account.activated"]
    changed, reset, activated = entries()
    assert changed.actor_label == "E001" and reset.actor_label == "H001 人事 太郎"
    assert {e.employee_id for e in (changed, reset, activated)} == {employee.id}


def test_refused_access_to_others_records_and_pages_is_logged(client, auth, people):
    owner = people.employee(employee_no="E001")
    nosy = people.employee(employee_no="E002")
    attempt = started(owner)
    auth.login_as(nosy)
    assert client.get(f"/attempts/{attempt.id}").status_code == 404
    assert client.get("/hr/").status_code == 403
    assert client.get("/attempts/999999").status_code == 404  # nobody's: nothing to log
    logged = entries()
    assert [e.kind for e in logged] == ["access.refused", "access.refused"]
    assert all(e.employee_id == nosy.id for e in logged)
    assert f"/attempts/{attempt.id}" in logged[0].detail and "/hr/" in logged[1].detail


def test_each_event_is_one_json_line_on_the_security_logger_after_its_commit(client, people):
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    handler = Keep()
    logging.getLogger(security_log.LOGGER_NAME).addHandler(handler)
    try:
        people.employee(employee_no="E001")
        client.post("/login", data={"employee_no": "E001", "password": WRONG})
        security_log.record(SecurityKind.LOGIN, address="x", employee_no="E001")
        db.session.rollback()  # never committed: no line
    finally:
        logging.getLogger(security_log.LOGGER_NAME).removeHandler(handler)
    [line] = lines
    entry = json.loads(line)
    assert entry["kind"] == "login.failed" and entry["employee_no"] == "E001"
    assert {"at", "address", "actor", "detail"} <= entry.keys()


def test_the_security_log_cannot_be_changed_or_deleted(app):
    security_log.log(SecurityKind.LOGIN, address="192.0.2.1", employee_no="E001")
    for statement in (update(SecurityEvent).values(detail="rewritten"), delete(SecurityEvent)):
        with pytest.raises(DBAPIError):
            db.session.execute(statement)
        db.session.rollback()
    assert [e.detail for e in entries()] == [""]


def test_no_connection_can_replace_a_row_of_the_security_log(app, database):
    security_log.log(SecurityKind.LOGIN, address="192.0.2.1", employee_no="E001")
    [entry] = entries()
    db.session.rollback()  # the app's read must not hold the lock that TRUNCATE waits for
    if db.engine.dialect.name == "sqlite":
        connection = sqlite3.connect(make_url(database).database)
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            connection.execute(
                "INSERT OR REPLACE INTO security_events "
                "(id, occurred_at, kind, employee_no, actor_label, address, detail) "
                "VALUES (?, '2026-01-01 00:00:00', 'login', 'E001', '', '', 'forged')",
                (entry.id,),
            )
        connection.close()
    else:
        import psycopg

        plain = make_url(database).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(plain) as connection, pytest.raises(psycopg.Error, match="append-only"):
            connection.execute("SET lock_timeout = '60s'")  # a lock held elsewhere fails, never hangs
            connection.execute("TRUNCATE security_events")
    assert [e.detail for e in entries()] == [""]


def test_hr_reads_the_log_filtered_by_kind_and_date_paged(client, auth, people):
    auth.login_as(people.employee(Role.HR, employee_no="H001"))
    for number in range(60):
        security_log.log(SecurityKind.LOGIN_FAILED, address="192.0.2.9", employee_no=f"X{number:03d}")
    security_log.log(SecurityKind.LOGIN, address="192.0.2.9", employee_no="E001")
    page = client.get("/hr/security").get_data(as_text=True)
    assert "61 件" in page and "192.0.2.9" in page and "次のページ" in page
    assert "X000" not in page  # newest first: the oldest is on page 2
    assert "X000" in client.get("/hr/security?page=2").get_data(as_text=True)
    only = client.get("/hr/security?kind=login").get_data(as_text=True)
    assert "1 件" in only and "E001" in only
    today = utcnow().date()
    tomorrow = today + timedelta(days=2)
    assert "0 件" in client.get(f"/hr/security?since={tomorrow}").get_data(as_text=True)
    assert client.get("/hr/security?since=2026-13-01").status_code == 400
    assert client.get("/hr/security?page=99").status_code == 404


def test_hr_downloads_the_log_as_csv_and_the_download_is_audited(client, auth, people):
    auth.login_as(people.employee(Role.HR, employee_no="H001"))
    security_log.log(SecurityKind.LOGIN_FAILED, address="192.0.2.9", employee_no="=1+2")
    response = client.get("/hr/security.csv?kind=login.failed")
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["日時", "記録", "種類", "職員番号", "実行者", "アドレス", "内容"]
    assert rows[1][1:4] == ["セキュリティ", "ログインの失敗", "'=1+2"]
    assert db.session.scalar(select(AuditEvent.action)) == "export"


def test_the_command_line_exports_either_log_or_both_since_a_day(app, runner, people, tmp_path):
    employee = people.employee(employee_no="E001")
    security_log.log(SecurityKind.LOGIN, address="192.0.2.1", employee=employee)
    reset_account(employee, Actor.command_line(), days=14)
    out = tmp_path / "logs.csv"

    def exported(*options: str) -> list[list[str]]:
        result = runner.invoke(args=["audit", "export", *options, "-o", str(out)])
        assert result.exit_code == 0, result.output
        raw = out.read_bytes()
        assert raw.startswith("\ufeff".encode())
        return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))

    every = [row[1:3] for row in exported()[1:]]
    assert every[0] == ["セキュリティ", "ログイン"]  # oldest first
    assert every[-1] == ["操作記録", "ダウンロード"]  # the export itself, recorded before it runs
    assert sorted(every[1:3]) == [
        ["セキュリティ", "アカウントのリセット"],
        ["操作記録", "アカウントのリセット"],
    ]
    assert {row[1] for row in exported("--kind", "security")[1:]} == {"セキュリティ"}
    assert {row[1] for row in exported("--kind", "hr")[1:]} == {"操作記録"}  # earlier exports included
    later = (utcnow() + timedelta(days=2)).date()
    assert exported("--since", str(later))[1:] == []
    result = runner.invoke(args=["audit", "export", "--since", "yesterday", "-o", str(out)])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output
