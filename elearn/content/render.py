"""Markdown to sanitised HTML, with clause references turned into links.

Content is rendered once, when it is loaded, never per request.
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Callable
from html import escape

import markdown
import nh3
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from .links import disguised
from .policy import Policy

# A line break between two Japanese characters is a soft wrap in the source, not a space.
_CJK = r"\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_CJK_SOFT_BREAK = re.compile(rf"(?<=[{_CJK}])\n(?=[{_CJK}])")
CLAUSE_REF = re.compile(r"\[\[([^\[\]\n]{1,20})\]\]")
# One line in which Markdown finds nothing to do: no character that starts inline markup or an
# HTML entity, nothing at its start that starts a block (list, heading, quote, numbered item),
# no control characters or unusual spaces (Python-Markdown uses some as placeholders).
_TEXT_CHAR = r"[^\s\x00-\x1f\x7f-\x9f\\`*_\[\]<>&!#|~]"
_PLAIN_LINE = re.compile(rf"(?![-+=\d]){_TEXT_CHAR}+(?:[ \u3000]+{_TEXT_CHAR}+)*")
POLICY_URL = "/policy"

_local = threading.local()

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "span": {"class", "role"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}
# The classes the renderer itself gives clause references. Content's own classes and ids go: it
# must not dress itself in the app's buttons and banners, nor take the ids the pages link to.
_OWN_CLASSES = frozenset({"clause-ref", "clause-tip", "unknown"})


class _ClauseRefProcessor(InlineProcessor):
    def __init__(self, pattern: str, policy: Policy, policy_url: str) -> None:
        super().__init__(pattern)
        self.policy = policy
        self.policy_url = policy_url

    def handleMatch(self, m: re.Match[str], data: str):
        # Atomic text: the policy's wording is shown as written, not parsed again as Markdown.
        clause = self.policy.get(m.group(1).strip())
        if clause is None:
            el = etree.Element("span", {"class": "clause-ref unknown"})
            el.text = AtomicString(m.group(0))
            return el, m.start(0), m.end(0)
        el = etree.Element("a", {"class": "clause-ref", "href": f"{self.policy_url}#{clause.anchor}"})
        el.text = AtomicString(clause.id)
        tip = etree.SubElement(el, "span", {"class": "clause-tip", "role": "tooltip"})
        tip.text = AtomicString(clause.text)
        return el, m.start(0), m.end(0)


class _ClauseRefExtension(markdown.Extension):
    def __init__(self, policy: Policy, policy_url: str) -> None:
        super().__init__()
        self.policy = policy
        self.policy_url = policy_url

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        processor = _ClauseRefProcessor(CLAUSE_REF.pattern, self.policy, self.policy_url)
        md.inlinePatterns.register(processor, "clause_ref", 175)


def _converter(policy: Policy, policy_url: str) -> markdown.Markdown:
    """One Markdown instance per thread and policy, reused: building one costs as much as a conversion.

    Instances keep state between conversions, hence one per thread (the web app renders
    previews in request threads) and a ``reset()`` before each use.
    """
    # Keyed by identity (hashing the whole policy on every call is measurable); the entry keeps
    # the policy alive so that its id cannot be reused by another object.
    converters: dict[tuple[int, str], tuple[Policy, markdown.Markdown]]
    converters = _local.__dict__.setdefault("converters", {})
    entry = converters.get((id(policy), policy_url))
    if entry is None:
        md = markdown.Markdown(
            extensions=["tables", "sane_lists", _ClauseRefExtension(policy, policy_url)],
            output_format="html",
        )
        entry = converters[(id(policy), policy_url)] = (policy, md)
    return entry[1].reset()


def markdown_html(text: str, policy: Policy, policy_url: str = POLICY_URL) -> str:
    """Markdown to HTML as Python-Markdown makes it, before sanitising."""
    text = _CJK_SOFT_BREAK.sub("", text)
    if _PLAIN_LINE.fullmatch(text):
        # Most choices and questions are one plain sentence: Markdown would only wrap it in <p>,
        # and skipping the conversion halves the time a sync of a large bank takes.
        return f"<p>{text}</p>"
    try:
        return _converter(policy, policy_url).convert(text)
    except RecursionError:
        # Python-Markdown recurses once per nesting level; hundreds of nested lists or
        # quotes are never meant, so show such text as it was written rather than fail.
        # The interrupted instance keeps state that reset() does not clear: build a new one.
        _local.__dict__.get("converters", {}).pop((id(policy), policy_url), None)
        return f"<pre>{escape(text)}</pre>"


def render_markdown(
    text: str,
    *,
    link_rewriter: Callable[[str], str] | None = None,
    policy: Policy | None = None,
    policy_url: str = POLICY_URL,
) -> str:
    """Render trusted-format but untrusted-content Markdown to safe HTML."""
    if not text.strip():
        return ""
    if policy is None:
        from .settings import default_settings  # settings imports the parsers, which import this module

        policy = default_settings().policy
    html = markdown_html(text, policy, policy_url)
    return _clean(html, link_rewriter)


def relink(html: str, link_rewriter: Callable[[str], str | None]) -> str:
    """Sanitised HTML sanitised again with every link target rewritten; None drops the link's href.

    For HTML rendered once at sync that must point elsewhere later (an exported package's pages).
    """
    return _clean(html, link_rewriter)


def _clean(html: str, link_rewriter: Callable[[str], str | None] | None) -> str:
    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if attr == "class":
            return " ".join(c for c in value.split() if c in _OWN_CLASSES) or None
        if tag == "a" and attr == "href":
            if disguised(value):
                return None  # the checker refuses these; a link to nowhere is safer than to them
            return link_rewriter(value) if link_rewriter is not None else value
        return value

    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        attribute_filter=attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


_LESSON_LINK = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_-]*)\.md(#.*)?$")


def lesson_link(href: str) -> str:
    """Links between lesson files become links between lesson pages (siblings in the URL)."""
    match = _LESSON_LINK.match(href)
    return f"{match.group(1)}{match.group(2) or ''}" if match else href


def render_content(text: str, policy: Policy | None = None, policy_url: str = POLICY_URL) -> str:
    """Content Markdown as learners see it: sanitised, lesson files linked as lesson pages.

    ``policy`` is the one the content was loaded with (default: the shipped one).
    """
    return render_markdown(text, link_rewriter=lesson_link, policy=policy, policy_url=policy_url)
