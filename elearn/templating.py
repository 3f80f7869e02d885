"""Filters and globals for templates."""

from __future__ import annotations

from typing import Any

from babel.support import NullTranslations, Translations
from flask import Flask, g
from flask_babel import get_locale, get_translations
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from .fiscal import era_date, fiscal_year_label, format_date, format_datetime
from .models import Role
from .preferences import other_languages


def request_translations() -> Translations | NullTranslations:
    """The request's message catalogue, looked up once per request.

    Flask-Babel looks it up again for every message (several context lookups and the locale
    formatted each time), and a page shows dozens of messages: that was a tenth of a page's time.
    """
    translations = g.get("_elearn_translations")
    if translations is None:
        translations = g._elearn_translations = get_translations()
    return translations


def translated_markup() -> dict[str, Markup]:
    """Messages without variables as the templates show them, kept with the request's catalogue
    (one per language, for the life of the process) as each is first shown."""
    messages = g.get("_elearn_messages")
    if messages is None:
        translations = request_translations()
        messages = getattr(translations, "_elearn_markup", None)
        if messages is None:
            messages = translations._elearn_markup = {}
        g._elearn_messages = messages
    return messages


@pass_context
def template_gettext(context: Context, string: str, **variables: Any) -> str:
    """``_()`` and ``gettext()`` in templates, as Jinja's newstyle gettext: the message is markup
    whose variables are escaped, and always a format string. Jinja's own makes two more context
    calls and formats the message again each time, for the forty messages of a page."""
    if variables or not context.eval_ctx.autoescape:
        message = request_translations().ugettext(string)
        return (Markup(message) if context.eval_ctx.autoescape else message) % variables
    messages = translated_markup()
    markup = messages.get(string)
    if markup is None:
        markup = messages[string] = Markup(request_translations().ugettext(string)) % {}
    return markup


def csrf_field() -> Markup:
    """The hidden CSRF field of a bare button's form, as FlaskForm writes it, without building a
    form (that was a tenth of a page's time); the POST still validates through its form."""
    return Markup('<input name="csrf_token" type="hidden" value="%s">') % generate_csrf()


def register(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext)
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(era_date, "era_date")
    app.add_template_filter(fiscal_year_label, "fiscal_year")
    app.add_template_global(get_locale, "get_locale")
    app.add_template_global(Role, "Role")
    app.add_template_global(other_languages, "other_languages")
    app.add_template_global(csrf_field, "csrf_field")
