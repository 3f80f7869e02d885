"""Single sign-on behind a reverse proxy that authenticates staff and passes on their 職員番号 in a header.

Off unless ELEARN_TRUSTED_USER_HEADER names the header. Turn it on only when the proxy sets (or
removes) that header on every request: a header that clients could send themselves would let anyone
be anyone.
"""

from __future__ import annotations

from flask import Flask, abort, request, session
from flask_login import current_user, login_user, logout_user

from ..models import SecurityKind
from ..services import security_log
from ..services.accounts import find_by_employee_no


def register(app: Flask) -> None:
    header = app.config.get("TRUSTED_USER_HEADER")
    if not header:
        return

    def sign_in_from_proxy() -> None:
        employee_no = request.headers.get(header, "").strip()
        if not employee_no or request.endpoint == "static":
            return
        if current_user.is_authenticated and current_user.employee_no == employee_no:
            return
        employee = find_by_employee_no(employee_no)
        if employee is None or not employee.active:
            logout_user()
            abort(403)
        session.clear()  # a fresh session for whoever the proxy vouches for
        login_user(employee)
        security_log.log(
            SecurityKind.LOGIN, address=request.remote_addr, employee=employee, detail="シングルサインオン"
        )

    # First of the app's hooks: the login check that sends strangers to /login comes after it.
    app.before_request_funcs.setdefault(None, []).insert(0, sign_in_from_proxy)
