"""Uploads checked among the live content and published in one transaction with one audit event."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from elearn.config import PROJECT_ROOT
from elearn.content import check
from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import AuditEvent, ContentUpload, Role, Scenario, ScenarioVersion
from elearn.services import attempts as attempt_service
from elearn.services.audit import Actor
from elearn.services.audit_text import describe
from elearn.services.catalog import course_by_key, live_bank
from elearn.services.content_diff import diff_content
from elearn.services.content_export import export_content
from elearn.services.content_upload_files import read_upload
from elearn.services.content_uploads import (
    DISCARDED,
    PUBLISHED,
    LiveChanged,
    UploadHasErrors,
    UploadNotPending,
    checked_upload,
    discard_upload,
    publish_upload,
    store_upload,
)
from elearn.services.sync import WebPublishedItems, sync_content
from tests.content.tree import bank, copy_project_content, edit, scenario
from tests.learn.quiz import read_lessons_of

NEW_BANK = bank(scenario("upload-01", "窓口で怒鳴られる"), scenario("upload-02", "電話で怒鳴られる"))


@pytest.fixture
def trainer(people):
    return people.employee(Role.TRAINER)


@pytest.fixture
def work(tmp_path) -> Path:
    return tmp_path / "instance"


def uploaded(trainer, name: str, text: str, draft: bool = False, course: str | None = None) -> ContentUpload:
    return store_upload(Actor.of(trainer), name, read_upload(name, text.encode(), course), draft)


def publish(trainer, upload: ContentUpload, work: Path):
    with checked_upload(upload, PROJECT_ROOT, work) as checked:
        fingerprint = checked.fingerprint
    return publish_upload(Actor.of(trainer), upload.id, fingerprint, PROJECT_ROOT, work)


def latest(key: str) -> ScenarioVersion:
    return db.session.scalars(
        select(ScenarioVersion)
        .join(Scenario)
        .where(Scenario.key == key)
        .order_by(ScenarioVersion.version.desc())
    ).first()


def audit_events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "content.publish")))


def test_an_upload_is_compared_with_what_is_live(trainer, work):
    upload = uploaded(trainer, "new.md", NEW_BANK)
    with checked_upload(upload, PROJECT_ROOT, work) as checked:
        assert checked.errors == []
        assert checked.diff.scenarios.added == ["upload-01", "upload-02"]
        assert checked.diff.scenarios.retired == [] and checked.diff.scenarios.changed == []
        assert checked.uploaded_problems == {"quizzes/new.md": []}


def test_the_tree_is_removed_after_the_check(trainer, work):
    with checked_upload(uploaded(trainer, "new.md", NEW_BANK), PROJECT_ROOT, work) as checked:
        assert (checked.root / "quizzes/new.md").is_file()
    assert list(work.iterdir()) == []


def test_an_upload_with_an_error_names_the_file_and_line_and_cannot_be_published(trainer, work):
    broken = NEW_BANK.replace("- 分類: 暴言", "- 分類: 存在しない分類", 1)
    upload = uploaded(trainer, "x.md", broken)
    with checked_upload(upload, PROJECT_ROOT, work) as checked:
        messages = [str(p) for p in checked.errors]
        fingerprint = checked.fingerprint
    assert any(m.startswith("quizzes/x.md:9: error:") for m in messages), messages
    with pytest.raises(UploadHasErrors):
        publish_upload(Actor.of(trainer), upload.id, fingerprint, PROJECT_ROOT, work)
    assert latest("upload-01") is None and audit_events() == []


def test_publishing_writes_web_versions_marks_the_upload_and_records_one_event(trainer, work):
    upload = uploaded(trainer, "new.md", NEW_BANK)
    published = publish(trainer, upload, work)
    assert published.report.added == ["scenario upload-01", "scenario upload-02"]
    version = latest("upload-01")
    assert (version.origin, version.published_by_id, version.source_path) == (
        "web",
        trainer.id,
        "quizzes/new.md",
    )
    assert db.session.get(ContentUpload, upload.id).status == PUBLISHED
    [event] = audit_events()
    assert event.actor_id == trainer.id
    assert event.details["upload"] == upload.id and event.details["source"] == "new.md"
    assert event.details["added"] == {
        "scenario upload-01": latest("upload-01").content_hash,
        "scenario upload-02": latest("upload-02").content_hash,
    }
    assert len(event.details["files"]["quizzes/new.md"]) == 64


def test_a_failed_publish_writes_nothing_at_all(trainer, work, monkeypatch):
    upload = uploaded(trainer, "new.md", NEW_BANK)
    with checked_upload(upload, PROJECT_ROOT, work) as checked:
        fingerprint = checked.fingerprint
    counts = db.session.scalar(select(func.count()).select_from(ScenarioVersion))

    def failing_record(*args, **kwargs):
        raise RuntimeError("audit failed")

    monkeypatch.setattr("elearn.services.content_uploads.record", failing_record)
    with pytest.raises(RuntimeError):
        publish_upload(Actor.of(trainer), upload.id, fingerprint, PROJECT_ROOT, work)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(ScenarioVersion)) == counts
    assert db.session.get(ContentUpload, upload.id).status == "pending"


def test_a_publish_is_refused_when_what_is_live_changed_since_the_comparison(trainer, work, tmp_path):
    upload = uploaded(trainer, "new.md", NEW_BANK)
    with checked_upload(upload, PROJECT_ROOT, work) as checked:
        fingerprint = checked.fingerprint
    root = copy_project_content(tmp_path / "content")
    edit(root / "quizzes/boogen-kouatsu.md", "「お前は頭が悪いのか」", "「ふざけるな」")
    sync_content(root)
    with pytest.raises(LiveChanged):
        publish_upload(Actor.of(trainer), upload.id, fingerprint, PROJECT_ROOT, work)
    assert latest("upload-01") is None and audit_events() == []


def test_uploading_a_bank_again_retires_the_scenarios_it_no_longer_has(trainer, work):
    publish(trainer, uploaded(trainer, "new.md", NEW_BANK), work)
    again = uploaded(trainer, "new.md", bank(scenario("upload-01", "窓口で怒鳴られる")))
    with checked_upload(again, PROJECT_ROOT, work) as checked:
        assert checked.diff.scenarios.retired == ["upload-02"]
        assert checked.diff.scenarios.added == [] and checked.diff.scenarios.changed == []
    published = publish(trainer, again, work)
    assert published.report.retired == ["scenario upload-02"]
    assert "upload-02" not in {entry.id for entry in live_bank()}


def test_a_draft_upload_publishes_drafts_that_a_learners_quiz_never_draws(trainer, people, work, monkeypatch):
    publish(trainer, uploaded(trainer, "new.md", NEW_BANK, draft=True), work)
    assert latest("upload-01").draft and latest("upload-02").draft
    seen = []
    real = attempt_service.draw
    monkeypatch.setattr(
        attempt_service, "draw", lambda *a, **k: seen.append({e.id for e in a[4]}) or real(*a, **k)
    )
    employee = people.employee()
    read_lessons_of(employee)
    attempt_service.start_attempt(
        employee, course_by_key("kihon-houshin"), current_fiscal_year(), random.Random(1)
    )
    assert "upload-01" not in seen[0]
    assert "upload-01" in {entry.id for entry in live_bank(drafts=True)}


def test_the_draft_checkbox_keeps_messages_at_the_lines_the_trainer_wrote(trainer, work):
    broken = NEW_BANK.replace("- 分類: 暴言", "- 分類: 存在しない分類")
    with checked_upload(uploaded(trainer, "x.md", broken, draft=True), PROJECT_ROOT, work) as checked:
        lines = sorted({p.line for p in checked.errors if "存在しない分類" in p.message})
    second = broken.split("\n").index("- 分類: 存在しない分類", 10) + 1
    assert lines == [9, second]


def test_a_lesson_uploaded_into_a_course_changes_that_course_only(trainer, work):
    lesson = "---\ntitle: 追加のレッスン\n---\n\n相談を受けたら記録します [[第4-2]]。\n"
    upload = uploaded(trainer, "08-tsuika.md", lesson, course="kanri")
    with checked_upload(upload, PROJECT_ROOT, work) as checked:
        assert checked.errors == []
        [change] = checked.diff.courses.changed
        assert change.key == "kanri" and change.lessons == ["added 08-tsuika"]
        assert checked.diff.scenarios.empty


def test_discarding_keeps_the_upload_and_publishes_nothing(trainer, work):
    upload = uploaded(trainer, "new.md", NEW_BANK)
    assert discard_upload(upload.id).status == DISCARDED
    with pytest.raises(UploadNotPending):
        publish_upload(Actor.of(trainer), upload.id, "x", PROJECT_ROOT, work)


def test_after_a_web_publish_the_export_round_trips(trainer, work, tmp_path):
    publish(trainer, uploaded(trainer, "new.md", NEW_BANK, draft=True), work)
    target = tmp_path / "exported"
    assert export_content(target, PROJECT_ROOT).unfaithful == []
    assert check([target], target).problems.errors == []
    assert diff_content(target).empty
    report = sync_content(target, replace_web=False)
    assert report.added == report.updated == report.retired == []


def test_a_sync_from_files_refuses_to_replace_web_published_items(trainer, work, tmp_path):
    publish(trainer, uploaded(trainer, "new.md", NEW_BANK), work)
    with pytest.raises(WebPublishedItems) as refused:
        sync_content(PROJECT_ROOT, replace_web=False)
    assert refused.value.items == ["scenario upload-01", "scenario upload-02"]
    assert latest("upload-01").scenario.retired_at is None
    sync_content(PROJECT_ROOT, replace_web=True)
    db.session.expire_all()
    assert latest("upload-01").scenario.retired_at is not None


def test_the_trail_describes_a_publish_for_people(trainer, work):
    publish(trainer, uploaded(trainer, "new.md", NEW_BANK), work)
    [event] = audit_events()
    text = describe(event.details)
    digest = latest("upload-01").content_hash[:12]
    assert f"アップロード番号: {event.details['upload']}" in text and "ファイル: new.md" in text
    assert f"追加: scenario upload-01 {digest}・scenario upload-02" in text
    assert "ファイルの SHA-256: quizzes/new.md " in text
    assert event.action_name == "教材の公開"


def course_zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_zip_of_a_course_folder_replaces_the_course_whole(trainer, work):
    course = (PROJECT_ROOT / "courses/kanri/course.md").read_text("utf-8")
    lesson = (PROJECT_ROOT / "courses/kanri/01-yakuwari.md").read_text("utf-8")
    data = course_zip({"kanri/course.md": course, "kanri/01-yakuwari.md": lesson})
    upload = store_upload(Actor.of(trainer), "kanri.zip", read_upload("kanri.zip", data), False)
    with checked_upload(upload, PROJECT_ROOT, work) as checked:
        [change] = checked.diff.courses.changed
        assert "added 01-yakuwari" not in change.lessons
        assert {"removed 02-soudan", "removed 07-kousei"} <= set(change.lessons)


def test_a_draft_upload_of_a_course_marks_the_course_draft(trainer, work):
    course = (PROJECT_ROOT / "courses/kanri/course.md").read_text("utf-8")
    upload = uploaded(trainer, "course.md", course, draft=True, course="kanri")
    with checked_upload(upload, PROJECT_ROOT, work) as checked:
        assert checked.errors == []
        [change] = checked.diff.courses.changed
        assert change.key == "kanri" and change.settings == ["draft: False → True"]
        assert (checked.root / "courses/kanri/course.md").read_text("utf-8").split("\n")[1] == "status: draft"
