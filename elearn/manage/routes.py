"""The manager's view (管理監督者): their own department's training status, nothing else."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_login import current_user

from ..downloads import download
from ..filter_forms import ReportFilterForm
from ..models import Employee, Role
from ..permissions import refuse, role_required
from ..reminding import handle_send, render_paper, render_preview
from ..services.audit import Actor
from ..services.dashboard import dashboard
from ..services.exports import ExportFormat
from ..services.history import employee_by_number, training_history
from ..services.mailer import SmtpSettings
from ..services.record_export import export_completions
from ..services.reports import completion_rows

bp = Blueprint("manage", __name__, template_folder="templates")


@bp.before_request
@role_required(Role.MANAGER)
def restrict_to_managers() -> None:
    """Every page of this blueprint is for managers, scoped to their own department."""


def member_or_404(employee_no: str) -> Employee:
    """An employee of the manager's own department; anyone else does not exist here."""
    employee = employee_by_number(employee_no)
    if employee is None:
        abort(404)
    if employee.department_id != current_user.department_id:
        refuse(404, "ほかの所属の職員")
    return employee


@bp.route("/")
def index():
    form = ReportFilterForm(with_departments=False).checked()
    report = form.report(department_id=current_user.department_id)
    return render_template(
        "manage/index.html",
        form=form,
        board=dashboard(report),
        rows=list(completion_rows(report)),
        mail_configured=SmtpSettings.of(current_app.config).configured,
    )


@bp.route("/reports/completions.<any(csv, xlsx):fmt>")
def completions_download(fmt: str):
    """HR's completion report (same columns), for the manager's own department only; audited."""
    form = ReportFilterForm(with_departments=False).checked()
    report = form.report(department_id=current_user.department_id)
    return download(export_completions(Actor.of(current_user), report, ExportFormat(fmt)))


@bp.route("/employees/<employee_no>")
def member(employee_no: str):
    person = member_or_404(employee_no)
    return render_template("manage/member.html", person=person, history=training_history(person))


@bp.route("/remind", methods=["GET", "POST"])
def remind():
    """Remind the unfinished staff of the department (all of the filter, or the ticked ones): preview
    on GET, the audited send on POST."""
    form = ReportFilterForm(with_departments=False).checked()
    report = form.report(department_id=current_user.department_id)
    back = url_for("manage.index", **form.args())
    if request.method == "POST":
        return handle_send(report, Actor.of(current_user), from_manager=True, back=back)
    return render_preview(report, from_manager=True, endpoint="manage.remind", filters=form.args(), back=back)


@bp.route("/remind/paper")
def remind_paper():
    form = ReportFilterForm(with_departments=False).checked()
    return render_paper(form.report(department_id=current_user.department_id))
