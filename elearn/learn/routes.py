"""The employee's side: my training, lessons, quiz attempts, history, the policy."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..content import load_policy
from ..extensions import db
from ..fiscal import current_fiscal_year
from ..models import Attempt, Course, CourseVersion, Lesson
from ..permissions import own_or_404
from ..services import attempts as attempt_service
from ..services.catalog import course_by_key
from ..services.progress import completion_history, course_status, my_courses, record_lesson_read
from ..templating import EmptyForm
from .forms import chosen, question_form

bp = Blueprint("learn", __name__, template_folder="templates")


@bp.route("/")
def home():
    year = current_fiscal_year()
    return render_template("learn/home.html", year=year, statuses=my_courses(current_user, year))


@bp.route("/history")
def history():
    return render_template("learn/history.html", completions=completion_history(current_user))


def _course_or_404(key: str) -> Course:
    course = course_by_key(key)
    if course is None:
        abort(404)
    return course


@bp.route("/courses/<key>")
def course(key: str):
    course = _course_or_404(key)
    year = current_fiscal_year()
    return render_template(
        "learn/course.html",
        status=course_status(current_user, course, year),
        attempts_left=attempt_service.attempts_left(current_user, course, year),
        attempts=attempt_service.my_attempts(current_user, course),
        form=EmptyForm(),
    )


def _lesson_or_404(version: CourseVersion, slug: str) -> tuple[Lesson, list[Lesson]]:
    """The lesson of a course version, with all its lessons in order (one query for both)."""
    lessons = version.lessons
    lesson = next((lesson for lesson in lessons if lesson.slug == slug), None)
    if lesson is None:
        abort(404)
    return lesson, lessons


@bp.route("/courses/<key>/lessons/<slug>")
def lesson(key: str, slug: str):
    course = _course_or_404(key)
    version = course.current
    lesson, lessons = _lesson_or_404(version, slug)
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
        form=EmptyForm(),
    )


@bp.route("/courses/<key>/lessons/<slug>/read", methods=["POST"])
def lesson_read(key: str, slug: str):
    """Mark the lesson read and go on: to the next lesson, or to the course page after the last."""
    course = _course_or_404(key)
    lesson, lessons = _lesson_or_404(course.current, slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    record_lesson_read(current_user, course, lesson.slug, current_fiscal_year())
    index = lessons.index(lesson)
    if index + 1 < len(lessons):
        return redirect(url_for("learn.lesson", key=key, slug=lessons[index + 1].slug), code=303)
    return redirect(url_for("learn.course", key=key, _anchor="quiz-heading"), code=303)


@bp.route("/courses/<key>/attempts", methods=["POST"])
def start_attempt(key: str):
    course = _course_or_404(key)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        attempt = attempt_service.start_attempt(current_user, course, current_fiscal_year())
    except attempt_service.AttemptError as exc:
        flash(str(exc), "error")
        return redirect(url_for("learn.course", key=key), code=303)
    return redirect(url_for("learn.attempt", attempt_id=attempt.id), code=303)


def _own_attempt(attempt_id: int) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
    return own_or_404(attempt, attempt.employee_id if attempt else None)


@bp.route("/attempts/<int:attempt_id>")
def attempt(attempt_id: int):
    """The result of a submitted attempt; an open one resumes at its first unanswered question."""
    attempt = _own_attempt(attempt_id)
    if attempt.submitted:
        return render_template("learn/result.html", attempt=attempt)
    remaining = attempt_service.unanswered(attempt)
    if not remaining:
        return redirect(url_for("learn.submit", attempt_id=attempt.id))
    return redirect(url_for("learn.question", attempt_id=attempt.id, number=remaining[0].position + 1))


@bp.route("/attempts/<int:attempt_id>/questions/<int:number>", methods=["GET", "POST"])
def question(attempt_id: int, number: int):
    attempt = _own_attempt(attempt_id)
    if attempt.submitted:
        # Back button or a second tab after submitting: the recorded result, unchanged.
        return redirect(url_for("learn.attempt", attempt_id=attempt.id), code=303)
    if not 1 <= number <= len(attempt.questions):
        abort(404)
    question = attempt.questions[number - 1]
    form = question_form(question)
    if request.method == "GET" and question.selected:
        form.answer.data = question.selected if question.scenario_version.multiple else question.selected[0]
    if form.validate_on_submit():
        last = number == len(attempt.questions)  # known now: saving expires the attempt
        try:
            attempt_service.save_answer(attempt, question.position, chosen(form))
        except attempt_service.AttemptError as exc:
            flash(str(exc), "error")
        else:
            if not last and "to_summary" not in request.form:
                return redirect(url_for("learn.question", attempt_id=attempt_id, number=number + 1), code=303)
            return redirect(url_for("learn.submit", attempt_id=attempt_id), code=303)
    return render_template(
        "learn/question.html", attempt=attempt, question=question, number=number, form=form
    )


@bp.route("/attempts/<int:attempt_id>/submit", methods=["GET", "POST"])
def submit(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if attempt.submitted:
        return redirect(url_for("learn.attempt", attempt_id=attempt.id), code=303)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            attempt_service.submit_attempt(attempt)
        except attempt_service.AttemptError as exc:
            flash(str(exc), "error")
        else:
            return redirect(url_for("learn.attempt", attempt_id=attempt_id), code=303)
    return render_template(
        "learn/submit.html", attempt=attempt, remaining=attempt_service.unanswered(attempt), form=form
    )


@bp.route("/policy")
def policy():
    return render_template("learn/policy.html", policy=load_policy())
