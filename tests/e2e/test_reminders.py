"""A manager reminds an overdue member of staff from the browser: the badge, the tick, the preview of
the mail, the confirm, and the mail at a real SMTP server on loopback."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from elearn.extensions import db
from elearn.services.deadlines import japan_today
from tests.e2e.conftest import serving
from tests.e2e.organisation import employee
from tests.e2e.pages import Manager
from tests.mail_server import mail_server  # noqa: F401  (a fixture)
from tests.records import set_due


@pytest.fixture
def site(dbs, demo_template, tmp_path, mail_server):  # noqa: F811
    """The demo organisation served with the test's mail server configured."""
    url = dbs.fresh(demo_template)
    try:
        with serving(url, tmp_path, mail_server.environment()) as running:
            yield running
    finally:
        dbs.drop(url)


def test_a_manager_reminds_an_overdue_member_with_preview_and_confirm(site, open_tab, mail_server):  # noqa: F811
    with site.database():
        aoki = employee("D0001")  # 青木 花子, 市民課
        aoki.email = "aoki@city.example.jp"
        db.session.commit()
        set_due(aoki, japan_today() - timedelta(days=3))
    manager = Manager(open_tab())
    manager.sign_in("D0003")  # 上野 真理, 市民課
    manager.menu("所属の研修状況")
    staff = manager.section("職員ごとの状況")
    expect(staff.get_by_text("期限超過")).to_have_count(1)

    staff.get_by_label("青木 花子 に督促").first.check()
    manager.press(re.compile("督促メールの確認へ"))
    expect(manager.heading()).to_contain_text("督促メールの確認")
    expect(manager.page.locator("pre.mail-preview")).to_contain_text("青木 花子 様")
    expect(manager.page.get_by_text("所属長からのお願い", exact=False).first).to_be_visible()
    assert mail_server.mailbox.received == []  # nothing before the confirm

    manager.press(re.compile("件の督促メールを送信する"))
    expect(manager.flash()).to_contain_text("督促メール: 送信")
    recipients = mail_server.mailbox.recipients()
    assert recipients and set(recipients) == {"aoki@city.example.jp"}
    message = mail_server.mailbox.messages[0]
    assert "所属長からのお願い" in message["Subject"]
    expect(manager.heading()).to_contain_text("市民課 の研修状況")  # back on the department's list
