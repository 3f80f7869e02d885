"""`export_content`: everything live written back as a content root that checks clean and that a
sync leaves unchanged (the round trip between the web and git workflows)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from elearn.config import PROJECT_ROOT
from elearn.content import check
from elearn.content.skeleton import TargetNotEmpty
from elearn.extensions import db
from elearn.models import Scenario, ScenarioVersion
from elearn.services.content_diff import diff_content
from elearn.services.content_export import export_content
from elearn.services.sync import sync_content
from tests.conftest import running_app
from tests.content.tree import copy_project_content, edit

MINAMINO = PROJECT_ROOT / "examples" / "minamino"


@pytest.fixture
def exported(app, tmp_path) -> Path:
    target = tmp_path / "exported"
    report = export_content(target, Path(app.config["CONTENT_ROOT"]))
    assert report.unfaithful == []
    return target


def test_the_export_checks_without_errors(exported):
    result = check([exported], exported)
    assert result.problems.errors == []


def test_the_export_compared_with_the_database_changes_nothing(exported):
    result = diff_content(exported)
    assert result.problems == []
    assert result.empty
    assert set(result.files.values()) == {"live"}


def test_syncing_the_export_writes_no_new_version(exported):
    report = sync_content(exported)
    assert report.added == report.updated == report.retired == []


def test_every_live_item_is_written_in_the_repository_layout(exported):
    assert (exported / "policy/settings.yml").is_file()
    assert (exported / "policy/kihon-houshin.md").is_file()
    assert (exported / "courses/kanri/course.md").is_file()
    assert (exported / "courses/kanri/02-soudan.md").is_file()
    assert (exported / "quizzes/scenarios/verbal-01.md").is_file()
    assert (exported / "quizzes/selfchecks/own-conduct.md").is_file()


def test_retired_content_is_not_exported(app, tmp_path):
    root = copy_project_content(tmp_path / "content")
    (root / "quizzes/boogen-kouatsu.md").unlink()
    sync_content(root)
    export_content(tmp_path / "exported", root)
    assert not (tmp_path / "exported/quizzes/scenarios/verbal-01.md").exists()


def test_an_edit_published_from_files_is_exported_as_published(app, tmp_path):
    root = copy_project_content(tmp_path / "content")
    edit(root / "quizzes/boogen-kouatsu.md", "「お前は頭が悪いのか」", "「ふざけるな」")
    sync_content(root)
    export_content(tmp_path / "exported", root)
    text = (tmp_path / "exported/quizzes/scenarios/verbal-01.md").read_text("utf-8")
    assert "「ふざけるな」" in text and "「お前は頭が悪いのか」" not in text


def test_the_export_never_overwrites_content(app, tmp_path):
    (tmp_path / "target/courses").mkdir(parents=True)
    with pytest.raises(TargetNotEmpty):
        export_content(tmp_path / "target", Path(app.config["CONTENT_ROOT"]))
    assert list((tmp_path / "target").rglob("*.md")) == []


def test_the_command_writes_the_files_and_content_check_accepts_them(runner, tmp_path):
    target = tmp_path / "exported"
    result = runner.invoke(args=["content", "export", str(target)])
    assert result.exit_code == 0, result.output
    assert str(target / "courses/kanri/course.md") in result.output
    checked = runner.invoke(args=["content", "check", str(target)])
    assert checked.exit_code == 0, checked.output
    assert runner.invoke(args=["content", "export", str(target)]).exit_code == 1


@pytest.fixture
def minamino_app(dbs, migrated_template):
    """A fresh database with the second city's content (条/項 policy) synced into it."""
    url = dbs.fresh(migrated_template)
    with running_app(url, CONTENT_ROOT=MINAMINO, WTF_CSRF_ENABLED=False) as app:
        sync_content(MINAMINO)
        yield app
    dbs.drop(url)


def test_another_citys_content_round_trips_too(minamino_app, tmp_path):
    target = tmp_path / "exported"
    export_content(target, MINAMINO)
    assert check([target], target).problems.errors == []
    assert diff_content(target).empty
    report = sync_content(target)
    assert report.added == report.updated == report.retired == []


def test_a_stored_text_the_markdown_cannot_spell_back_is_reported(app, tmp_path):
    version = db.session.scalars(
        select(ScenarioVersion).join(Scenario).where(Scenario.key == "verbal-01")
    ).all()[-1]
    version.situation_html = "<p>二つの  空白</p>"  # no Markdown renders two spaces inside a paragraph
    db.session.commit()
    report = export_content(tmp_path / "exported", Path(app.config["CONTENT_ROOT"]))
    assert report.unfaithful == ["quizzes/scenarios/verbal-01.md: scenario verbal-01"]
