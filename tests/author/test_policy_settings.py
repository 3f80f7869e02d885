"""The preview checks with the content root's own settings and policy, and shows their problems."""

from __future__ import annotations

from tests.content.tree import bank, edit, scenario


def test_a_broken_policy_is_shown_on_the_overview_with_its_line(client, content_root, trainer):
    policy = content_root / "policy/kihon-houshin.md"
    policy.write_text(policy.read_text("utf-8").replace("### 第4-2", "### 管理監督者"), "utf-8")
    page = client.get("/author/").get_data(as_text=True)
    assert "policy/kihon-houshin.md" in page and "条項の見出しを読み取れません: 管理監督者" in page


def test_a_pasted_bank_is_checked_against_the_content_roots_vocabulary(client, content_root, trainer):
    edit(content_root / "policy/settings.yml", "  - 窓口\n", "  - 窓口・受付\n")
    response = client.post("/author/paste", data={"markdown": bank(scenario("paste-01"))})
    assert "不明な場面です: 窓口（使えるのは 窓口・受付、" in response.get_data(as_text=True)
