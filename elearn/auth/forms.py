from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    employee_no = StringField(_l("職員番号"), validators=[DataRequired(), Length(max=20)])
    password = PasswordField(_l("パスワード"), validators=[DataRequired(), Length(max=200)])
