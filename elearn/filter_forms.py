"""The filter forms of the report pages (HR, managers, item analysis), read from the query string."""

from __future__ import annotations

from flask import abort, current_app, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from .extensions import db
from .fiscal import current_fiscal_year
from .forms import Form
from .models import Department
from .services.catalog import active_courses
from .services.deadlines import DueState
from .services.policy import content_settings
from .services.reports import Enrolment, ReportFilter, StatusFilter

MIN_YEAR, MAX_YEAR = 2000, 2100
PER_PAGE = 100
# Far beyond any real list, and small enough that (page - 1) * PER_PAGE fits the databases' integers.
MAX_PAGE = 1_000_000


def optional_int(value: object) -> int | None:
    return None if value in (None, "") else int(value)


def offered_years(selected: int | None = None) -> list[int]:
    """Newest first: next fiscal year, this one, and back to the policy's year (training on it
    cannot be older than the policy); ``selected`` is added when it falls outside."""
    current = current_fiscal_year()
    first = min(content_settings().policy.fiscal_year or current, current)
    years = list(range(current + 1, first - 1, -1))
    return years if selected is None or selected in years else [*years, selected]


def department_choices(blank: SelectChoice) -> list[SelectChoice]:
    """Every department in the city's order (Department.ordering), after a blank choice (all, or none
    yet chosen)."""
    departments = db.session.execute(select(Department.id, Department.name).order_by(*Department.ordering()))
    return [blank, *(SelectChoice(str(i), name) for i, name in departments)]


class QueryForm(Form):
    """A form read from the query string: filters change no state, so they need no CSRF token."""

    class Meta:
        csrf = False

    def __init__(self, **kwargs) -> None:
        super().__init__(formdata=request.args, **kwargs)

    def checked(self) -> QueryForm:
        """The form, or 400 when the query string holds what no page link would send."""
        if request.args and not self.validate():
            abort(400)
        return self


class ReportFilterForm(QueryForm):
    year = IntegerField(_l("年度"), validators=[Optional(), NumberRange(MIN_YEAR, MAX_YEAR)])
    department = SelectField(_l("所属"), coerce=optional_int, validate_choice=True)
    course = SelectField(_l("コース"), coerce=optional_int)
    status = SelectField(_l("状態"), coerce=lambda value: value or None)
    enrolment = SelectField(
        _l("在籍"),
        choices=[SelectChoice(e.value, e.label) for e in (Enrolment.ACTIVE, Enrolment.ALL)],
        coerce=lambda value: value or None,
        validators=[Optional()],
    )
    due = SelectField(_l("期限"), coerce=lambda value: value or None)
    page = IntegerField(validators=[Optional(), NumberRange(1, MAX_PAGE)])

    def __init__(self, with_departments: bool = True, enrolment: Enrolment = Enrolment.ALL) -> None:
        """``enrolment``: whom the page counts unless asked otherwise (the dashboard's rates: staff
        still active; the record and its download: everyone who had an assignment)."""
        super().__init__()
        self.default_enrolment = enrolment
        if not self.enrolment.data:
            self.enrolment.data = enrolment.value
        everything = SelectChoice("", _l("すべて"))
        self.department.choices = department_choices(everything) if with_departments else [everything]
        self.course.choices = [everything, *(SelectChoice(str(c.id), v.title) for c, v in active_courses())]
        self.status.choices = [everything, *(SelectChoice(s.value, s.label) for s in StatusFilter)]
        self.due.choices = [everything, *(SelectChoice(d.value, d.label) for d in DueState)]

    @property
    def selected_year(self) -> int:
        return self.year.data or current_fiscal_year()

    @property
    def years(self) -> list[int]:
        """The fiscal years to offer: next year (to plan), back to the year the policy was issued
        in, and the one asked for if it is outside."""
        return offered_years(self.selected_year)

    def report(self, department_id: int | None = None) -> ReportFilter:
        """The filter the form describes; ``department_id`` pins it (a manager's own department)."""
        return ReportFilter(
            year=self.selected_year,
            department_id=department_id if department_id is not None else self.department.data,
            course_id=self.course.data,
            status=StatusFilter(self.status.data) if self.status.data else None,
            due=DueState(self.due.data) if self.due.data else None,
            soon_days=current_app.config["DUE_SOON_DAYS"],
            enrolment=Enrolment(self.enrolment.data),
        )

    @property
    def page_number(self) -> int:
        return self.page.data or 1

    def args(self, **overrides: object) -> dict[str, object]:
        """The current filters as query arguments (for links to other pages and downloads)."""
        args = {**self.report().as_args(), **overrides}
        return {k: v for k, v in args.items() if v not in (None, "")}
