"""Who may open what: HR's pages are HR's alone; item analysis is for trainers and HR."""

import pytest

from elearn.extensions import db
from elearn.models import Role
from tests.auth.test_csrf import token
from tests.conftest import PASSWORD, FreshContextClient, make_app

ARGUMENTS = {
    "employee_no": "T0001",
    "token": "not-a-token",
    "upload_token": "not-a-token",
    "fmt": "xlsx",  # every download has it
    "kind": "overdue",
    "rule_id": 1,
}


def hr_urls(app) -> list[tuple[str, str]]:
    """(method, url) for every route of the HR blueprint, filled with harmless arguments."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("hr."):
                continue
            url = app.url_for(rule.endpoint, **{name: ARGUMENTS[name] for name in rule.arguments})
            found += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER, Role.TRAINER])
def test_no_one_but_hr_reaches_any_hr_page(app, client, auth, people, role):
    auth.login_as(people.employee(role))
    urls = hr_urls(app)
    assert len(urls) >= 15
    for method, url in urls:
        assert client.open(url, method=method).status_code == 403, (method, url)


def test_signed_out_visitors_are_sent_to_the_login_page(app, client):
    for method, url in hr_urls(app):
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_item_analysis_is_for_trainers_and_hr_only(client, auth, people):
    for role, status in ((Role.TRAINER, 200), (Role.HR, 200), (Role.EMPLOYEE, 403), (Role.MANAGER, 403)):
        auth.login_as(people.employee(role))
        assert client.get("/analysis/").status_code == status, role
        assert client.get("/analysis/items.xlsx").status_code == status, role
        auth.logout()


def test_navigation_shows_each_role_its_own_pages(client, auth, people):
    auth.login_as(people.employee(Role.MANAGER))
    page = client.get("/").get_data(as_text=True)
    assert 'href="/manage/"' in page and 'href="/hr/"' not in page
    auth.logout()
    auth.login_as(people.employee(Role.HR))
    page = client.get("/").get_data(as_text=True)
    assert 'href="/hr/"' in page and 'href="/manage/"' not in page


def test_hr_and_activation_forms_refuse_a_post_without_its_csrf_token(database, people):
    app = make_app(database)  # CSRF stays enabled, as in production
    app.test_client_class = FreshContextClient
    with app.app_context():
        client = app.test_client()
        hr = people.employee(Role.HR, employee_no="H001")
        page = client.get("/login").get_data(as_text=True)
        client.post("/login", data={"employee_no": "H001", "password": PASSWORD, "csrf_token": token(page)})
        for url in ("/hr/roster", "/hr/assignments", "/hr/accounts", f"/hr/employees/{hr.employee_no}/reset"):
            assert client.post(url, data={}).status_code == 400, url
        form = client.get("/hr/accounts").get_data(as_text=True)
        assert (
            client.post("/hr/accounts", data={"csrf_token": token(form)}).status_code == 303
        )  # none to issue
        assert client.post("/activate", data={"employee_no": "H001", "code": "X"}).status_code == 400
        db.session.remove()
        db.engine.dispose()
