"""Sessions and passwords: a new session on every login, cookies the browser keeps to itself, and
passwords hashed with scrypt (the policy itself: tests/auth/test_passwords.py)."""

from __future__ import annotations

from elearn.extensions import db
from elearn.services.accounts import _dummy_hash, set_password
from tests.conftest import PASSWORD, TEST_HASH_METHOD, running_app


def session_of(client) -> dict:
    with client.session_transaction() as session:
        return dict(session)


def test_login_starts_a_new_session_with_nothing_from_before(client, auth, people):
    """Whatever was put into the session before login (by a planted cookie, say) is gone after it."""
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
        session["csrf_token"] = "known-to-an-attacker"
    auth.login(people.employee())
    after = session_of(client)
    assert "planted" not in after
    assert after.get("csrf_token") != "known-to-an-attacker"
    assert after["_user_id"]


def test_logout_leaves_nothing_of_the_session(client, auth, people):
    auth.login(people.employee())
    client.get("/")
    auth.logout()
    assert "_user_id" not in session_of(client)
    assert client.get("/").status_code == 302


def test_in_production_the_session_cookie_is_secure_httponly_and_samesite(database, people, monkeypatch):
    monkeypatch.setenv("ELEARN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "p" * 48)
    with running_app(database, WTF_CSRF_ENABLED=False) as app:
        employee = people.employee()
        response = app.test_client().post(
            "/login", data={"employee_no": employee.employee_no, "password": PASSWORD}
        )
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"secure", "httponly", "samesite"} <= attributes
    assert "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def hash_method(password_hash: str) -> str:
    return password_hash.split("$")[0]


def test_passwords_are_hashed_with_scrypt_at_the_production_work_factor(people):
    employee = people.employee()
    set_password(employee, "a-longer-pass-2026")
    name, cost, block_size, parallel = hash_method(employee.password_hash).split(":")
    # Werkzeug's default, not the tests' cheap factory hash (tests/conftest.py)
    assert name == "scrypt" and int(cost) >= 2**15 and (block_size, parallel) == ("8", "1")
    assert hash_method(employee.password_hash) != TEST_HASH_METHOD
    assert "a-longer-pass-2026" not in employee.password_hash


def test_an_unknown_number_is_checked_against_a_hash_as_costly_as_a_real_one(people):
    employee = people.employee()
    set_password(employee, "a-longer-pass-2026")
    assert hash_method(_dummy_hash()) == hash_method(employee.password_hash)


def test_a_password_set_by_set_password_logs_in_through_the_form(client, auth, people):
    """The production path end to end: set_password's scrypt hash, checked by the real login form (the
    factory's employees share one hash, made once per run at a cheap work factor)."""
    employee = people.employee()
    set_password(employee, "a-longer-pass-2026")
    db.session.commit()
    assert auth.login(employee).status_code == 200  # the factory's password is gone with its hash
    assert client.get("/").status_code == 302
    assert auth.login(employee, "a-longer-pass-2026").status_code == 302
    assert client.get("/").status_code == 200
