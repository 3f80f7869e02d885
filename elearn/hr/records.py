"""The dashboard, the drill-down to employees, downloads and each employee's history."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..downloads import download, same_site_only
from ..filter_forms import PER_PAGE, ReportFilterForm
from ..forms import EmptyForm
from ..reminding import handle_send, render_paper, render_preview
from ..services.accounts import unlock_account
from ..services.activation import activate_url, pending_code, reset_account
from ..services.annual_report import export_annual_report
from ..services.certificate_archive import archive_certificates
from ..services.dashboard import dashboard
from ..services.exports import ExportFormat
from ..services.history import employee_by_number, search_employees, training_history
from ..services.login_throttle import LoginLimits, account_locked_for
from ..services.record_export import export_completions
from ..services.reminder_history import mail_history
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
@same_site_only
def completions_download(fmt: str):
    form = ReportFilterForm().checked()
    return download(export_completions(actor(), form.report(), ExportFormat(fmt)))


@bp.route("/reports/certificates.zip")
def certificates_download():
    """Every certificate the filters select, as PDFs in one ZIP with an index (audited)."""
    form = ReportFilterForm().checked()
    return download(archive_certificates(actor(), form.report(), current_app.config))


@bp.route("/reports/annual.<any(pdf, xlsx):fmt>")
def annual_report(fmt: str):
    """研修実施状況報告 of the selected year (audited)."""
    form = ReportFilterForm().checked()
    filename, mimetype, data = export_annual_report(actor(), form.selected_year, fmt)
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/remind", methods=["GET", "POST"])
def remind():
    """Remind the unfinished staff of the records' filter: preview on GET, the audited send on POST."""
    form = ReportFilterForm().checked()
    back = url_for("hr.records", **form.args())
    if request.method == "POST":
        return handle_send(form.report(), actor(), from_manager=False, back=back)
    return render_preview(
        form.report(), from_manager=False, endpoint="hr.remind", filters=form.args(), back=back
    )


@bp.route("/remind/paper")
def remind_paper():
    return render_paper(ReportFilterForm().checked().report())


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
        mails=mail_history(person.id),
        locked_for=account_locked_for(person.employee_no, LoginLimits.from_config(current_app.config)),
        form=EmptyForm(),
        **person_forms(person.employee_no),
    )


@bp.route("/employees/<employee_no>/unlock", methods=["POST"])
def unlock(employee_no: str):
    """Lift the lock that failed logins (anyone's guesses) put on the account."""
    person = _employee_or_404(employee_no)
    if not EmptyForm().validate_on_submit():
        abort(400)
    unlock_account(person, actor(), address=request.remote_addr)
    flash(_("%(name)s さんのログインのロックを解除しました。", name=person.name), "info")
    return redirect(url_for("hr.employee", employee_no=person.employee_no), code=303)


@bp.route("/employees/<employee_no>/reset", methods=["GET", "POST"])
def reset(employee_no: str):
    """GET asks HR to confirm (a reset locks the employee out until they use the new code); POST resets."""
    person = _employee_or_404(employee_no)
    form = EmptyForm()
    if request.method == "GET":
        return render_template("hr/reset_confirm.html", person=person, form=form)
    if not form.validate_on_submit():
        abort(400)
    issued = reset_account(
        person, actor(), days=current_app.config["ACTIVATION_CODE_DAYS"], address=request.remote_addr
    )
    response = current_app.make_response(
        render_template(
            "hr/code_issued.html",
            person=person,
            issued=issued,
            url=activate_url(current_app.config["BASE_URL"]),
        )
    )
    response.headers["Cache-Control"] = "no-store"  # the code is shown once and must not be cached
    return response
