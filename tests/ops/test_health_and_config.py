"""Production settings and the health endpoint."""

import pytest

from elearn import create_app
from elearn.config import ConfigError, load_config


def test_healthz_answers_without_login_and_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x" * 40,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/db.sqlite",
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


@pytest.mark.parametrize("secret", [None, "", "short-key"])
def test_production_refuses_a_missing_or_weak_secret_key(tmp_path, secret):
    environ = {"ELEARN_ENV": "production"}
    if secret is not None:
        environ["SECRET_KEY"] = secret
    with pytest.raises(ConfigError):
        load_config(environ, str(tmp_path))


def test_production_sets_secure_cookies(tmp_path):
    config = load_config({"ELEARN_ENV": "production", "SECRET_KEY": "k" * 48}, str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] is True


def test_development_keeps_a_random_secret_in_the_instance_folder(tmp_path):
    first = load_config({}, str(tmp_path))["SECRET_KEY"]
    second = load_config({}, str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_postgres_urls_get_the_psycopg_driver(tmp_path):
    config = load_config({"DATABASE_URL": "postgres://u:p@db/elearn"}, str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db/elearn"


def test_the_base_url_for_activation_slips_is_configured_and_checked(tmp_path):
    assert load_config({}, str(tmp_path))["BASE_URL"] == ""
    config = load_config({"ELEARN_BASE_URL": "https://elearn.city.example.jp/"}, str(tmp_path))
    assert config["BASE_URL"] == "https://elearn.city.example.jp"
    with pytest.raises(ConfigError):
        load_config({"ELEARN_BASE_URL": "elearn.city.example.jp"}, str(tmp_path))
