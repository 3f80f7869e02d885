"""Content history: the versions of an item, the diff between two, and republishing an older one."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import AuditEvent, Course, CourseVersion, Role, Scenario, ScenarioVersion
from elearn.services import content_history
from elearn.services.audit import Actor
from elearn.services.audit_text import describe
from elearn.services.content_history import (
    RollbackRefused,
    item_history,
    rollback,
    version_diff,
)
from elearn.services.content_versions import stored_course_fields, stored_scenario_fields
from elearn.services.sync import sync_content
from tests import records
from tests.content.tree import bank, copy_project_content, edit, scenario

LESSON = "courses/kanri/02-soudan.md"


@pytest.fixture
def root(app, tmp_path) -> Path:
    return copy_project_content(tmp_path / "content")


@pytest.fixture
def trainer(people):
    return people.employee(Role.TRAINER, name="研修 花子")


@pytest.fixture
def three_versions(root, trainer) -> Path:
    """kanri at version 1 (the project's files), 2 (pass mark 70, published on the web by the
    trainer) and 3 (pass mark 60 and a lesson reworded, synced at the command line)."""
    edit(root / "courses/kanri/course.md", "pass_mark: 80", "pass_mark: 70")
    sync_content(root, origin="web", published_by=trainer.id)
    edit(root / "courses/kanri/course.md", "pass_mark: 70", "pass_mark: 60")
    edit(root / LESSON, "相談をためらいがちです。", "相談をためらいます。")
    sync_content(root)
    return root


def _versions(key: str) -> list[CourseVersion]:
    return list(
        db.session.scalars(
            select(CourseVersion).join(Course).where(Course.key == key).order_by(CourseVersion.version)
        )
    )


def test_history_lists_the_versions_newest_first_with_who_published_them(three_versions, trainer):
    history = item_history("course", "kanri")
    assert [v.number for v in history.versions] == [3, 2, 1]
    assert [v.publisher for v in history.versions] == [None, "研修 花子", None]
    assert [v.origin for v in history.versions] == ["files", "web", "files"]
    assert [v.content_hash for v in history.versions] == [
        v.content_hash for v in reversed(_versions("kanri"))
    ]
    assert history.latest.number == 3 and not history.retired
    assert history.latest.source_path == "courses/kanri/course.md"


def test_history_of_an_unknown_item_is_none(app):
    assert item_history("course", "no-such-course") is None
    assert version_diff("course", "kanri", 1, 9) is None


def test_diff_between_versions_1_and_3_lists_settings_and_the_lesson_diff(three_versions):
    diff = version_diff("course", "kanri", 1, 3)
    assert diff.change.settings == ["pass_mark: 80 → 60"]
    assert diff.change.lessons == ["changed 02-soudan"]
    lines = diff.change.lesson_diffs["02-soudan"].splitlines()
    assert lines[:2] == ["--- v1/02-soudan", "+++ v3/02-soudan"]
    assert any(line.startswith("-") and "相談をためらいがちです。" in line for line in lines)
    assert any(line.startswith("+") and "相談をためらいます。" in line for line in lines)
    assert not diff.empty
    assert version_diff("course", "kanri", 3, 3).empty


def test_diff_of_a_scenario_is_a_unified_diff_of_its_markdown(root):
    edit(root / "quizzes/boogen-kouatsu.md", "「お前は頭が悪いのか」", "「ふざけるな」")
    sync_content(root)
    diff = version_diff("scenario", "verbal-01", 1, 2).change.diff
    assert diff.startswith("--- v1/verbal-01\n+++ v2/verbal-01\n@@")
    assert any(line.startswith("+") and "「ふざけるな」" in line for line in diff.splitlines())


def test_rollback_writes_a_new_version_equal_in_fields_to_the_old_one(three_versions, trainer):
    result = rollback(Actor.of(trainer), "course", "kanri", 1)
    first, *_, newest = _versions("kanri")
    assert (result.from_version, result.new_version) == (1, 4) and newest.version == 4
    assert stored_course_fields(newest) == stored_course_fields(first)
    assert newest.content_hash == first.content_hash == result.content_hash
    assert (newest.origin, newest.published_by_id, newest.source_path) == (
        "rollback",
        trainer.id,
        first.source_path,
    )
    assert [le.id for le in newest.lessons] != [le.id for le in first.lessons]  # rows of its own
    assert records.course("kanri").current.id == newest.id


def test_rollback_leaves_old_versions_and_their_attempts_as_they_were(three_versions, trainer, people):
    learner = people.employee()
    attempt = records.failed(learner, "kanri")  # taken on version 3
    version_3 = stored_course_fields(_versions("kanri")[2])
    rollback(Actor.of(trainer), "course", "kanri", 1)
    db.session.expire_all()
    assert attempt.course_version.version == 3
    assert stored_course_fields(_versions("kanri")[2]) == version_3


def test_rollback_records_its_audit_event_in_the_same_transaction(three_versions, trainer):
    rollback(Actor.of(trainer), "course", "kanri", 2)
    db.session.rollback()  # nothing left pending: the version and the event were committed together
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "content.rollback")).one()
    assert event.actor_id == trainer.id
    assert event.details == {
        "kind": "course",
        "key": "kanri",
        "from_version": 2,
        "new_version": 4,
        "digest": _versions("kanri")[1].content_hash,
    }
    assert "第2版" in event.summary and "第4版" in event.summary
    assert describe(event.details).startswith(
        "種類: コース、教材 ID: kanri、戻した版: 第2版、新しい版: 第4版"
    )
    assert event.action_name == "教材の以前の版の再公開"


def test_rollback_of_a_scenario_copies_its_choices(root, trainer):
    edit(root / "quizzes/boogen-kouatsu.md", "「お前は頭が悪いのか」", "「ふざけるな」")
    sync_content(root)
    rollback(Actor.of(trainer), "scenario", "verbal-01", 1)
    versions = db.session.scalars(
        select(ScenarioVersion)
        .join(Scenario)
        .where(Scenario.key == "verbal-01")
        .order_by(ScenarioVersion.version)
    ).all()
    assert [v.version for v in versions] == [1, 2, 3]
    assert stored_scenario_fields(versions[2]) == stored_scenario_fields(versions[0])


def _count_versions() -> int:
    return db.session.scalar(select(func.count(CourseVersion.id))) + db.session.scalar(
        select(func.count(ScenarioVersion.id))
    )


def _refused(actor: Actor, kind: str, key: str, to: int, why: str) -> None:
    before = (_count_versions(), db.session.scalar(select(func.count(AuditEvent.id))))
    with pytest.raises(RollbackRefused, match=why):
        rollback(actor, kind, key, to)
    assert (_count_versions(), db.session.scalar(select(func.count(AuditEvent.id)))) == before


def test_rollback_to_the_current_version_or_a_missing_one_is_refused(three_versions, trainer):
    actor = Actor.of(trainer)
    _refused(actor, "course", "kanri", 3, "第3版は現行の版です")
    _refused(actor, "course", "kanri", 7, "第7版はありません")
    _refused(actor, "course", "no-such-course", 1, "ありません")


def test_rollback_to_a_version_with_the_same_text_as_the_current_one_is_refused(three_versions, trainer):
    rollback(Actor.of(trainer), "course", "kanri", 1)
    _refused(Actor.of(trainer), "course", "kanri", 1, "現行の版（第4版）と同じ内容です")


def test_rollback_of_a_retired_item_is_refused(root, trainer):
    edit(root / "quizzes/boogen-kouatsu.md", "「お前は頭が悪いのか」", "「ふざけるな」")
    sync_content(root)
    (root / "quizzes/boogen-kouatsu.md").unlink()
    sync_content(root)
    _refused(Actor.of(trainer), "scenario", "verbal-01", 1, "公開を終えています")


def test_rollback_is_refused_when_a_course_could_no_longer_draw_its_quiz(root, trainer):
    """kanri at version 2 must always ask new-01; new-01 at version 1 was a draft, never drawn."""
    draft = bank(scenario("new-01")).replace("- 根拠:", "- 状態: 下書き\n- 根拠:", 1)
    (root / "quizzes/new.md").write_text(draft, "utf-8")
    sync_content(root)
    edit(root / "quizzes/new.md", "- 状態: 下書き\n", "")
    edit(root / "courses/kanri/course.md", "  max_attempts: 0", "  max_attempts: 0\n  fixed: [new-01]")
    sync_content(root)
    _refused(
        Actor.of(trainer), "scenario", "new-01", 1, "コース kanri の出題の規則を問題集で満たせなくなります"
    )
    # And a course rolled back to rules the live bank cannot satisfy: kanri 2 once new-01 is gone.
    edit(root / "courses/kanri/course.md", "\n  fixed: [new-01]", "")
    (root / "quizzes/new.md").unlink()
    sync_content(root)
    _refused(Actor.of(trainer), "course", "kanri", 2, "fixed のシナリオがありません: new-01")


def test_a_rollback_at_the_command_line_has_no_publisher(three_versions):
    rollback(Actor.command_line(), "course", "kanri", 1)
    assert item_history("course", "kanri").latest.publisher is None
    assert _versions("kanri")[-1].origin == "rollback"


def test_the_history_command_lists_versions_and_prints_a_diff(three_versions, runner):
    result = runner.invoke(args=["content", "history", "kanri", "--diff", "1", "3"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "course kanri (live): 3 version(s)"
    assert [line.split()[0] for line in lines[1:4]] == ["v3", "v2", "v1"]
    assert "web  研修 花子" in lines[2] and "command line" in lines[1]
    assert "  pass_mark: 80 → 60" in lines and "  lesson changed 02-soudan" in lines
    assert "+++ v3/02-soudan" in lines


def test_the_rollback_command_republishes_and_refuses_with_the_reason(three_versions, runner):
    result = runner.invoke(args=["content", "rollback", "kanri", "--to", "1"])
    assert result.exit_code == 0, result.output
    assert result.output == "course kanri: version 1 published again as version 4\n"
    assert item_history("course", "kanri").latest.origin == "rollback"
    refused = runner.invoke(args=["content", "rollback", "kanri", "--to", "4"])
    assert refused.exit_code == 1 and "第4版は現行の版です。" in refused.output
    unknown = runner.invoke(args=["content", "history", "no-such-item"])
    assert unknown.exit_code == 1 and "no synced course, scenario or self-check" in unknown.output


def test_a_rollback_that_loses_the_race_for_its_version_number_is_refused(
    three_versions, trainer, monkeypatch
):
    """Another publication wrote version 4 after this rollback read version 3 as the latest."""
    real = content_history._checked
    monkeypatch.setattr(
        content_history, "_checked", lambda *args: (real(*args)[0], _versions("kanri")[1])
    )  # reads version 2 as the latest: its next number, 3, is taken
    _refused(Actor.of(trainer), "course", "kanri", 1, "同じ時に別の公開がありました")
