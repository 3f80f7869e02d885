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


def test_mail_is_off_until_a_smtp_host_is_set_and_the_settings_come_from_the_environment(tmp_path):
    off = load_config({"SECRET_KEY": "k" * 48}, str(tmp_path))
    assert off["SMTP_HOST"] is None and off["SMTP_PORT"] == 25 and off["DUE_SOON_DAYS"] == 14
    on = load_config(
        {
            "SECRET_KEY": "k" * 48,
            "ELEARN_SMTP_HOST": "smtp.city.example.jp",
            "ELEARN_SMTP_PORT": "587",
            "ELEARN_SMTP_USERNAME": "elearn",
            "ELEARN_SMTP_PASSWORD": "secret",
            "ELEARN_SMTP_SECURITY": "STARTTLS",
            "ELEARN_MAIL_FROM": "no-reply@city.example.jp",
            "ELEARN_BASE_URL": "https://elearn.city.example.jp/",
            "ELEARN_DUE_SOON_DAYS": "7",
        },
        str(tmp_path),
    )
    assert (on["SMTP_HOST"], on["SMTP_PORT"]) == ("smtp.city.example.jp", 587)
    assert on["SMTP_SECURITY"] == "starttls"
    assert (on["SMTP_USERNAME"], on["SMTP_PASSWORD"]) == ("elearn", "secret")
    assert on["BASE_URL"] == "https://elearn.city.example.jp" and on["DUE_SOON_DAYS"] == 7
    assert on["SMTP_CA_FILE"] is None  # the system's CAs only
    ca = tmp_path / "city-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    with_ca = load_config({"SECRET_KEY": "k" * 48, "ELEARN_SMTP_CA_FILE": str(ca)}, str(tmp_path))
    assert with_ca["SMTP_CA_FILE"] == str(ca)


@pytest.mark.parametrize(
    "environ",
    [{"ELEARN_SMTP_PORT": "smtp"}, {"ELEARN_SMTP_PORT": "70000"}, {"ELEARN_SMTP_SECURITY": "tls"},
     {"ELEARN_DUE_SOON_DAYS": "0"}, {"ELEARN_SMTP_CA_FILE": "/no/such/ca.pem"}],
)  # fmt: skip
def test_bad_mail_settings_refuse_to_start(tmp_path, environ):
    with pytest.raises(ConfigError):
        load_config({"SECRET_KEY": "k" * 48, **environ}, str(tmp_path))


def test_the_base_url_for_activation_slips_is_configured_and_checked(tmp_path):
    assert load_config({}, str(tmp_path))["BASE_URL"] is None
    config = load_config({"ELEARN_BASE_URL": "https://elearn.city.example.jp/"}, str(tmp_path))
    assert config["BASE_URL"] == "https://elearn.city.example.jp"
    with pytest.raises(ConfigError):
        load_config({"ELEARN_BASE_URL": "elearn.city.example.jp"}, str(tmp_path))
