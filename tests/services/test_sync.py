"""`sync_content`: all or nothing, idempotent, versioned; retired never deleted; safe HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from elearn.content import default_settings
from elearn.extensions import db
from elearn.models import Course, CourseVersion, Lesson, Role, Scenario, ScenarioVersion
from elearn.services import sync
from elearn.services.sync import ContentInvalid, sync_content
from tests.content.tree import bank, copy_project_content, edit, scenario


@pytest.fixture
def root(app, tmp_path) -> Path:
    """A copy of the project's content (already synced into the test database) to edit and sync."""
    return copy_project_content(tmp_path / "content")


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def versions(key: str) -> list[ScenarioVersion]:
    return list(
        db.session.scalars(
            select(ScenarioVersion)
            .join(Scenario)
            .where(Scenario.key == key)
            .order_by(ScenarioVersion.version)
        )
    )


def scenario_record(key: str) -> Scenario:
    return db.session.scalars(select(Scenario).where(Scenario.key == key)).one()


def test_a_second_sync_adds_and_updates_nothing(root):
    (root / "quizzes/new.md").write_text(bank(scenario("new-01")), "utf-8")
    first = sync_content(root)
    assert first.added == ["scenario new-01"]
    counts = row_counts()

    again = sync_content(root)
    assert again.added == again.updated == again.retired == []
    assert again.unchanged == len(first.added) + first.unchanged
    assert row_counts() == counts


def test_editing_a_scenario_makes_version_2_and_leaves_version_1_as_it_was(root):
    [original] = versions("verbal-01")
    seen = (
        original.situation_html,
        [(c.text_html, c.correct) for c in original.choices],
        original.content_hash,
    )
    edit(root / "quizzes/boogen-kouatsu.md", "市民税の分割納付の相談", "固定資産税の分割納付の相談")

    report = sync_content(root)

    assert report.updated == ["scenario verbal-01"] and report.added == []
    db.session.expire_all()
    first, second = versions("verbal-01")
    assert (first.version, second.version) == (1, 2)
    assert (
        first.situation_html,
        [(c.text_html, c.correct) for c in first.choices],
        first.content_hash,
    ) == seen
    assert "固定資産税" in second.situation_html and "固定資産税" not in first.situation_html
    assert len(second.choices) == len(first.choices)


def test_a_removed_scenario_is_retired_and_kept_then_restoring_it_brings_it_back(root):
    path = root / "quizzes/boogen-kouatsu.md"
    original = path.read_text(encoding="utf-8")
    start = original.index("## 納税の相談中に")
    path.write_text(original[:start] + original[original.index("\n## ", start) + 1 :], "utf-8")
    counts = row_counts()

    report = sync_content(root)
    assert report.retired == ["scenario verbal-01"]
    db.session.expire_all()
    assert scenario_record("verbal-01").retired_at is not None
    assert row_counts() == counts  # nothing deleted
    assert len(versions("verbal-01")) == 1

    path.write_text(original, "utf-8")
    report = sync_content(root)
    assert report.updated == ["scenario verbal-01"] and report.added == []
    db.session.expire_all()
    assert scenario_record("verbal-01").retired_at is None
    assert len(versions("verbal-01")) == 1  # the same text: no new version
    assert row_counts() == counts


def test_a_content_error_raises_and_leaves_the_database_exactly_as_it_was(root):
    (root / "quizzes/new.md").write_text(bank(scenario("new-01")), "utf-8")
    edit(root / "quizzes/boogen-kouatsu.md", "市民税の分割納付の相談", "固定資産税の分割納付の相談")
    edit(root / "quizzes/teigi.md", "- 分類: 暴言", "- 分類: 悪口")
    counts = row_counts()

    with pytest.raises(ContentInvalid) as raised:
        sync_content(root)

    [problem] = raised.value.problems
    assert problem.message.startswith("不明な分類です: 悪口")
    db.session.expire_all()
    assert row_counts() == counts
    assert len(versions("verbal-01")) == 1


