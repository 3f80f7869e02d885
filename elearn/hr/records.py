"""The dashboard, the drill-down to employees, downloads and each employee's history."""

from __future__ import annotations

from flask import abort, current_app, render_template

from ..downloads import download
from ..filter_forms import PER_PAGE, ReportFilterForm
from ..forms import EmptyForm
from ..services.activation import pending_code, reset_account
from ..services.dashboard import dashboard
from ..services.exports import ExportFormat
from ..services.history import employee_by_number, search_employees, training_history
from ..services.record_export import export_completions
from ..services.reports import Enrolment, completion_count, completion_rows
from .exemptions import person_forms
from .forms import EmployeeSearchForm
from .routes import actor, bp


@bp.route("/")
def index():
    form = ReportFilterForm(enrolment=Enrolment.ACTIVE).checked()
    return render_template("hr/index.html", form=form, board=dashboard(form.report()))


@bp.route("/records")
def records():
    form = ReportFilterForm().checked()
    report = form.report()
    total = completion_count(report)
    rows = list(completion_rows(report, limit=PER_PAGE, offset=(form.page_number - 1) * PER_PAGE))
    if form.page_number > 1 and not rows:
        abort(404)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    return render_template("hr/records.html", form=form, rows=rows, total=total, pages=pages)


@bp.route("/reports/completions.<any(csv, xlsx):fmt>")
def completions_download(fmt: str):
    form = ReportFilterForm().checked()
    return download(export_completions(actor(), form.report(), ExportFormat(fmt)))


@bp.route("/employees")
def employees():
    form = EmployeeSearchForm().checked()
    found = search_employees(form.q.data or "")
    return render_template("hr/employees.html", form=form, found=found)


def _employee_or_404(employee_no: str):
    employee = employee_by_number(employee_no)
    if employee is None:
        abort(404)
    return employee


@bp.route("/employees/<employee_no>")
def employee(employee_no: str):
    person = _employee_or_404(employee_no)
    return render_template(
        "hr/employee.html",
        person=person,
        history=training_history(person),
        pending=pending_code(person),
        form=EmptyForm(),
        **person_forms(person.employee_no),
    )


@bp.route("/employees/<employee_no>/reset", methods=["POST"])
def reset(employee_no: str):
    person = _employee_or_404(employee_no)
    if not EmptyForm().validate_on_submit():
        abort(400)
    issued = reset_account(person, actor(), days=current_app.config["ACTIVATION_CODE_DAYS"])
    response = current_app.make_response(render_template("hr/code_issued.html", person=person, issued=issued))
    response.headers["Cache-Control"] = "no-store"  # the code is shown once and must not be cached
    return response
