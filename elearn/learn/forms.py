"""The quiz form is built per attempt: one field per drawn question."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from ..models import Attempt


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def field_name(position: int) -> str:
    return f"q{position}"


def answer_form(attempt: Attempt) -> FlaskForm:
    """A form whose fields are the attempt's questions, accepting only that question's choices."""

    class AnswerForm(FlaskForm):
        pass

    message = _l("この問題に答えてください。")
    for question in attempt.questions:
        choices = [str(c) for c in question.choice_order]
        kind = MultiCheckboxField if question.scenario_version.multiple else RadioField
        setattr(
            AnswerForm,
            field_name(question.position),
            kind(choices=choices, coerce=int, validators=[InputRequired(message=message)]),
        )
    return AnswerForm()


def answers_from(form: FlaskForm, attempt: Attempt) -> dict[int, list[int]]:
    answers = {}
    for question in attempt.questions:
        data = form[field_name(question.position)].data
        answers[question.position] = list(data) if isinstance(data, list) else [data]
    return answers
