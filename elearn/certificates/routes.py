"""Completion certificates: the employee prints theirs, HR checks a code read off one."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ..extensions import db
from ..models import Completion, Role
from ..permissions import own_or_404, role_required
from ..services.certificates import find_by_code
from ..services.policy import site

bp = Blueprint("certificates", __name__, template_folder="templates")


@bp.route("/certificates/<int:completion_id>")
def show(completion_id: int):
    completion = own_or_404(db.session.get(Completion, completion_id))
    return render_template(
        "certificates/certificate.html",
        completion=completion,
        organisation=site().certificate_issuer,
    )


@bp.route("/certificates/verify")
@role_required(Role.HR)
def verify():
    code = request.args.get("code", "").strip()[:40]
    completion = find_by_code(code) if code else None
    return render_template("certificates/verify.html", code=code, completion=completion)
