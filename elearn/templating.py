"""Filters and globals for templates."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import get_locale

from .fiscal import era_date, fiscal_year_label, format_date, format_datetime
from .forms import EmptyForm
from .models import Role
from .preferences import language_forms


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
    app.add_template_global(EmptyForm, "EmptyForm")
    app.add_template_global(language_forms, "language_forms")
