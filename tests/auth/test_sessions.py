"""Sessions that end: a copied cookie is worth nothing after a logout, a password change, an HR reset
or a deactivation, and no session outlives its idle or absolute limit. The clock is moved by moving
the session's stored timestamps back, not by waiting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select, update

from elearn.config import ConfigError, load_config
from elearn.database import utcnow
from elearn.extensions import db
from elearn.models import Employee, SessionEnd, UserSession
from elearn.services.accounts import set_password_for
from elearn.services.activation import reset_account
from elearn.services.audit import Actor
from elearn.services.roster import import_roster, parse_roster
from tests.conftest import PASSWORD, running_app

SIGNED_OUT_ELSEWHERE = "このセッションは終了しました"


def copy_of(client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of ``client``'s session cookie."""
    other = client.application.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def refused(browser: FlaskClient) -> str:
    """The page a refused cookie leads to: a redirect to the login page, which says why."""
    response = browser.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    return browser.get(response.headers["Location"]).get_data(as_text=True)


def sessions_of(employee: Employee) -> list[UserSession]:
    db.session.expire_all()
    return list(db.session.scalars(select(UserSession).where(UserSession.employee_id == employee.id)))


def move_clock(employee: Employee, **columns: timedelta) -> None:
    """Pretend that the employee's sessions began or were last used this long ago."""
    now = utcnow()
    db.session.execute(
        update(UserSession)
        .where(UserSession.employee_id == employee.id)
        .values({name: now - ago for name, ago in columns.items()})
    )
    db.session.commit()


def test_a_cookie_copied_before_logout_is_refused_afterwards(client, auth, people):
    employee = people.employee()
    auth.login(employee)
    thief = copy_of(client)
    assert thief.get("/").status_code == 200
    auth.logout()
    assert "ログアウトで終了しています" in refused(thief)
    assert [s.end_reason for s in sessions_of(employee)] == [SessionEnd.LOGOUT.value]


def test_logging_out_ends_only_that_session(app, people, auth):
    employee = people.employee()
    auth.login_as(employee)
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"employee_no": employee.employee_no, "password": PASSWORD})
    auth.logout()
    assert elsewhere.get("/").status_code == 200


def test_an_hr_reset_ends_every_session_of_the_employee(app, people, auth, client):
    employee = people.employee()
    auth.login_as(employee)
    second = app.test_client()
    second.post("/login", data={"employee_no": employee.employee_no, "password": PASSWORD})
    thief = copy_of(client)
    reset_account(employee, Actor.command_line(), days=14)
    for browser in (client, second, thief):
        assert SIGNED_OUT_ELSEWHERE in refused(browser)
    assert {s.end_reason for s in sessions_of(employee)} == {SessionEnd.ACCOUNT_RESET.value}


def test_a_password_set_at_the_command_line_ends_every_session(client, auth, people):
    employee = people.employee()
    auth.login_as(employee)
    set_password_for(employee, "a-brand-new-passphrase", Actor.command_line())
    assert SIGNED_OUT_ELSEWHERE in refused(client)


def test_deactivation_by_the_roster_ends_the_sessions_for_good(client, auth, people):
    people.employee(employee_no="R001")
    leaving = people.employee(employee_no="R003")
    auth.login_as(leaving)
    thief = copy_of(client)
    roster = "職員番号,氏名,所属\r\nR001,残る 人,市民課\r\n"
    import_roster(parse_roster(roster.encode()), full=True)
    assert SIGNED_OUT_ELSEWHERE in refused(thief)
    # Listed again: the old cookie stays dead; they sign in afresh.
    import_roster(parse_roster((roster + "R003,戻る 人,市民課\r\n").encode()), full=False)
    assert db.session.get(Employee, leaving.id).active
    assert client.get("/").status_code == 302
    assert {s.end_reason for s in sessions_of(leaving)} == {SessionEnd.DEACTIVATED.value}


def test_a_session_idle_past_the_limit_is_ended_and_the_login_page_says_why(client, auth, people):
    employee = people.employee()
    auth.login_as(employee)
    move_clock(employee, last_seen_at=timedelta(minutes=30, seconds=1))
    assert "30 分以上操作がなかったため" in refused(client)
    assert [s.end_reason for s in sessions_of(employee)] == [SessionEnd.IDLE.value]


def test_a_session_in_use_stays_and_is_marked_used(client, auth, people):
    employee = people.employee()
    auth.login_as(employee)
    move_clock(employee, last_seen_at=timedelta(minutes=29))
    assert client.get("/").status_code == 200
    (kept,) = sessions_of(employee)
    assert kept.ended_at is None and utcnow() - kept.last_seen_at < timedelta(minutes=1)


def test_no_session_outlives_the_absolute_limit_however_busy(client, auth, people):
    employee = people.employee()
    auth.login_as(employee)
    move_clock(employee, created_at=timedelta(hours=12, seconds=1), last_seen_at=timedelta(seconds=5))
    assert "ログインから 12 時間が経ったため" in refused(client)


def test_the_limits_come_from_the_configuration(database, people):
    with running_app(database, WTF_CSRF_ENABLED=False, SESSION_IDLE_MINUTES=5, SESSION_MAX_HOURS=1) as app:
        employee = people.employee()
        browser = app.test_client()
        browser.post("/login", data={"employee_no": employee.employee_no, "password": PASSWORD})
        move_clock(employee, last_seen_at=timedelta(minutes=5))
        assert "5 分以上操作がなかったため" in refused(browser)


def test_the_environment_sets_the_limits_and_nonsense_is_refused(tmp_path):
    config = load_config(
        {"ELEARN_SESSION_IDLE_MINUTES": "15", "ELEARN_SESSION_MAX_HOURS": "8"}, str(tmp_path)
    )
    assert (config["SESSION_IDLE_MINUTES"], config["SESSION_MAX_HOURS"]) == (15, 8)
    defaults = load_config({}, str(tmp_path))
    assert (defaults["SESSION_IDLE_MINUTES"], defaults["SESSION_MAX_HOURS"]) == (30, 12)
    for bad in ("0", "-1", "half an hour"):
        with pytest.raises(ConfigError):
            load_config({"ELEARN_SESSION_IDLE_MINUTES": bad}, str(tmp_path))


def test_a_cookie_without_a_session_record_is_refused(client, people):
    """A cookie signed with the key but made without a login (the old kind): nobody is signed in."""
    employee = people.employee()
    with client.session_transaction() as session:
        session["_user_id"] = str(employee.id)
        session["_fresh"] = True
    assert client.get("/").status_code == 302


def test_the_database_keeps_only_a_hash_of_the_token(client, auth, people):
    employee = people.employee()
    auth.login_as(employee)
    with client.session_transaction() as session:
        token = session["_elearn_session"]
    (row,) = sessions_of(employee)
    assert token not in row.token_hash and len(row.token_hash) == 64
