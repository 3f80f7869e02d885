"""Upload, compare and publish on /author/: thin over services.content_uploads.

Uploading and looking are for everyone who previews (trainers and HR); publishing and discarding
are for those ELEARN_PUBLISH_ROLES names (publisher_required).
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..forms import EmptyForm
from ..models import ContentUpload
from ..permissions import may_publish, publisher_required
from ..services.audit import Actor
from ..services.catalog import active_courses
from ..services.content_upload_files import UploadRefused, read_upload
from ..services.content_uploads import (
    PENDING,
    LiveChanged,
    UploadHasErrors,
    UploadNotPending,
    checked_upload,
    discard_upload,
    publish_upload,
    store_upload,
    upload_tree,
)
from .forms import PublishForm, UploadForm
from .preview import course_preview, lesson_preview, quiz_file_preview
from .routes import PreviewLinks, _content_root, bp


def _work_dir() -> Path:
    # The app's own storage: the trees are made and removed there, never in the content folder.
    return Path(current_app.instance_path) / "uploads"


def upload_form() -> UploadForm:
    form = UploadForm()
    form.course.choices = [("", _("（選ばない）"))] + [
        (course.key, f"{version.title}（{course.key}）") for course, version in active_courses(drafts=True)
    ]
    return form


@bp.route("/uploads", methods=["POST"])
def upload():
    form = upload_form()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("author.index"), code=303)
    sent = form.file.data
    try:
        received = read_upload(sent.filename or "", sent.read(), form.course.data or None)
    except UploadRefused as exc:
        flash(str(exc), "error")
        return redirect(url_for("author.index"), code=303)
    stored = store_upload(Actor.of(current_user), sent.filename or "", received, bool(form.draft.data))
    if received.ignored:
        flash(_("取り込まなかったファイル: %(names)s", names="、".join(received.ignored)), "info")
    return redirect(url_for("author.upload_page", upload_id=stored.id), code=303)


def _upload(upload_id: int) -> ContentUpload:
    return db.session.get(ContentUpload, upload_id) or abort(404)


@bp.route("/uploads/<int:upload_id>/")
def upload_page(upload_id: int):
    found = _upload(upload_id)
    if found.status != PENDING:
        return render_template("author/upload.html", upload=found, checked=None)
    return _compared(found, stale=False)


def _compared(found: ContentUpload, stale: bool):
    with checked_upload(found, _content_root(), _work_dir()) as checked:
        form = PublishForm(fingerprint=checked.fingerprint)
        form.fingerprint.data = checked.fingerprint
        return render_template(
            "author/upload.html",
            upload=found,
            checked=checked,
            publish_form=form,
            discard_form=EmptyForm(),
            may_publish=may_publish(current_user),
            stale=stale,
        )


@bp.route("/uploads/<int:upload_id>/publish", methods=["POST"])
@publisher_required
def upload_publish(upload_id: int):
    found = _upload(upload_id)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        published = publish_upload(
            Actor.of(current_user), found.id, form.fingerprint.data, _content_root(), _work_dir()
        )
    except UploadNotPending:
        flash(_("このアップロードは公開または破棄されています。"), "error")
        return redirect(url_for("author.upload_page", upload_id=upload_id), code=303)
    except UploadHasErrors:
        flash(_("エラーがあるため公開できません。"), "error")
        return redirect(url_for("author.upload_page", upload_id=upload_id), code=303)
    except LiveChanged:
        db.session.expire_all()
        return _compared(found, stale=True), 409
    report = published.report
    flash(
        _(
            "公開しました（追加 %(added)d、変更 %(updated)d、廃止 %(retired)d）。",
            added=len(report.added),
            updated=len(report.updated),
            retired=len(report.retired),
        ),
        "info",
    )
    return redirect(url_for("author.upload_page", upload_id=upload_id), code=303)


@bp.route("/uploads/<int:upload_id>/discard", methods=["POST"])
@publisher_required
def upload_discard(upload_id: int):
    _upload(upload_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        discard_upload(upload_id)
    except UploadNotPending:
        flash(_("このアップロードは公開または破棄されています。"), "error")
        return redirect(url_for("author.upload_page", upload_id=upload_id), code=303)
    flash(_("アップロードを破棄しました。"), "info")
    return redirect(url_for("author.index"), code=303)


# The upload's tree previewed as learners will see it: the disk previews' own pages, in that tree.


def _pending(upload_id: int) -> ContentUpload:
    found = _upload(upload_id)
    if found.status != PENDING:
        abort(404)
    return found


@bp.route("/uploads/<int:upload_id>/courses/<folder>/")
def upload_course(upload_id: int, folder: str):
    with upload_tree(_pending(upload_id), _content_root(), _work_dir()) as (root, _marks):
        preview = course_preview(root, folder) or abort(404)
        return render_template("author/course.html", preview=preview, links=PreviewLinks(upload_id))


@bp.route("/uploads/<int:upload_id>/courses/<folder>/<slug>")
def upload_lesson(upload_id: int, folder: str, slug: str):
    with upload_tree(_pending(upload_id), _content_root(), _work_dir()) as (root, _marks):
        preview = lesson_preview(root, folder, slug) or abort(404)
        return render_template("author/lesson.html", preview=preview, links=PreviewLinks(upload_id))


@bp.route("/uploads/<int:upload_id>/quizzes/<path:name>")
def upload_quiz_file(upload_id: int, name: str):
    with upload_tree(_pending(upload_id), _content_root(), _work_dir()) as (root, _marks):
        preview = quiz_file_preview(root, name) or abort(404)
        template = "author/selfcheck.html" if preview.kind == "self-check" else "author/bank.html"
        return render_template(template, preview=preview, links=PreviewLinks(upload_id))
