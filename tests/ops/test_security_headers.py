"""Headers that make the browser enforce the promises: no script runs, no framing, no cached records."""

from elearn.security import CONTENT_SECURITY_POLICY


def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert policy == CONTENT_SECURITY_POLICY
    assert "script-src 'none'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_with_personal_records_are_not_cached(client, auth, people):
    auth.login_as(people.employee())
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_pages_contain_no_script_at_all(client, auth, people):
    auth.login_as(people.employee())
    for path in (
        "/",
        "/policy",
        "/courses/kihon-houshin",
        "/courses/kihon-houshin/lessons/01-mokuteki",
        "/selfcheck/",
    ):
        assert "<script" not in client.get(path).get_data(as_text=True), path


def test_session_cookie_is_httponly_and_samesite(client, people):
    employee = people.employee()
    response = client.post(
        "/login", data={"employee_no": employee.employee_no, "password": "correct-horse-42"}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_nul_character_in_any_field_is_a_client_error(client):
    response = client.post("/login", data={"employee_no": "\x00", "password": "x"})
    assert response.status_code == 400
    assert client.get("/login?next=%00").status_code == 400
