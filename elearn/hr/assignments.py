"""Assignment rules for a fiscal year: who must take which course, by when."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from ..extensions import db
from ..filter_forms import MAX_YEAR, MIN_YEAR, department_choices
from ..fiscal import current_fiscal_year
from ..models import AssignmentScope, Course, Department
from ..services.assignments import AssignmentError, add_rule, assignment_counts, rules_for, scope_label
from ..services.catalog import active_courses
from .forms import AssignmentRuleForm
from .routes import actor, bp


def _requested_year() -> int:
    raw = request.args.get("year", "")
    if not raw:
        return current_fiscal_year()
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    if not raw.isdecimal() or not MIN_YEAR <= int(raw) <= MAX_YEAR:
        abort(400)
    return int(raw)


@bp.route("/assignments", methods=["GET", "POST"])
def assignments():
    year = _requested_year()
    form = AssignmentRuleForm(year=year)
    form.course.choices = [SelectChoice(str(c.id), v.title) for c, v in active_courses()]
    form.department.choices = department_choices(SelectChoice("", ""))
    if form.validate_on_submit():
        department = db.session.get(Department, form.department.data) if form.department.data else None
        scope = AssignmentScope(form.scope.data)
        value = form.role.data if scope is AssignmentScope.ROLE else (form.employment_type.data or "").strip()
        try:
            result = add_rule(
                form.year.data,
                db.session.get(Course, form.course.data),
                scope,
                actor=actor(),
                department=department if scope is AssignmentScope.DEPARTMENT else None,
                value=value or None,
                due_date=form.due_date.data,
            )
        except AssignmentError as exc:
            flash(str(exc), "error")
        else:
            flash(_("割り当てました（%(count)s 人）。", count=result.assigned), "success")
            return redirect(url_for("hr.assignments", year=form.year.data), code=303)
    return render_template(
        "hr/assignments.html",
        form=form,
        year=year,
        rules=rules_for(year),
        counts=assignment_counts(year),
        scope_label=scope_label,
    )
