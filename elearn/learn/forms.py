"""Forms of the learner's pages; the question form is built per question from its choices."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectMultipleField
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import Form
from ..models import AttemptQuestion


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def question_form(question: AttemptQuestion) -> Form:
    """A form with one field, ``answer``, accepting only this question's choices."""
    kind = MultiCheckboxField if question.scenario_version.multiple else RadioField

    class QuestionForm(Form):
        answer = kind(
            choices=[str(c) for c in question.choice_order],
            coerce=int,
            validators=[InputRequired(message=_l("選択肢を選んでください。"))],
        )

    return QuestionForm()


def chosen(form: Form) -> list[int]:
    data = form.answer.data
    return list(data) if isinstance(data, list) else [data]
