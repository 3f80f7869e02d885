"""Shared fixtures: a real SQLite file per test, migrated and synced once per session and copied."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from elearn import create_app
from elearn.config import PROJECT_ROOT
from elearn.extensions import db
from elearn.models import Department, Employee, Role
from elearn.services.accounts import set_password
from elearn.services.sync import sync_content

PASSWORD = "correct-horse-42"
SECRET = "test-secret-key-that-is-long-enough-0123456789"


def make_app(database: Path, **overrides) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": SECRET,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "CONTENT_ROOT": PROJECT_ROOT,
        **overrides,
    }
    return create_app(config)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """An empty database built by the real migrations."""
    path = tmp_path_factory.mktemp("template") / "empty.db"
    app = make_app(path)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def content_template(tmp_path_factory, migrated_template) -> Path:
    """The migrated database with the project's courses and scenarios synced."""
    path = tmp_path_factory.mktemp("template") / "content.db"
    shutil.copy(migrated_template, path)
    app = make_app(path)
    with app.app_context():
        sync_content(PROJECT_ROOT)
        db.engine.dispose()
    return path


@pytest.fixture
def database(tmp_path, content_template) -> Path:
    path = tmp_path / "elearn.db"
    shutil.copy(content_template, path)
    return path


class FreshContextClient(FlaskClient):
    """Each request in its own app context, as in production: nothing cached on ``g`` or in the
    session leaks from the test (which holds an app context of its own) into the request."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(database) -> Iterator[Flask]:
    app = make_app(database, WTF_CSRF_ENABLED=False)
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class People:
    """A small factory for departments and employees."""

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
            **fields,
        )
        set_password(employee, PASSWORD)
        db.session.add(employee)
        db.session.commit()
        return employee


@pytest.fixture
def people(app) -> People:
    return People()


class Auth:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, employee: Employee, password: str = PASSWORD):
        return self.client.post("/login", data={"employee_no": employee.employee_no, "password": password})

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
