"""The organisation is configuration: names from the content settings, overridable by the config."""

from __future__ import annotations

import shutil

from elearn.config import PROJECT_ROOT
from elearn.services.policy import content_settings, site
from tests.content.tree import edit


def test_the_site_is_named_by_the_content_settings(app):
    names = site()
    assert names.title == "カスハラ防止研修"
    assert names.organisation == "東久留米市" and names.certificate_issuer == "東久留米市"
    assert "ログインできないときは" in names.support_contact
    assert site("en").title == "Customer harassment prevention training"


def test_the_configuration_overrides_the_content_settings(app):
    app.config.update(SITE_TITLE="研修サイト", CERTIFICATE_ISSUER="人事課長", SUPPORT_CONTACT="内線 1234")
    names = site("en")
    assert (names.title, names.certificate_issuer, names.support_contact) == (
        "研修サイト",
        "人事課長",
        "内線 1234",
    )


def test_another_content_root_brings_its_own_names(app, tmp_path):
    shutil.copytree(PROJECT_ROOT / "policy", tmp_path / "policy")
    edit(tmp_path / "policy/settings.yml", "organisation: 東久留米市", "organisation: 北野町")
    app.config["CONTENT_ROOT"] = tmp_path
    assert site().organisation == "北野町"
    assert content_settings().policy.get("第4-3") is not None


def test_pages_and_the_login_page_show_the_site_names(app, client):
    app.config.update(SITE_TITLE="北野町 研修", SUPPORT_CONTACT="ログインできないときは総務課（内線 200）へ")
    page = client.get("/login").get_data(as_text=True)
    assert "<title>ログイン | 北野町 研修</title>" in page
    assert "ログインできないときは総務課（内線 200）へ" in page
