"""On an employee's page: exempt them from a course for a year, withdraw an exemption, assign a
course to them alone; on the assignments page: assign a course to named employees."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..fiscal import current_fiscal_year
from ..models import Course, Exemption
from ..services.assignments import AssignmentError, assign_employees
from ..services.catalog import active_courses
from ..services.exemptions import ExemptionError, exempt, withdraw
from ..services.history import employee_by_number
from .forms import ExemptionForm, IndividualAssignmentForm, WithdrawExemptionForm
from .routes import actor, bp

ID = re.compile(r"[0-9]{1,9}")


def course_choices() -> list[tuple[int, str]]:
    return [(c.id, v.title) for c, v in active_courses()]


def person_forms(employee_no: str) -> dict[str, object]:
    """The forms of the employee's page, empty, for the template."""
    exemption = ExemptionForm(year=current_fiscal_year(), formdata=None)
    assignment = IndividualAssignmentForm(year=current_fiscal_year(), employees=employee_no, formdata=None)
    exemption.course.choices = assignment.course.choices = course_choices()
    return {
        "exemption_form": exemption,
        "assignment_form": assignment,
        "withdraw_form": WithdrawExemptionForm(formdata=None),
    }


def _person_or_404(employee_no: str):
    person = employee_by_number(employee_no)
    if person is None:
        abort(404)
    return person


def _back(employee_no: str):
    return redirect(url_for("hr.employee", employee_no=employee_no), code=303)


def _flash_errors(form) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "error")


@bp.route("/employees/<employee_no>/exemptions", methods=["POST"])
def exempt_employee(employee_no: str):
    person = _person_or_404(employee_no)
    form = ExemptionForm()
    form.course.choices = course_choices()
    if not form.validate_on_submit():
        _flash_errors(form)
        return _back(employee_no)
    try:
        exempt(person, db.session.get(Course, form.course.data), form.year.data, form.reason_text(), actor())
    except ExemptionError as exc:
        flash(str(exc), "error")
    else:
        flash(_("免除しました。"), "success")
    return _back(employee_no)


@bp.route("/employees/<employee_no>/exemptions/withdraw", methods=["POST"])
def withdraw_exemption(employee_no: str):
    person = _person_or_404(employee_no)
    form = WithdrawExemptionForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return _back(employee_no)
    named = form.exemption.data
    # Only what the page's hidden field holds: a plain number (int() would take any Unicode digit).
    exemption = db.session.get(Exemption, int(named)) if ID.fullmatch(named) else None
    if exemption is None or exemption.employee_id != person.id:
        abort(404)
    try:
        withdraw(exemption, form.why.data, actor())
    except ExemptionError as exc:
        flash(str(exc), "error")
    else:
        flash(_("免除を取り消しました。"), "success")
    return _back(employee_no)


def _assign(form: IndividualAssignmentForm) -> bool:
    """Assign from a valid form; flashes the outcome, True when done."""
    try:
        added = assign_employees(
            form.employees.data.replace("、", ",").split(","),
            db.session.get(Course, form.course.data),
            form.year.data,
            actor=actor(),
            due_date=form.due_date.data,
        )
    except AssignmentError as exc:
        flash(str(exc), "error")
        return False
    flash(_("個別に割り当てました（%(count)s 人）。", count=added), "success")
    return True


@bp.route("/employees/<employee_no>/assignments", methods=["POST"])
def assign_employee(employee_no: str):
    _person_or_404(employee_no)
    form = IndividualAssignmentForm(employees=employee_no)
    form.course.choices = course_choices()
    form.employees.data = employee_no  # this person only, whatever was posted
    if form.validate_on_submit():
        _assign(form)
    else:
        _flash_errors(form)
    return _back(employee_no)


@bp.route("/assignments/individual", methods=["GET", "POST"])
def assign_individually():
    form = IndividualAssignmentForm(year=current_fiscal_year())
    form.course.choices = course_choices()
    if form.validate_on_submit() and _assign(form):
        return redirect(url_for("hr.assignments", year=form.year.data), code=303)
    return render_template("hr/assign_individually.html", form=form)
