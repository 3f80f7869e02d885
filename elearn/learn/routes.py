"""The employee's side: my training, lessons, quiz attempts, the policy."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..content import load_policy
from ..extensions import db
from ..fiscal import current_fiscal_year
from ..models import Attempt
from ..permissions import own_or_404
from ..services import attempts as attempt_service
from ..services.catalog import course_by_key, lesson_by_slug
from ..services.progress import my_courses
from ..templating import EmptyForm
from .forms import answer_form, answers_from, field_name

bp = Blueprint("learn", __name__, template_folder="templates")


@bp.route("/")
def home():
    year = current_fiscal_year()
    statuses = my_courses(current_user, year)
    return render_template("learn/home.html", year=year, statuses=statuses)


def _course_or_404(key: str):
    course = course_by_key(key)
    if course is None:
        abort(404)
    return course


@bp.route("/courses/<key>")
def course(key: str):
    course = _course_or_404(key)
    year = current_fiscal_year()
    status = next(s for s in my_courses(current_user, year) if s.course.id == course.id)
    return render_template(
        "learn/course.html",
        status=status,
        version=status.version,
        attempts_left=attempt_service.attempts_left(current_user, course, year),
        form=EmptyForm(),
    )


@bp.route("/courses/<key>/lessons/<slug>")
def lesson(key: str, slug: str):
    course = _course_or_404(key)
    version = course.current
    lesson = lesson_by_slug(version, slug)
    if lesson is None:
        abort(404)
    lessons = version.lessons
    index = lessons.index(lesson)
    return render_template(
        "learn/lesson.html",
        course=course,
        version=version,
        lesson=lesson,
        previous=lessons[index - 1] if index > 0 else None,
        next=lessons[index + 1] if index + 1 < len(lessons) else None,
        position=index + 1,
        total=len(lessons),
    )


@bp.route("/courses/<key>/attempts", methods=["POST"])
def start_attempt(key: str):
    course = _course_or_404(key)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        attempt = attempt_service.start_attempt(current_user, course, current_fiscal_year())
    except attempt_service.AttemptError as exc:
        flash(str(exc), "error")
        return redirect(url_for("learn.course", key=key))
    return redirect(url_for("learn.attempt", attempt_id=attempt.id))


def _own_attempt(attempt_id: int) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
    return own_or_404(attempt, attempt.employee_id if attempt else None)


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
def attempt(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if attempt.submitted:
        # A resubmission (double click, back button, reload) lands on the recorded result.
        if request.method == "POST":
            return redirect(url_for("learn.attempt", attempt_id=attempt.id), code=303)
        return render_template("learn/result.html", attempt=attempt)
    form = answer_form(attempt)
    if form.validate_on_submit():
        try:
            attempt_service.submit_attempt(attempt, answers_from(form, attempt))
        except attempt_service.AttemptError as exc:
            flash(str(exc), "error")
        else:
            return redirect(url_for("learn.attempt", attempt_id=attempt.id), code=303)
    elif form.is_submitted():
        flash(_("答えていない問題があります。"), "error")
    return render_template("learn/attempt.html", attempt=attempt, form=form, field_name=field_name)


@bp.route("/policy")
def policy():
    return render_template("learn/policy.html", policy=load_policy())
