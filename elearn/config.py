"""Settings from the environment, read once when the app is created."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

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


def _proxies(environ: Mapping[str, str]) -> int:
    raw = environ.get("ELEARN_PROXY_FIX", "").strip()
    if not raw:
        return 0
    if not raw.isdigit() or not 0 <= int(raw) <= 5:
        raise ConfigError("ELEARN_PROXY_FIX must be the number of reverse proxies in front of the app (0-5)")
    return int(raw)


def _base_url(environ: Mapping[str, str]) -> str:
    """The address staff open the app at, e.g. https://elearn.city.example.jp; printed on activation
    slips and in the codes' CSV. Configured, never taken from a request's Host header (which the
    client chooses)."""
    raw = environ.get("ELEARN_BASE_URL", "").strip().rstrip("/")
    if raw and not raw.startswith(("https://", "http://")):
        raise ConfigError("ELEARN_BASE_URL must start with https:// (or http://)")
    return raw


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
        "SESSION_COOKIE_SECURE": production,
        "ORGANISATION_NAME": environ.get("ELEARN_ORGANISATION_NAME", "東久留米市"),
        # How long an activation code handed out by HR stays valid.
        "ACTIVATION_CODE_DAYS": _days(environ, "ELEARN_ACTIVATION_CODE_DAYS", 14),
        # Where staff open the app (activation slips and the codes' CSV); empty: only the path is shown.
        "BASE_URL": _base_url(environ),
        # Header in which an authenticating reverse proxy passes the 職員番号; unset: no single sign-on.
        "TRUSTED_USER_HEADER": environ.get("ELEARN_TRUSTED_USER_HEADER", "").strip() or None,
        # Trust X-Forwarded-For/-Proto from this many proxies; 0 trusts no header (the client is the peer).
        "PROXY_FIX": _proxies(environ),
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
}
