from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..redirects import safe_next
from ..services import activation
from ..services.accounts import PasswordPolicyError, authenticate
from ..templating import EmptyForm
from . import single_sign_on
from .forms import ActivationForm, LoginForm

bp = Blueprint("auth", __name__, template_folder="templates")
bp.record_once(lambda state: single_sign_on.register(state.app))


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


@bp.route("/activate", methods=["GET", "POST"])
def activate():
    """First login: the employee sets their own password with the one-time code HR handed them."""
    if current_user.is_authenticated:
        return redirect(url_for("learn.home"))
    form = ActivationForm()
    if form.validate_on_submit():
        try:
            employee = activation.activate(form.employee_no.data, form.code.data, form.password.data)
        except PasswordPolicyError as exc:
            form.password.errors.append(str(exc))
        except activation.ActivationError as exc:
            flash(str(exc), "error")
        else:
            session.clear()  # a fresh session on login: no fixation
            login_user(employee)
            flash(_("パスワードを設定しました。次回からは職員番号とこのパスワードでログインします。"), "info")
            return redirect(url_for("learn.home"), code=303)
    return render_template("auth/activate.html", form=form)
