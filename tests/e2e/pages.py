"""Page objects: what a person does in the app, in the words on the screen.

Elements are found as a screen reader user finds them, by role and accessible name (label, button
text, heading), so a test breaks when a control loses its name, not when its markup is reshuffled.
Every click that loads a page waits for that page's load event (``Screen.go``): the app has no
script, so a page read before its load may be the previous one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.e2e.organisation import DEMO_PASSWORD

DESKTOP = {"width": 1280, "height": 800}
# Per action and per expect(): a page that never comes fails the test instead of hanging it. Generous, so
# that a slow machine only waits longer: playwright's own expect() gives up after five seconds.
TIMEOUT_MS = 120_000
expect.set_options(timeout=TIMEOUT_MS)

ChoiceRule = Callable[[Sequence[int]], Sequence[int]]  # the choice ids shown -> the ones to tick
Name = str | re.Pattern[str]


def table_rows(table: Locator) -> list[dict[str, str]]:
    """A data table's body rows as {column header: cell text}, row headers included."""
    headers = [text.strip() for text in table.locator("thead").get_by_role("columnheader").all_inner_texts()]
    return [
        dict(zip(headers, (text.strip() for text in row.locator("th, td").all_inner_texts()), strict=True))
        for row in table.locator("tbody").get_by_role("row").all()
    ]


def row_values(table: Locator) -> dict[str, str]:
    """A table of row headers and values, as a dict."""
    return {
        row.get_by_role("rowheader").inner_text().strip(): row.get_by_role("cell").inner_text().strip()
        for row in table.locator("tbody").get_by_role("row").all()
    }


class Screen:
    """Any page of the app, with the header every page shares."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def go(self, control: Locator) -> None:
        """Click a link or a submit button and wait until the page it leads to has loaded."""
        with self.page.expect_event("load"):
            control.click()

    def heading(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    def button(self, name: Name) -> Locator:
        return self.page.get_by_role("button", name=name)

    def link(self, name: Name) -> Locator:
        return self.page.get_by_role("link", name=name)

    def press(self, name: Name) -> None:
        self.go(self.button(name))

    def follow(self, name: Name) -> None:
        self.go(self.link(name))

    def menu(self, name: str) -> None:
        self.go(self.page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name=name))

    def section(self, heading: Name) -> Locator:
        return self.page.locator("section", has=self.page.get_by_role("heading", name=heading, exact=True))

    def flash(self) -> Locator:
        return self.page.get_by_role("status")

    def sign_in(self, employee_no: str, password: str = DEMO_PASSWORD) -> None:
        self.page.goto("/login")
        self.page.get_by_label("職員番号").fill(employee_no)
        self.page.get_by_label("パスワード").fill(password)
        self.press("ログイン")
        expect(self.button("ログアウト")).to_be_visible()

    def activate(self, employee_no: str, code: str, password: str) -> None:
        """First login with the one-time code HR handed out."""
        self.page.goto("/activate")
        self.page.get_by_label("職員番号").fill(employee_no)
        self.page.get_by_label("有効化コード").fill(code)
        self.page.get_by_label("新しいパスワード", exact=True).fill(password)
        self.page.get_by_label("新しいパスワード（確認）").fill(password)
        self.press("パスワードを設定してログイン")
        expect(self.flash()).to_contain_text("パスワードを設定しました")


@dataclass(frozen=True)
class QuizResult:
    score: int
    correct: int
    questions: int
    passed: bool


class Learner(Screen):
    """An employee taking their training."""

    def course_card(self, title: str) -> Locator:
        """A course on マイ研修."""
        self.page.goto("/")
        return self.page.get_by_role("listitem").filter(has=self.page.get_by_role("heading", name=title))

    def start_course(self, title: str) -> None:
        self.go(self.course_card(title).get_by_role("link", name="受講を始める"))

    def open_course(self, title: str) -> None:
        self.go(self.course_card(title).get_by_role("link", name=title))

    def read_lessons(self) -> list[str]:
        """Read from the open lesson to the last, pressing 「読んだ・次へ」; the titles read."""
        read = []
        while "/lessons/" in self.page.url:
            read.append(self.heading().inner_text())
            self.press(re.compile(r"^読んだ・"))
        return read

    def take_quiz(self, choose: ChoiceRule) -> QuizResult:
        """From the course page: start an attempt, answer every question with ``choose``, submit."""
        self.press(re.compile(r"^(もう一度)?受験する$"))
        while "/questions/" in self.page.url:
            self.answer(choose)
        expect(self.heading()).to_have_text("回答の確認と提出")
        self.press("提出する")
        return self.result()

    def answer(self, choose: ChoiceRule) -> None:
        question = self.page.get_by_role("group")
        offered = question.get_by_role("radio").or_(question.get_by_role("checkbox")).all()
        by_id = {int(option.get_attribute("value")): option for option in offered}
        for choice in choose(list(by_id)):
            by_id[choice].check()
        next_question = self.button("回答して次の問題へ")
        self.go(next_question if next_question.count() else self.button("回答して確認画面へ"))

    def wrong_questions(self) -> Locator:
        """The links of a result page's summary of the questions answered wrong."""
        return self.page.get_by_role("navigation", name="まちがえた問題").get_by_role("link")

    def reviewed_titles(self) -> list[str]:
        """The scenario titles a result page reviews, in order (without 問n and the verdict)."""
        titles = self.page.locator("article.review h2").all_inner_texts()
        return [re.sub(r"^問\d+\s*|\s*\S+$", "", title.strip()) for title in titles]

    def result(self) -> QuizResult:
        expect(self.heading()).to_have_text("確認テストの結果")
        summary = self.page.get_by_text(re.compile(r"^\d+ 点（\d+ / \d+ 問正解）$")).inner_text()
        score, correct, questions = map(int, re.findall(r"\d+", summary))
        passed = self.page.get_by_text("合格です。修了が記録されました。").count() == 1
        return QuizResult(score, correct, questions, passed)


