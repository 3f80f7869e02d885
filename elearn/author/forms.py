"""Forms of the trainer's pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..forms import Form

# Far above any real bank file (the largest is about 13,000 characters), low enough to check and
# render in a few seconds (460,000 characters took over ten).
MAX_PASTE = 200_000


class PasteForm(Form):
    """Markdown of a scenario bank file to check and preview; nothing is stored."""

    markdown = TextAreaField(
        _l("問題集ファイルの Markdown"),
        validators=[
            InputRequired(message=_l("Markdown を貼り付けてください。")),
            Length(
                max=MAX_PASTE,
                # Filled in by Length: the length pasted and the limit.
                message=_l(
                    "長すぎます（%(length)d 文字、%(max)d 文字まで）。問題集を分けて貼り付けてください。"
                ),
            ),
        ],
    )
    submit = SubmitField(_l("確認する"))


class UploadForm(Form):
    """A Markdown file or a ZIP of a course folder (or of courses/ and quizzes/) to check and publish."""

    file = FileField(
        _l("ファイル（.md または .zip）"), validators=[FileRequired(_l("ファイルを選んでください。"))]
    )
    course = SelectField(
        _l("レッスン・course.md のコース"),
        description=_l("レッスンのファイルか course.md を一つだけ送るときに選びます。"),
        choices=[],
        default="",  # a file that is no lesson needs no course
        validate_choice=True,
    )
    draft = BooleanField(_l("下書きとして公開する（受講者には表示・出題されません）"))
    submit = SubmitField(_l("アップロードして確認する"))


class PublishForm(Form):
    """Publish an upload as compared: the fingerprint of the live content the comparison was made with."""

    fingerprint = HiddenField(validators=[InputRequired()])
    submit = SubmitField(_l("公開する"))
