"""The HTML-to-Markdown converter that content/export.py rebuilds stored text with."""

from __future__ import annotations

from markdownify import MarkdownConverter


class Converter(MarkdownConverter):
    """markdownify, with list items nested as Python-Markdown reads them (by four spaces)."""

    def convert_li(self, el, text: str, parent_tags) -> str:
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = int(parent["start"]) if str(parent.get("start") or "").isdigit() else 1
            bullet = f"{start + len(el.find_previous_siblings('li'))}. "
        else:
            bullet = "- "
        first, *rest = text.split("\n")
        if not rest:
            return f"{bullet}{first}\n"
        body = "\n".join(" " * 4 + line if line else "" for line in rest)
        return f"{bullet.ljust(4)}{first}\n{body}\n"


CONVERTER = Converter(heading_style="ATX", bullets="-", escape_underscores=False, escape_asterisks=False)
