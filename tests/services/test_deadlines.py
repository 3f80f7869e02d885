"""期限間近 and 期限超過: read from the status, the due date, today and ELEARN_DUE_SOON_DAYS."""

from datetime import date

import pytest

from elearn.services.deadlines import DueState, due_state, still_expected
from elearn.services.progress import Status

TODAY = date(2026, 10, 15)


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (date(2026, 10, 14), DueState.OVERDUE),
        (date(2026, 10, 15), DueState.DUE_SOON),  # due today: not yet overdue
        (date(2026, 10, 29), DueState.DUE_SOON),  # the 14th day
        (date(2026, 10, 30), None),
        (None, None),
    ],
)
def test_an_unfinished_assignment_is_due_soon_or_overdue_by_its_date(due, expected):
    for status in (Status.NOT_STARTED, Status.IN_PROGRESS):
        assert due_state(status, due, TODAY, 14) is expected


def test_a_completed_assignment_is_never_due_soon_or_overdue():
    assert due_state(Status.COMPLETED, date(2026, 1, 1), TODAY, 14) is None
    assert due_state(Status.COMPLETED, TODAY, TODAY, 14) is None
    assert not still_expected(Status.COMPLETED)


def test_the_due_soon_window_follows_the_setting():
    assert due_state(Status.NOT_STARTED, date(2026, 10, 20), TODAY, 3) is None
    assert due_state(Status.NOT_STARTED, date(2026, 10, 18), TODAY, 3) is DueState.DUE_SOON
