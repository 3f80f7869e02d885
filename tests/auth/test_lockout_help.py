"""Help with the lockout: the login page warns before an account locks, HR can unlock it (audited),
and an HR reset clears the lock so that the new activation code lets the employee in."""

from __future__ import annotations

import re

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import AuditEvent, Role, SecurityEvent
from tests.conftest import PASSWORD

WRONG = "wrong-pass-1"
NEW = "a-long-and-private-phrase"


def login(client, employee_no: str, password: str = WRONG):
    return client.post("/login", data={"employee_no": employee_no, "password": password})


def lock(client, employee_no: str) -> None:
    for _ in range(5):
        login(client, employee_no)
    assert login(client, employee_no, PASSWORD).status_code == 429


def test_the_login_page_says_how_many_tries_are_left_before_the_lock(client, people):
    people.employee(employee_no="E001")
    assert "あと 4 回で一時的にロックされます" in login(client, "E001").get_data(as_text=True)
    for _ in range(2):
        login(client, "E001")
    assert "あと 1 回で一時的にロックされます" in login(client, "E001").get_data(as_text=True)
    locking = login(client, "E001").get_data(as_text=True)
    assert "しばらくログインできません" in locking and "あと" not in locking


def test_hr_sees_the_lock_and_lifts_it_and_the_action_is_audited(app, client, auth, people):
    people.employee(employee_no="E001", name="青木 花子")
    hr = people.employee(Role.HR, employee_no="H001")
    guesser = app.test_client()
    lock(guesser, "E001")
    auth.login_as(hr)
    page = client.get("/hr/employees/E001").get_data(as_text=True)
    assert "ロックを解除" in page and "ロックされています" in page
    response = client.post("/hr/employees/E001/unlock")
    assert response.status_code == 303
    after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ロックを解除しました" in after and "ロックされています" not in after
    assert login(guesser, "E001", PASSWORD).status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "accounts.unlock"))
    assert event.actor_id == hr.id and event.details["employee_no"] == "E001"
    assert "login.unlock" in db.session.scalars(select(SecurityEvent.kind)).all()


def test_an_account_that_is_not_locked_shows_no_unlock_button(client, auth, people):
    people.employee(employee_no="E001")
    auth.login_as(people.employee(Role.HR))
    assert "ロックを解除" not in client.get("/hr/employees/E001").get_data(as_text=True)


def test_an_hr_reset_clears_the_lock_so_the_new_code_lets_the_employee_in(app, client, auth, people):
    people.employee(employee_no="E001")
    employee_browser = app.test_client()
    lock(employee_browser, "E001")
    auth.login_as(people.employee(Role.HR))
    page = client.post("/hr/employees/E001/reset").get_data(as_text=True)
    code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", page).group()
    activated = employee_browser.post(
        "/activate", data={"employee_no": "E001", "code": code, "password": NEW, "confirm": NEW}
    )
    assert activated.status_code == 303
    employee_browser.post("/logout")
    assert login(employee_browser, "E001", NEW).status_code == 302
