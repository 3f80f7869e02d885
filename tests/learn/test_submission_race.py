"""An answer saved from another tab while the attempt is being submitted never leaves a record whose
stored answer differs from the one that was scored."""

import threading
import time

import pytest
from sqlalchemy import event, select, text

from elearn.extensions import db
from elearn.models import Attempt, AttemptQuestion
from elearn.services import attempts as attempt_service
from elearn.services import submission
from tests.learn.quiz import answers, save_answers, start

GUARD = 120  # seconds: only a hang takes this long; the steps below wait for each other, not for time


def test_an_answer_saved_during_the_submission_is_scored_or_refused(app, client, auth, people):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one writer at a time: the save waits for the whole submission")
    auth.login_as(people.employee())
    attempt_id = start(client)
    save_answers(attempt_id, correct=False)
    right_first = [int(c) for c in answers(attempt_id, correct=True)[0]]
    read_answers, saved = threading.Event(), threading.Event()

    def pause_after_reading_answers(conn, cursor, statement, *args):
        if "FROM attempt_questions" in statement and threading.current_thread().name == "submit":
            read_answers.set()
            assert saved.wait(timeout=GUARD), "the save never started"  # until the save has slipped in

    def submit() -> None:
        with app.app_context():
            submission.submit_attempt(db.session.get(Attempt, attempt_id))

    event.listen(db.engine, "after_cursor_execute", pause_after_reading_answers)
    try:
        submitting = threading.Thread(target=submit, name="submit")
        submitting.start()
        assert read_answers.wait(timeout=GUARD)
        slot = attempt_service.answer_slot(attempt_id, 0)
        # Saved on another thread too, so that this one can tell the submission it may go on: once the
        # save waits for the submission's lock (or was refused outright), however long that took.
        outcome: list[bool] = []
        saving = threading.Thread(target=lambda: outcome.append(_save(app, slot, right_first)))
        saving.start()
        began = time.monotonic()
        while saving.is_alive() and not waiting_for_a_lock():
            assert time.monotonic() - began < GUARD, "the save neither waited nor returned"
            time.sleep(0.01)
        saved.set()
        submitting.join(timeout=GUARD)
        saving.join(timeout=GUARD)
    finally:
        event.remove(db.engine, "after_cursor_execute", pause_after_reading_answers)
    assert outcome == [False]  # refused: the attempt was submitted first
    db.session.expire_all()
    first = db.session.scalar(
        select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt_id, AttemptQuestion.position == 0)
    )
    assert first.selected != right_first and first.correct is False


def waiting_for_a_lock() -> bool:
    """Whether a connection to this test's database waits for a lock (PostgreSQL)."""
    with db.engine.connect() as connection:
        return bool(
            connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        )


def _save(app, slot, chosen) -> bool:
    with app.app_context():
        return attempt_service.save_answer(slot, chosen)
