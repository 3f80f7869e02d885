"""The history pages on /author/: versions, comparing two, and the rollback for those who may publish."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import AuditEvent, CourseVersion, Role
from elearn.services.sync import sync_content
from tests import records
from tests.content.tree import edit

HISTORY = "/author/history/course/kanri"


@pytest.fixture
def two_syncs(content_root, people):
    """kanri at version 3 after two syncs of edited files, the first published on the web."""
    publisher = people.employee(Role.TRAINER, name="研修 花子")
    edit(content_root / "courses/kanri/course.md", "pass_mark: 80", "pass_mark: 70")
    sync_content(content_root, origin="web", published_by=publisher.id)
    edit(content_root / "courses/kanri/02-soudan.md", "相談をためらいがちです。", "相談をためらいます。")
    sync_content(content_root)
    return content_root


def _version_count() -> int:
    return db.session.scalar(select(func.count(CourseVersion.id)))


def test_the_history_lists_versions_with_publisher_and_diffs_the_last_two(two_syncs, trainer, client):
    page = client.get(HISTORY).get_data(as_text=True)
    assert "第3版" in page and "第2版" in page and "第1版" in page
    assert "研修 花子" in page and "コマンドライン" in page and "画面から公開" in page
    assert "第2版 → 第3版" in page
    assert "相談をためらいます。" in page  # the lesson diff of the default comparison
    assert "この版に戻す" in page


def test_the_get_form_compares_any_two_versions(two_syncs, trainer, client):
    page = client.get(f"{HISTORY}?old=1&new=2").get_data(as_text=True)
    assert "第1版 → 第2版" in page
    assert "pass_mark: 80 → 70" in page
    assert "相談をためらいます。" not in page
    assert client.get(f"{HISTORY}?old=1&new=9").status_code == 404
    assert client.get("/author/history/lesson/kanri").status_code == 404
    assert client.get("/author/history/course/no-such-course").status_code == 404


def test_the_history_index_links_every_synced_item(two_syncs, trainer, client):
    page = client.get("/author/history/").get_data(as_text=True)
    for link in (HISTORY, "/author/history/scenario/verbal-01", "/author/history/selfcheck/own-conduct"):
        assert f'href="{link}"' in page
    assert 'href="/author/history/"' in client.get("/author/").get_data(as_text=True)
    assert f'href="{HISTORY}"' in client.get("/author/").get_data(as_text=True)


def test_the_previews_link_to_the_history_of_what_is_synced(content_root, trainer, client):
    assert f'href="{HISTORY}"' in client.get("/author/courses/kanri/").get_data(as_text=True)
    bank = client.get("/author/quizzes/boogen-kouatsu.md").get_data(as_text=True)
    assert 'href="/author/history/scenario/verbal-01"' in bank


def test_a_trainer_confirms_and_rolls_back(two_syncs, trainer, client):
    confirm = client.get(f"{HISTORY}/rollback/1").get_data(as_text=True)
    assert "第1版を第4版として公開する" in confirm
    assert "pass_mark: 60" not in confirm and "pass_mark: 70 → 80" in confirm
    response = client.post(f"{HISTORY}/rollback/1")
    assert response.status_code == 303 and response.headers["Location"].endswith(HISTORY)
    page = client.get(HISTORY).get_data(as_text=True)
    assert "第1版を第4版として公開しました。" in page and "以前の版を再公開" in page
    assert records.course("kanri").current.version == 4
    assert records.course("kanri").current.pass_mark == 80


def test_the_confirmation_says_why_a_rollback_is_refused_and_offers_no_button(two_syncs, trainer, client):
    page = client.get(f"{HISTORY}/rollback/3").get_data(as_text=True)
    assert "第3版は現行の版です。" in page
    assert "として公開する</button>" not in page
    before = _version_count()
    response = client.post(f"{HISTORY}/rollback/3")
    assert response.status_code == 303
    assert "第3版は現行の版です。" in client.get(HISTORY).get_data(as_text=True)
    assert _version_count() == before


def test_hr_sees_the_history_but_may_not_roll_back_by_default(two_syncs, people, auth, client):
    auth.login_as(people.employee(Role.HR, department="職員課"))
    page = client.get(HISTORY)
    assert page.status_code == 200 and "この版に戻す" not in page.get_data(as_text=True)
    before = (_version_count(), db.session.scalar(select(func.count(AuditEvent.id))))
    assert client.get(f"{HISTORY}/rollback/1").status_code == 403
    assert client.post(f"{HISTORY}/rollback/1").status_code == 403
    assert (_version_count(), db.session.scalar(select(func.count(AuditEvent.id)))) == before


def test_hr_rolls_back_when_the_city_lets_hr_publish(app, two_syncs, people, auth, client):
    app.config["PUBLISH_ROLES"] = ("trainer", "hr")
    auth.login_as(people.employee(Role.HR, department="職員課"))
    assert "この版に戻す" in client.get(HISTORY).get_data(as_text=True)
    assert client.post(f"{HISTORY}/rollback/2").status_code == 303
    assert records.course("kanri").current.version == 4
