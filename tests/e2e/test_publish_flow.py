"""A trainer publishes from the browser alone: uploads a bank with one draft scenario, sees what
would change, publishes, and tries the course as a learner (試行) with the draft in the quiz; a
second upload changes a scenario, and the history publishes its first version again (rollback).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import Learner, Trainer
from tests.e2e.publishing import (
    COURSE,
    DRAFT_ID,
    DRAFT_TITLE,
    LIVE_ID,
    LIVE_TITLE,
    RETITLED,
    SECOND_BANK,
    content_zip,
)

BANNER = "試行中：記録されません"


def upload(trainer: Trainer, path: Path) -> None:
    """On /author/: choose the ZIP and send it; the upload page follows."""
    trainer.menu("教材プレビュー")
    form = trainer.section("教材をアップロードして公開する")
    form.get_by_label("ファイル（.md または .zip）").set_input_files(str(path))
    trainer.go(form.get_by_role("button", name="アップロードして確認する"))
    expect(trainer.heading()).to_contain_text(path.name)


def what_would_change(trainer: Trainer) -> str:
    return trainer.section("公開すると変わること").inner_text()


@pytest.fixture
def published(site, open_tab, tmp_path) -> Trainer:
    """The trainer D0009 has uploaded the course and its bank, looked at the comparison and published."""
    archive = tmp_path / "tameshi.zip"
    archive.write_bytes(content_zip())
    trainer = Trainer(open_tab())
    trainer.sign_in("D0009")
    upload(trainer, archive)
    expect(trainer.section("確認結果")).to_contain_text("問題なし")
    changes = what_would_change(trainer)
    assert LIVE_ID in changes and DRAFT_ID in changes and COURSE in changes
    trainer.press("公開する")
    expect(trainer.flash()).to_contain_text("公開しました（追加 3、変更 0、廃止 0）")
    return trainer


def trial_question_titles(trainer: Trainer) -> list[str]:
    """Take the course's one-question quiz in trial mode; the scenario title it showed."""
    learner = Learner(trainer.page)
    learner.press(re.compile(r"^(もう一度)?受験する$"))
    expect(learner.page.get_by_text(BANNER)).to_be_visible()
    shown = learner.page.get_by_role("main").inner_text()
    titles = [title for title in (LIVE_TITLE, DRAFT_TITLE) if title in shown]
    while "/questions/" in learner.page.url:
        learner.answer(lambda choices: choices[:1])
    learner.press("提出する")
    return titles


def test_a_trainer_publishes_an_upload_and_tries_the_draft_as_a_learner(published):
    trainer = published
    trainer.menu("教材プレビュー")
    trainer.go(trainer.page.locator(f"form[action='/author/trial/{COURSE}'] button"))
    expect(trainer.page.get_by_text(BANNER)).to_be_visible()

    # One question of two eligible: a retake avoids the one just seen, so two trials show the draft.
    seen = trial_question_titles(trainer)
    if DRAFT_TITLE not in seen:
        trainer.page.goto(f"/courses/{COURSE}")
        seen += trial_question_titles(trainer)
    assert DRAFT_TITLE in seen

    trainer.page.goto(f"/courses/{COURSE}")
    trainer.press("試行を終える")
    expect(trainer.flash()).to_contain_text("試行を終えました。")
    expect(trainer.page.get_by_text(BANNER)).to_have_count(0)


def test_a_second_upload_is_rolled_back_from_the_history(published, tmp_path):
    """The published scenario is retitled by a second upload, then its first version is published again."""
    trainer = published
    second = tmp_path / "tameshi-2.zip"
    second.write_bytes(content_zip(SECOND_BANK))
    upload(trainer, second)
    assert f"変更: {LIVE_ID}" in what_would_change(trainer)
    trainer.press("公開する")
    expect(trainer.flash()).to_contain_text("公開しました（追加 0、変更 1、廃止 0）")

    trainer.menu("教材プレビュー")
    trainer.follow("公開した教材の履歴")
    trainer.follow(RETITLED)
    expect(trainer.heading()).to_contain_text(RETITLED)
    page = trainer.page
    expect(page.get_by_role("main")).to_contain_text(LIVE_TITLE)  # the diff of version 1 against 2
    trainer.follow(re.compile("^この版に戻す.*（第1版）$"))
    trainer.press("第1版を第3版として公開する")
    expect(trainer.flash()).to_contain_text("第1版を第3版として公開しました。")
    latest = page.get_by_role("region", name="版の一覧").get_by_role("row").nth(1)
    expect(latest).to_contain_text("第3版")
    expect(latest).to_contain_text("以前の版を再公開")
    expect(trainer.heading()).to_contain_text(LIVE_TITLE)
