"""The base of the app's forms (WTForms' messages kept per language) and the form of bare buttons."""

from __future__ import annotations

from functools import cache

from babel.support import Translations
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path


@cache
def wtforms_messages(locale: str) -> Translations:
    return Translations.load(messages_path(), [locale], domain="wtforms")


class Form(FlaskForm):
    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            # Flask-WTF reads WTForms' catalogue from disk again on every request that builds a form.
            return wtforms_messages(str(get_locale()))


class EmptyForm(Form):
    """A form with only the CSRF token, for bare buttons."""
