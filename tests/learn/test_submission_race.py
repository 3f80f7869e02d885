"""An answer saved from another tab while the attempt is being submitted never leaves a record whose
stored answer differs from the one that was scored."""

import threading

import pytest
from sqlalchemy import event, select

from elearn.extensions import db
from elearn.models import Attempt, AttemptQuestion
from elearn.services import attempts as attempt_service
from tests.learn.quiz import answers, save_answers, start


def test_an_answer_saved_during_the_submission_is_scored_or_refused(app, client, auth, people):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one writer at a time: the save waits for the whole submission")
    auth.login(people.employee())
    attempt_id = start(client)
    save_answers(attempt_id, correct=False)
    right_first = [int(c) for c in answers(attempt_id, correct=True)[0]]
    read_answers, saved = threading.Event(), threading.Event()

    def pause_after_reading_answers(conn, cursor, statement, *args):
        if "FROM attempt_questions" in statement and threading.current_thread().name == "submit":
            read_answers.set()
            saved.wait(timeout=2)  # the save below gets this long to slip in before the scoring

    def submit() -> None:
        with app.app_context():
            attempt_service.submit_attempt(db.session.get(Attempt, attempt_id))

    event.listen(db.engine, "after_cursor_execute", pause_after_reading_answers)
    try:
        submitting = threading.Thread(target=submit, name="submit")
        submitting.start()
        assert read_answers.wait(timeout=10)
        slot = attempt_service.answer_slot(attempt_id, 0)
        # Saved on another thread too, so that this one can tell the submission it may go on.
        outcome: list[bool] = []
        saving = threading.Thread(target=lambda: outcome.append(_save(app, slot, right_first)))
        saving.start()
        saving.join(timeout=1)
        saved.set()
        submitting.join(timeout=10)
        saving.join(timeout=10)
    finally:
        event.remove(db.engine, "after_cursor_execute", pause_after_reading_answers)
    assert outcome == [False]  # refused: the attempt was submitted first
    db.session.expire_all()
    first = db.session.scalar(
        select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt_id, AttemptQuestion.position == 0)
    )
    assert first.selected != right_first and first.correct is False


def _save(app, slot, chosen) -> bool:
    with app.app_context():
        return attempt_service.save_answer(slot, chosen)
