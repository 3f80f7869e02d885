"""The policy is synced and versioned like the rest: /policy shows the synced text, an amended policy
is a new version, and older lessons and attempts name the version they were made under."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Attempt, PolicyVersion
from elearn.services.policy import current_policy_version, policy_of, policy_version_at
from elearn.services.sync import sync_content
from tests.content.tree import copy_project_content
from tests.learn.quiz import take


@pytest.fixture
def root(app, tmp_path):
    root = copy_project_content(tmp_path / "content")
    app.config["CONTENT_ROOT"] = root
    return root


def amend(root, old: str, new: str) -> None:
    path = root / "policy/kihon-houshin.md"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_the_synced_policy_is_the_first_version(app):
    version = current_policy_version()
    assert version.version == 1 and version.title.endswith("基本方針")
    assert policy_of(version).get("第4-3").text.startswith("職員は、その業務に関して")


def test_syncing_the_same_policy_again_adds_no_version(root):
    report = sync_content(root)
    assert not [entry for entry in report.added + report.updated if entry.startswith("policy")]
    assert db.session.scalars(select(PolicyVersion)).all() == [current_policy_version()]


def test_an_amended_policy_becomes_a_new_version_and_the_page_shows_it(root, client, auth, people):
    amend(
        root,
        "管理監督者は、職員から相談がなされた場合には",
        "管理監督者は、職員から相談又は報告がなされた場合には",
    )
    report = sync_content(root)
    assert "policy version 2" in report.updated
    auth.login_as(people.employee())
    page = client.get("/policy").get_data(as_text=True)
    assert "相談又は報告がなされた場合" in page and "第2版" in page and "これまでの版" in page
    old = client.get("/policy?version=1").get_data(as_text=True)
    assert "相談がなされた場合" in old and "これは以前の版です。" in old
    assert client.get("/policy?version=9").status_code == 404


def test_an_attempt_names_the_policy_version_it_was_taken_under(root, client, auth, people):
    auth.login_as(people.employee())
    attempt_id = take(client, correct=True)
    amend(root, "管理監督者は、職員から相談がなされた場合には", "管理監督者は、相談を受けた場合には")
    sync_content(root)
    attempt = db.session.get(Attempt, attempt_id)
    assert policy_version_at(attempt.started_at).version == 1
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert 'href="/policy?version=1"' in page and "受験の時点の基本方針：第1版" in page


def test_a_lesson_names_the_policy_version_its_text_was_synced_with(root, client, auth, people):
    auth.login_as(people.employee())
    page = client.get("/courses/kihon-houshin/lessons/01-mokuteki").get_data(as_text=True)
    assert "このレッスンが拠る基本方針：第1版" in page
    amend(root, "管理監督者は、職員から相談がなされた場合には", "管理監督者は、相談を受けた場合には")
    sync_content(root)
    # The course did not change: its lessons still cite the first version's text.
    page = client.get("/courses/kihon-houshin/lessons/01-mokuteki").get_data(as_text=True)
    assert "このレッスンが拠る基本方針：第1版" in page
