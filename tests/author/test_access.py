"""Who may open the preview: trainers and HR, nobody else; the paste form needs its CSRF token."""

import re

import pytest

from elearn.models import Role
from tests.conftest import PASSWORD, running_app

PAGES = [
    "/author/",
    "/author/courses/kihon-houshin/",
    "/author/courses/kihon-houshin/02-teigi",
    "/author/quizzes/boogen-kouatsu.md",
    "/author/quizzes/selfcheck.md",
    "/author/paste",
    "/author/static/author.css",
]


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER])
@pytest.mark.parametrize("url", PAGES)
def test_employees_and_managers_are_refused_every_preview_page(client, auth, people, role, url):
    auth.login_as(people.employee(role))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER])
def test_employees_cannot_post_to_the_paste_form(client, auth, people, role):
    auth.login_as(people.employee(role))
    assert client.post("/author/paste", data={"markdown": "---\nkind: scenarios\n---\n"}).status_code == 403


@pytest.mark.parametrize("role", [Role.TRAINER, Role.HR])
@pytest.mark.parametrize("url", PAGES)
def test_trainers_and_hr_may_open_every_preview_page(client, auth, people, role, url):
    auth.login_as(people.employee(role))
    with client.get(url) as response:  # closed: the stylesheet is sent from an open file
        assert response.status_code == 200


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client):
    response = client.get("/author/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(("role", "shown"), [(Role.EMPLOYEE, False), (Role.TRAINER, True), (Role.HR, True)])
def test_the_menu_links_to_the_preview_for_those_who_may_open_it(client, auth, people, role, shown):
    auth.login_as(people.employee(role))
    assert ('href="/author/"' in client.get("/").get_data(as_text=True)) is shown


@pytest.fixture
def csrf_client(database):
    with running_app(database) as app:  # CSRF stays enabled, as in production
        yield app.test_client()


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_pasting_without_the_csrf_token_is_refused(csrf_client, people):
    trainer = people.employee(Role.TRAINER)
    login = _token(csrf_client.get("/login").get_data(as_text=True))
    csrf_client.post(
        "/login", data={"employee_no": trainer.employee_no, "password": PASSWORD, "csrf_token": login}
    )
    response = csrf_client.post("/author/paste", data={"markdown": "---\nkind: scenarios\n---\n"})
    assert response.status_code == 400

    form = _token(csrf_client.get("/author/paste").get_data(as_text=True))
    response = csrf_client.post(
        "/author/paste", data={"markdown": "---\nkind: scenarios\n---\n", "csrf_token": form}
    )
    assert response.status_code == 200
    assert "シナリオがありません" in response.get_data(as_text=True)
