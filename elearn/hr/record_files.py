"""Exemption and attendance files: upload, preview of every row (or every error), then confirm."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..forms import EmptyForm
from ..services.exemptions import ImportRefused
from ..services.record_uploads import UploadKind, confirm, find_upload, preview, store_upload
from .forms import RecordFileForm
from .routes import actor, bp

PREVIEW_LIMIT = 300  # rows listed; the count is always complete


def _upload_page(kind: UploadKind):
    form = RecordFileForm()
    if form.validate_on_submit():
        upload = store_upload(kind, form.file.data.read(), form.file.data.filename or f"{kind}.csv", actor())
        return redirect(url_for("hr.record_upload", upload_token=upload.token), code=303)
    return render_template("hr/record_file.html", form=form, kind=kind.value)


@bp.route("/exemptions", methods=["GET", "POST"])
def exemptions():
    return _upload_page(UploadKind.EXEMPTIONS)


@bp.route("/attendance", methods=["GET", "POST"])
def attendance():
    return _upload_page(UploadKind.ATTENDANCE)


@bp.route("/uploads/<upload_token>", methods=["GET", "POST"])
def record_upload(upload_token: str):
    upload = find_upload(upload_token, actor())
    if upload is None:
        abort(404)
    kind = UploadKind(upload.kind)
    back = "hr.exemptions" if kind is UploadKind.EXEMPTIONS else "hr.attendance"
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            count = confirm(upload, actor())
        except ImportRefused as exc:
            flash(str(exc), "error")
            return redirect(url_for("hr.record_upload", upload_token=upload_token), code=303)
        if kind is UploadKind.EXEMPTIONS:
            flash(_("免除を取り込みました（%(count)s 件）。", count=count), "success")
        else:
            flash(
                _("集合研修の出席を取り込み、修了として記録しました（%(count)s 件）。", count=count),
                "success",
            )
        return redirect(url_for(back), code=303)
    plan = preview(upload)
    return render_template(
        "hr/record_preview.html",
        upload=upload,
        plan=plan,
        rows=list(plan.preview_rows())[:PREVIEW_LIMIT],
        count=len(plan.rows),
        kind=kind.value,
        back=back,
        form=form,
    )
