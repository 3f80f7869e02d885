"""Item analysis for trainers and HR: how each scenario version is answered, and self-check aggregates."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from ..downloads import download, same_site_only
from ..filter_forms import MAX_YEAR, MIN_YEAR, QueryForm
from ..models import Role
from ..permissions import role_required
from ..services.audit import Actor
from ..services.exports import ExportFormat
from ..services.item_analysis import (
    MIN_GROUP,
    ItemSort,
    export_item_analysis,
    item_statistics,
    selfcheck_groups,
)

bp = Blueprint("analysis", __name__, template_folder="templates")


@bp.before_request
@role_required(Role.TRAINER, Role.HR)
def restrict_to_trainers_and_hr() -> None:
    """Trainers write the scenarios, HR runs the training: both read how they are answered."""


class ItemAnalysisForm(QueryForm):
    year = IntegerField(
        _l("年度（空欄ならすべて）"), validators=[Optional(), NumberRange(MIN_YEAR, MAX_YEAR)]
    )
    sort = SelectField(
        _l("並べ替え"),
        choices=[
            SelectChoice(ItemSort.SCENARIO.value, _l("シナリオ")),
            SelectChoice(ItemSort.ANSWERED.value, _l("回答数")),
            SelectChoice(ItemSort.CORRECT.value, _l("正答率")),
            SelectChoice(ItemSort.WRONG.value, _l("最も多い誤答の数")),
        ],
        default=ItemSort.SCENARIO.value,
    )
    order = SelectField(
        _l("順序"), choices=[SelectChoice("asc", _l("昇順")), SelectChoice("desc", _l("降順"))], default="asc"
    )
    by_department = BooleanField(_l("セルフチェックを所属ごとに集計"))

    @property
    def statistics_args(self) -> tuple[int | None, ItemSort, bool]:
        """Year, sort key and whether descending: the arguments of item_statistics."""
        return self.year.data, ItemSort(self.sort.data), self.order.data == "desc"

    def args(self, **overrides: object) -> dict[str, object]:
        args = {"year": self.year.data, "sort": self.sort.data, "order": self.order.data, **overrides}
        return {k: v for k, v in args.items() if v not in (None, "")}


@bp.route("/")
def index():
    form = ItemAnalysisForm().checked()
    return render_template(
        "analysis/index.html",
        form=form,
        items=item_statistics(*form.statistics_args),
        groups=selfcheck_groups(by_department=form.by_department.data),
        min_group=MIN_GROUP,
    )


@bp.route("/items.<any(csv, xlsx):fmt>")
@same_site_only
def items_download(fmt: str):
    form = ItemAnalysisForm().checked()
    return download(export_item_analysis(Actor.of(current_user), ExportFormat(fmt), *form.statistics_args))
