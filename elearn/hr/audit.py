"""The audit trail of HR actions: browse and download."""

from __future__ import annotations

from flask import abort, render_template

from ..downloads import download, same_site_only
from ..services import audit as audit_service
from ..services import audit_text
from .forms import AuditFilterForm
from .routes import actor, bp

PER_PAGE = 50


@bp.route("/audit")
def audit_log():
    form = AuditFilterForm().checked()
    page = form.page.data or 1
    events, total = audit_service.events_page(form.trail(), page, PER_PAGE)
    if page > 1 and not events:
        abort(404)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    return render_template(
        "hr/audit.html",
        form=form,
        args=form.trail().as_args(),
        events=events,
        total=total,
        page=page,
        pages=pages,
        describe=audit_text.describe,
        names=audit_text.Names.load(),
    )


@bp.route("/audit.csv")
@same_site_only
def audit_download():
    form = AuditFilterForm().checked()
    return download(audit_service.export_trail(actor(), form.trail()))
