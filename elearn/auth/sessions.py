"""The web side of server-side sessions (elearn/services/sessions.py): every login_user starts a
session row whose token goes into the cookie, and every request is signed in only while that row is
live. When it is not, the login page says why."""

from __future__ import annotations

from flask import Flask, current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import user_logged_in

from ..models import Employee, SessionEnd
from ..services import sessions

SESSION_KEY = "_elearn_session"


def register(app: Flask) -> None:
    user_logged_in.connect(_start_session, app)


def _start_session(app: Flask, user: Employee, **_extra) -> None:
    """Whoever calls login_user (login form, activation, single sign-on, the tests' sign_in)."""
    session[SESSION_KEY] = sessions.start(user.id, request.remote_addr)


def current_token() -> str | None:
    return session.get(SESSION_KEY)


def load_user(user_id: str) -> Employee | None:
    """Flask-Login's user loader: the employee of a live session, or None (signed out, and told why)."""
    token = current_token()
    if not token or not user_id.isdigit():
        return None
    checked = sessions.check(token, int(user_id), sessions.SessionLimits.from_config(current_app.config))
    if checked.employee is None:
        session.clear()  # the cookie's copy of an ended session is of no use to anyone
        if checked.ended is not None:
            flash(_signed_out_message(checked.ended), "info")
    return checked.employee


def _signed_out_message(reason: SessionEnd) -> str:
    config = current_app.config
    if reason is SessionEnd.IDLE:
        return _(
            "%(minutes)s 分以上操作がなかったため、ログアウトしました。もう一度ログインしてください。",
            minutes=config["SESSION_IDLE_MINUTES"],
        )
    if reason is SessionEnd.EXPIRED:
        return _(
            "ログインから %(hours)s 時間が経ったため、ログアウトしました。もう一度ログインしてください。",
            hours=config["SESSION_MAX_HOURS"],
        )
    if reason is SessionEnd.LOGOUT:
        return _("このセッションはログアウトで終了しています。もう一度ログインしてください。")
    return _(
        "パスワードの変更やアカウントのリセットにより、このセッションは終了しました。もう一度ログインしてください。"
    )
