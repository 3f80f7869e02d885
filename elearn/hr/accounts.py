"""Accounts: issue activation codes for staff without a password, as a CSV to hand out."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from ..downloads import download
from ..extensions import db
from ..filter_forms import department_choices
from ..models import Department
from ..services.activation import account_counts, codes_file, issue_codes
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
        return download(codes_file(issued))
    return render_template("hr/accounts.html", form=form, counts=account_counts(), days=days)
