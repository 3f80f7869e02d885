"""The manager's view (管理監督者, 第4-2): their own department's training status, nothing else."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from ..filter_forms import ReportFilterForm
from ..models import Employee, Role
from ..permissions import refuse, role_required
from ..services.dashboard import dashboard
from ..services.history import employee_by_number, training_history
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
    )


@bp.route("/employees/<employee_no>")
def member(employee_no: str):
    person = member_or_404(employee_no)
    return render_template("manage/member.html", person=person, history=training_history(person))
