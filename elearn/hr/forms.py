"""HR's forms. The filters of the report pages live in elearn/filter_forms.py."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, HiddenField, IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..filter_forms import MAX_YEAR, MIN_YEAR, QueryForm, optional_int
from ..forms import Form
from ..models import AssignmentScope, AuditAction, ExemptionReason, Role


class RosterUploadForm(Form):
    file = FileField(_l("名簿ファイル（CSV）"), validators=[FileRequired(_l("ファイルを選んでください。"))])
    full = BooleanField(_l("全職員の名簿として扱う（載っていない職員を無効にする）"), default=False)


class AssignmentRuleForm(Form):
    year = IntegerField(_l("年度"), validators=[DataRequired(), NumberRange(MIN_YEAR, MAX_YEAR)])
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


class IssueCodesForm(Form):
    department = SelectField(_l("所属"), coerce=optional_int)


class EmployeeSearchForm(QueryForm):
    q = StringField(_l("職員番号または氏名"), validators=[Optional(), Length(max=100)])


class AuditFilterForm(QueryForm):
    action = SelectField(
        _l("操作"),
        choices=[SelectChoice("", _l("すべて")), *(SelectChoice(a.value, a.label) for a in AuditAction)],
        coerce=lambda value: value or None,
    )
    page = IntegerField(validators=[Optional(), NumberRange(1)])


class RecordFileForm(Form):
    """An exemption or attendance CSV, planned and shown before anything is written."""

    file = FileField(_l("ファイル（CSV）"), validators=[FileRequired(_l("ファイルを選んでください。"))])


class IndividualAssignmentForm(Form):
    """One course for named employees (個別), a year and a due date."""

    employees = StringField(
        _l("職員番号（複数はカンマ区切り）"),
        validators=[DataRequired(_l("職員番号を入力してください。")), Length(max=2000)],
    )
    year = IntegerField(_l("年度"), validators=[DataRequired(), NumberRange(MIN_YEAR, MAX_YEAR)])
    course = SelectField(_l("コース"), coerce=int)
    due_date = DateField(_l("受講期限"), validators=[Optional()])


class ExemptionForm(Form):
    """Exempt the employee of the page from a course for a year."""

    year = IntegerField(_l("年度"), validators=[DataRequired(), NumberRange(MIN_YEAR, MAX_YEAR)])
    course = SelectField(_l("コース"), coerce=int)
    reason = SelectField(_l("理由"), choices=[SelectChoice(r.value, r.label) for r in ExemptionReason])
    details = StringField(
        _l("理由の内容（「その他」のときは必須）"), validators=[Optional(), Length(max=200)]
    )

    def reason_text(self) -> str:
        """The reason as the service reads it: the kind's Japanese name, then HR's words."""
        kind = ExemptionReason(self.reason.data).japanese
        details = (self.details.data or "").strip()
        return f"{kind}：{details}" if details else kind


class WithdrawExemptionForm(Form):
    exemption = HiddenField(validators=[DataRequired()])
    why = StringField(
        _l("取り消す理由"), validators=[DataRequired(_l("取り消す理由を書いてください。")), Length(max=200)]
    )
