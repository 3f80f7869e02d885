"""HR's forms. The filters of the report pages live in elearn/filter_forms.py."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, HiddenField, IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..filter_forms import MAX_YEAR, MIN_YEAR, QueryForm, optional_int
from ..forms import Form
from ..models import AssignmentScope, AuditAction, Role
from ..services.audit import TrailFilter


class RosterUploadForm(Form):
    file = FileField(
        _l("名簿ファイル（CSV または Excel ブック）"),
        validators=[FileRequired(_l("ファイルを選んでください。"))],
    )
    full = BooleanField(_l("全職員の名簿として扱う（載っていない職員を無効にする）"), default=False)


class AssignmentRuleForm(Form):
    year = SelectField(_l("年度"), coerce=int)  # choices: filter_forms.offered_years
    course = SelectField(_l("コース"), coerce=int)
    scope = RadioField(
        _l("対象"),
        choices=[SelectChoice(s.value, s.label) for s in AssignmentScope],
        default=AssignmentScope.ALL.value,
    )
    department = SelectField(_l("所属（対象が所属のとき）"), coerce=optional_int)
    role = SelectField(
        _l("役割（対象が役割のとき）"),
        choices=[SelectChoice("", ""), *(SelectChoice(r.value, r.label) for r in Role)],
        validators=[Optional()],
    )
    employment_type = StringField(
        _l("雇用区分（対象が雇用区分のとき）"), validators=[Optional(), Length(max=40)]
    )
    due_date = DateField(_l("受講期限"), validators=[Optional()])
    # Set by the confirmation step, which shows how many the rule reaches before it is saved.
    confirmed = HiddenField()
    allow_empty = BooleanField(_l("対象が 0 人でも登録する（後から名簿に加わる職員に割り当てるため）"))


class RuleDueDateForm(Form):
    due_date = DateField(_l("新しい受講期限"), validators=[Optional()])


class RuleWithdrawalForm(Form):
    reason = StringField(
        _l("取り消す理由"), validators=[DataRequired(_l("理由を入力してください。")), Length(max=200)]
    )


class YearRolloverForm(Form):
    year = IntegerField(_l("年度"), validators=[DataRequired(), NumberRange(MIN_YEAR, MAX_YEAR)])
    due_date = DateField(_l("受講期限"), validators=[Optional()])


class IssueCodesForm(Form):
    department = SelectField(_l("所属"), coerce=optional_int)
    layout = RadioField(
        _l("配布票の印刷"),
        choices=[SelectChoice("one", _l("A4 1枚に1人")), SelectChoice("four", _l("A4 1枚に4人"))],
        default="one",
    )


class CodesDownloadForm(Form):
    """The codes just shown, sent back for their CSV (checked against their hashes)."""

    codes = HiddenField(validators=[DataRequired(), Length(max=200_000)])


class EmployeeSearchForm(QueryForm):
    q = StringField(_l("職員番号または氏名"), validators=[Optional(), Length(max=100)])


class AuditFilterForm(QueryForm):
    action = SelectField(
        _l("操作"),
        choices=[SelectChoice("", _l("すべて")), *(SelectChoice(a.value, a.label) for a in AuditAction)],
        coerce=lambda value: value or None,
    )
    since = DateField(_l("開始日"), validators=[Optional()])
    until = DateField(_l("終了日"), validators=[Optional()])
    actor = StringField(_l("実行者（職員番号・氏名の一部）"), validators=[Optional(), Length(max=100)])
    page = IntegerField(validators=[Optional(), NumberRange(1)])

    def trail(self) -> TrailFilter:
        return TrailFilter(
            action=self.action.data,
            since=self.since.data,
            until=self.until.data,
            actor=(self.actor.data or "").strip() or None,
        )
