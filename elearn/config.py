"""Settings from the environment, read once when the app is created."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_FILE = "secret_key"


class ConfigError(RuntimeError):
    """The app cannot start with this configuration."""


def database_url(environ: Mapping[str, str], instance_path: str) -> str:
    url = environ.get("DATABASE_URL") or environ.get("ELEARN_DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(instance_path) / 'elearn.db'}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _development_secret(instance_path: str) -> str:
    """A random key kept in the instance folder, so sessions survive restarts of `make run`."""
    path = Path(instance_path) / DEV_SECRET_FILE
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _days(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 365:
        raise ConfigError(f"{name} must be a number of days from 1 to 365")
    return int(raw)


def _number(environ: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}")
    return int(raw)


def _proxies(environ: Mapping[str, str]) -> int:
    raw = environ.get("ELEARN_PROXY_FIX", "").strip()
    if not raw:
        return 0
    if not raw.isdigit() or not 0 <= int(raw) <= 5:
        raise ConfigError("ELEARN_PROXY_FIX must be the number of reverse proxies in front of the app (0-5)")
    return int(raw)


def _switch(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in ("0", "1", "true", "false", "yes", "no", "on", "off"):
        raise ConfigError(f"{name} must be 1 or 0")
    return raw in ("1", "true", "yes", "on")


def _base_url(environ: Mapping[str, str]) -> str | None:
    raw = environ.get("ELEARN_BASE_URL", "").strip()
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError("ELEARN_BASE_URL must be the address staff open, e.g. https://elearn.city.example")
    return raw.rstrip("/")


SMTP_SECURITY = ("none", "starttls", "ssl")


def _mail(environ: Mapping[str, str]) -> dict[str, Any]:
    """The city's SMTP server; no ELEARN_SMTP_HOST means no mail at all (the pages say so)."""
    port = environ.get("ELEARN_SMTP_PORT", "").strip() or "25"
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ConfigError("ELEARN_SMTP_PORT must be a port number (1-65535)")
    security = environ.get("ELEARN_SMTP_SECURITY", "").strip().lower() or "none"
    if security not in SMTP_SECURITY:
        raise ConfigError("ELEARN_SMTP_SECURITY must be one of none, starttls, ssl")
    # An intranet mail server's certificate is often issued by the city's own CA, which the system
    # does not trust: this file (PEM) is trusted for the mail connection besides the system's CAs.
    ca_file = environ.get("ELEARN_SMTP_CA_FILE", "").strip() or None
    if ca_file and not Path(ca_file).is_file():
        raise ConfigError(f"ELEARN_SMTP_CA_FILE is not a file: {ca_file}")
    return {
        "SMTP_HOST": environ.get("ELEARN_SMTP_HOST", "").strip() or None,
        "SMTP_PORT": int(port),
        "SMTP_USERNAME": environ.get("ELEARN_SMTP_USERNAME") or None,
        "SMTP_PASSWORD": environ.get("ELEARN_SMTP_PASSWORD") or None,
        "SMTP_SECURITY": security,
        "SMTP_CA_FILE": ca_file,
        # A no-reply address of the city: mail from managers' own addresses lands in spam.
        "MAIL_FROM": environ.get("ELEARN_MAIL_FROM", "").strip() or "no-reply@localhost",
    }


PUBLISH_ROLE_CHOICES = ("trainer", "hr")


def _publish_roles(environ: Mapping[str, str]) -> tuple[str, ...]:
    """Who may publish and roll back content on /author/: trainers, and HR if the city chooses."""
    raw = environ.get("ELEARN_PUBLISH_ROLES", "").strip() or "trainer"
    roles = tuple(dict.fromkeys(part.strip().lower() for part in raw.split(",") if part.strip()))
    if not roles or any(role not in PUBLISH_ROLE_CHOICES for role in roles):
        raise ConfigError("ELEARN_PUBLISH_ROLES must be trainer or trainer,hr (comma-separated roles)")
    return roles


