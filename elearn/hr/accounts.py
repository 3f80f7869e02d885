"""Accounts: issue activation codes for staff without a password, as a CSV to hand out."""

from __future__ import annotations

from datetime import date

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from ..extensions import db
from ..models import Department
from ..reporting import department_choices, download
from ..services.activation import ISSUED_HEADER, account_counts, issue_codes
from ..services.exports import ExportFormat
from .forms import IssueCodesForm
from .routes import actor, bp


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
        rows = [code.as_tuple() for code in issued]
        return download(ExportFormat.CSV, f"activation-codes-{date.today():%Y%m%d}", ISSUED_HEADER, rows)
    return render_template("hr/accounts.html", form=form, counts=account_counts(), days=days)
