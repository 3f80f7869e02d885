"""Filters and globals for templates."""

from __future__ import annotations

from datetime import date

from flask import Flask, current_app, url_for
from flask_babel import get_locale

from .fiscal import era_date, fiscal_year_label, format_date, format_datetime
from .forms import EmptyForm
from .models import Role
from .preferences import language_forms
from .services.deadlines import DueState, due_state, japan_today
from .services.policy import site
from .services.progress import Status


def deadline(status: Status, due_date: date | None) -> DueState | None:
    """期限間近 or 期限超過 of an assignment today, for its badge."""
    return due_state(status, due_date, japan_today(), current_app.config["DUE_SOON_DAYS"])


def public_url(endpoint: str, **values: object) -> str:
    """A page's address to hand to staff: on ELEARN_BASE_URL, else just its path. Never built from
    the request's Host header, which the client chooses."""
    base = current_app.config["BASE_URL"]
    path = url_for(endpoint, **values)
    return base + path if base else path


def register(app: Flask) -> None:
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(era_date, "era_date")
    app.add_template_filter(fiscal_year_label, "fiscal_year")
    app.add_template_global(get_locale, "get_locale")
    app.add_template_global(Role, "Role")
    app.add_template_global(EmptyForm, "EmptyForm")
    app.add_template_global(language_forms, "language_forms")
    app.add_template_global(deadline, "deadline")
    # Who runs the site (title, organisation, support contact): content settings, config overrides.
    app.context_processor(lambda: {"site": site(str(get_locale()))})
    app.add_template_global(public_url, "public_url")
