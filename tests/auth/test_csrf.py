"""With CSRF protection on, as in production: the token is required on every form."""

import re

import pytest

from tests.conftest import PASSWORD, running_app


@pytest.fixture
def csrf_client(database):
    with running_app(database) as app:  # CSRF stays enabled
        yield app.test_client()


def token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_login_without_csrf_token_is_refused(csrf_client, people):
    employee = people.employee()
    response = csrf_client.post("/login", data={"employee_no": employee.employee_no, "password": PASSWORD})
    assert response.status_code == 400
    assert "フォーム" in response.get_data(as_text=True)
    assert csrf_client.get("/").status_code == 302


def test_login_with_csrf_token_from_the_form_succeeds(csrf_client, people):
    employee = people.employee()
    page = csrf_client.get("/login").get_data(as_text=True)
    response = csrf_client.post(
        "/login", data={"employee_no": employee.employee_no, "password": PASSWORD, "csrf_token": token(page)}
    )
    assert response.status_code == 302
    assert csrf_client.get("/").status_code == 200


def test_starting_a_quiz_without_csrf_token_is_refused(csrf_client, people):
    employee = people.employee()
    page = csrf_client.get("/login").get_data(as_text=True)
    csrf_client.post(
        "/login", data={"employee_no": employee.employee_no, "password": PASSWORD, "csrf_token": token(page)}
    )
    response = csrf_client.post("/courses/kihon-houshin/attempts")
    assert response.status_code == 400
