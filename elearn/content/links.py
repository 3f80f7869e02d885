"""Where content may link: the app's own pages (lessons, the policy, any path on the site) and the
sites listed in EXTERNAL_LINK_HOSTS. The checker refuses any other link; the renderer drops a link
whose target is another site in disguise (``//host``, backslashes) whatever the checker said."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

# Sites content may link to, by host name. Reviewed like code: a link leaves the app, and staff
# trust a link in their training. Add the city's own sites here when a lesson needs them.
EXTERNAL_LINK_HOSTS: frozenset[str] = frozenset()

# Link targets in Markdown source: [text](target), [label]: target, <https://…>, and raw href=…
LINK_TARGET = re.compile(
    r"\]\(\s*<?(?P<inline>[^)\s>]+)"
    r"|^\s{0,3}\[[^\]]+\]:\s*<?(?P<reference>\S+?)>?(?:\s|$)"
    r"|<(?P<auto>[a-z][a-z0-9+.-]*:[^>\s]*|//[^>\s]*)>"
    r"|href\s*=\s*[\"']?(?P<href>[^\"'\s>]+)",
    re.IGNORECASE,
)


def disguised(target: str) -> bool:
    """A target that names another site while looking like a path: ``//host``, ``/\\host``."""
    return target.startswith("//") or "\\" in target


def link_problem(target: str) -> str | None:
    """Why content may not link to ``target``, or None when it may."""
    if disguised(target):
        return (
            f"ほかのサイトを指すリンクです: {target}"
            "（このアプリのページは / から、許可されたサイトは https:// から書きます）"
        )
    parts = urlsplit(target)
    if not parts.scheme:
        return None  # a lesson, an anchor or a page of the app
    if parts.scheme.lower() == "mailto":
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return f"使えないリンクです: {target}"
    host = (parts.hostname or "").lower()
    if host not in EXTERNAL_LINK_HOSTS:
        return (
            f"許可されていないサイトへのリンクです: {host or target}"
            "（elearn/content/links.py の EXTERNAL_LINK_HOSTS にあるサイトだけにリンクできます）"
        )
    return None


def link_targets(text: str) -> list[str]:
    """The targets as the browser will read them: "jav&#x61;script:" is "javascript:"."""
    return [html.unescape(next(g for g in match.groups() if g)) for match in LINK_TARGET.finditer(text)]