class Certificate(Screen):
    def facts(self) -> dict[str, str]:
        """The certificate's terms and values (研修名, 年度, 修了日, …)."""
        terms = self.page.get_by_role("term").all_inner_texts()
        values = self.page.get_by_role("definition").all_inner_texts()
        return dict(zip(terms, values, strict=True))


class HumanResources(Screen):
    """HR's pages (人事担当)."""

    def open(self, item: str) -> None:
        self.page.goto("/hr/")
        self.go(self.page.get_by_role("navigation", name="人事担当のメニュー").get_by_role("link", name=item))

    def upload_roster(self, path: Path) -> None:
        self.open("名簿の取り込み")
        self.page.get_by_label("名簿ファイル（CSV または Excel ブック）").set_input_files(path)
        self.press("内容を確認する")
        expect(self.heading()).to_contain_text("名簿の確認")

    def roster_plan(self) -> dict[str, str]:
        return row_values(self.section("取り込むと次のようになります").get_by_role("table"))

    def roster_rows(self, heading: re.Pattern[str]) -> list[dict[str, str]]:
        return table_rows(self.section(heading).get_by_role("table"))

    def assign(self, course: str, department: str) -> None:
        self.open("研修の割当")
        self.page.get_by_label("コース", exact=True).select_option(label=course)
        self.page.get_by_role("group", name="対象").get_by_label("所属", exact=True).check()
        self.page.get_by_label("所属（対象が所属のとき）").select_option(label=department)
        self.press("対象の人数を確かめる")
        expect(self.page.locator("#new-rule").get_by_role("status")).to_contain_text("に割り当てられます")
        self.press("この内容で割り当てる")

    def dashboard(self, department: str) -> None:
        """The dashboard of this fiscal year, for one department."""
        self.open("ダッシュボード")
        self.page.get_by_label("所属", exact=True).select_option(label=department)
        self.press("表示")

    def totals(self) -> dict[str, str]:
        """受講状況: 修了, 受講中, 未受講, 修了率."""
        return row_values(self.section("受講状況").get_by_role("table"))

    def tally(self, department: str, course: str) -> dict[str, str]:
        """One line of 所属・コース別の修了状況: 対象, 修了, 受講中, 未受講, 修了率."""
        rows = table_rows(self.section("所属・コース別の修了状況").get_by_role("table"))
        [row] = [r for r in rows if (r.pop("所属"), r.pop("コース")) == (department, course)]
        return row

    def download(self, link: str, folder: Path) -> Path:
        with self.page.expect_download() as started:
            self.link(link).click()
        download = started.value
        path = folder / download.suggested_filename
        download.save_as(path)
        return path

    def reset_account(self, employee_no: str) -> str:
        """Find the employee, reset their account and read the new activation code off the page."""
        self.open("職員の検索")
        self.page.get_by_label("職員番号または氏名").fill(employee_no)
        self.press("検索")
        self.follow(employee_no)
        self.follow("アカウントをリセットして新しい有効化コードを発行")
        expect(self.heading()).to_have_text("アカウントのリセット")
        self.press("リセットする")
        expect(self.heading()).to_have_text("新しい有効化コード")
        return self.page.get_by_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$")).inner_text()


class Manager(Screen):
    """A manager's view of their own department (所属の研修状況)."""

    def members(self) -> list[dict[str, str]]:
        self.menu("所属の研修状況")
        return table_rows(self.section("職員ごとの状況").get_by_role("table"))


class Trainer(Screen):
    """A trainer's content preview (教材プレビュー)."""

    def check_pasted(self, markdown: str) -> list[str]:
        """Paste a scenario bank into the preview form; the checker's messages, as shown."""
        self.menu("教材プレビュー")
        self.follow("Markdown を貼り付けて確認する")
        self.paste(markdown)
        messages = self.page.get_by_role("region", name="確認結果とプレビュー").get_by_role("listitem")
        return [text.strip() for text in messages.filter(has_text="行目").all_inner_texts()]

    def paste(self, markdown: str) -> None:
        """On the paste page: paste and check."""
        self.page.get_by_label("問題集ファイルの Markdown").fill(markdown)
        self.press("確認する")
        expect(self.page.get_by_role("region", name="確認結果とプレビュー")).to_be_visible()
