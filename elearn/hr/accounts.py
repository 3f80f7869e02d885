"""Accounts: issue activation codes for staff without a password; hand them out as printed slips or a CSV."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from ..downloads import download
from ..extensions import db
from ..filter_forms import department_choices
from ..models import Department
from ..services.activation import account_counts, activate_url, codes_file, issue_codes, still_open
from .forms import CodesDownloadForm, IssueCodesForm
from .routes import actor, bp


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"  # the codes are shown once and must not be cached
    return response


@bp.route("/accounts", methods=["GET", "POST"])
def accounts():
    form = IssueCodesForm()
    form.department.choices = department_choices(SelectChoice("", _("すべての所属")))
    days = current_app.config["ACTIVATION_CODE_DAYS"]
    if form.validate_on_submit():
        department = db.session.get(Department, form.department.data) if form.department.data else None
        issued = issue_codes(actor(), days=days, department=department)
        if not issued:
            flash(_("パスワード未設定の職員はいません。コードは発行していません。"), "info")
            return redirect(url_for("hr.accounts"), code=303)
        page = render_template(
            "hr/codes_issued.html",
            issued=issued,
            department=department,
            layout=form.layout.data,
            url=activate_url(current_app.config["BASE_URL"]),
            organisation=current_app.config["ORGANISATION_NAME"],
            download_form=CodesDownloadForm(codes="\n".join(f"{c.employee_no} {c.code}" for c in issued)),
        )
        return _no_store(current_app.make_response(page))
    return render_template(
        "hr/accounts.html",
        form=form,
        counts=account_counts(),
        days=days,
        url=activate_url(current_app.config["BASE_URL"]),
    )


@bp.route("/accounts/codes.csv", methods=["POST"])
def codes_download():
    """The codes of the page just shown, as CSV; only codes still open for their employee."""
    form = CodesDownloadForm()
    if not form.validate_on_submit():
        abort(400)
    pairs = [tuple(line.split(" ", 1)) for line in form.codes.data.splitlines() if " " in line]
    issued = still_open(pairs)
    if not issued:
        abort(400)
    return _no_store(download(codes_file(issued, current_app.config["BASE_URL"])))
