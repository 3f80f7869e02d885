"""What managers and trainers see, in a real browser."""

from __future__ import annotations

from playwright.sync_api import expect

from tests import records
from tests.content.tree import bank, scenario
from tests.e2e.organisation import employee
from tests.e2e.pages import Manager, Trainer


def test_manager_sees_only_their_own_department(site, open_tab):
    with site.database():
        records.completed(employee("D0001"), "kihon-houshin")
    kihon = site.course("kihon-houshin").title
    manager = Manager(open_tab())
    manager.sign_in("D0003")  # 上野 真理, 市民課

    members = manager.members()
    expect(manager.heading()).to_contain_text("市民課 の研修状況")
    assert {row["職員番号"] for row in members} == {"D0001", "D0002", "D0003"}
    assert [row["状態"] for row in members if (row["職員番号"], row["コース"]) == ("D0001", kihon)] == [
        "修了"
    ]

    manager.go(manager.link("D0001").first)
    expect(manager.heading()).to_contain_text("青木 花子")
    expect(manager.page.get_by_role("cell", name=kihon)).to_be_visible()

    refused = manager.page.goto("/manage/employees/D0004")  # 江口 翔太, 課税課
    assert refused.status == 404
    expect(manager.heading()).to_have_text("エラー（404）")
    expect(manager.page.get_by_text("江口")).to_have_count(0)


def test_trainer_pastes_a_scenario_with_an_error_and_sees_the_checkers_message(site, open_tab):
    draft = bank(scenario("draft-01", "税金泥棒と怒鳴られる")).replace("- [x] 落ち着いて", "- [ ] 落ち着いて")
    trainer = Trainer(open_tab())
    trainer.sign_in("D0009")

    messages = trainer.check_pasted(draft)

    line = draft.split("\n").index("### 選択肢") + 1
    assert messages == [f"エラー {line} 行目 正解の選択肢（- [x]）がありません"]
    expect(trainer.page.get_by_role("heading", name="税金泥棒と怒鳴られる")).to_be_visible()
