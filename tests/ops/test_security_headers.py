"""Headers that make the browser enforce the promises: no script runs, no framing, no cached records."""

import flask.cli
import pytest
from click.testing import CliRunner

from elearn.cli import main
from elearn.config import ConfigError, load_config
from elearn.security import CONTENT_SECURITY_POLICY
from tests.conftest import running_app


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


@pytest.mark.parametrize(
    ("setting", "expected"), [("", "; includeSubDomains"), ("0", ""), ("1", "; includeSubDomains")]
)
def test_in_production_hsts_covers_the_subdomains_unless_turned_off(database, monkeypatch, setting, expected):
    monkeypatch.setenv("ELEARN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "p" * 48)
    monkeypatch.setenv("ELEARN_HSTS_INCLUDE_SUBDOMAINS", setting)
    with running_app(database) as app:
        response = app.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000" + expected


def test_a_wrong_hsts_setting_stops_the_start(tmp_path):
    with pytest.raises(ConfigError, match="ELEARN_HSTS_INCLUDE_SUBDOMAINS"):
        load_config({"ELEARN_HSTS_INCLUDE_SUBDOMAINS": "maybe"}, str(tmp_path))


def test_the_development_server_with_its_version_banner_never_runs_in_production(database, monkeypatch):
    """Werkzeug's server names its and Python's versions in every answer: `elearn run` refuses to start
    it in production, and starts it in development."""
    started = []
    monkeypatch.setattr(flask.cli, "run_simple", lambda *args, **kwargs: started.append(args))
    monkeypatch.setenv("DATABASE_URL", database)
    monkeypatch.setenv("SECRET_KEY", "p" * 48)
    monkeypatch.setenv("ELEARN_ENV", "production")
    refused = CliRunner().invoke(main, ["run", "--port", "5999"])
    assert refused.exit_code == 2 and "gunicorn" in refused.output and started == []
    monkeypatch.setenv("ELEARN_ENV", "development")
    assert CliRunner().invoke(main, ["run", "--port", "5999"]).exit_code == 0
    assert started and started[0][1] == 5999
