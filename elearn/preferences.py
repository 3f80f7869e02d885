"""The display language: Japanese by default, English as far as its catalogue goes."""

from __future__ import annotations

from functools import cache

from babel import Locale
from flask import Blueprint, redirect, session, url_for
from wtforms import HiddenField

from .forms import Form
from .redirects import safe_next

LANGUAGES = {"ja": "日本語", "en": "English"}

bp = Blueprint("preferences", __name__)


class LanguageForm(Form):
    language = HiddenField()
    next = HiddenField()


@cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def select_locale() -> Locale:
    # A Locale, not its code: Flask-Babel would parse the code again on every request, and Babel
    # looks for the locale's data file on disk each time.
    language = session.get("language", "ja")
    return _locale(language if language in LANGUAGES else "ja")


@bp.route("/language", methods=["POST"])
def language():
    form = LanguageForm()
    if form.validate_on_submit() and form.language.data in LANGUAGES:
        session["language"] = form.language.data
    return redirect(safe_next(form.next.data) if form.next.data else url_for("learn.home"), code=303)


def other_languages(current: str) -> list[tuple[str, str]]:
    """(code, label) of each language but the current one: the footer's LanguageForm buttons."""
    return [(code, label) for code, label in LANGUAGES.items() if code != current]
