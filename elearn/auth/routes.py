from __future__ import annotations

import math

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..forms import EmptyForm
from ..models import SecurityKind, SessionEnd
from ..redirects import safe_next
from ..services import accounts, activation, security_log
from ..services import sessions as session_service
from ..services.accounts import PasswordPolicyError, WrongPasswordError, authenticate
from ..services.login_throttle import (
    ActivationLimits,
    LoginLimits,
    LoginThrottled,
    PendingLogin,
    activation_ended,
    begin_activation,
    begin_login,
    login_failed,
    login_succeeded,
    remaining_attempts,
)
from . import sessions, single_sign_on
from .forms import ActivationForm, ChangePasswordForm, LoginForm

bp = Blueprint("auth", __name__, template_folder="templates")
bp.record_once(lambda state: single_sign_on.register(state.app))


def _limits() -> LoginLimits:
    return LoginLimits.from_config(current_app.config)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("learn.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    try:
        pending = begin_login(form.employee_no.data, request.remote_addr, _limits())
    except LoginThrottled as exc:
        return _throttled(form, exc)
    employee = authenticate(form.employee_no.data, form.password.data)
    if employee is None:
        return _failed(form, pending)
    login_succeeded(pending)
    session.clear()  # a fresh session on login: no fixation
    login_user(employee)
    security_log.log(SecurityKind.LOGIN, address=request.remote_addr, employee=employee)
    return redirect(safe_next(request.args.get("next")))


def _failed(form: LoginForm, pending: PendingLogin):
    """A wrong password: say so, and how many more tries are left before logins are refused."""
    login_failed(pending)
    limits = _limits()
    left = remaining_attempts(pending, limits)
    logged = {"address": request.remote_addr, "employee_no": pending.employee_no, "actor": ""}
    security_log.log(SecurityKind.LOGIN_FAILED, **logged, detail=f"あと {left} 回でロック")
    flash(_("職員番号またはパスワードが正しくありません。"), "error")
    minutes = math.ceil(limits.window.total_seconds() / 60)
    if left == 0:
        security_log.log(SecurityKind.LOCKOUT, **logged, detail=f"{minutes} 分間ログインできません")
        flash(_locked_message(minutes), "error")
    else:
        flash(
            _("あと %(count)s 回で一時的にロックされます（%(minutes)s 分間）。", count=left, minutes=minutes),
            "warning",
        )
    return render_template("auth/login.html", form=form), 200


def _locked_message(minutes: int) -> str:
    return _(
        "ログインの失敗が続いたため、しばらくログインできません。%(minutes)s 分ほど待ってから、"
        "もう一度お試しください。パスワードがわからないときは、人事担当にご相談ください。",
        minutes=minutes,
    )


def _throttled(form: LoginForm, refusal: LoginThrottled):
    """429, the same for known and unknown employee numbers, whatever the password was."""
    seconds = max(math.ceil(refusal.retry_after.total_seconds()), 1)
    current_app.logger.warning(
        "login throttled for %r from %s (%d s)", form.employee_no.data, request.remote_addr, seconds
    )
    flash(_locked_message(math.ceil(seconds / 60)), "error")
    return render_template("auth/login.html", form=form), 429, {"Retry-After": str(seconds)}


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        if token := sessions.current_token():
            session_service.end(token, SessionEnd.LOGOUT)
        security_log.log(
            SecurityKind.LOGOUT, address=request.remote_addr, employee=current_user._get_current_object()
        )
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
            employee = activation.activate(
                form.employee_no.data, form.code.data, form.password.data, address=request.remote_addr
            )
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


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Every signed-in employee changes their own password; their other sessions end."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/change_password.html", form=form)
    # A wrong current password counts as a failed login: this page must not be a way round the limit.
    try:
        pending = begin_login(current_user.employee_no, request.remote_addr, _limits())
    except LoginThrottled as exc:
        flash(_locked_message(max(math.ceil(exc.retry_after.total_seconds() / 60), 1)), "error")
        return render_template("auth/change_password.html", form=form), 429
    try:
        accounts.change_password(
            current_user._get_current_object(),
            form.current_password.data,
            form.password.data,
            keep_session=sessions.current_token(),
            address=request.remote_addr,
        )
    except WrongPasswordError:
        login_failed(pending)
        form.current_password.errors.append(_("現在のパスワードが正しくありません。"))
    except PasswordPolicyError as exc:
        login_succeeded(pending)
        form.password.errors.append(str(exc))
    else:
        login_succeeded(pending)
        flash(_("パスワードを変更しました。ほかの端末やブラウザーでのログインは終了しました。"), "info")
        return redirect(url_for("learn.home"), code=303)
    return render_template("auth/change_password.html", form=form)


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
