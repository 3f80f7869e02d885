"""Links inside a package: clause references to its policy page, lesson links to its lesson views."""

from __future__ import annotations

from collections.abc import Callable, Collection

from ..content import POLICY_URL, relink

POLICY_PAGE = "policy.html"


def lesson_view(slug: str) -> str:
    """The fragment of a lesson's view on the launch page (one page: the SCO must not unload)."""
    return f"lesson-{slug}"


def package_link(lesson_slugs: Collection[str]) -> Callable[[str], str | None]:
    """Where a link of the app's HTML points in the package; None (the link's href dropped) when the
    package has no such page: nothing in it may lead to the app or to another host."""

    def rewrite(href: str) -> str | None:
        if href == POLICY_URL or href.startswith(f"{POLICY_URL}#"):
            return POLICY_PAGE + href[len(POLICY_URL) :]
        if href.startswith("#"):
            return href
        slug = href.split("#", 1)[0]
        return f"#{lesson_view(slug)}" if slug in lesson_slugs else None

    return rewrite


def packaged_html(html: str, lesson_slugs: Collection[str]) -> str:
    """The app's sanitised HTML with its links pointing inside the package."""
    return relink(html, package_link(lesson_slugs)) if html else ""
