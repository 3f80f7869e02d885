"""Filters and globals for templates."""

from __future__ import annotations

from babel.support import NullTranslations, Translations
from flask import Flask, g
from flask_babel import get_locale, get_translations
from flask_wtf import FlaskForm

from .fiscal import era_date, fiscal_year_label, format_date, format_datetime
from .models import Role
from .preferences import other_languages


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for bare buttons."""


def request_translations() -> Translations | NullTranslations:
    """The request's message catalogue, looked up once per request.

    Flask-Babel looks it up again for every message (several context lookups and the locale
    formatted each time), and a page shows dozens of messages: that was a tenth of a page's time.
    """
    translations = g.get("_elearn_translations")
    if translations is None:
        translations = g._elearn_translations = get_translations()
    return translations


def register(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(era_date, "era_date")
    app.add_template_filter(fiscal_year_label, "fiscal_year")
    app.add_template_global(get_locale, "get_locale")
    app.add_template_global(Role, "Role")
    app.add_template_global(other_languages, "other_languages")
    app.add_template_global(EmptyForm, "EmptyForm")
