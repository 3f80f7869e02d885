"""Where to send the user next: only ever a path on this site."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None) -> str:
    """``target`` if it is a same-site path, else the home page (no open redirects)."""
    if target and _is_local_path(target):
        return target
    return url_for("learn.home")


def _is_local_path(target: str) -> bool:
    # Browsers read a backslash as a slash ("/\\evil.example" is "//evil.example"), and a control
    # character (CR, LF) could not even go into the Location header.
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")
