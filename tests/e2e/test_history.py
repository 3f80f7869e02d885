"""A trainer, in a browser only, opens a course's history after two syncs, compares two versions, rolls
back to the first and sees the new version; the history pages pass axe and reflow at 320 px."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from elearn.services.sync import sync_content
from tests.conftest import running_app
from tests.content.tree import copy_project_content, edit
from tests.e2e.conftest import serving
from tests.e2e.organisation import Site
from tests.e2e.pages import DESKTOP, TIMEOUT_MS, Screen
from tests.e2e.test_accessibility import assert_accessible
from tests.e2e.tour import TRAINER

HISTORY = "/author/history/course/kanri"


@pytest.fixture
def two_syncs(dbs, demo_template, tmp_path) -> Iterator[Site]:
    """The demo organisation with kanri at version 3: pass mark 70, then a lesson reworded."""
    url = dbs.fresh(demo_template)
    root = copy_project_content(tmp_path / "content")
    with running_app(url, CONTENT_ROOT=root):
        edit(root / "courses/kanri/course.md", "pass_mark: 80", "pass_mark: 70")
        sync_content(root)
        edit(root / "courses/kanri/02-soudan.md", "相談をためらいがちです。", "相談をためらいます。")
        sync_content(root)
    try:
        with serving(url, tmp_path, content_root=root) as running:
            yield running
    finally:
        dbs.drop(url)


def _trainer(browser: Browser, site: Site, **options) -> Screen:
    context = browser.new_context(base_url=site.url, locale="ja-JP", **options)
    context.set_default_timeout(TIMEOUT_MS)
    screen = Screen(context.new_page())
    screen.sign_in(TRAINER)
    return screen


def test_a_trainer_compares_two_versions_and_rolls_back_to_the_first(browser: Browser, two_syncs):
    trainer = _trainer(browser, two_syncs, java_script_enabled=False, viewport=DESKTOP)
    page = trainer.page
    try:
        trainer.menu("教材プレビュー")
        trainer.go(page.get_by_role("link", name=re.compile("^版の履歴.*（管理監督者の対応）$")))
        expect(trainer.heading()).to_contain_text("管理監督者の対応 の履歴")
        versions = page.get_by_role("region", name="版の一覧").get_by_role("row")
        expect(versions).to_have_count(4)  # the header and versions 3, 2, 1

        page.get_by_label("比べる元の版").select_option("1")
        page.get_by_label("比べる先の版").select_option("3")
        trainer.press("比べる")
        expect(page.get_by_text("第1版 → 第3版")).to_be_visible()
        expect(page.get_by_text("pass_mark: 80 → 70")).to_be_visible()
        expect(page.get_by_role("region", name="レッスン 02-soudan の違い")).to_contain_text(
            "相談をためらいます。"
        )

        trainer.follow(re.compile("^この版に戻す.*（第1版）$"))
        trainer.press("第1版を第4版として公開する")
        expect(trainer.flash()).to_contain_text("第1版を第4版として公開しました。")
        first_row = versions.nth(1)
        expect(first_row).to_contain_text("第4版")
        expect(first_row).to_contain_text("以前の版を再公開")
        expect(first_row).to_contain_text("小林 由美")  # the trainer who rolled back
    finally:
        page.context.close()


def test_the_history_pages_have_no_serious_violation_and_reflow_at_320_px(
    browser: Browser, two_syncs, axe_source
):
    pages = ["/author/history/", f"{HISTORY}?old=1&new=3", f"{HISTORY}/rollback/1", f"{HISTORY}/rollback/3"]
    scanner = _trainer(browser, two_syncs, bypass_csp=True, viewport=DESKTOP)
    try:
        for path in pages:
            scanner.page.goto(path)
            assert_accessible(scanner.page, axe_source, path)
    finally:
        scanner.page.context.close()
