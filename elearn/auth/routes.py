from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..redirects import safe_next
from ..services.accounts import authenticate
from ..templating import EmptyForm
from .forms import LoginForm

bp = Blueprint("auth", __name__, template_folder="templates")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("learn.home"))
    form = LoginForm()
    if form.validate_on_submit():
        employee = authenticate(form.employee_no.data, form.password.data)
        if employee is not None:
            session.clear()  # a fresh session on login: no fixation
            login_user(employee)
            return redirect(safe_next(request.args.get("next")))
        flash(_("職員番号またはパスワードが正しくありません。"), "error")
        return render_template("auth/login.html", form=form), 200
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        logout_user()
        session.clear()
        flash(_("ログアウトしました。"), "info")
    return redirect(url_for("auth.login"))
