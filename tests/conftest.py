"""Shared fixtures: a real database per test (SQLite file or PostgreSQL), built once by the real
migrations and content sync, then copied for each test."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest
from flask import Flask, session
from flask.testing import FlaskClient
from flask_login import login_user
from flask_migrate import upgrade
from hypothesis import HealthCheck, settings
from werkzeug.security import generate_password_hash

from elearn import create_app
from elearn.config import PROJECT_ROOT
from elearn.extensions import db
from elearn.models import Department, Employee, Role
from elearn.services.sync import sync_content
from tests.databases import POSTGRES_URL, databases

PASSWORD = "correct-horse-42"
SECRET = "test-secret-key-that-is-long-enough-0123456789"
TEST_DATABASE = "test"  # each test's database, made again for every test

# Hypothesis judges what the code does with each example, never how fast the machine runs it: no
# deadline per example, no health check on slow generation (both fail at random on a loaded machine).
settings.register_profile("elearn", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("elearn")


BROWSER_TESTS = Path(__file__).resolve().parent / "e2e"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL pass runs only what the database can change: a test that never asks for ``dbs``
    runs on no database of the pass (or on a SQLite file of its own), so it would repeat the SQLite
    pass exactly. Browser tests test the page, not the database: only the smoke flows run there."""
    if not POSTGRES_URL:
        return
    kept = [item for item in items if _runs_on_postgres(item)]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


def _runs_on_postgres(item: pytest.Item) -> bool:
    if "dbs" not in getattr(item, "fixturenames", ()):
        return False
    if not item.path.is_relative_to(BROWSER_TESTS):
        return True
    return item.get_closest_marker("smoke") is not None


def make_app(database_url: str, **overrides) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "CONTENT_ROOT": PROJECT_ROOT,
        **overrides,
    }
    return create_app(config)


@pytest.fixture(scope="session")
def dbs(tmp_path_factory):
    """Where test databases live: SQLite files, or a PostgreSQL server (ELEARN_TEST_POSTGRES_URL)."""
    backend = databases(tmp_path_factory.mktemp("databases"))
    # CI's PostgreSQL run sets this, so a lost server URL fails loudly instead of testing SQLite twice.
    if os.environ.get("ELEARN_TEST_REQUIRE_POSTGRES") and backend.name != "postgresql":
        pytest.exit("ELEARN_TEST_REQUIRE_POSTGRES is set but ELEARN_TEST_POSTGRES_URL is not", returncode=3)
    return backend


def _in_app(url: str, work: Callable[[], object]) -> None:
    app = make_app(url)
    with app.app_context():
        work()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def migrated_template(dbs) -> str:
    """An empty database built by the real migrations."""
    url = dbs.create("empty")
    _in_app(url, upgrade)
    return url


@pytest.fixture(scope="session")
def content_template(dbs, migrated_template) -> str:
    """The migrated database with the project's courses and scenarios synced."""
    url = dbs.create("content", migrated_template)
    _in_app(url, lambda: sync_content(PROJECT_ROOT))
    return url


@pytest.fixture
def database(dbs, content_template) -> Iterator[str]:
    """A database of this test's own, with the content loaded and no people: made again from the
    template for each test, under the same name in each test process, so one app can serve them all."""
    url = dbs.create(TEST_DATABASE, content_template)
    yield url
    dbs.drop(url)


class FreshContextClient(FlaskClient):
    """Each request in its own app context, as in production: nothing cached on ``g`` or in the
    session leaks from the test (which holds an app context of its own) into the request."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@contextmanager
def running_app(database_url: str, **overrides) -> Iterator[Flask]:
    """The app inside an app context; its database connections are closed afterwards."""
    app = make_app(database_url, **overrides)
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def process_app(dbs) -> Flask:
    """The app the ``app`` fixture lends each test, built once per test process: building one compiles
    every URL rule (about 80 ms), which a thousand tests would otherwise repeat."""
    app = make_app(dbs.url_for(TEST_DATABASE), WTF_CSRF_ENABLED=False)
    app.test_client_class = FreshContextClient
    return app


@pytest.fixture
def app(database, process_app) -> Iterator[Flask]:
    """The process's app on this test's fresh database, handed back as it was built: the configuration
    a test changed is restored and what the app kept in ``extensions`` (course texts, dashboards) is
    dropped, so nothing one test did is seen by the next."""
    app = process_app
    assert app.config["SQLALCHEMY_DATABASE_URI"] == database
    config, extensions = dict(app.config), dict(app.extensions)
    try:
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        app.config.clear()
        app.config.update(config)
        app.extensions.clear()
        app.extensions.update(extensions)


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# The factory's scrypt, at a work factor far below production's. Scrypt is slow by design, and not
# only when hashing: every login through a form checks the hash again, and the throttling, crash and
# concurrency tests log in hundreds of times. The production hasher (set_password, and the dummy hash
# of an unknown 職員番号) is tested in tests/security/test_sessions_and_passwords.py.
TEST_HASH_METHOD = "scrypt:1024:8:1"


@cache
def password_hash() -> str:
    """PASSWORD hashed once per test process, by the test's cheap scrypt."""
    return generate_password_hash(PASSWORD, method=TEST_HASH_METHOD)


class People:
    """A small factory for departments and employees, who can all log in with PASSWORD."""

    def __init__(self) -> None:
        self.count = 0

    def department(self, name: str) -> Department:
        found = db.session.query(Department).filter_by(name=name).one_or_none()
        if found is None:
            found = Department(name=name)
            db.session.add(found)
            db.session.flush()
        return found

    def employee(self, role: Role = Role.EMPLOYEE, department: str = "市民課", **fields) -> Employee:
        self.count += 1
        employee = Employee(
            employee_no=fields.pop("employee_no", f"T{self.count:04d}"),
            name=fields.pop("name", f"職員 {self.count}"),
            department=self.department(department),
            role=role.value,
            password_hash=password_hash(),
            **fields,
        )
        db.session.add(employee)
        db.session.commit()
        return employee


@pytest.fixture
def people(app) -> People:
    return People()


def sign_in(client: FlaskClient, employee: Employee) -> None:
    """Leave ``client`` signed in as ``employee``, with the session Flask-Login's login_user writes, as
    if the login form had been sent: without the form's deliberately slow password check."""
    app = client.application
    # A context of its own: login_user also marks the user on ``g``, which must not leak into the test's.
    with app.app_context(), app.test_request_context():
        login_user(employee)
        signed_in = dict(session)
    with client.session_transaction() as kept:
        kept.clear()  # as the login does: nothing of the session before it survives
        kept.update(signed_in)


class Auth:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, employee: Employee, password: str = PASSWORD):
        """Through the login form, as a person logs in: for tests about logging in."""
        return self.client.post("/login", data={"employee_no": employee.employee_no, "password": password})

    def login_as(self, employee: Employee) -> None:
        """Signed in through the session (``sign_in``): for tests about what comes after the login."""
        sign_in(self.client, employee)

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client) -> Auth:
    return Auth(client)


CHOICE_INPUT = re.compile(r'name="(q\d+)" id="[^"]+" value="(\d+)"')


def choice_inputs(html: str) -> dict[str, list[int]]:
    """Question field name -> the choice ids offered, in the order shown."""
    found: dict[str, list[int]] = {}
    for name, value in CHOICE_INPUT.findall(html):
        found.setdefault(name, []).append(int(value))
    return found
