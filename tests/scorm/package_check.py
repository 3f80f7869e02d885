"""Reading a built package back: its manifest, and every link and id of its pages."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser

from elearn.scorm.manifest import IMSCP

PAGES = ("index.html", "policy.html")
URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>)]*")


class Links(HTMLParser):
    """The href and src values of an HTML text, and its element ids."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.plan = ""
        self._in_plan = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.links += [v for k, v in attrs if k in {"href", "src"} and v is not None]
        if values.get("id"):
            self.ids.add(values["id"])
        self._in_plan = tag == "script" and values.get("type") == "application/json"

    def handle_data(self, data: str) -> None:
        if self._in_plan:
            self.plan += data

    def handle_endtag(self, tag: str) -> None:
        self._in_plan = False


def manifest(files: dict[str, bytes]) -> etree.Element:
    return etree.fromstring(files["imsmanifest.xml"])


def q(name: str, namespace: str = IMSCP) -> str:
    return f"{{{namespace}}}{name}"


def plan_html(files: dict[str, bytes]) -> list[str]:
    """Every HTML snippet of the draw plan (the quiz's texts), which the script puts on the launch page."""
    plan = json.loads(Links(files["index.html"].decode("utf-8")).plan)
    snippets = []
    for scenario in plan["pool"]:
        snippets += [scenario["situation"], scenario["question"], scenario["explanation"]]
        snippets += [text for choice in scenario["choices"] for text in (choice["html"], choice["feedback"])]
    return snippets


def broken_links(files: dict[str, bytes]) -> list[str]:
    """Links of the pages (and of the quiz texts, shown on the launch page) to no file or no id."""
    ids = {page: Links(files[page].decode("utf-8")).ids for page in PAGES}
    sources = [(page, files[page].decode("utf-8")) for page in PAGES]
    sources += [("index.html", snippet) for snippet in plan_html(files)]
    broken = []
    for page, html in sources:
        for link in Links(html).links:
            path, _, fragment = link.partition("#")
            target = path or page
            if target not in files or (fragment and fragment not in ids.get(target, set())):
                broken.append(f"{page}: {link}")
    return broken
