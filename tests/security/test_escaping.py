"""Script payloads in what people and content say never reach a page as markup.

Payloads go in where they would in real life: names, kana, departments, employment types and e-mail
addresses through HR's roster import; an assignment rule's employment type through HR's form; search
and query strings; and the Markdown of lessons, scenarios and the self-check through a content sync.
Then every page of the app, for every role, is parsed: no script element, no event-handler
attribute, no javascript: URL, and none of the payloads verbatim. Every response also carries the
Content-Security-Policy that forbids scripts, so a browser with JavaScript on runs nothing of the
app's: that is why the browser flows (tests/e2e) need to run with it off only.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from elearn.config import PROJECT_ROOT
from elearn.content import markdown_lines
from elearn.fiscal import current_fiscal_year
from elearn.security import CONTENT_SECURITY_POLICY
from elearn.services import submission
from elearn.services.sync import sync_content
from tests import records
from tests.learn.quiz import save_answers
from tests.security.test_authorisation_matrix import EXPECTED
from tests.security.world import ROLES, World, build_world, client_for, url

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
PAYLOADS = (SCRIPT, IMG, JS_URL)
DEPARTMENT = f"市民課{IMG}"


class MarkupFinder(HTMLParser):
    """Collects what in a page would run: script elements, on* attributes, javascript: URLs."""

    URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "iframe", "object", "embed"}:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            compact = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if name in self.URL_ATTRIBUTES and compact.startswith(("javascript:", "vbscript:", "data:text")):
                self.found.append(f"<{tag} {name}={value!r}>")


def injected(html: str) -> list[str]:
    finder = MarkupFinder()
    finder.feed(html)
    finder.close()
    verbatim = [payload for payload in (SCRIPT, IMG.removeprefix('">')) if payload in html]
    return finder.found + verbatim


def test_the_finder_finds_what_it_looks_for():
    for page in (SCRIPT, f"<p>{IMG}</p>", f'<a href=" {JS_URL}">x</a>', '<form action="JAVASCRIPT:x">'):
        assert injected(page), page
    assert injected("<p>&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)</p>") == []


def sweep(app, world: World, extra_paths: dict[str, list[str]]) -> dict[str, str]:
    """Every GET page for every role, and a few more paths: "role path" -> the HTML."""
    pages = {}
    for role in ROLES:
        paths = [url(app, world, page, role) for page in sorted(EXPECTED) if page.method == "GET"]
        client = client_for(app, world, role)
        for path in paths + extra_paths.get(role, []):
            response = client.get(path)
            policy = response.headers.get("Content-Security-Policy")
            assert policy == CONTENT_SECURITY_POLICY, f"{role} {path}"
            if response.mimetype == "text/html":
                pages[f"{role} {path}"] = response.get_data(as_text=True)
            response.close()
    return pages


def unsafe(pages: dict[str, str]) -> dict[str, list[str]]:
    return {page: found for page, html in pages.items() if (found := injected(html))}


def shown_as_text(pages: dict[str, str], payload: str) -> list[str]:
    """The pages on which the payload appears to the reader, as plain text."""
    return [page for page, html in pages.items() if payload in unescape(html)]


def reflected_paths() -> dict[str, list[str]]:
    """Query strings and path segments that pages show back."""
    shown = [quote(payload) for payload in PAYLOADS]
    return {
        "anonymous": [f"/login?next={p}" for p in shown],
        "employee": [f"/courses/{p}" for p in shown] + [f"/?year={p}" for p in shown],
        "manager": [f"/manage/?status={p}" for p in shown],
        "hr": [f"/hr/employees?q={p}" for p in shown]
        + [f"/certificates/verify?code={p}" for p in shown]
        + [f"/hr/records?course={p}" for p in shown],
    }


def import_roster(client, text: str) -> None:
    data = {"file": (io.BytesIO(text.encode()), f"{SCRIPT}.csv")}
    preview = client.post("/hr/roster", data=data, content_type="multipart/form-data")
    assert preview.status_code == 303
    shown = client.get(preview.headers["Location"])
    assert injected(shown.get_data(as_text=True)) == []
    assert client.post(preview.headers["Location"]).status_code == 303


def roster(*rows: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(("職員番号", "氏名", "氏名カナ", "所属", "雇用区分", "メールアドレス"))
    writer.writerows(rows)
    return buffer.getvalue()


def test_payloads_in_names_and_departments_are_shown_as_text_on_every_page(app, people):
    world = build_world(people)
    hr = client_for(app, world, "hr")
    import_roster(
        hr,
        roster(
            ("E001", SCRIPT, JS_URL, DEPARTMENT, IMG, "x@example.jp"),
            ("E002", IMG, SCRIPT, DEPARTMENT, JS_URL, '"><svg/onload=alert(1)>@x.jp'),
            ("M001", JS_URL, "", DEPARTMENT, "", ""),  # the manager's department is the payload's too
            ("E900", SCRIPT + IMG, "", SCRIPT, "", ""),
        ),
    )
    rule = {
        "year": current_fiscal_year(),
        "course": records.course("kanri").id,
        "scope": "employment_type",
        "employment_type": SCRIPT,
        "confirmed": "y",
        "allow_empty": "y",  # nobody has that employment type
    }
    assert hr.post("/hr/assignments", data=rule).status_code == 303
    pages = sweep(app, world, reflected_paths())
    assert unsafe(pages) == {}
    assert "hr /hr/employees/E002" in shown_as_text(pages, IMG)
    assert "manager /manage/" in shown_as_text(pages, DEPARTMENT)
    assert "employee /" in shown_as_text(pages, SCRIPT)  # the employee's own name in the header


@pytest.fixture
def payload_content(app, tmp_path) -> Path:
    """The project's content with payloads written into a lesson, every scenario and the self-check,
    synced into the database; the trainer's preview reads the same folder."""
    root = tmp_path / "content"
    for folder in ("courses", "quizzes"):
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    markdown = (
        f"\n\n{SCRIPT}\n\n<p>{IMG}</p>\n\n[リンク]({JS_URL}) <a href='{JS_URL}'>リンク</a> "
        f"![画像](x){{: onerror=alert(1)}} <img src=x onerror=alert(1)>\n"
    )
    lesson = root / "courses" / "kihon-houshin" / "01-mokuteki.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + markdown, encoding="utf-8")
    for bank in (root / "quizzes").glob("*.md"):
        text = bank.read_text(encoding="utf-8")
        for heading in ("### 状況\n", "### 解説\n"):
            text = text.replace(heading, heading + markdown)
        text = text.replace("## 項目\n", markdown + "\n## 項目\n")  # the self-check's introduction
        bank.write_text(text, encoding="utf-8")
    # The checker refuses javascript: links (tests/content/test_checker_rules.py); here they get in
    # anyway, as from content synced before that rule, so that the renderer's own defence is tested.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(markdown_lines, "link_problem", lambda target: None)
        sync_content(root)
    app.config["CONTENT_ROOT"] = root
    return root


def test_payloads_in_markdown_content_are_sanitised_on_every_page(app, people, payload_content):
    world = build_world(people)
    # A submitted attempt with its questions, for the result page with its explanations.
    attempt = world.of(world.users["employee"]).open
    save_answers(attempt.id, correct=False)
    submission.submit_attempt(attempt)
    result = f"/attempts/{attempt.id}"
    pages = sweep(app, world, {"employee": [result, "/courses/kihon-houshin/lessons/01-mokuteki"]})
    assert unsafe(pages) == {}
    lesson = pages["employee /courses/kihon-houshin/lessons/01-mokuteki"]
    assert '<p>"&gt;</p>' in lesson and '<a rel="noopener noreferrer">リンク</a>' in lesson
    assert "trainer /author/quizzes/teigi.md" in shown_as_text(pages, SCRIPT)  # the source, as text
