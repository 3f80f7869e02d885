"""HR's reminder settings: the rules of a fiscal year and the mail templates (with preview and versions)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..models import MailKind
from ..services.mail_templates import (
    PLACEHOLDERS,
    SAMPLE,
    Template,
    current_template,
    save_template,
    template_history,
)
from ..services.mailer import SmtpSettings
from ..services.reminder_rules import Rules, rules_for, save_rules
from .assignments import _requested_year
from .forms import MailTemplateForm, ReminderRulesForm, day_list
from .routes import actor, bp


@bp.route("/reminders", methods=["GET", "POST"])
def reminder_settings():
    year = _requested_year()
    rules = rules_for(year)
    # The year's rules fill the form shown; a post is read as sent, never topped up with them.
    shown = {
        "invitation": rules.invitation,
        "days_before": ", ".join(str(d) for d in rules.days_before),
        "first_after": rules.first_after,
        "every_after": rules.every_after,
        "times_after": rules.times_after,
    }
    form = ReminderRulesForm(data=shown if request.method == "GET" else None)
    if form.validate_on_submit():
        chosen = Rules(
            invitation=form.invitation.data,
            days_before=day_list(form.days_before.data),
            first_after=form.first_after.data,
            every_after=form.every_after.data,
            times_after=form.times_after.data,
        )
        save_rules(actor(), year, chosen)
        flash(_("督促ルールを保存しました。"), "success")
        return redirect(url_for("hr.reminder_settings", year=year), code=303)
    return render_template(
        "hr/reminders.html",
        form=form,
        year=year,
        rules=rules,
        kinds=list(MailKind),
        templates={kind: current_template(kind) for kind in MailKind},
        mail=SmtpSettings.of(current_app.config),
    )


def _kind_or_404(kind: str) -> MailKind:
    try:
        return MailKind(kind)
    except ValueError:
        abort(404)


@bp.route("/reminders/templates/<kind>", methods=["GET", "POST"])
def mail_template(kind: str):
    found = _kind_or_404(kind)
    current = current_template(found)
    shown_text = {"subject": current.subject, "body": current.body}
    form = MailTemplateForm(data=shown_text if request.method == "GET" else None)
    shown = None
    if form.validate_on_submit():
        if form.save.data:
            saved = save_template(actor(), found, form.subject.data, form.body.data)
            flash(_("メール文面を保存しました（第%(version)s版）。", version=saved.version), "success")
            return redirect(url_for("hr.mail_template", kind=found.value), code=303)
        shown = Template(found, 0, form.subject.data, form.body.data).render(SAMPLE)
    return render_template(
        "hr/mail_template.html",
        form=form,
        kind=found,
        current=current,
        shown=shown or current.render(SAMPLE),
        history=template_history(found),
        placeholders="、".join(f"{{{name}}}" for name in PLACEHOLDERS),
    )
