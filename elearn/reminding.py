"""The manual reminder pages shared by managers (/manage/remind) and HR (/hr/remind): preview, send,
and the printable 督促一覧. Each blueprint pins what its users may reach (a manager's own department)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectMultipleField

from .forms import Form
from .services.audit import Actor
from .services.deadlines import japan_today
from .services.mailer import SmtpSettings
from .services.manual_reminders import manual_plan, preview, send_manual
from .services.reports import ReportFilter, course_titles


class RemindForm(Form):
    """The confirm button; the ticked employees travel with it (none: everyone the filter shows)."""

    employee = SelectMultipleField(validate_choice=False)


def chosen_employees(values: list[str]) -> frozenset[str] | None:
    picked = frozenset(v.strip() for v in values if v.strip())
    return picked or None


def settings() -> SmtpSettings:
    return SmtpSettings.of(current_app.config)


def render_preview(report: ReportFilter, *, from_manager: bool, endpoint: str, filters: dict, back: str):
    """Who gets the mail, who was reminded by hand today, who has no address; the mail itself."""
    picked = chosen_employees(request.args.getlist("employee"))
    plan = manual_plan(report, picked, japan_today())
    mail = settings()
    return render_template(
        "reminders/preview.html",
        plan=plan,
        sample=preview(plan, mail, from_manager, report.soon_days) if mail.configured else None,
        configured=mail.configured,
        titles=course_titles(),
        form=RemindForm(),
        selected=sorted(picked or ()),
        action=url_for(endpoint, **filters),
        paper=url_for(f"{endpoint}_paper", **filters, employee=sorted(picked or ())),
        back=back,
        year=report.year,
    )


def handle_send(report: ReportFilter, actor: Actor, *, from_manager: bool, back: str):
    form = RemindForm()
    if not form.validate_on_submit():
        flash(_("送信できませんでした。もう一度確認画面から送信してください。"), "error")
        return redirect(back, code=303)
    mail = settings()
    if not mail.configured:
        flash(_("メールサーバーが設定されていないため、送信できません。"), "error")
        return redirect(back, code=303)
    result = send_manual(
        actor, report, chosen_employees(form.employee.data or []), mail, from_manager=from_manager
    )
    flash(
        _(
            "督促メール: 送信 %(sent)s、失敗 %(failed)s、本日送信済み %(already)s、宛先なし %(none)s（件）",
            sent=result.sent,
            failed=result.failed,
            already=result.already,
            none=result.no_address,
        ),
        "success" if not result.failed and not result.server_down else "error",
    )
    if result.server_down:
        flash(_("メールサーバーに接続できませんでした。未送信のメールは次回の送信で送られます。"), "error")
    return redirect(back, code=303)


def render_paper(report: ReportFilter):
    """督促一覧 (A4, by department): staff without an address, or everyone when no mail can be sent."""
    picked = chosen_employees(request.args.getlist("employee"))
    plan = manual_plan(report, picked, japan_today())
    on_paper = plan.no_address if settings().configured else plan.no_address + plan.to_send + plan.already
    by_department: dict[str, list] = {}
    for target in sorted(on_paper, key=lambda t: (t.department, t.employee_no, t.course_id)):
        by_department.setdefault(target.department, []).append(target)
    return render_template(
        "reminders/paper.html", by_department=by_department, titles=course_titles(), year=report.year
    )
