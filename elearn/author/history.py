"""History of synced content on /author/: the versions of an item, the diff between two of them, and
republishing an older one (rollback). Trainers and HR see the history; only those who may publish
(ELEARN_PUBLISH_ROLES) see and use the rollback."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..forms import EmptyForm
from ..permissions import may_publish, publisher_required
from ..services.audit import Actor
from ..services.content_history import (
    KINDS,
    RollbackRefused,
    content_items,
    item_history,
    rollback,
    rollback_refusal,
    version_diff,
)
from .routes import bp


def _history_or_404(kind: str, key: str):
    if kind not in KINDS:
        abort(404)
    return item_history(kind, key) or abort(404)


def _compared(history) -> tuple[int, int]:
    """The two versions the GET form asked for; by default the one before the latest and the latest."""
    numbers = [v.number for v in history.versions]
    default_old = numbers[1] if len(numbers) > 1 else numbers[0]
    old = request.args.get("old", default_old, type=int)
    new = request.args.get("new", numbers[0], type=int)
    if not (history.has(old) and history.has(new)):
        abort(404)
    return old, new


@bp.route("/history/")
def history_index():
    return render_template("author/history_index.html", items=content_items())


@bp.route("/history/<kind>/<key>")
def history(kind: str, key: str):
    found = _history_or_404(kind, key)
    old, new = _compared(found)
    return render_template(
        "author/history.html",
        history=found,
        old=old,
        new=new,
        diff=version_diff(kind, key, old, new),
        may_publish=may_publish(current_user),
    )


@bp.route("/history/<kind>/<key>/rollback/<int:number>", methods=["GET"])
@publisher_required
def rollback_confirm(kind: str, key: str, number: int):
    found = _history_or_404(kind, key)
    if not found.has(number):
        abort(404)
    return render_template(
        "author/rollback.html",
        history=found,
        number=number,
        diff=version_diff(kind, key, found.latest.number, number),
        refusal=rollback_refusal(kind, key, number),
        form=EmptyForm(),
    )


@bp.route("/history/<kind>/<key>/rollback/<int:number>", methods=["POST"])
@publisher_required
def rollback_to(kind: str, key: str, number: int):
    _history_or_404(kind, key)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        done = rollback(Actor.of(current_user), kind, key, number)
    except RollbackRefused as refused:
        flash(str(refused), "error")
    else:
        flash(
            _("第%(old)d版を第%(new)d版として公開しました。", old=done.from_version, new=done.new_version),
            "info",
        )
    return redirect(url_for("author.history", kind=kind, key=key), code=303)
