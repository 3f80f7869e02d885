"""The security log (sign-ins, failures, lockouts, password changes, refused access): browse, download."""

from __future__ import annotations

from flask import abort, render_template

from ..downloads import download
from ..services import security_log as log_service
from .forms import SecurityFilterForm
from .routes import actor, bp

PER_PAGE = 50


def _filter(form: SecurityFilterForm) -> log_service.SecurityFilter:
    return log_service.SecurityFilter(kind=form.kind.data, since=form.since.data, until=form.until.data)


@bp.route("/security")
def security_log():
    form = SecurityFilterForm().checked()
    page = form.page.data or 1
    events, total = log_service.events_page(_filter(form), page, PER_PAGE)
    if page > 1 and not events:
        abort(404)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    return render_template("hr/security.html", form=form, events=events, total=total, page=page, pages=pages)


@bp.route("/security.csv")
def security_download():
    form = SecurityFilterForm().checked()
    return download(log_service.export_log(actor(), _filter(form)))
