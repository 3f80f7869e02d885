"""Filters and globals for templates."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, url_for
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from .fiscal import era_date, fiscal_year_label, format_date, format_datetime
from .models import Role
from .preferences import other_languages
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


def csrf_field() -> Markup:
    """The CSRF field of a form that is only a button (logout, the language switch), as FlaskForm
    writes it, without building a form object for it on every page; the POST is still validated by
    its form. None when CSRF protection is off (some tests)."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return Markup()
    return Markup('<input name="csrf_token" type="hidden" value="%s">') % generate_csrf()


def page_date(value: datetime | date | str | None) -> str:
    """Every date on a page in one format (2026年5月1日): also the ISO dates reports carry
    (「修了日 2026-12-02」 beside 「受講期限 2027年3月31日」 was two formats in one table)."""
    if isinstance(value, str):
        if not value:
            return ""
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return format_date(value)


def register(app: Flask) -> None:
    app.add_template_filter(page_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(era_date, "era_date")
    app.add_template_filter(fiscal_year_label, "fiscal_year")
    app.add_template_global(get_locale, "get_locale")
    app.add_template_global(Role, "Role")
    app.add_template_global(other_languages, "other_languages")
    app.add_template_global(csrf_field, "csrf_field")
    app.add_template_global(deadline, "deadline")
    # Who runs the site (title, organisation, support contact): content settings, config overrides.
    app.context_processor(lambda: {"site": site(str(get_locale()))})
    app.add_template_global(public_url, "public_url")
