"""Fixtures for the preview pages: an editable copy of the content, and a logged-in trainer."""

from __future__ import annotations

from pathlib import Path

import pytest

from elearn.models import Employee, Role
from tests.content.tree import copy_project_content


@pytest.fixture
def content_root(app, tmp_path) -> Path:
    """A copy of the project's content that the test may edit; the app reads its content from it."""
    root = copy_project_content(tmp_path / "content")
    app.config["CONTENT_ROOT"] = root
    return root


@pytest.fixture
def trainer(people, auth) -> Employee:
    employee = people.employee(Role.TRAINER)
    auth.login_as(employee)
    return employee
