"""The upload pages: a file sent on /author/, its messages at their lines, what would change, and
publish / discard for those who may publish."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import AuditEvent, ContentUpload, Role, Scenario
from elearn.services.sync import sync_content
from tests.content.tree import bank, copy_project_content, edit, scenario

NEW_BANK = bank(scenario("web-01", "窓口で怒鳴られる"))


def send(client, name: str, text: str | bytes, **fields):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        "/author/uploads",
        data={"file": (io.BytesIO(data), name), **fields},
        content_type="multipart/form-data",
    )


def upload_id(response) -> int:
    found = re.search(r"/author/uploads/(\d+)/", response.headers["Location"])
    assert found, response.headers.get("Location")
    return int(found.group(1))


def fingerprint_of(text: str) -> str:
    return re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', text).group(1)


def test_an_uploaded_bank_shows_what_would_change_and_a_publish_button(client, trainer):
    response = send(client, "web.md", NEW_BANK)
    assert response.status_code == 303
    page = client.get(f"/author/uploads/{upload_id(response)}/").get_data(as_text=True)
    assert "公開すると変わること" in page and "<code>web-01</code>" in page
    assert "公開する" in page and 'name="fingerprint"' in page
    assert f'href="/author/uploads/{upload_id(response)}/quizzes/web.md"' in page


def test_the_upload_is_previewed_as_learners_will_see_it(client, trainer):
    number = upload_id(send(client, "web.md", NEW_BANK))
    page = client.get(f"/author/uploads/{number}/quizzes/web.md").get_data(as_text=True)
    assert "窓口で怒鳴られる" in page and f'href="/author/uploads/{number}/"' in page


def test_a_lesson_is_previewed_in_its_course(client, trainer):
    lesson = "---\ntitle: 追加のレッスン\n---\n\n相談を受けたら記録します [[第4-2]]。\n"
    number = upload_id(send(client, "08-tsuika.md", lesson, course="kanri"))
    page = client.get(f"/author/uploads/{number}/courses/kanri/08-tsuika").get_data(as_text=True)
    assert "追加のレッスン" in page and f'href="/author/uploads/{number}/courses/kanri/"' in page
    assert "added 08-tsuika" in client.get(f"/author/uploads/{number}/").get_data(as_text=True)


def test_an_upload_with_an_error_shows_it_at_its_line_and_offers_no_publish(client, trainer):
    broken = NEW_BANK.replace("- 分類: 暴言", "- 分類: 存在しない分類")
    page = client.get(f"/author/uploads/{upload_id(send(client, 'x.md', broken))}/").get_data(as_text=True)
    assert "<code>quizzes/x.md:9</code>" in page
    assert 'name="fingerprint"' not in page and "エラーがあるため公開できません" in page


def test_a_refused_file_is_said_in_one_message_and_nothing_is_kept(client, trainer):
    response = send(client, "bank.md", "問題集".encode("cp932"))
    assert response.status_code == 303 and response.headers["Location"].endswith("/author/")
    assert "UTF-8 として読めません" in client.get("/author/").get_data(as_text=True)
    assert db.session.scalars(select(ContentUpload)).all() == []


def test_publishing_makes_the_scenario_live_with_one_audit_event(client, trainer):
    number = upload_id(send(client, "web.md", NEW_BANK))
    page = client.get(f"/author/uploads/{number}/").get_data(as_text=True)
    response = client.post(f"/author/uploads/{number}/publish", data={"fingerprint": fingerprint_of(page)})
    assert response.status_code == 303
    assert "公開しました（追加 1、変更 0、廃止 0）" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert db.session.scalar(select(Scenario).where(Scenario.key == "web-01")) is not None
    assert (
        len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "content.publish")).all()) == 1
    )


def test_a_publish_after_the_live_content_changed_shows_the_new_comparison(client, trainer, tmp_path):
    number = upload_id(send(client, "web.md", NEW_BANK))
    fingerprint = fingerprint_of(client.get(f"/author/uploads/{number}/").get_data(as_text=True))
    root = copy_project_content(tmp_path / "other")
    edit(root / "quizzes/boogen-kouatsu.md", "「お前は頭が悪いのか」", "「ふざけるな」")
    sync_content(root)
    response = client.post(f"/author/uploads/{number}/publish", data={"fingerprint": fingerprint})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "確認したあとに公開中の教材が変わりました" in page and fingerprint_of(page) != fingerprint
    assert db.session.scalar(select(Scenario).where(Scenario.key == "web-01")) is None


def test_the_upload_pages_show_the_live_content_as_it_is_after_a_sync(client, trainer, tmp_path):
    """The live content under an upload is made once and kept while nothing live changes: a sync
    of a lesson the upload does not touch shows on the upload's preview of it at once."""
    number = upload_id(send(client, "web.md", NEW_BANK))
    lesson = f"/author/uploads/{number}/courses/kihon-houshin/02-teigi"
    assert "三つの要件" not in client.get(lesson).get_data(as_text=True)
    root = copy_project_content(tmp_path / "other")
    edit(root / "courses/kihon-houshin/02-teigi.md", "## 三つの要素", "## 三つの要件")
    sync_content(root)
    assert "三つの要件" in client.get(lesson).get_data(as_text=True)


def test_discarding_leaves_the_live_content_alone(client, trainer):
    number = upload_id(send(client, "web.md", NEW_BANK))
    assert client.post(f"/author/uploads/{number}/discard").status_code == 303
    assert db.session.get(ContentUpload, number).status == "discarded"
    assert "破棄しました" in client.get(f"/author/uploads/{number}/").get_data(as_text=True)


def test_pending_uploads_are_listed_on_the_preview_page(client, trainer):
    number = upload_id(send(client, "web.md", NEW_BANK, draft="y"))
    page = client.get("/author/").get_data(as_text=True)
    assert f'href="/author/uploads/{number}/"' in page and "web.md" in page


@pytest.fixture
def hr(people, auth):
    employee = people.employee(Role.HR)
    auth.login_as(employee)
    return employee


def test_hr_sees_the_comparison_but_no_buttons_by_default(client, hr):
    page = client.get(f"/author/uploads/{upload_id(send(client, 'web.md', NEW_BANK))}/").get_data(
        as_text=True
    )
    assert "公開すると変わること" in page
    assert 'name="fingerprint"' not in page and "破棄する" not in page
