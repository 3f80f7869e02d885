"""Two trainers publish at the same moment: one upload goes live, the other is refused as "what is
live changed" (its trainer is shown the new comparison), whether the two change the same scenario
or different ones; never a server error, never a publish over a comparison that is out of date."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event, text

from elearn.config import PROJECT_ROOT
from elearn.extensions import db
from elearn.models import Role
from elearn.services.audit import Actor
from elearn.services.content_upload_files import read_upload
from elearn.services.content_uploads import LiveChanged, live_fingerprint, publish_upload, store_upload
from tests.content.tree import bank, scenario
from tests.services.test_content_uploads import latest

GUARD = 120  # seconds: only a hang takes this long; the steps below wait for each other, not for time


def waiting_on_a_lock() -> bool:
    with db.engine.connect() as connection:
        found = connection.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        )
        return found.scalar_one() > 0


@pytest.mark.parametrize("keys", [("race-01", "race-01"), ("race-01", "race-02")], ids=["same", "different"])
def test_the_second_of_two_simultaneous_publishes_is_refused_as_live_changed(app, people, tmp_path, keys):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one writer at a time: the second publish waits for the first's commit")
    trainer = Actor.of(people.employee(Role.TRAINER))
    texts = [
        bank(scenario(key, title))
        for key, title in zip(keys, ("窓口で怒鳴られる", "電話で怒鳴られる"), strict=True)
    ]
    uploads = [store_upload(trainer, "race.md", read_upload("race.md", t.encode()), False).id for t in texts]
    first, second = uploads
    shown = live_fingerprint()  # both trainers looked at their comparison before either published
    db.session.commit()
    first_wrote, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def hold_the_first_before_its_commit(conn, cursor, statement, *args):
        if threading.current_thread().name == "first" and statement.startswith("INSERT INTO audit_events"):
            first_wrote.set()
            assert release.wait(timeout=GUARD), "never released"

    def publish(upload_id: int) -> None:
        with app.app_context():
            try:
                outcome[threading.current_thread().name] = publish_upload(
                    trainer, upload_id, shown, PROJECT_ROOT, tmp_path / "work"
                )
            except Exception as exc:  # what the view would turn into a page
                outcome[threading.current_thread().name] = exc

    event.listen(db.engine, "after_cursor_execute", hold_the_first_before_its_commit)
    try:
        threads = [threading.Thread(target=publish, args=(first,), name="first")]
        threads[0].start()
        assert first_wrote.wait(timeout=GUARD), "the first publish never wrote"
        threads.append(threading.Thread(target=publish, args=(second,), name="second"))
        threads[1].start()
        deadline = time.monotonic() + GUARD  # a guard against a hang, not a timing
        while not waiting_on_a_lock():
            assert threads[1].is_alive() and time.monotonic() < deadline, outcome
            time.sleep(0.05)
    finally:
        release.set()
        for thread in threads:
            thread.join(timeout=GUARD)
        event.remove(db.engine, "after_cursor_execute", hold_the_first_before_its_commit)
    assert not isinstance(outcome["first"], Exception), outcome["first"]
    assert isinstance(outcome["second"], LiveChanged), outcome["second"]
    db.session.rollback()
    assert latest("race-01").title == "窓口で怒鳴られる"
    if keys[1] != keys[0]:
        assert latest("race-02") is None