def load_config(environ: Mapping[str, str], instance_path: str) -> dict[str, Any]:
    production = environ.get("ELEARN_ENV", "development") == "production"
    secret = environ.get("SECRET_KEY") or environ.get("ELEARN_SECRET_KEY")
    if production and (not secret or len(secret) < 32):
        raise ConfigError("SECRET_KEY must be set to a random value of at least 32 characters in production")
    return {
        "ELEARN_ENV": "production" if production else "development",
        "SECRET_KEY": secret or _development_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url(environ, instance_path),
        "CONTENT_ROOT": Path(environ.get("ELEARN_CONTENT_ROOT") or PROJECT_ROOT),
        # The schema's migrations: the project's own folder, or where an installed bundle put them.
        "MIGRATIONS_DIR": Path(environ.get("ELEARN_MIGRATIONS_DIR") or PROJECT_ROOT / "migrations"),
        "SESSION_COOKIE_SECURE": production,
        # The organisation's names come from the content settings (policy/settings.yml); these override.
        **{
            key: environ.get(f"ELEARN_{key}", "").strip() or None
            for key in ("ORGANISATION_NAME", "SITE_TITLE", "CERTIFICATE_ISSUER", "SUPPORT_CONTACT")
        },
        # The app's address as staff reach it: certificates, mails, the activation links HR hands out
        # (never the request's Host).
        "BASE_URL": _base_url(environ),
        # The seal line printed under the certificate's issuer (e.g. 「公印省略」).
        "CERTIFICATE_SEAL": environ.get("ELEARN_CERTIFICATE_SEAL", "").strip(),
        # How long an activation code handed out by HR stays valid.
        "ACTIVATION_CODE_DAYS": _days(environ, "ELEARN_ACTIVATION_CODE_DAYS", 14),
        # An unfinished assignment due within this many days shows 期限間近.
        "DUE_SOON_DAYS": _days(environ, "ELEARN_DUE_SOON_DAYS", 14),
        # Header in which an authenticating reverse proxy passes the 職員番号; unset: no single sign-on.
        "TRUSTED_USER_HEADER": environ.get("ELEARN_TRUSTED_USER_HEADER", "").strip() or None,
        # Trust X-Forwarded-For/-Proto from this many proxies; 0 trusts no header (the client is the peer).
        "PROXY_FIX": _proxies(environ),
        **_mail(environ),
        # A session ends after this long without a request, and this long after its login in any case.
        "SESSION_IDLE_MINUTES": _number(environ, "ELEARN_SESSION_IDLE_MINUTES", 30, 1, 24 * 60),
        "SESSION_MAX_HOURS": _number(environ, "ELEARN_SESSION_MAX_HOURS", 12, 1, 24 * 7),
        # Strict-Transport-Security (production) covers the subdomains of the app's host too.
        "HSTS_INCLUDE_SUBDOMAINS": _switch(environ, "ELEARN_HSTS_INCLUDE_SUBDOMAINS", True),
        # Publishing and rollback on /author/ (previews are for trainers and HR alike).
        "PUBLISH_ROLES": _publish_roles(environ),
    }


DEFAULTS: dict[str, Any] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead: long quizzes must not expire
    "BABEL_DEFAULT_LOCALE": "ja",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Tokyo",
    "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
    "ELEARN_TIMEZONE": "Asia/Tokyo",
    # Login throttling (elearn/services/login_throttle.py).
    "LOGIN_FAILURES_PER_ACCOUNT": 5,
    "LOGIN_FAILURES_PER_ADDRESS": 20,
    "LOGIN_FAILURE_WINDOW_MINUTES": 15,
    # Activation attempts per address in that window, not counting successful ones (a room of new
    # staff activating together must not stop each other; a client guessing codes must stop soon).
    "ACTIVATION_ATTEMPTS_PER_ADDRESS": 10,
}
