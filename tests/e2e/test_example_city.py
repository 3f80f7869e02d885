"""The fictional 南野市 (examples/minamino) in a real browser: another city's content, no code changed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from elearn.config import PROJECT_ROOT
from elearn.services.demo import seed_demo
from elearn.services.sync import sync_content
from tests.conftest import running_app
from tests.e2e.conftest import serving
from tests.e2e.organisation import Site
from tests.e2e.pages import DESKTOP, TIMEOUT_MS, Learner

MINAMINO = PROJECT_ROOT / "examples" / "minamino"


@pytest.fixture
def minamino(dbs, migrated_template, tmp_path) -> Iterator[Site]:
    url = dbs.fresh(migrated_template)
    with running_app(url, CONTENT_ROOT=MINAMINO):
        sync_content(MINAMINO)
        seed_demo()
    try:
        with serving(url, tmp_path, content_root=MINAMINO) as running:
            yield running
    finally:
        dbs.drop(url)


def test_an_employee_of_the_fictional_city_reads_its_course_and_passes_its_quiz(browser: Browser, minamino):
    context = browser.new_context(
        base_url=minamino.url, java_script_enabled=False, locale="ja-JP", viewport=DESKTOP
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        learner = Learner(context.new_page())
        learner.page.goto("/login")
        expect(learner.page.get_by_text("職員課 研修係（内線 2345・架空）", exact=False)).to_be_visible()
        learner.sign_in("D0001")
        expect(learner.page.locator(".site-name")).to_have_text("カスハラ防止研修（南野市・架空の例）")

        learner.start_course("南野市の基本方針を知る（架空の例）")
        assert learner.read_lessons() == ["カスタマー・ハラスメントとは", "該当し得る行為", "市と職員の責務"]
        result = learner.take_quiz(minamino.answer_key().right)
        assert (result.score, result.questions, result.passed) == (100, 6, True)

        learner.page.goto("/policy")
        article = learner.page.locator("#clause-5-a2")
        expect(article.get_by_role("heading")).to_have_text("第5条の2（正当な要望への対応）")
        expect(learner.page.locator("#clause-3-n4")).to_have_text("（4）土下座の要求")
    finally:
        context.close()
