"""Filters and globals for templates."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale

from .fiscal import era_date, fiscal_year_label, format_date, format_datetime
from .forms import EmptyForm
from .models import Role
from .preferences import language_forms
from .services.policy import site


def register(app: Flask) -> None:
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(era_date, "era_date")
    app.add_template_filter(fiscal_year_label, "fiscal_year")
    app.add_template_global(get_locale, "get_locale")
    app.add_template_global(Role, "Role")
    app.add_template_global(EmptyForm, "EmptyForm")
    app.add_template_global(language_forms, "language_forms")
    # Who runs the site (title, organisation, support contact): content settings, config overrides.
    app.context_processor(lambda: {"site": site(str(get_locale()))})
