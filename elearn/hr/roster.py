"""Roster import: upload, preview of what would change, then confirm."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..downloads import download
from ..forms import EmptyForm
from ..services.exports import ExportFormat
from ..services.roster import RosterRefused
from ..services.roster_template import roster_template
from ..services.roster_uploads import confirm, find_upload, preview, store_upload
from .forms import RosterUploadForm
from .routes import actor, bp

PREVIEW_LIMIT = 300  # rows listed per category; the counts are always complete


@bp.route("/roster", methods=["GET", "POST"])
def roster():
    form = RosterUploadForm()
    if form.validate_on_submit():
        upload = store_upload(
            form.file.data.read(), form.file.data.filename or "roster.csv", form.full.data, actor()
        )
        return redirect(url_for("hr.roster_preview", token=upload.token), code=303)
    return render_template("hr/roster.html", form=form)


@bp.route("/roster/template.<any(csv, xlsx):fmt>")
def roster_template_download(fmt: str):
    return download(roster_template(ExportFormat(fmt)))


@bp.route("/roster/<token>", methods=["GET", "POST"])
def roster_preview(token: str):
    upload = find_upload(token, actor())
    if upload is None:
        abort(404)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            summary = confirm(upload, actor())
        except RosterRefused as exc:
            flash(str(exc), "error")
            return redirect(url_for("hr.roster_preview", token=token), code=303)
        flash(
            _(
                "名簿を取り込みました。追加 %(added)s 人、変更 %(updated)s 人、無効化 %(deactivated)s 人、"
                "新たな割当 %(assigned)s 件。",
                added=summary.added,
                updated=summary.updated,
                deactivated=summary.deactivated,
                assigned=summary.assigned,
            ),
            "success",
        )
        return redirect(url_for("hr.roster"), code=303)
    result = preview(upload)
    refusal = result.plan.refusal(current_user.id) if result.plan else None
    return render_template(
        "hr/roster_preview.html", result=result, refusal=refusal, form=form, limit=PREVIEW_LIMIT
    )
