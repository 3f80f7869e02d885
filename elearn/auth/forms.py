from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..forms import Form


class LoginForm(Form):
    employee_no = StringField(_l("職員番号"), validators=[DataRequired(), Length(max=20)])
    password = PasswordField(_l("パスワード"), validators=[DataRequired(), Length(max=200)])


class ActivationForm(Form):
    employee_no = StringField(_l("職員番号"), validators=[DataRequired(), Length(max=20)])
    code = StringField(_l("有効化コード"), validators=[DataRequired(), Length(max=40)])
    password = PasswordField(_l("新しいパスワード"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("新しいパスワード（確認）"),
        validators=[DataRequired(), EqualTo("password", message=_l("パスワードが一致しません。"))],
    )


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("現在のパスワード"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(_l("新しいパスワード"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("新しいパスワード（確認）"),
        validators=[DataRequired(), EqualTo("password", message=_l("パスワードが一致しません。"))],
    )
