from __future__ import annotations

import math

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..forms import EmptyForm
from ..redirects import safe_next
from ..services import activation
from ..services.accounts import PasswordPolicyError, authenticate
from ..services.login_throttle import (
    ActivationLimits,
    LoginLimits,
    LoginThrottled,
    activation_ended,
    begin_activation,
    begin_login,
    login_failed,
    login_succeeded,
)
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
        try:
            pending = begin_login(
                form.employee_no.data, request.remote_addr, LoginLimits.from_config(current_app.config)
            )
        except LoginThrottled as exc:
            return _throttled(form, exc)
        employee = authenticate(form.employee_no.data, form.password.data)
        if employee is not None:
            login_succeeded(pending)
            session.clear()  # a fresh session on login: no fixation
            login_user(employee)
            return redirect(safe_next(request.args.get("next")))
        login_failed(pending)
        flash(_("職員番号またはパスワードが正しくありません。"), "error")
        return render_template("auth/login.html", form=form), 200
    return render_template("auth/login.html", form=form)


def _throttled(form: LoginForm, refusal: LoginThrottled):
    """429, the same for known and unknown employee numbers, whatever the password was."""
    seconds = max(math.ceil(refusal.retry_after.total_seconds()), 1)
    current_app.logger.warning(
        "login throttled for %r from %s (%d s)", form.employee_no.data, request.remote_addr, seconds
    )
    flash(
        _(
            "ログインの失敗が続いたため、しばらくログインできません。%(minutes)s 分ほど待ってから、"
            "もう一度お試しください。パスワードがわからないときは、人事担当にご相談ください。",
            minutes=math.ceil(seconds / 60),
        ),
        "error",
    )
    return render_template("auth/login.html", form=form), 429, {"Retry-After": str(seconds)}


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
            pending = begin_activation(
                form.employee_no.data, request.remote_addr, ActivationLimits.from_config(current_app.config)
            )
        except LoginThrottled as exc:
            return _activation_throttled(form, exc)
        try:
            employee = activation.activate(form.employee_no.data, form.code.data, form.password.data)
        except PasswordPolicyError as exc:
            activation_ended(pending)
            form.password.errors.append(str(exc))
        except activation.ActivationError as exc:
            login_failed(pending)
            flash(str(exc), "error")
        else:
            activation_ended(pending)
            session.clear()  # a fresh session on login: no fixation
            login_user(employee)
            flash(_("パスワードを設定しました。次回からは職員番号とこのパスワードでログインします。"), "info")
            return redirect(url_for("learn.home"), code=303)
    return render_template("auth/activate.html", form=form)


def _activation_throttled(form: ActivationForm, refusal: LoginThrottled):
    """429 for an address that has tried too many codes, whatever this code is."""
    seconds = max(math.ceil(refusal.retry_after.total_seconds()), 1)
    current_app.logger.warning("activation throttled from %s (%d s)", request.remote_addr, seconds)
    flash(
        _(
            "有効化の失敗が続いたため、しばらくパスワードを設定できません。%(minutes)s 分ほど待ってから、"
            "もう一度お試しください。コードがわからないときは、人事担当にご相談ください。",
            minutes=math.ceil(seconds / 60),
        ),
        "error",
    )
    return render_template("auth/activate.html", form=form), 429, {"Retry-After": str(seconds)}
