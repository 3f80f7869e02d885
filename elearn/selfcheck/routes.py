"""The private self-check: only the employee who answered ever sees the answers."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ..extensions import db
from ..forms import Form
from ..models import SelfCheckResponse, SelfCheckVersion
from ..permissions import own_or_404
from ..services.selfchecks import (
    SelfCheckError,
    active_selfchecks,
    current_version,
    my_responses,
    record_response,
)

bp = Blueprint("selfcheck", __name__, template_folder="templates", url_prefix="/selfcheck")


def selfcheck_form(version: SelfCheckVersion) -> Form:
    class SelfCheckForm(Form):
        pass

    for item_id, _statement in version.items:
        setattr(
            SelfCheckForm,
            f"item_{item_id}",
            RadioField(
                choices=[SelectChoice(str(i), label) for i, label in enumerate(version.scale)],
                coerce=int,
                validators=[InputRequired(message=_l("この項目に答えてください。"))],
            ),
        )
    return SelfCheckForm()


@bp.route("/")
def index():
    return render_template(
        "selfcheck/index.html", selfchecks=active_selfchecks(), responses=my_responses(current_user)
    )


@bp.route("/<key>", methods=["GET", "POST"])
def take(key: str):
    version = current_version(key)
    if version is None:
        abort(404)
    form = selfcheck_form(version)
    if form.validate_on_submit():
        answers = {item_id: form[f"item_{item_id}"].data for item_id, _statement in version.items}
        try:
            response = record_response(current_user, version, answers)
        except SelfCheckError as exc:
            flash(str(exc), "error")
        else:
            return redirect(url_for("selfcheck.response", response_id=response.id), code=303)
    elif form.is_submitted():
        flash(_("答えていない項目があります。"), "error")
    return render_template("selfcheck/take.html", version=version, form=form)


@bp.route("/responses/<int:response_id>")
def response(response_id: int):
    response = own_or_404(db.session.get(SelfCheckResponse, response_id))
    version = response.selfcheck_version
    return render_template(
        "selfcheck/response.html", response=response, version=version, band=version.band_for(response.score)
    )
