"""Single sign-on: behind an authenticating proxy, its header signs staff in; off unless configured."""

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import SecurityEvent, UserSession
from tests.conftest import FreshContextClient, make_app

HEADER = "X-Remote-User"


@pytest.fixture
def sso_client(database):
    app = make_app(database, WTF_CSRF_ENABLED=False, TRUSTED_USER_HEADER=HEADER)
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app.test_client()
        db.session.remove()
        db.engine.dispose()


def test_the_proxys_header_signs_the_employee_in(sso_client, people):
    employee = people.employee(name="青木 花子")
    page = sso_client.get("/", headers={HEADER: employee.employee_no})
    assert page.status_code == 200 and "青木 花子" in page.get_data(as_text=True)


def test_a_different_user_in_the_header_replaces_the_session(sso_client, people):
    first, second = people.employee(name="青木 花子"), people.employee(name="石田 健")
    sso_client.get("/", headers={HEADER: first.employee_no})
    page = sso_client.get("/", headers={HEADER: second.employee_no}).get_data(as_text=True)
    assert "石田 健" in page and "青木 花子" not in page


def test_unknown_or_inactive_staff_are_refused(sso_client, people):
    gone = people.employee(active=False)
    assert sso_client.get("/", headers={HEADER: "NOBODY"}).status_code == 403
    assert sso_client.get("/", headers={HEADER: gone.employee_no}).status_code == 403


def test_without_the_setting_the_header_is_ignored(client, people):
    employee = people.employee()
    response = client.get("/", headers={HEADER: employee.employee_no})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_sign_in_by_the_proxy_is_one_session_and_one_entry_in_the_security_log(sso_client, people):
    employee = people.employee()
    for _ in range(3):
        assert sso_client.get("/", headers={HEADER: employee.employee_no}).status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(func.count(UserSession.id))) == 1
    [entry] = db.session.scalars(select(SecurityEvent)).all()
    assert (entry.kind, entry.employee_id, entry.detail) == ("login", employee.id, "シングルサインオン")
