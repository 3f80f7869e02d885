"""The employee's side: my training, lessons, quiz attempts, history, the policy."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..fiscal import current_fiscal_year
from ..forms import EmptyForm
from ..models import TRIAL_YEAR, Attempt, Course
from ..permissions import own_or_404
from ..services import attempts as attempt_service
from ..services import submission
from ..services.catalog import CourseText, course_by_key, course_text
from ..services.outcomes import outcome
from ..services.policy import (
    current_policy_version,
    policy_of,
    policy_version,
    policy_version_at,
    policy_versions,
)
from ..services.progress import completion_history, course_status, my_courses, record_lesson_read
from ..trial import in_trial
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
    course = course_by_key(key, drafts=in_trial(key))
    if course is None:
        abort(404)
    return course


def _year(key: str) -> int:
    """The fiscal year the user's records of this course go under: TRIAL_YEAR while trying it."""
    return TRIAL_YEAR if in_trial(key) else current_fiscal_year()


@bp.route("/courses/<key>")
def course(key: str):
    course = _course_or_404(key)
    year, trial = _year(key), in_trial(key)
    return render_template(
        "learn/course.html",
        status=course_status(current_user, course, year, trial=trial),
        attempts_left=attempt_service.attempts_left(current_user, course, year),
        attempts=attempt_service.my_attempts(current_user, course, trial=trial),
        form=EmptyForm(),
        trial_key=key if trial else None,
    )


def _lesson_or_404(key: str, slug: str) -> tuple[CourseText, int]:
    """The current text of a course and the index of one of its lessons."""
    text = course_text(key, drafts=in_trial(key))
    index = text.lesson_index(slug) if text is not None else None
    if index is None:
        abort(404)
    return text, index


@bp.route("/courses/<key>/lessons/<slug>")
def lesson(key: str, slug: str):
    text, index = _lesson_or_404(key, slug)
    lessons = text.lessons
    return render_template(
        "learn/lesson.html",
        course=text,
        lesson=lessons[index],
        previous=lessons[index - 1] if index > 0 else None,
        next=lessons[index + 1] if index + 1 < len(lessons) else None,
        position=index + 1,
        total=len(lessons),
        form=EmptyForm(),
        policy_version=policy_version_at(text.synced_at),
        trial_key=key if in_trial(key) else None,
    )


@bp.route("/courses/<key>/lessons/<slug>/read", methods=["POST"])
def lesson_read(key: str, slug: str):
    """Mark the lesson read and go on: to the next lesson, or to the course page after the last."""
    text, index = _lesson_or_404(key, slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not in_trial(key):  # a trial records nothing, not even a lesson read
        record_lesson_read(current_user, text.course_id, slug, current_fiscal_year())
    if index + 1 < len(text.lessons):
        return redirect(url_for("learn.lesson", key=key, slug=text.lessons[index + 1].slug), code=303)
    return redirect(url_for("learn.course", key=key, _anchor="quiz-heading"), code=303)


@bp.route("/courses/<key>/attempts", methods=["POST"])
def start_attempt(key: str):
    course = _course_or_404(key)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        if in_trial(key):
            attempt = attempt_service.start_trial_attempt(current_user, course)
        else:
            attempt = attempt_service.start_attempt(current_user, course, current_fiscal_year())
    except attempt_service.AttemptError as exc:
        flash(str(exc), "error")
        return redirect(url_for("learn.course", key=key), code=303)
    return redirect(url_for("learn.attempt", attempt_id=attempt.id), code=303)


def _own_attempt(attempt_id: int) -> Attempt:
    return own_or_404(db.session.get(Attempt, attempt_id))


@bp.route("/attempts/<int:attempt_id>")
def attempt(attempt_id: int):
    """The result of a submitted attempt; an open one resumes at its first unanswered question."""
    attempt = _own_attempt(attempt_id)
    if attempt.submitted:
        return render_template(
            "learn/result.html",
            attempt=attempt,
            outcome=outcome(attempt),
            form=EmptyForm(),
            policy_version=policy_version_at(attempt.started_at),
            trial_key=attempt.course.key if attempt.trial else None,
        )
    remaining = attempt_service.unanswered(attempt)
    if not remaining:
        return redirect(url_for("learn.submit", attempt_id=attempt.id))
    return redirect(url_for("learn.question", attempt_id=attempt.id, number=remaining[0].position + 1))


@bp.route("/attempts/<int:attempt_id>/questions/<int:number>", methods=["GET", "POST"])
def question(attempt_id: int, number: int):
    # Saving an answer needs only this row of the attempt; the page, the whole attempt.
    slot = own_or_404(attempt_service.answer_slot(attempt_id, number - 1))
    if slot.submitted:
        # Back button or a second tab after submitting: the recorded result, unchanged.
        return redirect(url_for("learn.attempt", attempt_id=attempt_id), code=303)
    if slot.question_id is None:
        abort(404)
    form = question_form(slot.choice_order, slot.multiple)
    if request.method == "GET" and slot.selected:
        form.answer.data = slot.selected if slot.multiple else slot.selected[0]
    if form.validate_on_submit():
        try:
            attempt_service.save_answer(slot, chosen(form))
        except attempt_service.AttemptError as exc:
            flash(str(exc), "error")
        else:
            if number < slot.questions and "to_summary" not in request.form:
                return redirect(url_for("learn.question", attempt_id=attempt_id, number=number + 1), code=303)
            return redirect(url_for("learn.submit", attempt_id=attempt_id), code=303)
    attempt = db.session.get(Attempt, attempt_id)
    return render_template(
        "learn/question.html",
        attempt=attempt,
        question=attempt.questions[number - 1],
        number=number,
        form=form,
        trial_key=attempt.course.key if attempt.trial else None,
    )


@bp.route("/attempts/<int:attempt_id>/submit", methods=["GET", "POST"])
def submit(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if attempt.submitted:
        return redirect(url_for("learn.attempt", attempt_id=attempt.id), code=303)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            submission.submit_attempt(attempt)
        except attempt_service.AttemptError as exc:
            flash(str(exc), "error")
        else:
            return redirect(url_for("learn.attempt", attempt_id=attempt_id), code=303)
    return render_template(
        "learn/submit.html",
        attempt=attempt,
        remaining=attempt_service.unanswered(attempt),
        form=form,
        trial_key=attempt.course.key if attempt.trial else None,
    )


@bp.route("/policy")
def policy():
    """The policy as synced: the current version, or an earlier one (``?version=N``) that older
    records were made under."""
    current = current_policy_version()
    number = request.args.get("version", type=int)
    shown = current if number is None else policy_version(number) or abort(404)
    return render_template(
        "learn/policy.html",
        policy=policy_of(shown),
        version=shown,
        current=current,
        versions=policy_versions(),
    )
