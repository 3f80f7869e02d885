"""Completion certificates: the employee prints theirs, HR checks a code read off one."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from flask_login import current_user

from ..extensions import db
from ..models import Completion, Role
from ..permissions import own_or_404, own_or_role_or_404, role_required
from ..services.audit import Actor
from ..services.certificates import find_by_code, issue_pdf, pdf_filename
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


@bp.route("/certificates/<int:completion_id>.pdf")
def pdf(completion_id: int):
    """The holder's certificate as a PDF; HR may issue anyone's (audited)."""
    completion = own_or_role_or_404(db.session.get(Completion, completion_id), Role.HR)
    document = issue_pdf(completion, Actor.of(current_user), current_app.config)
    response = Response(document, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{pdf_filename(completion)}"'
    return response


@bp.route("/certificates/verify")
@role_required(Role.HR)
def verify():
    code = request.args.get("code", "").strip()[:40]
    completion = find_by_code(code) if code else None
    return render_template("certificates/verify.html", code=code, completion=completion)
