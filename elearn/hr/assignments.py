"""Assignment rules for a fiscal year: who must take which course, by when; corrected and withdrawn,
and the year's rollover (required courses, last year's rules carried over)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from ..extensions import db
from ..filter_forms import MAX_YEAR, MIN_YEAR, department_choices, offered_years
from ..fiscal import current_fiscal_year, fiscal_year_label
from ..models import AssignmentRule, AssignmentScope, Course, Department
from ..services.assignments import (
    AssignmentError,
    add_rule,
    assign_required_courses,
    assignment_counts,
    check_due_date,
    rules_for,
    scope_label,
)
from ..services.catalog import active_courses
from ..services.rule_changes import carry_over_rules, change_due_date, reach, withdraw_rule
from .forms import AssignmentRuleForm, RuleDueDateForm, RuleWithdrawalForm, YearRolloverForm
from .routes import actor, bp


def _requested_year() -> int:
    raw = request.args.get("year", "")
    if not raw:
        return current_fiscal_year()
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    if not raw.isdecimal() or not MIN_YEAR <= int(raw) <= MAX_YEAR:
        abort(400)
    return int(raw)


def _scope_of(form: AssignmentRuleForm) -> tuple[AssignmentScope, Department | None, str | None]:
    scope = AssignmentScope(form.scope.data)
    department = db.session.get(Department, form.department.data) if form.department.data else None
    value = form.role.data if scope is AssignmentScope.ROLE else (form.employment_type.data or "").strip()
    return scope, department if scope is AssignmentScope.DEPARTMENT else None, value or None


def _save(form: AssignmentRuleForm) -> Response | int | None:
    """Save the rule once HR has seen how many it reaches (and said yes to 0): the redirect. Else how
    many it would reach, for the confirmation; None when it was refused (the message is on the form)."""
    scope, department, value = _scope_of(form)
    try:
        check_due_date(form.year.data, form.due_date.data)
    except AssignmentError as exc:
        form.due_date.errors.append(str(exc))
        return None
    reached = reach(scope, department, value)
    if form.confirmed.data != "y" or (reached == 0 and not form.allow_empty.data):
        form.confirmed.data = "y"
        return reached
    try:
        result = add_rule(
            form.year.data,
            db.session.get(Course, form.course.data),
            scope,
            actor=actor(),
            department=department,
            value=value,
            due_date=form.due_date.data,
        )
    except AssignmentError as exc:
        flash(str(exc), "error")
        return None
    flash(_("割り当てました（%(count)s 人）。", count=result.assigned), "success")
    return redirect(url_for("hr.assignments", year=form.year.data), code=303)


@bp.route("/assignments", methods=["GET", "POST"])
def assignments():
    year = _requested_year()
    form = AssignmentRuleForm(year=year)
    form.year.choices = [SelectChoice(str(y), fiscal_year_label(y)) for y in offered_years(year)]
    form.course.choices = [SelectChoice(str(c.id), v.title) for c, v in active_courses()]
    form.department.choices = department_choices(SelectChoice("", ""))
    reached = None
    if form.validate_on_submit():
        outcome = _save(form)
        if outcome is not None and not isinstance(outcome, int):
            return outcome
        reached = outcome
    return render_template(
        "hr/assignments.html",
        form=form,
        reached=reached,
        year=year,
        rules=rules_for(year),
        counts=assignment_counts(year),
        scope_label=scope_label,
        rollover=YearRolloverForm(year=year),
        years=offered_years(year),
    )


def _rule_or_404(rule_id: int) -> AssignmentRule:
    rule = db.session.get(AssignmentRule, rule_id)
    if rule is None:
        abort(404)
    return rule


@bp.route("/assignments/rules/<int:rule_id>")
def assignment_rule(rule_id: int):
    rule = _rule_or_404(rule_id)
    return _rule_page(rule, RuleDueDateForm(due_date=rule.due_date), RuleWithdrawalForm())


def _rule_page(rule: AssignmentRule, due_form: RuleDueDateForm, withdrawal_form: RuleWithdrawalForm):
    return render_template(
        "hr/assignment_rule.html",
        rule=rule,
        assigned=assignment_counts(rule.fiscal_year).get(rule.id, 0),
        scope_label=scope_label,
        due_form=due_form,
        withdrawal_form=withdrawal_form,
    )


@bp.route("/assignments/rules/<int:rule_id>/due", methods=["POST"])
def rule_due(rule_id: int):
    rule = _rule_or_404(rule_id)
    form = RuleDueDateForm()
    if form.validate_on_submit():
        try:
            moved = change_due_date(rule, form.due_date.data, actor())
        except AssignmentError as exc:
            form.due_date.errors.append(str(exc))
        else:
            flash(_("受講期限を変更しました（%(count)s 人）。", count=moved), "success")
            return redirect(url_for("hr.assignments", year=rule.fiscal_year), code=303)
    return _rule_page(rule, form, RuleWithdrawalForm()), 400


@bp.route("/assignments/rules/<int:rule_id>/withdraw", methods=["POST"])
def rule_withdraw(rule_id: int):
    rule = _rule_or_404(rule_id)
    form = RuleWithdrawalForm()
    if form.validate_on_submit():
        try:
            result = withdraw_rule(rule, form.reason.data, actor())
        except AssignmentError as exc:
            form.reason.errors.append(str(exc))
        else:
            flash(
                _(
                    "割当を取り消しました。未受講の %(removed)s 人の割当を外し、受講中・修了の %(kept)s 人は"
                    "記録を残しました。",
                    removed=result.removed,
                    kept=result.kept,
                ),
                "success",
            )
            return redirect(url_for("hr.assignments", year=rule.fiscal_year), code=303)
    return _rule_page(rule, RuleDueDateForm(due_date=rule.due_date), form), 400


@bp.route("/assignments/required", methods=["POST"])
def assign_required():
    form = YearRolloverForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        check_due_date(form.year.data, form.due_date.data)
        added = assign_required_courses(form.year.data, form.due_date.data, actor())
    except AssignmentError as exc:
        flash(str(exc), "error")
    else:
        flash(_("必修研修を割り当てました（%(count)s 件）。", count=added), "success")
    return redirect(url_for("hr.assignments", year=form.year.data), code=303)


@bp.route("/assignments/carry-over", methods=["POST"])
def carry_over():
    form = YearRolloverForm()
    if not form.validate_on_submit():
        abort(400)
    result = carry_over_rules(form.year.data, actor())
    flash(
        _(
            "前年度の割当を引き継ぎました（%(rules)s 件、%(count)s 人）。",
            rules=result.rules,
            count=result.assigned,
        ),
        "success",
    )
    return redirect(url_for("hr.assignments", year=form.year.data), code=303)
