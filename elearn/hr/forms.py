"""HR's forms. The filters of the report pages live in elearn/filter_forms.py."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..filter_forms import MAX_PAGE, MAX_YEAR, MIN_YEAR, QueryForm, optional_int
from ..forms import Form
from ..models import AssignmentScope, AuditAction, ExemptionReason, Role, SecurityKind
from ..services.audit import TrailFilter
from ..services.mail_templates import unknown_placeholders


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
    page = IntegerField(validators=[Optional(), NumberRange(1, MAX_PAGE)])

    def trail(self) -> TrailFilter:
        return TrailFilter(
            action=self.action.data,
            since=self.since.data,
            until=self.until.data,
            actor=(self.actor.data or "").strip() or None,
        )


def day_list(text: str | None) -> tuple[int, ...]:
    """「14, 3」 as (14, 3); ValueError for anything but whole days from 1 to 365."""
    parts = [p for p in (text or "").replace("、", ",").replace(" ", ",").split(",") if p.strip()]
    days = tuple(int(p) for p in parts if p.strip().isdigit() and 1 <= int(p) <= 365)
    if len(days) != len(parts):
        raise ValueError(text)
    return days


class ReminderRulesForm(Form):
    invitation = BooleanField(_l("割り当てたときに受講案内を送る"))
    days_before = StringField(
        _l("期限の何日前に送るか（カンマ区切り、例: 14, 3）"), validators=[Length(max=100)]
    )
    first_after = IntegerField(
        _l("期限の何日後から督促するか（空欄: 督促しない）"), validators=[Optional(), NumberRange(0, 365)]
    )
    every_after = IntegerField(_l("その後の間隔（日）"), validators=[DataRequired(), NumberRange(1, 365)])
    times_after = IntegerField(_l("期限後の督促の最大回数"), validators=[DataRequired(), NumberRange(1, 20)])

    def validate_days_before(self, field) -> None:
        try:
            day_list(field.data)
        except ValueError:
            raise ValidationError(_l("1〜365 の日数をカンマで区切って入力してください。")) from None


class MailTemplateForm(Form):
    subject = StringField(_l("件名"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("本文"), validators=[DataRequired(), Length(max=5000)])
    preview = SubmitField(_l("プレビュー"))
    save = SubmitField(_l("保存する（新しい版になります）"))

    def validate_subject(self, field) -> None:
        if "\n" in (field.data or "") or "\r" in (field.data or ""):
            raise ValidationError(_l("件名は1行で入力してください。"))
        _no_unknown_placeholders(field.data)

    def validate_body(self, field) -> None:
        _no_unknown_placeholders(field.data)


def _no_unknown_placeholders(text: str | None) -> None:
    unknown = unknown_placeholders(text or "")
    if unknown:
        raise ValidationError(_l("使えない差し込み項目があります: %(names)s", names="、".join(unknown)))


class SecurityFilterForm(QueryForm):
    kind = SelectField(
        _l("種類"),
        choices=[SelectChoice("", _l("すべて")), *(SelectChoice(k.value, k.label) for k in SecurityKind)],
        coerce=lambda value: value or None,
    )
    since = DateField(_l("開始日"), validators=[Optional()])
    until = DateField(_l("終了日"), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(1, MAX_PAGE)])

    def args(self) -> dict[str, str]:
        """The filters as query arguments, for the pager and the download."""
        values = {"kind": self.kind.data, "since": self.since.data, "until": self.until.data}
        return {name: str(value) for name, value in values.items() if value}


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