def test_a_failure_while_writing_rolls_everything_back(root, monkeypatch):
    (root / "quizzes/new.md").write_text(bank(scenario("new-01")), "utf-8")
    counts = row_counts()

    def fail(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(sync, "_sync_selfchecks", fail)  # after scenarios and courses were written
    with pytest.raises(RuntimeError):
        sync_content(root)

    db.session.expire_all()
    assert row_counts() == counts
    assert db.session.scalar(select(Scenario).where(Scenario.key == "new-01")) is None


@pytest.mark.parametrize(
    "link", ["[詳しく](javascript:alert(3))", '<a href="jav&#x61;script:alert(3)">x</a>']
)
def test_a_script_link_in_content_stops_the_sync(root, link):
    edit(root / "courses/kihon-houshin/02-teigi.md", "> **ポイント**", f"{link}\n\n> **ポイント**")
    with pytest.raises(ContentInvalid):
        sync_content(root)


def test_script_in_content_never_reaches_the_stored_html(root):
    hostile = (
        scenario("hostile-01")
        .replace("大声を出しました。", "大声を出しました。<script>alert(1)</script>")
        .replace(
            "- [ ] 相手の気が済むまで黙って聞き続ける",
            '- [ ] 相手の気が済むまで黙って聞き続ける <img src=x onerror="alert(2)">',
        )
        .replace("当たり得ます", "当たり得ます <a href='#' onclick='alert(4)'>x</a>")
    )
    (root / "quizzes/hostile.md").write_text(bank(hostile), "utf-8")
    edit(
        root / "courses/kihon-houshin/02-teigi.md",
        "> **ポイント**",
        "> **ポイント**<script>alert(5)</script>",
    )

    sync_content(root)

    [version] = versions("hostile-01")
    lesson = db.session.scalars(
        select(Lesson).where(Lesson.slug == "02-teigi").order_by(Lesson.id.desc())
    ).first()
    stored = " ".join(
        [version.situation_html, version.question_html, version.explanation_html, lesson.html]
        + [c.text_html + c.feedback_html for c in version.choices]
    )
    for dangerous in ("<script", "onerror", "onclick", "javascript:", "<img"):
        assert dangerous not in stored
    assert "大声を出しました。" in version.situation_html and "当たり得ます" in version.explanation_html


def test_a_clause_reference_becomes_a_link_to_the_policy_with_the_clause_text(root):
    [version] = versions("verbal-01")
    clause = default_settings().policy.get("第2(1)")
    assert '<a class="clause-ref" href="/policy#clause-2-1"' in version.explanation_html
    assert f'<span class="clause-tip" role="tooltip">{clause.text}</span>' in version.explanation_html


def test_a_multiple_answer_scenario_is_stored_as_one(root):
    draft = scenario("multi-01").replace(
        "- [ ] 相手の気が済むまで黙って聞き続ける", "- [x] 言い返さずに記録を残す"
    )
    (root / "quizzes/multi.md").write_text(bank(draft), "utf-8")
    sync_content(root)
    [version] = versions("multi-01")
    assert version.multiple is True
    assert [c.correct for c in version.choices] == [True, True]


def test_the_cli_reports_content_errors_and_changes_nothing(app, runner, root):
    edit(root / "quizzes/teigi.md", "- 視点: customer-to-staff", "- 視点: staff-to-customer")
    app.config["CONTENT_ROOT"] = root
    counts = row_counts()
    result = runner.invoke(args=["content", "sync"])
    assert result.exit_code == 1
    assert "quizzes/teigi.md" in result.output and "不明な視点です: staff-to-customer" in result.output
    assert "the database was not changed" in result.output
    assert row_counts() == counts


def test_a_course_version_stores_its_completion_rules_and_a_changed_rule_makes_a_new_version(root):
    def current_rules() -> tuple[int, str, bool, str]:
        version = db.session.scalars(
            select(CourseVersion)
            .join(Course)
            .where(Course.key == "kihon-houshin")
            .order_by(CourseVersion.version.desc())
        ).first()
        return version.version, version.completion, version.quiz_after_lessons, version.review

    assert current_rules() == (1, "lessons_and_quiz", True, "after_pass")  # the defaults
    edit(root / "courses/kihon-houshin/course.md", "pass_mark: 80\n", "pass_mark: 80\nreview: always\n")
    assert "course kihon-houshin" in sync_content(root).updated
    assert current_rules() == (2, "lessons_and_quiz", True, "always")


def test_a_text_that_renders_as_the_live_version_writes_no_new_version(root):
    edit(root / "quizzes/boogen-kouatsu.md", "と言い始め、", "と言い始め、\n")
    edit(root / "courses/kanri/02-soudan.md", "相談をためらいがちです。", "相談を\nためらいがちです。")
    counts = row_counts()
    report = sync_content(root)
    assert report.updated == [] and report.added == []
    assert row_counts() == counts
    assert len(versions("verbal-01")) == 1


def test_a_version_records_how_it_was_published_and_from_which_file(root, people):
    trainer = people.employee(Role.TRAINER)
    db.session.commit()
    (root / "quizzes/new.md").write_text(bank(scenario("new-01"), scenario("new-02")), "utf-8")
    sync_content(root)
    [from_files] = versions("new-01")
    assert (from_files.origin, from_files.published_by_id, from_files.source_path) == (
        "files",
        None,
        "quizzes/new.md",
    )

    (root / "quizzes/new.md").write_text(bank(scenario("new-01"), scenario("new-02", title="改")), "utf-8")
    sync_content(root, origin="web", published_by=trainer.id)
    assert [v.origin for v in versions("new-01")] == ["files"]  # unchanged: no new version
    latest = versions("new-02")[-1]
    assert (latest.origin, latest.published_by_id, latest.source_path) == (
        "web",
        trainer.id,
        "quizzes/new.md",
    )


@pytest.fixture
def web_published(app, root, people, tmp_path) -> Path:
    """verbal-01 changed and published on /author/: its latest version's origin is "web"."""
    trainer = people.employee(Role.TRAINER)
    web = copy_project_content(tmp_path / "web")
    edit(web / "quizzes/boogen-kouatsu.md", "「お前は頭が悪いのか」", "「ふざけるな」")
    sync_content(web, origin="web", published_by=trainer.id)
    app.config["CONTENT_ROOT"] = root
    return root


def test_the_cli_sync_refuses_to_replace_web_published_items_and_writes_nothing(runner, web_published):
    counts = row_counts()
    result = runner.invoke(args=["content", "sync"])
    assert result.exit_code == 1
    assert "scenario verbal-01" in result.output
    assert "「ふざけるな」" in result.output
    assert "nothing was written" in result.output
    assert row_counts() == counts
    assert versions("verbal-01")[-1].origin == "web"


def test_the_cli_sync_with_force_replaces_web_published_items(runner, web_published):
    result = runner.invoke(args=["content", "sync", "--force"])
    assert result.exit_code == 0, result.output
    latest = versions("verbal-01")[-1]
    assert latest.origin == "files" and "「お前は頭が悪いのか」" in latest.situation_html


def test_make_runs_sync_keeps_web_published_items_with_a_warning(runner, web_published):
    counts = row_counts()
    result = runner.invoke(args=["content", "sync", "--keep-web"])
    assert result.exit_code == 0
    assert "scenario verbal-01" in result.output and "web-published content stays live" in result.output
    assert row_counts() == counts


def test_the_cli_sync_replaces_items_published_from_files_as_before(runner, root, app):
    edit(root / "quizzes/boogen-kouatsu.md", "「お前は頭が悪いのか」", "「ふざけるな」")
    app.config["CONTENT_ROOT"] = root
    result = runner.invoke(args=["content", "sync"])
    assert result.exit_code == 0 and "updated 1" in result.output
