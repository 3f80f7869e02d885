"""Forms of the learner's pages; the question form is built per question from its choices."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectMultipleField
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import Form


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class _RadioAnswer(Form):
    answer = RadioField(coerce=int, validators=[InputRequired(message=_l("選択肢を選んでください。"))])


class _CheckboxAnswer(Form):
    answer = MultiCheckboxField(
        coerce=int, validators=[InputRequired(message=_l("選択肢を選んでください。"))]
    )


def question_form(choice_order: list[int], multiple: bool) -> Form:
    """A form with one field, ``answer``, accepting only this question's choices."""
    # The two form classes are built once; the choices are the question's.
    form = _CheckboxAnswer() if multiple else _RadioAnswer()
    form.answer.choices = [str(c) for c in choice_order]
    return form


def chosen(form: Form) -> list[int]:
    data = form.answer.data
    return list(data) if isinstance(data, list) else [data]
