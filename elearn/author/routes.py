"""Content preview for trainers: courses, lessons and scenario banks as learners will see them.

Everything is read from the content folder (CONTENT_ROOT), not from the database, so a
trainer sees a draft before it is synced, with the checker's messages beside it.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..content import clause_anchor
from ..forms import EmptyForm
from ..models import Role
from ..permissions import role_required
from ..services.audit import Actor
from ..services.catalog import active_courses, course_by_key
from ..services.content_diff import diff_content
from ..services.content_history import synced_keys
from ..services.content_uploads import pending_uploads
from ..services.policy import content_settings
from ..services.scorm_export import ScormExportError, export_scorm
from ..trial import begin_trial, end_trial
from .forms import PasteForm
from .preview import course_preview, lesson_preview, overview, pasted_bank_preview, quiz_file_preview

bp = Blueprint("author", __name__, template_folder="templates", static_folder="static")

# HR as well as trainers: an employee holds one role, and the training staff of a city
# usually sit in its personnel section; HR also needs to see a course before assigning it.
# The pages only read content, which holds no personal data.
PREVIEW_ROLES = (Role.TRAINER, Role.HR)

# The shared scenario macros (templates/content/scenario.html) link clauses to the policy page.
bp.add_app_template_filter(clause_anchor, "clause_anchor")


@bp.before_request
@role_required(*PREVIEW_ROLES)
def restrict_to_trainers() -> None:
    """Every page of this blueprint is for the people who prepare the training."""


def _content_root() -> Path:
    return Path(current_app.config["CONTENT_ROOT"])


class PreviewLinks:
    """Where a preview page links: the files on disk, or (PreviewLinks(upload_id)) an upload's tree."""

    def __init__(self, upload_id: int | None = None) -> None:
        self.upload_id = upload_id
        self.index_label = _("アップロードした教材") if upload_id else _("教材プレビュー")

    def _url(self, endpoint: str, **values) -> str:
        if self.upload_id is None:
            return url_for(f"author.{endpoint}", **values)
        return url_for(f"author.upload_{endpoint}", upload_id=self.upload_id, **values)

    def index(self) -> str:
        return self._url("index") if self.upload_id is None else self._url("page")

    def course(self, folder: str) -> str:
        return self._url("course", folder=folder)

    def lesson(self, folder: str, slug: str) -> str:
        return self._url("lesson", folder=folder, slug=slug)


@bp.context_processor
def preview_links() -> dict:
    """The preview templates link to the files on disk unless a view passes the links of an upload."""
    return {"links": PreviewLinks()}


@bp.route("/")
def index():
    root = _content_root()
    states = diff_content(root, relative_to=root).files
    from .uploads import upload_form  # uploads builds on this module

    return render_template(
        "author/index.html",
        overview=overview(root),
        synced=active_courses(drafts=True),
        states=states,
        form=EmptyForm(),
        upload_form=upload_form(),
        uploads=pending_uploads(),
    )


@bp.route("/courses/<folder>/")
def course(folder: str):
    preview = course_preview(_content_root(), folder) or abort(404)
    synced = preview.course is not None and preview.course.id in synced_keys("course")
    return render_template("author/course.html", preview=preview, synced=synced)


@bp.route("/courses/<folder>/<slug>")
def lesson(folder: str, slug: str):
    preview = lesson_preview(_content_root(), folder, slug) or abort(404)
    return render_template("author/lesson.html", preview=preview)


@bp.route("/quizzes/<path:name>")
def quiz_file(name: str):
    preview = quiz_file_preview(_content_root(), name) or abort(404)
    template = "author/selfcheck.html" if preview.kind == "self-check" else "author/bank.html"
    return render_template(
        template,
        preview=preview,
        synced_scenarios=synced_keys("scenario"),
        synced_selfchecks=synced_keys("selfcheck"),
    )


@bp.route("/paste", methods=["GET", "POST"])
def paste():
    form = PasteForm()
    bank = None
    if form.validate_on_submit():
        bank = pasted_bank_preview(form.markdown.data, _("貼り付けた文章"), content_settings())
    return render_template("author/paste.html", form=form, bank=bank)


def _requested_version() -> int | None:
    """``?version=N`` of a download; none or ``current`` is the current version."""
    value = request.args.get("version", "current")
    if value == "current":
        return None
    if not value.isdigit():
        abort(404)
    return int(value)


@bp.route("/export/<key>/scorm.zip")
def scorm_download(key: str):
    """The synced course as a SCORM 1.2 package for another LMS (recorded on the audit trail)."""
    try:
        package = export_scorm(Actor.of(current_user), key, _requested_version())
    except ScormExportError as exc:
        flash(str(exc), "error")
        return redirect(url_for("author.index"), code=303)
    response = Response(package.data, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{package.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/trial/<key>", methods=["POST"])
def begin_trial_of(key: str):
    """Try a synced course, drafts included, on the learners' pages (試行); nothing is recorded."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    if course_by_key(key, drafts=True) is None:
        abort(404)
    begin_trial(key)
    return redirect(url_for("learn.course", key=key), code=303)


@bp.route("/trial/<key>/end", methods=["POST"])
def end_trial_of(key: str):
    if not EmptyForm().validate_on_submit():
        abort(400)
    end_trial(key)
    flash(_("試行を終えました。"), "info")
    return redirect(url_for("author.index"), code=303)


from . import history  # noqa: E402, F401  (registers the history and rollback views)
